// Package server is the local OpenAI-compatible HTTP endpoint. It guards
// itself like a localhost API must (Host, Origin, token, rate limit),
// then hands chat requests to the gateway router as bytes.
package server

import (
	"crypto/rand"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/config"
	"thinkcloud/backend/gateway"
	"thinkcloud/backend/gateway/anthropic"
	"thinkcloud/backend/gateway/responses"
	"thinkcloud/backend/tokens"
	"thinkcloud/backend/usage"
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
	// Available lists the models whose provider can be called (core
	// decides, for the window and the endpoint alike); nil means none.
	Available func() []catalog.Model
	// Version is reported by GET /.
	Version string
	// Guard holds the access rules.
	Guard Guard
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
	// RefreshModels, when set, is called by POST /v1/models/refresh to
	// fetch live model lists in the background; nil answers 501.
	RefreshModels func()
	// Responses keeps translated responses for previous_response_id; nil
	// means a store of this handler's own, with default bounds.
	Responses *responses.Store
	// Sealer seals the reasoning /v1/responses hands to clients; nil means
	// a key of this handler's own, lost with it.
	Sealer *responses.Sealer
	// DropHostedTools lists hosted tool types /v1/responses leaves out
	// instead of refusing (responses.DropAll: all of them).
	DropHostedTools []string
	// ClaudeModel maps a Claude model name no provider serves
	// ("claude-sonnet-4-5") to the model of its tier; nil maps none.
	ClaudeModel func(name string) (string, bool)
	// BodyTimeout bounds reading a request body; zero means 10s. A large
	// body gets more time as it arrives, at MinBodyRate.
	BodyTimeout time.Duration
	// MinBodyRate is the slowest average rate, in bytes per second, at
	// which a body may arrive beyond BodyTimeout; zero means 32 KiB/s.
	MinBodyRate int
	// Tokens returns the named access tokens now in force, read on every
	// request so a revoke takes effect on the next one; nil means none.
	Tokens func() []config.AccessToken
	// Meter enforces the tokens' rates and budgets and learns their spend;
	// nil means a meter of this handler's own.
	Meter *tokens.Meter
	// Usage receives one row per request that reached a door (it must not
	// block: usage.Log.Add); nil records nothing.
	Usage func(usage.Record)
	// Metrics serves GET /metrics (Prometheus text format) behind the same
	// guards as every route; false answers it 404.
	Metrics bool
	// MetricsOn, when set, replaces Metrics with a switch read on every
	// request (settings applied without restarting the endpoint).
	MetricsOn func() bool
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
	store   *responses.Store
	sealer  *responses.Sealer
	metrics metrics
}

// New returns the endpoint's handler.
func New(opts Options) *Handler {
	if opts.HasKey == nil {
		opts.HasKey = func(string) bool { return false }
	}
	if opts.Available == nil {
		opts.Available = func() []catalog.Model { return nil }
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Meter == nil {
		opts.Meter = &tokens.Meter{}
	}
	h := &Handler{opts: opts, mux: http.NewServeMux(), started: time.Now(), store: opts.Responses, sealer: opts.Sealer}
	if h.store == nil {
		h.store = &responses.Store{}
	}
	if h.sealer == nil {
		key := make([]byte, 32)
		rand.Read(key)
		h.sealer = responses.NewSealer(func() ([]byte, error) { return key, nil })
	}
	if opts.Guard.RateLimitPerMinute > 0 {
		h.limiter = newRateLimiter(opts.Guard.RateLimitPerMinute, time.Minute)
	}
	h.route("/{$}", h.info, "GET")
	h.route("/health", h.health, "GET")
	h.route("/v1/models", h.listModels, "GET")
	h.route("/v1/models/refresh", h.refreshModels, "POST")
	h.route("/v1/models/{id...}", h.getModel, "GET")
	h.route("/v1/chat/completions", h.chat, "POST")
	h.route("/v1/responses", h.responsesDoor, "POST")
	h.route("/v1/responses/{id}", h.storedResponse, "GET", "DELETE")
	h.route("/v1/responses/{id}/input_items", h.responseInputItems, "GET")
	h.route("/v1/embeddings", h.embeddings, "POST")
	h.route("/v1/completions", h.completions, "POST")
	h.route("/v1/messages", h.messages, "POST")
	h.route("/v1/messages/count_tokens", h.countTokens, "POST")
	h.route("/openapi.json", h.openAPI, "GET")
	h.route("/docs", h.docs, "GET")
	h.route("/metrics", h.serveMetrics, "GET")
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		hint := "The API lives under /v1 (see /docs)."
		if r.URL.Path == "/v1" || strings.HasPrefix(r.URL.Path, "/v1/") {
			hint = "ThinkCloud serves " + strings.Join(v1Paths, ", ") + " (see /docs)."
		}
		writeError(w, &gateway.Error{Status: 404, Type: "invalid_request_error", Code: "unknown_url",
			Message: "Unknown request URL: " + r.Method + " " + r.URL.Path + ". " + hint})
	})
	return h
}

// v1Paths are the API's routes, for the catch-all's answer.
var v1Paths = []string{"GET /v1/models", "POST /v1/chat/completions", "POST /v1/responses", "POST /v1/embeddings", "POST /v1/completions"}

// route registers fn for path, answering other methods with a 405 in the
// OpenAI envelope (ServeMux's own 405 is plain text, which SDKs cannot
// parse).
func (h *Handler) route(path string, fn http.HandlerFunc, methods ...string) {
	h.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		if !slices.Contains(methods, r.Method) && !(slices.Contains(methods, "GET") && r.Method == "HEAD") {
			allow := strings.Join(methods, ", ")
			w.Header().Set("Allow", allow)
			writeError(w, &gateway.Error{Status: 405, Type: "invalid_request_error", Code: "method_not_allowed",
				Message: r.Method + " is not allowed on " + r.URL.Path + "; use " + strings.Join(methods, " or ")})
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
	if rec.door != "" {
		ctx, n := gateway.CountAttempts(r.Context())
		ctx, rec.fallbacks = gateway.CountFallbacks(ctx)
		r, rec.attempts = r.WithContext(ctx), n
	}
	h.mux.ServeHTTP(rec, r)
}

// writeError sends e as the OpenAI error envelope with its status, or in
// Anthropic's shape to a request of that dialect (anthropicRequest).
func writeError(w http.ResponseWriter, e *gateway.Error) {
	for k, vs := range e.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.HTTPStatus())
	rec, ok := w.(*recorder)
	if ok && rec.anthropic {
		w.Write(anthropic.ErrorBody(e))
	} else {
		w.Write(e.Envelope())
	}
	if ok {
		rec.errText = e.Message
		rec.errKind = e.Code
		if rec.errKind == "" {
			rec.errKind = e.Type
		}
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
