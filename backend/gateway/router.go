// Package gateway sends chat-completions requests to providers: it
// resolves the model, edits the body as little as possible, retries while
// that is safe, and reads provider streams.
//
// Both doors use it: the HTTP endpoint (backend/server) and the desktop
// chat (backend/desktop), in process.
package gateway

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"thinkcloud/backend/catalog"
)

// Upstream is everything needed to call one provider.
type Upstream struct {
	// BaseURL is the API root; "/chat/completions" is appended.
	BaseURL string
	// Key is the provider API key, sent as a bearer token.
	Key string
	// Client sends the request. It must not set Timeout (that would cap
	// reading a stream); nil means a client over NewTransport defaults.
	Client *http.Client
	// Bases are the provider's other API roots by kind (BaseAnthropic);
	// a kind the provider lacks is absent.
	Bases map[string]string
	// Keys are the provider's keys when it has several; requests rotate
	// over them. Empty means Key alone, under the label "default".
	Keys []Key
}

// BaseAnthropic names a provider's Anthropic-compatible API root in
// Upstream.Bases and Call.Base.
const BaseAnthropic = "anthropic"

// Router resolves models and sends requests upstream. Its zero-valued
// tuning fields take the defaults documented on each.
type Router struct {
	// Catalog resolves model names.
	Catalog *catalog.Catalog
	// Upstream returns how to reach a provider. It returns an *Error
	// (usually 401 "no key") when the provider cannot be called.
	Upstream func(provider string) (Upstream, error)
	// MaxRetries is how many times a failed attempt is repeated before
	// anything reached the client; zero means 2, negative means none.
	MaxRetries int
	// Backoff is the first retry's base wait, doubled each time and
	// jittered; zero means 300ms.
	Backoff time.Duration
	// MaxRetryWait caps a provider's Retry-After; a longer wait is not
	// retried but returned to the client with the header. Zero means 10s.
	MaxRetryWait time.Duration
	// IdleTimeout ends a stream whose provider sent nothing (not even a
	// keep-alive) for this long; zero means 2 minutes.
	IdleTimeout time.Duration
	// UserAgent is sent upstream; empty means "ThinkCloud".
	UserAgent string
	// Redact removes secrets from a provider's words before they reach a
	// client or a log; nil removes only the key of the request itself.
	Redact func(string) string
	// Breaker skips providers that keep failing; nil means none.
	Breaker *Breaker
	// KeyRest is how long a key that hit a rate limit rests when the
	// provider names no longer wait; zero means 60s.
	KeyRest time.Duration
	// QuotaRest is how long a key whose quota or balance ran out rests;
	// zero means an hour.
	QuotaRest time.Duration
	// Now is the clock for resting keys; nil means time.Now.
	Now func() time.Time

	// KeepEffort, when it returns true, turns off the endpoint's one
	// convenience (see Prepare): a client's reasoning_effort then reaches
	// every provider exactly as sent. Nil means the convenience is on.
	KeepEffort func() bool

	keys          keyPool
	keyRestSet    atomic.Bool  // SetKeyRest was called: keyRestNow wins
	keyRestNow    atomic.Int64 // nanoseconds
	clientOnce    sync.Once
	defaultClient *http.Client
}

// Call is a prepared request: validated, resolved, and with the upstream
// model id in its body.
type Call struct {
	Request
	// Model is the catalog entry the name resolved to.
	Model catalog.Model
	// Upstream is the body to send (only "model" differs from
	// Request.Body).
	Upstream []byte
	// Path is appended to the provider's API root, after climbing out of
	// it once per leading "../"; "" means "/chat/completions".
	Path string
	// Base selects another API root of the provider (BaseAnthropic); ""
	// is its OpenAI-compatible one.
	Base string
	// Header holds extra headers for the provider (anthropic-version).
	Header http.Header
	// Thinking says, in canonical terms, how the call asked the model to
	// think ("off", "high", "on, 8192 tokens"; see ThinkingLabel); ""
	// when it asked nothing and the model's default applies.
	Thinking string
	// Kind is the provider API a passthrough call goes to
	// (EndpointResponses, …); each fallback target finds its own path
	// for it. "" is chat completions or Base.
	Kind string
	// Fallbacks are the models to try, in order, when the first fails
	// before anything reached the client (an alias's chain). Send moves
	// Model and Upstream to the one that answered.
	Fallbacks []Target
	// Rebuild writes the body for a fallback target; nil splices the
	// target's upstream id into the model field (ReplaceModel), right
	// for every door that forwards the client's own bytes.
	Rebuild func(Target) ([]byte, *Error)
}

