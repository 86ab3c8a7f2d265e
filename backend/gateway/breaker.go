package gateway

import (
	"sync"
	"time"
)

// Breaker skips a provider that keeps failing for a cooling-off period,
// so a chain moves on at once instead of waiting on a dead provider for
// every request. It is the classic three-state circuit breaker: closed
// (calls go through), open after Threshold failures in a row (calls are
// skipped until the cool-off ends), half-open after that (one trial call
// goes through; its success closes the circuit, its failure opens it
// again). Failures are what a provider, not a key or a request, does
// wrong: unreachable, timed out, 5xx. The zero value is ready to use.
type Breaker struct {
	// Threshold is how many failures in a row open the circuit; zero
	// means 5, negative turns the breaker off.
	Threshold int
	// Cooldown is how long an open circuit rests; zero means 60s.
	Cooldown time.Duration
	// Now is the clock; nil means time.Now. Tests inject a fake one.
	Now func() time.Time

	mu    sync.Mutex
	state map[string]*circuit
}

type circuit struct {
	failures int       // in a row
	until    time.Time // open until; zero when closed
	trial    bool      // a half-open trial call is out
}

// Circuit states as ProviderHealth.State reports them.
const (
	CircuitClosed   = "closed"
	CircuitOpen     = "open"
	CircuitHalfOpen = "half-open"
)

// ProviderHealth is what the breaker knows of one provider.
type ProviderHealth struct {
	// Provider is the provider id.
	Provider string `json:"provider"`
	// State is CircuitClosed, CircuitOpen or CircuitHalfOpen.
	State string `json:"state"`
	// Failures counts failures in a row.
	Failures int `json:"failures"`
	// Until is when an open circuit lets a trial call through; zero
	// when closed.
	Until time.Time `json:"until"`
}

func (b *Breaker) now() time.Time {
	if b.Now != nil {
		return b.Now()
	}
	return time.Now()
}

// Tune changes the threshold and cool-off while calls go on (settings
// applied at run time); zero values mean the defaults, as on the fields.
func (b *Breaker) Tune(threshold int, cooldown time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.Threshold, b.Cooldown = threshold, cooldown
}

// threshold and cooldown read the fields; callers hold b.mu.
func (b *Breaker) threshold() int {
	if b.Threshold == 0 {
		return 5
	}
	return b.Threshold
}

func (b *Breaker) cooldown() time.Duration {
	if b.Cooldown == 0 {
		return 60 * time.Second
	}
	return b.Cooldown
}

// Allow reports whether a call to provider may go out now, and when not,
// until when the provider rests. In the half-open state it lets exactly
// one trial call through until that call reports back.
func (b *Breaker) Allow(provider string) (bool, time.Time) {
	if b == nil {
		return true, time.Time{}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.threshold() < 0 {
		return true, time.Time{}
	}
	c := b.state[provider]
	if c == nil || c.until.IsZero() {
		return true, time.Time{}
	}
	if b.now().Before(c.until) {
		return false, c.until
	}
	if c.trial {
		return false, c.until
	}
	c.trial = true
	return true, time.Time{}
}

// Success closes provider's circuit.
func (b *Breaker) Success(provider string) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.state, provider)
}

// Failure counts a failure of provider and opens its circuit at the
// threshold, or again after a failed trial.
func (b *Breaker) Failure(provider string) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.threshold() < 0 {
		return
	}
	if b.state == nil {
		b.state = map[string]*circuit{}
	}
	c := b.state[provider]
	if c == nil {
		c = &circuit{}
		b.state[provider] = c
	}
	c.failures++
	if c.trial || c.failures >= b.threshold() {
		c.until = b.now().Add(b.cooldown())
		c.trial = false
	}
}

// Release gives back a half-open trial whose call ended without saying
// anything about the provider (the client left, or the request was at
// fault), so the next call may try.
func (b *Breaker) Release(provider string) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if c := b.state[provider]; c != nil {
		c.trial = false
	}
}

// Health returns every provider the breaker has seen fail, in no order.
func (b *Breaker) Health() []ProviderHealth {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	var out []ProviderHealth
	for p, c := range b.state {
		h := ProviderHealth{Provider: p, State: CircuitClosed, Failures: c.failures}
		switch {
		case c.until.IsZero():
		case now.Before(c.until):
			h.State, h.Until = CircuitOpen, c.until
		default:
			h.State = CircuitHalfOpen
		}
		out = append(out, h)
	}
	return out
}

// providerFault reports an error that speaks of the provider's health,
// not of the key or the request: the breaker counts these.
func providerFault(e *Error) bool {
	if e.Code == "provider_resting" {
		return false
	}
	return e.Status == 502 || e.Status == 504 || e.Status == 500 || e.Status == 503 || (e.Status > 504 && e.Status < 600)
}

// fallsBack reports an error after which a chain moves on to its next
// model: the provider is down, slow, overloaded or out of capacity. 400,
// 401, 402, 404 and the like are the user's to see.
func fallsBack(e *Error) bool {
	return e.Status == 429 || e.Status == 408 || e.Status >= 500 && e.Status != 501 || e.Code == "provider_resting"
}
