// Package fakeupstream serves fake LLM providers on loopback for tests and
// benchmarks. Each fake behaves like one real provider, quirks included:
// DeepSeek's keep-alive comments and blank lines and reasoning_content,
// Kimi's usage inside choices[0], Cerebras's "reasoning" field and usage on
// the final chunk, DashScope's stream-only thinking, OpenAI's usage chunk.
//
// A user message can steer a fake with a trigger word ("trigger:402",
// "trigger:cut", …; see triggers.go) to produce each failure a real
// provider produces.
package fakeupstream

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Kinds of fake provider.
const (
	DeepSeek  = "deepseek"
	Kimi      = "kimi"
	Cerebras  = "cerebras"
	DashScope = "dashscope"
	OpenAI    = "openai"
)

// Kinds lists every fake provider.
var Kinds = []string{Cerebras, DeepSeek, OpenAI, DashScope, Kimi}

// Recorded is one request a fake received.
type Recorded struct {
	Path          string
	Authorization string
	Body          []byte
	// Header is every request header (anthropic-version, anthropic-beta).
	Header http.Header
}

// Fake is one fake provider. Its zero value is not usable; call New or
// Handler.
type Fake struct {
	// Kind is the provider it imitates.
	Kind string
	// Key is the API key it accepts.
	Key string
	// ExtraKeys are more keys it accepts (an account's second key); set
	// before serving.
	ExtraKeys []string
	// RateLimited are accepted keys that get a 429 rate limit on every
	// chat request, as a key over its requests per minute does; set
	// before serving.
	RateLimited []string

	mu        sync.Mutex
	requests  []Recorded
	attempts  map[string]int // trigger -> count, for fail-then-succeed
	cancelled atomic.Int32
	completed atomic.Int32
	record    bool
	clock     clock // paces trigger:tokens=N@R; nil: the real clock
}

// NewFake returns a fake provider of kind accepting key. Requests are
// recorded unless record is false (benchmarks).
func NewFake(kind, key string, record bool) *Fake {
	return &Fake{Kind: kind, Key: key, attempts: map[string]int{}, record: record}
}

// Start serves f on a loopback port; BaseURL is ts.URL + "/v1".
func (f *Fake) Start() *httptest.Server {
	return httptest.NewServer(f)
}

// Requests returns a copy of what the fake received.
func (f *Fake) Requests() []Recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Recorded(nil), f.requests...)
}

// Last returns the last chat request's body, or nil.
func (f *Fake) Last() []byte { return f.LastAt("/chat/completions") }

// LastAt returns the body of the last request whose path ends with
// suffix, or nil.
func (f *Fake) LastAt(suffix string) []byte {
	rs := f.Requests()
	for i := len(rs) - 1; i >= 0; i-- {
		if strings.HasSuffix(rs[i].Path, suffix) {
			return rs[i].Body
		}
	}
	return nil
}

// LastMessages returns the last request to the fake's Anthropic API, or
// false when there was none.
func (f *Fake) LastMessages() (Recorded, bool) {
	rs := f.Requests()
	for i := len(rs) - 1; i >= 0; i-- {
		if strings.HasSuffix(rs[i].Path, "/v1/messages") {
			return rs[i], true
		}
	}
	return Recorded{}, false
}

// Cancelled counts streams whose client went away before the end.
func (f *Fake) Cancelled() int { return int(f.cancelled.Load()) }

// Completed counts answers written to the end.
func (f *Fake) Completed() int { return int(f.completed.Load()) }

// attempt counts tries of a trigger, for "fail N times then succeed".
func (f *Fake) attempt(trigger string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.attempts[trigger]++
	return f.attempts[trigger]
}

// ServeHTTP routes /v1/models and /v1/chat/completions (with or without
// the /v1 prefix, and DashScope's /compatible-mode/v1), and the other
// APIs each provider serves: OpenAI's /responses, OpenAI's and
// DashScope's /embeddings, DeepSeek's /beta/completions.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if f.record {
		f.mu.Lock()
		f.requests = append(f.requests, Recorded{Path: r.URL.Path, Authorization: r.Header.Get("Authorization"), Body: body, Header: r.Header.Clone()})
		f.mu.Unlock()
	}
	if p := AnthropicPath(f.Kind); p != "" && r.URL.Path == p+"/v1/messages" && r.Method == http.MethodPost {
		// Anthropic clients send the key as x-api-key.
		if r.Header.Get("X-Api-Key") != f.Key && r.Header.Get("Authorization") != "Bearer "+f.Key {
			f.anthropicError(w, 401, "authentication_error", "invalid x-api-key")
			return
		}
		f.messages(w, r, body)
		return
	}
	bearer := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if bearer != f.Key && !slices.Contains(f.ExtraKeys, bearer) {
		f.authError(w)
		return
	}
	if slices.Contains(f.RateLimited, bearer) && strings.HasSuffix(r.URL.Path, "/chat/completions") {
		retryHeaders(w)
		writeJSON(w, 429, errBody("Rate limit reached for requests", "requests", "rate_limit_exceeded"))
		return
	}
	switch {
	case strings.HasSuffix(r.URL.Path, "/models") && r.Method == http.MethodGet:
		f.models(w)
	case strings.HasSuffix(r.URL.Path, "/chat/completions") && r.Method == http.MethodPost:
		f.chat(w, r, body)
	case strings.HasSuffix(r.URL.Path, "/responses") && r.Method == http.MethodPost && f.Kind == OpenAI:
		f.responses(w, r, body)
	case strings.HasSuffix(r.URL.Path, "/embeddings") && r.Method == http.MethodPost && (f.Kind == OpenAI || f.Kind == DashScope):
		f.embeddings(w, body)
	case strings.HasSuffix(r.URL.Path, "/beta/completions") && r.Method == http.MethodPost && f.Kind == DeepSeek:
		f.fim(w, r, body)
	case r.URL.Path == "/user/balance" && r.Method == http.MethodGet && f.Kind == DeepSeek:
		// DeepSeek's shape: amounts as strings, one entry per currency.
		writeJSON(w, 200, map[string]any{"is_available": true, "balance_infos": []map[string]any{
			{"currency": "CNY", "total_balance": "110.00", "granted_balance": "10.00", "topped_up_balance": "100.00"}}})
	case strings.HasSuffix(r.URL.Path, "/users/me/balance") && r.Method == http.MethodGet && f.Kind == Kimi:
		// Kimi's shape: numbers under data, the currency implied by the platform.
		writeJSON(w, 200, map[string]any{"code": 0, "data": map[string]any{"available_balance": 49.58894, "voucher_balance": 46.58893, "cash_balance": 3.00001},
			"scode": "0x0", "status": true})
	default:
		http.Error(w, `{"error":{"message":"not found","type":"invalid_request_error"}}`, http.StatusNotFound)
	}
}

