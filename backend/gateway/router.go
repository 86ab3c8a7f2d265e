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
}

// Prepare validates body and resolves its model. It does no I/O.
func (r *Router) Prepare(body []byte) (*Call, *Error) {
	req, e := ParseRequest(body)
	if e != nil {
		return nil, e
	}
	m, err := r.Catalog.Resolve(req.Model)
	if err != nil {
		return nil, UnknownModel(req.Model)
	}
	out := body
	if m.Upstream != req.Model {
		if out, err = ReplaceModel(body, m.Upstream); err != nil {
			return nil, InvalidRequest("", "could not rewrite the model field: "+err.Error())
		}
	}
	return &Call{Request: req, Model: m, Upstream: out}, nil
}

// Send posts the call to its provider and returns the response once a
// success status arrived. Failures before that are retried when safe
// (nothing has reached the client yet); the final failure is an *Error
// carrying the provider's status and words. ctx should be the client's,
// so a client that leaves cancels the provider call.
func (r *Router) Send(ctx context.Context, call *Call) (*http.Response, *Error) {
	up, err := r.Upstream(call.Model.Provider)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return nil, e
		}
		return nil, &Error{Status: 500, Message: err.Error(), Provider: call.Model.Provider}
	}
	client := up.Client
	if client == nil {
		client = r.client()
	}
	base, path := up.BaseURL, call.Path
	if call.Base != "" {
		if base = up.Bases[call.Base]; base == "" {
			return nil, &Error{Status: 400, Type: "invalid_request_error", Code: "unsupported_by_provider", Provider: call.Model.Provider,
				Message: call.Model.Provider + " has no " + call.Base + "-compatible API"}
		}
	}
	if path == "" {
		path = "/chat/completions"
	}
	url := joinPath(base, path)
	maxRetries := r.MaxRetries
	if maxRetries == 0 {
		maxRetries = 2
	}
	for attempt := 0; ; attempt++ {
		countAttempt(ctx)
		resp, e := r.attempt(ctx, client, url, up.Key, call)
		if e == nil {
			return resp, nil
		}
		wait, retry := r.retryable(e, resp)
		if !retry || attempt >= maxRetries || ctx.Err() != nil {
			if (retry && attempt > 0) || outOfMoney(e) {
				// The SDKs retry 429 and 5xx on their own: not after we
				// already did, and never an empty balance.
				e.Header = cloneHeader(e.Header)
				e.Header.Set("X-Should-Retry", "false")
			}
			return nil, e
		}
		if wait < r.backoff(attempt) {
			wait = r.backoff(attempt)
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, clientGone()
		}
	}
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
