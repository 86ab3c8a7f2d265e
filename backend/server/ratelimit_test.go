package server

import (
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// TestRateLimitKeyedOnIdentity: a client cannot escape its limit by
// changing the Authorization header; the limit follows its address (or,
// when a token is required, the token it proved to hold).
func TestRateLimitKeyedOnIdentity(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		guard Guard
		auth  func(i int) string
		addr  func(i int) string
		want  []int
	}{
		{"any token: one address, a new header each time", Guard{RateLimitPerMinute: 3},
			func(i int) string { return "Bearer sk-" + strconv.Itoa(i) },
			func(int) string { return "127.0.0.1:5000" }, []int{200, 200, 200, 429, 429}},
		{"any token: another address is another client", Guard{RateLimitPerMinute: 1},
			func(int) string { return "Bearer same" },
			func(i int) string { return "127.0.0." + strconv.Itoa(i+1) + ":5000" }, []int{200, 200, 200, 200, 200}},
		{"token required: the token holder is one client", Guard{RateLimitPerMinute: 2, RequireToken: true, Token: func() string { return "tc-ok" }},
			func(int) string { return "Bearer tc-ok" },
			func(i int) string { return "192.0.2." + strconv.Itoa(i+1) + ":5000" }, []int{200, 200, 429, 429, 429}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := guardHandler(t, tc.guard)
			var got []int
			for i := range tc.want {
				req := httptest.NewRequest("GET", "http://localhost:8000/health", nil)
				req.Header.Set("Authorization", tc.auth(i))
				req.RemoteAddr = tc.addr(i)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				got = append(got, w.Code)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v; want %v", got, tc.want)
				}
			}
		})
	}
}

// TestRateLimiterTableBounded: however many clients there are, the
// limiter keeps a bounded number of buckets, dropping the least recently
// seen first.
func TestRateLimiterTableBounded(t *testing.T) {
	t.Parallel()
	l := newRateLimiter(10, time.Minute)
	const clients = maxBuckets + 100
	for i := range clients {
		l.allow("client-" + strconv.Itoa(i))
	}
	if n := len(l.buckets); n > maxBuckets {
		t.Fatalf("%d buckets after %d clients; want at most %d", n, clients, maxBuckets)
	}
	last := "client-" + strconv.Itoa(clients-1)
	if _, ok := l.buckets[last]; !ok {
		t.Errorf("the most recent client's bucket was dropped")
	}
}
