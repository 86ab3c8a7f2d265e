package gateway

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ModelHeader names the model that actually answered, as
// "provider/upstream-id", on every answer that went through Send: with
// an alias's chain it may not be the first choice.
const ModelHeader = "X-ThinkCloud-Model"

// Send posts the call to its provider and returns the response once a
// success status arrived. Failures before that are retried when safe
// (nothing has reached the client yet): the same provider again, another
// of its keys, then the next model of the call's chain. The final failure
// is an *Error carrying the provider's status and words. ctx should be
// the client's, so a client that leaves cancels the provider call.
//
// On success call.Model and call.Upstream name the model that answered,
// and the response carries ModelHeader.
func (r *Router) Send(ctx context.Context, call *Call) (*http.Response, *Error) {
	targets := append([]Target{{Model: call.Model}}, call.Fallbacks...)
	first := call.Upstream
	var tried []string
	var last *Error
	for i, t := range targets {
		if i > 0 {
			countFallback(ctx) // moving on to the chain's next model
		}
		body, path, e := r.bodyFor(call, t, first, i == 0)
		if e == nil {
			var resp *http.Response
			resp, e = r.sendTo(ctx, call, t, body, path, i == len(targets)-1)
			if e == nil {
				call.Model, call.Upstream = t.Model, body
				resp.Header.Set(ModelHeader, t.Model.Provider+"/"+t.Model.Upstream)
				return resp, nil
			}
		}
		tried = append(tried, t.Model.Provider+"/"+t.Model.Upstream)
		if last == nil || e.Code != "not_in_chain" {
			last = e
		}
		if ctx.Err() != nil {
			return nil, clientGone()
		}
		if !moveOn(e) {
			return nil, e
		}
	}
	if len(targets) > 1 {
		last.Message += " (tried " + strings.Join(tried, ", ") + ")"
	}
	return nil, last
}

// moveOn reports an error after which a chain tries its next model: the
// provider is down, slow, overloaded, rate limited or resting, or it
// cannot be called at all (no key, switched off, lacks the door's API).
// A refused key, an empty balance or a bad request (400/401/402/404)
// are the user's to see.
func moveOn(e *Error) bool {
	switch e.Code {
	case "missing_provider_key", "provider_disabled", "unsupported_by_provider", "not_in_chain", "provider_resting":
		return true
	}
	return fallsBack(e) && !outOfMoney(e)
}

// bodyFor returns the body and path for target t of call: the call's own
// for its first model, else rebuilt (Call.Rebuild) or spliced, and the
// path of the call's Kind at t's provider.
func (r *Router) bodyFor(call *Call, t Target, first []byte, isFirst bool) ([]byte, string, *Error) {
	if isFirst {
		return first, call.Path, nil
	}
	path := call.Path
	if call.Kind != "" {
		var ok bool
		if path, ok = t.Serves(call.Kind); !ok {
			return nil, "", &Error{Status: 404, Code: "not_in_chain", Provider: t.Model.Provider,
				Message: t.Model.Provider + " has no " + call.Kind + " API"}
		}
	}
	if call.Rebuild != nil {
		b, e := call.Rebuild(t)
		return b, path, e
	}
	out, err := ReplaceModel(first, t.Model.Upstream)
	if err != nil {
		return nil, "", InvalidRequest("", "could not rewrite the model field: "+err.Error())
	}
	return out, path, nil
}

// sendTo makes the call to one model's provider, retrying while that is
// safe and rotating over the provider's keys.
func (r *Router) sendTo(ctx context.Context, call *Call, t Target, body []byte, path string, lastInChain bool) (*http.Response, *Error) {
	provider := t.Model.Provider
	up, e := r.upstream(provider)
	if e != nil {
		return nil, e
	}
	if ok, until := r.Breaker.Allow(provider); !ok {
		return nil, resting(provider, until, r.now())
	}
	client := up.Client
	if client == nil {
		client = r.client()
	}
	base := up.BaseURL
	if call.Base != "" {
		if base = up.Bases[call.Base]; base == "" {
			r.Breaker.Release(provider)
			return nil, &Error{Status: 400, Type: "invalid_request_error", Code: "unsupported_by_provider", Provider: provider,
				Message: provider + " has no " + call.Base + "-compatible API"}
		}
	}
	if path == "" {
		path = "/chat/completions"
	}
	url := joinPath(base, path)
	keys := up.Keys
	if len(keys) == 0 {
		keys = []Key{{Label: "default", Value: up.Key}}
	}
	one := *call
	one.Model, one.Upstream = t.Model, body
	maxRetries := r.MaxRetries
	if maxRetries == 0 {
		maxRetries = 2
	}
	switches := 0
	for attempt := 0; ; {
		key := r.keys.pick(provider, keys, r.now())
		countAttempt(ctx)
		resp, e := r.attempt(ctx, client, url, key.Value, &one)
		if e == nil {
			r.keys.report(provider, key.Label, nil, nil, r.now(), 0, 0)
			r.Breaker.Success(provider)
			return resp, nil
		}
		var h http.Header
		if resp != nil {
			h = resp.Header
		}
		aboutKey := r.keys.report(provider, key.Label, e, h, r.now(), r.keyRest(), r.quotaRest())
		if aboutKey && switches < len(keys)-1 && r.keys.usable(provider, keys, key.Label, r.now()) > 0 && ctx.Err() == nil {
			switches++ // another key may fare better: no wait, no retry spent
			continue
		}
		// With a next model in the chain, that model is the retry.
		wait, retry := r.retryable(e, resp)
		if !retry || attempt >= maxRetries || ctx.Err() != nil || !lastInChain {
			r.judge(provider, e, ctx)
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
		attempt++
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			r.Breaker.Release(provider)
			return nil, clientGone()
		}
	}
}

// judge tells the breaker what a failed call says about its provider.
func (r *Router) judge(provider string, e *Error, ctx context.Context) {
	switch {
	case ctx.Err() != nil:
		r.Breaker.Release(provider)
	case providerFault(e):
		r.Breaker.Failure(provider)
	default:
		r.Breaker.Success(provider) // it answered: it is up
	}
}

// resting is the error for a provider the breaker skips.
func resting(provider string, until, now time.Time) *Error {
	secs := int(until.Sub(now).Seconds()) + 1
	h := http.Header{}
	h.Set("Retry-After", strconv.Itoa(secs))
	return &Error{Status: 503, Type: "server_error", Code: "provider_resting", Provider: provider, Header: h,
		Message: provider + " failed repeatedly and is resting until " + until.UTC().Format("15:04:05") + " UTC; ThinkCloud tries it again then"}
}

func (r *Router) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// SetKeyRest changes KeyRest while requests go on (settings applied at
// run time); zero means the default.
func (r *Router) SetKeyRest(d time.Duration) {
	r.keyRestSet.Store(true)
	r.keyRestNow.Store(int64(d))
}

func (r *Router) keyRest() time.Duration {
	d := r.KeyRest
	if r.keyRestSet.Load() {
		d = time.Duration(r.keyRestNow.Load())
	}
	if d == 0 {
		return 60 * time.Second
	}
	return d
}

func (r *Router) quotaRest() time.Duration {
	if r.QuotaRest == 0 {
		return time.Hour
	}
	return r.QuotaRest
}

// ProviderHealth returns what the breaker knows of providers that failed.
func (r *Router) ProviderHealth() []ProviderHealth { return r.Breaker.Health() }

// KeyHealth returns what the router learned about provider's keys of
// the given labels.
func (r *Router) KeyHealth(provider string, labels []string) []KeyHealth {
	return r.keys.health(provider, labels, r.now())
}