// Prepare validates body and resolves its model. It does no I/O.
//
// The body is forwarded byte for byte except the model field and one
// documented convenience: a standard reasoning_effort is spliced into the
// provider's own terms (SpliceEffort) unless KeepEffort says not to.
func (r *Router) Prepare(body []byte) (*Call, *Error) {
	req, e := ParseRequest(body)
	if e != nil {
		return nil, e
	}
	t, e := r.Target(req.Model)
	if e != nil {
		return nil, e
	}
	m := t.Model
	out := body
	var err error
	if m.Upstream != req.Model {
		if out, err = ReplaceModel(body, m.Upstream); err != nil {
			return nil, InvalidRequest("", "could not rewrite the model field: "+err.Error())
		}
	}
	if r.KeepEffort == nil || !r.KeepEffort() {
		if out, err = t.SpliceEffort(out); err != nil {
			return nil, InvalidRequest("", "could not rewrite reasoning_effort: "+err.Error())
		}
	}
	call := &Call{Request: req, Model: m, Upstream: out, Fallbacks: t.Fallbacks}
	if len(t.Fallbacks) > 0 {
		// A fallback gets the client's bytes with its own model id and
		// its own provider's spelling of reasoning_effort, not the first
		// target's.
		call.Rebuild = func(next Target) ([]byte, *Error) {
			b, err := ReplaceModel(body, next.Model.Upstream)
			if err != nil {
				return nil, InvalidRequest("", "could not rewrite the model field: "+err.Error())
			}
			if r.KeepEffort == nil || !r.KeepEffort() {
				if b, err = next.SpliceEffort(b); err != nil {
					return nil, InvalidRequest("", "could not rewrite reasoning_effort: "+err.Error())
				}
			}
			return b, nil
		}
	}
	return call, nil
}

// attempt makes one request. On a provider error it returns the response
// (body already drained and closed) next to the *Error, for its headers.
func (r *Router) attempt(ctx context.Context, client *http.Client, url, key string, call *Call) (*http.Response, *Error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(call.Upstream))
	if err != nil {
		return nil, &Error{Status: 500, Message: "building request for " + call.Model.Provider + ": " + err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	if call.Stream {
		req.Header.Set("Accept", "text/event-stream")
	} else {
		req.Header.Set("Accept", "application/json")
	}
	for k, vs := range call.Header {
		req.Header[k] = vs
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
		if call.Base == BaseAnthropic {
			req.Header.Set("X-Api-Key", key)
		}
	}
	ua := r.UserAgent
	if ua == "" {
		ua = "ThinkCloud"
	}
	req.Header.Set("User-Agent", ua)
	resp, err := client.Do(req)
	if err != nil {
		return nil, transportError(ctx, call.Model.Provider, err)
	}
	if resp.StatusCode < 400 {
		if e := r.checkAnswer(call, resp, key); e != nil {
			return nil, e // not retried: the same answer would come back
		}
		return resp, nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	e := upstreamError(call.Model.Provider, resp.StatusCode, body)
	e.Message = r.redact(e.Message, key)
	e.Header = retryAfterHeaders(resp.Header)
	return resp, e
}

func (r *Router) client() *http.Client {
	r.clientOnce.Do(func() {
		r.defaultClient = &http.Client{Transport: NewTransport(TransportOptions{})}
	})
	return r.defaultClient
}

// transportError maps a failed round trip to 499 (client left), 504 (no
// answer in time) or 502 (unreachable).
func transportError(ctx context.Context, provider string, err error) *Error {
	if ctx.Err() != nil {
		return clientGone()
	}
	if e := redirected(provider, err); e != nil {
		return e
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return &Error{Status: 504, Type: "server_error", Code: "upstream_timeout", Provider: provider,
			Message: provider + " did not answer in time: " + scrub(err.Error())}
	}
	return &Error{Status: 502, Type: "server_error", Code: "upstream_unreachable", Provider: provider,
		Message: "could not reach " + provider + ": " + scrub(err.Error())}
}

// scrub keeps URLs' query strings (where some proxies put keys) out of
// error text.
func scrub(s string) string {
	if i := strings.Index(s, "?"); i >= 0 {
		if j := strings.IndexAny(s[i:], "\" "); j >= 0 {
			return s[:i] + s[i+j:]
		}
		return s[:i]
	}
	return s
}

func clientGone() *Error {
	return &Error{Status: 499, Type: "client_closed_request", Message: "the client closed the request"}
}

func cloneHeader(h http.Header) http.Header {
	if h == nil {
		return http.Header{}
	}
	return h.Clone()
}
