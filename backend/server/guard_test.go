package server

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/gateway"
)

func TestValidHost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		host    string
		allowed []string
		want    bool
	}{
		{"localhost", nil, true},
		{"localhost:8000", nil, true},
		{"LOCALHOST:8000", nil, true},
		{"127.0.0.1:8000", nil, true},
		{"127.1.2.3", nil, true},
		{"[::1]:8000", nil, true},
		{"app.localhost:8000", nil, true},
		{"localhost.:8000", nil, true},
		{"evil.com", nil, false},
		{"evil.com:8000", nil, false},
		{"localhost.evil.com", nil, false},
		{"127.0.0.1.nip.io", nil, false},
		{"192.168.1.5:8000", nil, false},
		{"", nil, false},
		{"mybox.lan:8000", []string{"mybox.lan"}, true},
		{"mybox.lan:8000", []string{"other.lan"}, false},
	} {
		if got := ValidHost(tc.host, tc.allowed); got != tc.want {
			t.Errorf("ValidHost(%q, %v) = %v; want %v", tc.host, tc.allowed, got, tc.want)
		}
	}
}

func guardHandler(t *testing.T, g Guard) http.Handler {
	t.Helper()
	cat, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return New(Options{Catalog: cat, Router: &gateway.Router{Catalog: cat}, Guard: g})
}

func TestGuard(t *testing.T) {
	t.Parallel()
	token := func() string { return "tc-secret" }
	for _, tc := range []struct {
		name   string
		guard  Guard
		method string
		header map[string]string
		status int
		cors   string // expected Access-Control-Allow-Origin
	}{
		{"loopback ok", Guard{}, "GET", nil, 200, ""},
		{"rebinding host", Guard{}, "GET", map[string]string{"Host": "attacker.example"}, 403, ""},
		{"any host when bound wide", Guard{AnyHost: true, RequireToken: true, Token: token}, "GET", map[string]string{"Host": "192.168.1.5:8000", "Authorization": "Bearer tc-secret"}, 200, ""},
		{"browser origin refused", Guard{}, "GET", map[string]string{"Origin": "https://evil.example"}, 403, ""},
		{"null origin refused", Guard{}, "GET", map[string]string{"Origin": "null"}, 403, ""},
		{"allowed origin", Guard{AllowedOrigins: []string{"http://localhost:5173"}}, "GET", map[string]string{"Origin": "http://localhost:5173"}, 200, "http://localhost:5173"},
		{"preflight", Guard{AllowedOrigins: []string{"http://localhost:5173"}}, "OPTIONS", map[string]string{"Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type"}, 204, "http://localhost:5173"},
		{"any token on loopback", Guard{}, "GET", map[string]string{"Authorization": "Bearer sk-whatever"}, 200, ""},
		{"token required, missing", Guard{RequireToken: true, Token: token}, "GET", nil, 401, ""},
		{"token required, wrong", Guard{RequireToken: true, Token: token}, "GET", map[string]string{"Authorization": "Bearer tc-secreT"}, 401, ""},
		{"token required, right", Guard{RequireToken: true, Token: token}, "GET", map[string]string{"Authorization": "Bearer tc-secret"}, 200, ""},
		{"token required, none set", Guard{RequireToken: true, Token: func() string { return "" }}, "GET", map[string]string{"Authorization": "Bearer "}, 401, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(tc.method, "http://127.0.0.1:8000/health", nil)
			for k, v := range tc.header {
				if k == "Host" {
					req.Host = v
				} else {
					req.Header.Set(k, v)
				}
			}
			w := httptest.NewRecorder()
			guardHandler(t, tc.guard).ServeHTTP(w, req)
			if w.Code != tc.status {
				t.Fatalf("got %d %s; want %d", w.Code, w.Body, tc.status)
			}
			if got := w.Header().Get("Access-Control-Allow-Origin"); got != tc.cors {
				t.Errorf("got Access-Control-Allow-Origin %q; want %q", got, tc.cors)
			}
			if tc.status == 204 && w.Header().Get("Access-Control-Allow-Methods") == "" {
				t.Error("preflight without Access-Control-Allow-Methods")
			}
		})
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	h := guardHandler(t, Guard{RateLimitPerMinute: 3})
	codes := []int{}
	for i := 0; i < 5; i++ {
		req := httptest.NewRequest("GET", "http://localhost:8000/health", nil)
		req.Header.Set("Authorization", "Bearer client-a")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		codes = append(codes, w.Code)
		if w.Code == 429 && w.Header().Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
	}
	if codes[2] != 200 || codes[3] != 429 || codes[4] != 429 {
		t.Fatalf("got %v; want 3 x 200 then 429s", codes)
	}
	req := httptest.NewRequest("GET", "http://localhost:8000/health", nil)
	req.RemoteAddr = "192.0.2.2:1234" // another machine; a new header alone is not another client
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 200 {
		t.Fatalf("another client: got %d; want 200 (limits are per client)", w.Code)
	}
}
