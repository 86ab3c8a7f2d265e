package server_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestProviderRedirectIsA502 drives the door end to end: a provider that
// answers 307 gets a 502 naming the Location host, for streaming and
// non-streaming requests alike, and the place it points at hears nothing.
func TestProviderRedirectIsA502(t *testing.T) {
	t.Parallel()
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	defer other.Close()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer up.Close()
	s := newStack(t, map[string]string{"OPENAI_API_KEY": "sk-openai-secret-key-123456", "OPENAI_BASE_URL": up.URL + "/v1"}, "deepseek")
	for _, extra := range []string{"", `,"stream":true`} {
		resp, body := s.do(t, "POST", "/v1/chat/completions", chatBody("gpt-6-luna", "hi", extra))
		msg, _, code, _ := errorOf(t, body)
		if resp.StatusCode != 502 || code != "upstream_redirect" || !strings.Contains(msg, strings.TrimPrefix(other.URL, "http://")) {
			t.Errorf("stream=%v: got %d %s; want 502 upstream_redirect naming the Location host", extra != "", resp.StatusCode, body)
		}
		if resp.Header.Get("X-Should-Retry") != "false" {
			t.Errorf("stream=%v: got x-should-retry %q; want false", extra != "", resp.Header.Get("X-Should-Retry"))
		}
		if strings.Contains(string(body), "sk-openai") {
			t.Errorf("the key reached the client: %s", body)
		}
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the redirect target got %d requests; want 0", n)
	}
}
