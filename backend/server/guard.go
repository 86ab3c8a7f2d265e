package server

import (
	"crypto/subtle"
	"math"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"thinkcloud/backend/config"
	"thinkcloud/backend/gateway"
	"thinkcloud/backend/tokens"
)

// Guard holds the endpoint's access rules. The zero value is the safe
// default for a loopback listener: loopback Host names only, no browser
// origins, any bearer token, no rate limit.
type Guard struct {
	// RequireToken makes every request present Token, or one of the
	// named tokens (Options.Tokens), as a bearer token.
	RequireToken bool
	// Token returns the local access token; nil or "" means none is set.
	Token func() string
	// AllowedOrigins lists browser origins ("http://localhost:5173") that
	// may call the endpoint, with CORS. Any other Origin gets 403.
	AllowedOrigins []string
	// AllowedHosts lists extra Host names accepted besides loopback ones.
	AllowedHosts []string
	// AnyHost accepts every Host header. Only for listeners beyond
	// loopback, where a token is mandatory and so DNS rebinding gains an
	// attacker nothing.
	AnyHost bool
	// RateLimitPerMinute caps requests per client: the holder of the
	// access token when one is required, else the client address. Zero
	// means no limit.
	RateLimitPerMinute int
}

// guard applies the rules in order: Host (DNS rebinding), what browser
// pages on other sites send (crossSite, then Origin), token, rate limit. It writes the refusal and returns false.
func (h *Handler) guard(w http.ResponseWriter, r *http.Request) bool {
	g := h.opts.Guard
	if !g.AnyHost && !ValidHost(r.Host, g.AllowedHosts) {
		writeError(w, &gateway.Error{Status: 403, Type: "permission_error", Code: "host_not_allowed",
			Message: "Host " + strconv.Quote(r.Host) + " is not allowed: the endpoint answers loopback names only (add the host in Settings → Local endpoint → Allowed hosts)"})
		return false
	}
	if e := crossSite(r, g.AllowedOrigins); e != nil {
		writeError(w, e)
		return false
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		if !slices.Contains(g.AllowedOrigins, origin) {
			writeError(w, &gateway.Error{Status: 403, Type: "permission_error", Code: "origin_not_allowed",
				Message: "Origin " + strconv.Quote(origin) + " is not allowed: web pages may call the endpoint only when their origin is in Settings → Local endpoint → Allowed origins"})
			return false
		}
		w.Header().Set("Access-Control-Allow-Origin", origin)
		w.Header().Add("Vary", "Origin")
		w.Header().Set("Access-Control-Expose-Headers", "X-Request-ID, Retry-After, Retry-After-Ms")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			w.Header().Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			w.Header().Set("Access-Control-Allow-Headers", allowHeaders(r.Header.Get("Access-Control-Request-Headers")))
			w.Header().Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return false
		}
	}
	rec, _ := w.(*recorder)
	named := h.namedToken(r)
	if rec != nil {
		rec.token = named
	}
	if g.RequireToken && named == nil && !validToken(authorization(r), g.Token) {
		writeError(w, &gateway.Error{Status: 401, Type: "invalid_request_error", Code: "invalid_api_key",
			Message: "This endpoint requires the ThinkCloud access token as the API key (Authorization: Bearer <token>, or x-api-key: <token> for Anthropic clients); find it in Settings → Local endpoint"})
		return false
	}
	if h.limiter != nil {
		key := clientKey(r, g.RequireToken)
		if named != nil {
			key = "token:" + named.ID
		}
		if wait, ok := h.limiter.allow(key); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			writeError(w, &gateway.Error{Status: 429, Type: "rate_limit_error", Code: "rate_limit_exceeded",
				Message: "Rate limit of " + strconv.Itoa(g.RateLimitPerMinute) + " requests per minute reached; retry after " + wait.Round(time.Second).String()})
			return false
		}
	}
	if named != nil && rec != nil && rec.door != "" {
		if no := h.opts.Meter.Admit(*named); no != nil {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(no.RetryAfter.Seconds()))))
			if no.Code == "budget_exceeded" {
				// Retrying soon cannot help; the SDKs would try anyway.
				w.Header().Set("X-Should-Retry", "false")
			}
			writeError(w, &gateway.Error{Status: 429, Type: "rate_limit_error", Code: no.Code, Message: no.Message})
			return false
		}
	}
	return true
}

