package server

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"
)

// recorder wraps the ResponseWriter to learn what the request log line
// needs: status, time to first byte, and what the chat handler found out.
// It never sees or keeps headers or bodies of the request.
type recorder struct {
	http.ResponseWriter
	h        *Handler
	r        *http.Request
	id       string
	start    time.Time
	status   int
	first    time.Duration
	model    string
	provider string
	usage    [2]int // prompt, completion
	errText  string
	// anthropic sends errors in Anthropic's shape (anthropicRequest).
	anthropic bool
	// body tracks the request body; headerDone is set once the status
	// line is on its way (see beforeHeader).
	body       *bodyTracker
	headerDone bool
	// enveloped is set while protocolError replaces net/http's own
	// answer; written once its envelope is out: later writes are dropped.
	enveloped bool
	written   bool
}

func (h *Handler) begin(w http.ResponseWriter, r *http.Request) *recorder {
	var b [8]byte
	rand.Read(b[:])
	rec := &recorder{ResponseWriter: w, h: h, r: r, id: "req_" + hex.EncodeToString(b[:]), start: time.Now(), anthropic: anthropicRequest(r)}
	w.Header().Set("X-Request-ID", rec.id)
	if rec.anthropic {
		w.Header().Set("Request-Id", rec.id) // where the Anthropic SDKs look for it
	}
	rec.trackBody(r)
	return rec
}

func (rec *recorder) WriteHeader(code int) {
	if rec.protocolError(code) {
		return
	}
	rec.beforeHeader()
	if rec.status == 0 {
		rec.status = code
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(p []byte) (int, error) {
	if rec.written {
		return len(p), nil // the body of an answer protocolError replaced
	}
	rec.beforeHeader()
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	if rec.first == 0 {
		rec.first = time.Since(rec.start)
	}
	return rec.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the real writer's Flush.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// finish writes the one log line of the request.
func (rec *recorder) finish() {
	attrs := []slog.Attr{
		slog.String("id", rec.id),
		slog.String("method", rec.r.Method),
		slog.String("path", rec.r.URL.Path),
		slog.String("client", rec.r.RemoteAddr),
		slog.Int("status", rec.status),
		slog.Duration("latency", time.Since(rec.start)),
		slog.Duration("ttfb", rec.first),
	}
	if rec.model != "" {
		attrs = append(attrs, slog.String("model", rec.model), slog.String("provider", rec.provider))
	}
	if rec.usage != [2]int{} {
		attrs = append(attrs, slog.Int("prompt_tokens", rec.usage[0]), slog.Int("completion_tokens", rec.usage[1]))
	}
	if rec.errText != "" {
		attrs = append(attrs, slog.String("error", rec.errText))
	}
	level := slog.LevelInfo
	if rec.status >= 500 {
		level = slog.LevelWarn
	}
	rec.h.opts.Logger.LogAttrs(rec.r.Context(), level, "request", attrs...)
}
