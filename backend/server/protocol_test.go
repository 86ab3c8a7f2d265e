package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestProtocolErrorsInEnvelope: the answers net/http's mux makes on its
// own (a 307 to the cleaned path, with an HTML body or none) come in the
// OpenAI error envelope like every other error, keeping their status and
// Location.
func TestProtocolErrorsInEnvelope(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "deepseek")
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range []struct {
		method, path, location string
	}{
		{"GET", "//health", "/health"},
		{"GET", "/v1/models/../models", "/v1/models"},
		{"POST", "/v1//chat/completions", "/v1/chat/completions"},
	} {
		req, _ := http.NewRequest(tc.method, s.url+tc.path, strings.NewReader(chatBody("deepseek-flash", "hi", "")))
		req.Header.Set("Content-Type", "application/json")
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 307 || resp.Header.Get("Location") != tc.location {
			t.Errorf("%s %s: got %d Location %q; want 307 to %s", tc.method, tc.path, resp.StatusCode, resp.Header.Get("Location"), tc.location)
		}
		if resp.Header.Get("Content-Type") != "application/json" || !strings.HasPrefix(string(body), `{"error":`) {
			t.Errorf("%s %s: got %q %q; want the JSON error envelope", tc.method, tc.path, resp.Header.Get("Content-Type"), body)
			continue
		}
		if msg, _, code, _ := errorOf(t, body); code != "path_not_canonical" || !strings.Contains(msg, tc.location) {
			t.Errorf("%s %s: got %q %q; want path_not_canonical naming %s", tc.method, tc.path, code, msg, tc.location)
		}
	}
}