// namedToken returns the named access token the request carries (as a
// bearer token or x-api-key), or nil.
func (h *Handler) namedToken(r *http.Request) *config.AccessToken {
	if h.opts.Tokens == nil {
		return nil
	}
	secret, ok := strings.CutPrefix(authorization(r), "Bearer ")
	if !ok {
		return nil
	}
	t, found := tokens.Find(h.opts.Tokens(), strings.TrimSpace(secret))
	if !found {
		return nil
	}
	return &t
}

// ValidHost reports whether a Host header names this machine: "localhost",
// a "*.localhost" name, a loopback IP, or a name in allowed. A page on
// evil.example that rebinds its DNS to 127.0.0.1 still sends its own name.
func ValidHost(hostport string, allowed []string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return true
	}
	for _, a := range allowed {
		if strings.EqualFold(a, host) || strings.EqualFold(a, hostport) {
			return true
		}
	}
	return false
}

// validToken compares in constant time so timing reveals nothing.
func validToken(header string, token func() string) bool {
	if token == nil {
		return false
	}
	want := token()
	got, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || want == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(want)) == 1
}

// authorization is the request's Authorization header, or its x-api-key
// (how Anthropic SDKs send a key) as a bearer token: the same token works
// in either place.
func authorization(r *http.Request) string {
	if a := r.Header.Get("Authorization"); a != "" {
		return a
	}
	if k := r.Header.Get("X-Api-Key"); k != "" {
		return "Bearer " + k
	}
	return ""
}

func allowHeaders(requested string) string {
	if requested == "" {
		return "Authorization, Content-Type"
	}
	return requested
}

// clientKey identifies a client for rate limiting by what it cannot
// change at will: the access token it proved to hold when one is
// required, else its address (an IPv6 /64 counting as one). Keyed on the
// raw Authorization header, as it once was, a client escaped its limit
// with a new header per request, and 300 one-megabyte headers held half a
// gigabyte of keys.
func clientKey(r *http.Request, tokenChecked bool) string {
	if tokenChecked {
		return "access-token"
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if ip := net.ParseIP(host); err == nil && ip != nil {
		return clientNet(ip)
	}
	return r.RemoteAddr
}

// rateLimiter is a token bucket per client: n requests per window, refilled
// continuously.
type rateLimiter struct {
	mu      sync.Mutex
	rate    float64 // tokens per second
	burst   float64
	buckets map[string]*bucket
	sweep   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxBuckets bounds the limiter's table: a client that cycles through
// addresses costs a bucket each, never unbounded memory.
const maxBuckets = 4096

// makeRoom frees a slot in a full table. A bucket idle long enough to
// have refilled is no different from a new one, so those go first, at no
// cost to anyone; failing that, the one seen least recently goes. Only a
// full table pays for the scan.
func (l *rateLimiter) makeRoom(now time.Time) {
	refill := time.Duration(l.burst / l.rate * float64(time.Second))
	var oldest string
	var at time.Time
	for k, b := range l.buckets {
		if now.Sub(b.last) >= refill {
			delete(l.buckets, k)
			continue
		}
		if oldest == "" || b.last.Before(at) {
			oldest, at = k, b.last
		}
	}
	if len(l.buckets) >= maxBuckets {
		delete(l.buckets, oldest)
	}
}

func newRateLimiter(n int, window time.Duration) *rateLimiter {
	return &rateLimiter{rate: float64(n) / window.Seconds(), burst: float64(n), buckets: map[string]*bucket{}}
}

func (l *rateLimiter) allow(key string) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if now.Sub(l.sweep) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.last) > 10*time.Minute {
				delete(l.buckets, k)
			}
		}
		l.sweep = now
	}
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.makeRoom(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens < 1 {
		return time.Duration((1 - b.tokens) / l.rate * float64(time.Second)), false
	}
	b.tokens--
	return 0, true
}
