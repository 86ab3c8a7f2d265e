// Package server is the local OpenAI-compatible HTTP endpoint. It guards
// itself like a localhost API must (Host, Origin, token, rate limit),
// then hands chat requests to the gateway router as bytes.
package server

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/gateway"
)

// MaxBodyBytes is the largest request body accepted (images inline as
// data URLs make bodies large, but not this large).
const MaxBodyBytes = 32 << 20

// Options configure a Handler. Zero values are safe defaults: loopback
// only, no CORS, any token, no rate limit.
type Options struct {
	// Router sends chat requests upstream. Required.
	Router *gateway.Router
	// Catalog lists and resolves models. Required.
	Catalog *catalog.Catalog
	// HasKey tells whether a provider can be called; nil means none can.
	HasKey func(provider string) bool
	// Version is reported by GET /.
	Version string
	// Guard holds the access rules.
	Guard Guard
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
	// RefreshModels, when set, is called by POST /v1/models/refresh to
	// fetch live model lists in the background; nil answers 501.
	RefreshModels func()
	// BodyTimeout bounds reading a request body; zero means 10s. A large
	// body gets more time as it arrives, at MinBodyRate.
	BodyTimeout time.Duration
	// MinBodyRate is the slowest average rate, in bytes per second, at
	// which a body may arrive beyond BodyTimeout; zero means 32 KiB/s.
	MinBodyRate int
	// WaitNotice is how long a streaming request waits for the provider's
	// headers before the client gets the stream's headers and an SSE
	// comment, repeated as often while the wait lasts. Zero means 5s;
	// negative means never.
	WaitNotice time.Duration
}

// Handler serves the endpoint.
type Handler struct {
	opts    Options
	mux     *http.ServeMux
	limiter *rateLimiter
	started time.Time
}

// New returns the endpoint's handler.
func New(opts Options) *Handler {
	if opts.HasKey == nil {
		opts.HasKey = func(string) bool { return false }
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	h := &Handler{opts: opts, mux: http.NewServeMux(), started: time.Now()}
	if opts.Guard.RateLimitPerMinute > 0 {
		h.limiter = newRateLimiter(opts.Guard.RateLimitPerMinute, time.Minute)
	}
	h.route("/{$}", h.info, "GET")
	h.route("/health", h.health, "GET")
	h.route("/v1/models", h.listModels, "GET")
	h.route("/v1/models/refresh", h.refreshModels, "POST")
	h.route("/v1/models/{id...}", h.getModel, "GET")
	h.route("/v1/chat/completions", h.chat, "POST")
	h.route("/openapi.json", h.openAPI, "GET")
	h.route("/docs", h.docs, "GET")
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, &gateway.Error{Status: 404, Type: "invalid_request_error", Code: "unknown_url",
			Message: "Unknown request URL: " + r.Method + " " + r.URL.Path + ". The API lives under /v1 (see /docs)."})
	})
	return h
}

// route registers fn for path, answering other methods with a 405 in the
// OpenAI envelope (ServeMux's own 405 is plain text, which SDKs cannot
// parse).
func (h *Handler) route(path string, fn http.HandlerFunc, method string) {
	h.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method && !(method == "GET" && r.Method == "HEAD") {
			w.Header().Set("Allow", method)
			writeError(w, &gateway.Error{Status: 405, Type: "invalid_request_error", Code: "method_not_allowed",
				Message: r.Method + " is not allowed on " + r.URL.Path + "; use " + method})
			return
		}
		fn(w, r)
	})
}

// ServeHTTP runs the guards, then the routes, and logs one line.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := h.begin(w, r)
	defer rec.finish()
	if !h.guard(rec, r) {
		return
	}
	h.mux.ServeHTTP(rec, r)
}

// writeError sends e as the OpenAI error envelope with its status.
func writeError(w http.ResponseWriter, e *gateway.Error) {
	for k, vs := range e.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.HTTPStatus())
	w.Write(e.Envelope())
	if rec, ok := w.(*recorder); ok {
		rec.errText = e.Message
	}
}

// writeJSON sends v with status 200.
func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, &gateway.Error{Status: 500, Message: "encode response: " + err.Error()})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}
