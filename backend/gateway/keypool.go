package gateway

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Key is one of a provider's API keys.
type Key struct {
	// Label tells the user's keys apart ("default", "work").
	Label string
	// Value is the secret.
	Value string
}

// Key states as KeyHealth.State reports them.
const (
	KeyOK      = "ok"
	KeyResting = "resting"
	KeyInvalid = "invalid"
)

// KeyHealth is what the router learned about one key from its answers.
type KeyHealth struct {
	// Label is the key's label.
	Label string `json:"label"`
	// State is KeyOK, KeyResting or KeyInvalid.
	State string `json:"state"`
	// Until is when a resting key is tried again; zero otherwise.
	Until time.Time `json:"until"`
	// Reason is the provider's words that put the key in its state.
	Reason string `json:"reason,omitempty"`
}

// keyPool rotates over a provider's keys round robin, resting keys that
// hit a rate limit or quota and setting aside keys the provider refused.
// The zero value is ready to use.
type keyPool struct {
	mu    sync.Mutex
	next  map[string]int       // provider -> round-robin position
	state map[string]*keyState // provider + "\x00" + label
}

type keyState struct {
	until   time.Time
	invalid bool
	reason  string
}

// pick returns the key to use next: the next usable one in round-robin
// order; when every key rests, the one whose rest ends first; when every
// key was refused, the next one anyway (the provider's 401 then reaches
// the user, who may have fixed the key meanwhile).
func (p *keyPool) pick(provider string, keys []Key, now time.Time) Key {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.next == nil {
		p.next = map[string]int{}
	}
	start := p.next[provider]
	p.next[provider] = start + 1
	var soonest *Key
	var soonestAt time.Time
	for i := range keys {
		k := keys[(start+i)%len(keys)]
		s := p.state[provider+"\x00"+k.Label]
		switch {
		case s == nil || (!s.invalid && !now.Before(s.until)):
			return k
		case !s.invalid && (soonest == nil || s.until.Before(soonestAt)):
			soonest, soonestAt = &k, s.until
		}
	}
	if soonest != nil {
		return *soonest
	}
	return keys[start%len(keys)]
}

// usable counts keys that are neither resting nor refused, besides skip.
func (p *keyPool) usable(provider string, keys []Key, skip string, now time.Time) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, k := range keys {
		s := p.state[provider+"\x00"+k.Label]
		if k.Label != skip && (s == nil || (!s.invalid && !now.Before(s.until))) {
			n++
		}
	}
	return n
}

// report records what the provider said to key: a success clears its
// state; a refusal marks it invalid; a rate limit or an empty quota rests
// it. It reports whether the answer was about the key, so that another
// key may be tried at once.
func (p *keyPool) report(provider, label string, e *Error, h http.Header, now time.Time, rest, quotaRest time.Duration) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	id := provider + "\x00" + label
	if e == nil {
		delete(p.state, id)
		return false
	}
	var s keyState
	switch {
	case e.Kind() == KindInvalidKey && e.Code != "missing_provider_key":
		s = keyState{invalid: true, reason: e.Message}
	case e.Kind() == KindInsufficientBalance:
		s = keyState{until: now.Add(quotaRest), reason: e.Message}
	case e.Kind() == KindRateLimited:
		s = keyState{until: now.Add(max(rest, retryAfterOf(h))), reason: e.Message}
	default:
		return false
	}
	if p.state == nil {
		p.state = map[string]*keyState{}
	}
	p.state[id] = &s
	return true
}

// health returns the state of each of keys.
func (p *keyPool) health(provider string, labels []string, now time.Time) []KeyHealth {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]KeyHealth, 0, len(labels))
	for _, l := range labels {
		h := KeyHealth{Label: l, State: KeyOK}
		if s := p.state[provider+"\x00"+l]; s != nil {
			switch {
			case s.invalid:
				h.State, h.Reason = KeyInvalid, s.reason
			case now.Before(s.until):
				h.State, h.Until, h.Reason = KeyResting, s.until, s.reason
			}
		}
		out = append(out, h)
	}
	return out
}

// retryAfterOf reads a provider's Retry-After (seconds) or
// retry-after-ms, unclamped; zero when absent.
func retryAfterOf(h http.Header) time.Duration {
	if h == nil {
		return 0
	}
	if ms, err := strconv.ParseFloat(h.Get("Retry-After-Ms"), 64); err == nil && ms > 0 {
		return time.Duration(ms * float64(time.Millisecond))
	}
	if s, err := strconv.ParseFloat(h.Get("Retry-After"), 64); err == nil && s > 0 {
		return time.Duration(s * float64(time.Second))
	}
	return 0
}
