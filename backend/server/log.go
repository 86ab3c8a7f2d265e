package server

import (
	"strconv"
	"strings"
	"sync/atomic"

	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"thinkcloud/backend/catalog"
	"thinkcloud/backend/config"
	"thinkcloud/backend/gateway"
	"thinkcloud/backend/tokens"
	"thinkcloud/backend/usage"
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
	usage    gateway.Usage
	errText  string
	// errKind is the code (else type) of the error the client got.
	errKind string
	// For the request log: the door, the name the client asked for, the
	// catalog entry that ran, the named token that asked (nil: none),
	// and the upstream attempts Router.Send made.
	door     string
	asked    string
	entry    catalog.Model
	token    *config.AccessToken
	attempts *atomic.Int32
	// fallbacks counts Send's moves to a chain's next model.
	fallbacks *atomic.Int32
	// in and out estimate the tokens of the request body and of the
	// answer's text, for a provider that reports no usage (estimate.go).
	in, out usage.Counter
	// textKeys picks the answer's text out of what is written; nil until
	// the first write.
	textKeys func([]byte) bool
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
	rec.door = doors[r.URL.Path]
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
	if rec.door != "" {
		rec.countText(p)
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
	if rec.usage != (gateway.Usage{}) {
		attrs = append(attrs, slog.Int("prompt_tokens", rec.usage.PromptTokens), slog.Int("completion_tokens", rec.usage.CompletionTokens))
	}
	if rec.errText != "" {
		attrs = append(attrs, slog.String("error", rec.errText))
	}
	level := slog.LevelInfo
	if rec.status >= 500 {
		level = slog.LevelWarn
	}
	rec.h.opts.Logger.LogAttrs(rec.r.Context(), level, "request", attrs...)
	rec.logUsage()
}

// doors maps the paths that reach a provider to their door in the
// request log; other paths (/v1/models, /health, …) are not logged.
var doors = map[string]string{
	"/v1/chat/completions": usage.DoorChat, "/v1/messages": usage.DoorMessages, "/v1/responses": usage.DoorResponses,
	"/v1/embeddings": usage.DoorEmbeddings, "/v1/completions": usage.DoorCompletions,
}

// resolved notes the model a door resolved and checks the named token's
// allow-list. A refused model gets a 403 model_not_allowed in the door's
// error shape, and resolved returns false.
func (rec *recorder) resolved(asked string, m catalog.Model) bool {
	rec.asked, rec.entry, rec.model, rec.provider = asked, m, m.ID, m.Provider
	if rec.token == nil {
		return true
	}
	var resolve func(string) (catalog.Model, error)
	if rec.h.opts.Catalog != nil {
		resolve = rec.h.opts.Catalog.Resolve
	}
	if tokens.Allows(*rec.token, m, asked, resolve) {
		return true
	}
	writeError(rec, &gateway.Error{Status: 403, Type: "permission_error", Code: "model_not_allowed", Param: "model",
		Message: "token " + strconv.Quote(rec.token.Name) + " may not use " + m.ID + " (" + m.Provider + "); it may use " + strings.Join(rec.token.Models, ", ") +
			" (change this in Settings → Local endpoint, or `thinkcloud tokens`)"})
	return false
}

// logUsage hands the request's row to the request log and its cost to
// the token's budget. It runs after the answer ended and never blocks.
func (rec *recorder) logUsage() {
	h := rec.h
	if rec.door == "" || (h.opts.Usage == nil && h.opts.Meter == nil) {
		return
	}
	now := time.Now()
	r := usage.Record{At: rec.start, Door: rec.door, Token: usage.TokenAnonymous, Client: usage.ClientFamily(rec.r.UserAgent()),
		Provider: rec.provider, ModelAsked: rec.asked, Model: rec.model, Status: rec.status, ErrorKind: rec.errKind,
		Latency: now.Sub(rec.start), TTFT: rec.first,
		Input: rec.usage.PromptTokens, Output: rec.usage.CompletionTokens, Reasoning: rec.usage.ReasoningTokens, Cached: rec.usage.CachedTokens}
	if r.Status == 0 || rec.r.Context().Err() != nil {
		// The client left: before anything was written, or mid-answer
		// (the context ends with ServeHTTP, which has not returned yet).
		r.Status, r.ErrorKind = 499, "client_closed_request"
	}
	if rec.token != nil {
		r.TokenID, r.Token = rec.token.ID, rec.token.Name
	}
	if rec.attempts != nil {
		r.Retries = max(int(rec.attempts.Load())-1, 0)
	}
	if rec.fallbacks != nil {
		r.Fallbacks = int(rec.fallbacks.Load())
	}
	if rec.usage == (gateway.Usage{}) && rec.model != "" && (r.Status < 400 || !rec.out.Empty()) {
		// The provider reported no usage: estimate it (estimate.go), and
		// the cost below from it, both marked.
		r.Input, r.Output, r.Estimated = rec.in.Tokens(), rec.out.Tokens(), true
	}
	if rec.errText != "" && r.ErrorKind == "" {
		r.ErrorKind = "stream_error" // the 200 was out; the answer broke later
	}
	if rec.model != "" {
		r.Price(rec.entry)
	}
	if h.opts.Meter != nil && rec.token != nil {
		h.opts.Meter.Spend(rec.token.ID, r.Costs)
	}
	if h.metricsOn() {
		h.metrics.add(r)
	}
	if h.opts.Usage != nil {
		h.opts.Usage(r)
	}
}
