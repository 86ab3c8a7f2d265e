package gateway

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// noRetryCodes are 429 answers that mean "out of money", not "slow down":
// retrying them only spends the user's time.
var noRetryCodes = []string{"insufficient_quota", "exceeded_current_quota_error", "insufficient_balance", "billing"}

// retryable says whether a failed attempt may be repeated and how long the
// provider asked us to wait. resp carries the provider's headers, or is
// nil for transport errors.
func (r *Router) retryable(e *Error, resp *http.Response) (time.Duration, bool) {
	if resp == nil {
		return 0, e.Code == "upstream_unreachable"
	}
	switch resp.Header.Get("X-Should-Retry") {
	case "false":
		return 0, false
	case "true":
		return r.retryAfter(resp.Header)
	}
	switch e.Status {
	case 408, 500, 502, 503, 504:
	case 429:
		if outOfMoney(e) {
			return 0, false
		}
	default:
		return 0, false
	}
	return r.retryAfter(resp.Header)
}

// outOfMoney reports a 429 that means an empty balance or quota: waiting
// does not help, so nobody should retry it.
func outOfMoney(e *Error) bool {
	if e.Status != 429 {
		return false
	}
	text := strings.ToLower(e.Code + " " + e.Type + " " + e.Message)
	for _, c := range noRetryCodes {
		if strings.Contains(text, c) {
			return true
		}
	}
	return false
}

// retryAfter reads retry-after-ms or Retry-After (seconds or an HTTP
// date). A wait longer than MaxRetryWait is not worth holding the client
// for: the answer goes back with the header instead.
func (r *Router) retryAfter(h http.Header) (time.Duration, bool) {
	limit := r.MaxRetryWait
	if limit == 0 {
		limit = 10 * time.Second
	}
	var wait time.Duration
	if v := h.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			wait = time.Duration(ms * float64(time.Millisecond))
		}
	} else if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
			wait = time.Duration(s * float64(time.Second))
		} else if t, err := http.ParseTime(v); err == nil {
			wait = max(time.Until(t), 0)
		}
	}
	if wait > limit {
		return 0, false
	}
	return wait, true
}

// backoff is the exponential wait before retry number attempt+1, with
// "equal jitter" (half fixed, half random) so bursts of clients spread out.
func (r *Router) backoff(attempt int) time.Duration {
	base := r.Backoff
	if base == 0 {
		base = 300 * time.Millisecond
	}
	d := base << attempt
	return d/2 + rand.N(d/2+1)
}
