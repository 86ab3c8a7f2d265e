package core_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestProviderTimeoutFromSettings: how long to wait for a provider to
// start answering is a setting; a provider that sends no headers within
// it is a 504, not a five-minute wait.
func TestProviderTimeoutFromSettings(t *testing.T) {
	t.Parallel()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		<-r.Context().Done() // never answers
	}))
	defer up.Close()
	c := newCore(t, map[string]string{"DEEPSEEK_API_KEY": "k", "DEEPSEEK_BASE_URL": up.URL + "/v1"},
		`{"version":1,"providerTimeoutSeconds":1}`)
	h, err := c.Handler()
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	client := &http.Client{Timeout: 30 * time.Second} // liveness bound, not the behaviour under test
	resp, err := client.Post(ts.URL+"/v1/chat/completions", "application/json",
		strings.NewReader(`{"model":"deepseek-flash","messages":[{"role":"user","content":"hi"}]}`))
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 504 || !strings.Contains(string(body), "upstream_timeout") {
		t.Fatalf("got %d %s; want 504 upstream_timeout", resp.StatusCode, body)
	}
}
