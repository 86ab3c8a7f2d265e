package server

import (
	"net/http/httptest"
	"testing"
)

// TestGuardCrossSite: what a browser reveals about a request (Sec-Fetch-*
// headers, several Origins, a form's content type) is refused unless the
// page's origin is allowed, Origin alone being one header an old or odd
// client may leave out.
func TestGuardCrossSite(t *testing.T) {
	t.Parallel()
	allowed := Guard{AllowedOrigins: []string{"http://localhost:5173"}}
	for _, tc := range []struct {
		name         string
		guard        Guard
		method, path string
		header       [][2]string
		status       int
	}{
		{"two Origins, the first allowed", allowed, "GET", "/health", [][2]string{{"Origin", "http://localhost:5173"}, {"Origin", "https://evil.example"}}, 403},
		{"cross-site fetch without Origin", Guard{}, "GET", "/v1/models", [][2]string{{"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Mode", "no-cors"}}, 403},
		{"cross-site form post", Guard{}, "POST", "/v1/models/refresh", [][2]string{{"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Mode", "navigate"}}, 403},
		{"cross-site from an allowed origin", allowed, "GET", "/health", [][2]string{{"Origin", "http://localhost:5173"}, {"Sec-Fetch-Site", "cross-site"}}, 200},
		{"following a link to the docs", Guard{}, "GET", "/docs", [][2]string{{"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Mode", "navigate"}}, 200},
		{"same-origin", Guard{}, "GET", "/health", [][2]string{{"Sec-Fetch-Site", "same-origin"}}, 200},
		{"POST as a text/plain form", Guard{}, "POST", "/v1/models/refresh", [][2]string{{"Content-Type", "text/plain"}}, 415},
		{"POST as an urlencoded form", Guard{}, "POST", "/v1/models/refresh", [][2]string{{"Content-Type", "application/x-www-form-urlencoded"}}, 415},
		{"POST as multipart", Guard{}, "POST", "/v1/models/refresh", [][2]string{{"Content-Type", "multipart/form-data; boundary=x"}}, 415},
		{"POST as JSON", Guard{}, "POST", "/v1/models/refresh", [][2]string{{"Content-Type", "application/json; charset=utf-8"}}, 501},
		{"POST without a body type", Guard{}, "POST", "/v1/models/refresh", nil, 501},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(tc.method, "http://127.0.0.1:8000"+tc.path, nil)
			for _, h := range tc.header {
				req.Header.Add(h[0], h[1])
			}
			w := httptest.NewRecorder()
			guardHandler(t, tc.guard).ServeHTTP(w, req)
			if w.Code != tc.status {
				t.Fatalf("got %d %s; want %d", w.Code, w.Body, tc.status)
			}
			if tc.status >= 400 && tc.status != 501 && w.Header().Get("Content-Type") != "application/json" {
				t.Errorf("refusal is %q; want the JSON envelope", w.Header().Get("Content-Type"))
			}
		})
	}
}
