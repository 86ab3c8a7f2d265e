package gateway

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
)

// Budget returns the body field that caps thinking at tokens, in the
// provider's spelling, or nothing when the provider or the model takes no
// budget. A budget above the model's largest (Thinking.BudgetMax) is
// lowered to it: a translating door's client asked for "this much at
// most", which the largest budget honours.
func (t Target) Budget(tokens int) map[string]any {
	if t.Dialect.Budget == "" || tokens <= 0 {
		return map[string]any{}
	}
	if th := t.Model.Think; th != nil {
		if th.BudgetMax <= 0 {
			return map[string]any{}
		}
		tokens = min(tokens, th.BudgetMax)
	}
	return map[string]any{t.Dialect.Budget: tokens}
}

// HasBase reports whether provider is reached at its API root of kind
// (BaseAnthropic) rather than through chat completions. It fails like
// Send would when the provider cannot be called at all (no key).
func (r *Router) HasBase(provider, kind string) (bool, *Error) {
	up, e := r.upstream(provider)
	if e != nil {
		return false, e
	}
	return up.Bases[kind] != "", nil
}

// SigningKey returns a secret for what the gateway gives a client to
// bring back unchanged (the signature of an Anthropic thinking block). It
// is derived from provider's API key, so it needs no storage, outlives a
// restart, and is unknown to anyone without the key.
func (r *Router) SigningKey(provider string) ([]byte, *Error) {
	up, e := r.upstream(provider)
	if e != nil {
		return nil, e
	}
	mac := hmac.New(sha256.New, []byte(up.Key))
	mac.Write([]byte("ThinkCloud signing key v1\x00" + provider))
	return mac.Sum(nil), nil
}

// upstream asks Upstream for provider, with its failure as an *Error.
func (r *Router) upstream(provider string) (Upstream, *Error) {
	up, err := r.Upstream(provider)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return Upstream{}, e
		}
		return Upstream{}, &Error{Status: 500, Message: err.Error(), Provider: provider}
	}
	return up, nil
}