func (f *Fake) authError(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusUnauthorized)
	switch f.Kind {
	case DashScope:
		w.Write([]byte(`{"error":{"message":"Incorrect API key provided. ","type":"invalid_request_error","param":null,"code":"invalid_api_key"},"request_id":"fake"}`))
	case Kimi:
		w.Write([]byte(`{"error":{"message":"Invalid Authentication","type":"invalid_authentication_error"}}`))
	default:
		w.Write([]byte(`{"error":{"message":"Authentication Fails (no such user)","type":"authentication_error","param":null,"code":"invalid_request_error"}}`))
	}
}

// models answers GET /models like the provider does in 2026-12: the
// current chat models, each with the fields that provider publishes.
// OpenAI lists every kind of model and dates shutdowns (shutdown_date,
// null when none is scheduled); Kimi states context_length and its
// supports_* flags; DeepSeek, DashScope and Cerebras give only the
// OpenAI fields. Retired ids are gone, as upstream.
func (f *Fake) models(w http.ResponseWriter) {
	type item = map[string]any
	var data []item
	switch f.Kind {
	case OpenAI:
		for _, m := range []struct{ id, shutdown string }{
			{"gpt-6.2-astra", ""}, {"gpt-6.2-sol", ""}, {"gpt-6-astra", ""}, {"gpt-6.1-sol", ""}, {"gpt-6.1-terra", ""},
			{"gpt-6-luna", ""}, {"gpt-6-sol", ""}, {"gpt-5.6-sol", ""}, {"gpt-5.6-terra", ""}, {"gpt-5.6-luna", ""},
			{"gpt-5.5", ""}, {"gpt-4o", "2027-01-14"}, {"gpt-4o-mini", "2027-01-14"}, {"gpt-4.1", "2027-01-14"}, {"gpt-5", "2026-12-11"},
			{"text-embedding-3-small", ""}, {"whisper-1", ""}, {"gpt-image-2", ""}, {"gpt-realtime", ""}, {"tts-1", ""},
		} {
			var shutdown any
			if m.shutdown != "" {
				shutdown = m.shutdown
			}
			data = append(data, item{"id": m.id, "object": "model", "created": 1700000000, "owned_by": "system", "shutdown_date": shutdown})
		}
	case Kimi:
		for _, m := range []struct {
			id                   string
			ctx                  int
			image, video, reason bool
		}{
			{"kimi-k3.1-pro", 1048576, true, true, true}, {"kimi-k3.1-pro-highspeed", 1048576, true, true, true},
			{"kimi-k3", 1048576, true, true, true}, {"kimi-k2.7-code", 262144, true, false, true},
			{"kimi-k2.7-code-highspeed", 262144, true, false, true}, {"kimi-k2.6", 262144, true, true, true},
		} {
			data = append(data, item{"id": m.id, "object": "model", "created": 1700000000, "owned_by": "moonshot", "context_length": m.ctx,
				"supports_image_in": m.image, "supports_video_in": m.video, "supports_reasoning": m.reason})
		}
	case DeepSeek:
		data = []item{{"id": "deepseek-flash", "object": "model", "owned_by": "deepseek"}, {"id": "deepseek-v4-pro", "object": "model", "owned_by": "deepseek"}}
	case Cerebras:
		data = []item{{"id": "gpt-oss-120b", "object": "model", "created": 1700000000, "owned_by": "OpenAI"}, {"id": "qwen-3.8-27b", "object": "model", "created": 1700000000, "owned_by": "Alibaba"}}
	case DashScope:
		for _, id := range []string{"qwen3.8-max", "qwen3.8-max-0902", "qwen3.8-flash", "qwen3.7-max", "qwen3.7-plus", "qwen3.7-flash",
			"qwen3.6-plus", "qwen3.6-flash", "qwen3.5-plus", "qwen-plus", "qwen-flash", "qwen3-coder-flash"} {
			data = append(data, item{"id": id, "object": "model", "created": 1700000000, "owned_by": "system"})
		}
	}
	writeJSON(w, http.StatusOK, item{"object": "list", "data": data})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
