package gateway

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestRedirectsNeverFollowed: a provider's 3xx is a 502 naming where it
// pointed, after exactly one upstream request; nothing reaches the place
// it points at, neither the prompt nor the key.
func TestRedirectsNeverFollowed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		status int
		path   string // where Location points on the other server; "" means back at the provider: a loop
	}{
		{"307 to another port", 307, "/v1/chat/completions?key=secret"},
		{"308 to another port", 308, "/v1/chat/completions"},
		{"302 (would become a GET)", 302, "/answer"},
		{"301", 301, "/v1"},
		{"303", 303, "/v1"},
		{"a loop", 307, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var elsewhereHits, hits atomic.Int32
			elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				elsewhereHits.Add(1)
				io.WriteString(w, `{"choices":[{"message":{"content":"answer from the redirect target"}}]}`)
			}))
			defer elsewhere.Close()
			var up *httptest.Server
			up = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				loc := elsewhere.URL + tc.path
				if tc.path == "" {
					loc = up.URL + r.URL.Path
				}
				http.Redirect(w, r, loc, tc.status)
			}))
			defer up.Close()
			want := strings.TrimPrefix(elsewhere.URL, "http://")
			if tc.path == "" {
				want = strings.TrimPrefix(up.URL, "http://")
			}
			r := testRouter(t, up.URL, nil)
			r.Upstream = func(string) (Upstream, error) {
				return Upstream{BaseURL: up.URL, Key: "sk-provider-secret-0123456789"}, nil
			}
			resp, e := send(t, r, context.Background())
			if e == nil {
				resp.Body.Close()
				t.Fatalf("got %d; want the redirect refused", resp.StatusCode)
			}
			if e.HTTPStatus() != 502 || e.Code != "upstream_redirect" || !strings.Contains(e.Message, want) {
				t.Errorf("got %d %q %q; want 502 upstream_redirect naming %s", e.HTTPStatus(), e.Code, e.Message, want)
			}
			if strings.Contains(e.Message, "secret") || strings.Contains(e.Message, "/v1") {
				t.Errorf("message %q shows more of the Location than its host", e.Message)
			}
			if e.Header.Get("X-Should-Retry") != "false" {
				t.Errorf("got x-should-retry %q; want false (a redirect does not go away)", e.Header.Get("X-Should-Retry"))
			}
			if n := hits.Load(); n != 1 {
				t.Errorf("the provider got %d requests; want 1 (no retry, no hop)", n)
			}
			if n := elsewhereHits.Load(); n != 0 {
				t.Errorf("the redirect target got %d requests; want 0", n)
			}
		})
	}
}

// TestRedirectRefusedByAnyClientOverTheTransport: the refusal lives in
// the transport, so a client built anywhere over it (the model-list
// fetch, `keys test`) cannot follow one either.
func TestRedirectRefusedByAnyClientOverTheTransport(t *testing.T) {
	t.Parallel()
	var followed atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/models", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/elsewhere", 307) })
	mux.HandleFunc("/elsewhere", func(w http.ResponseWriter, r *http.Request) { followed.Add(1) })
	ts := httptest.NewServer(mux)
	defer ts.Close()
	client := &http.Client{Transport: NewTransport(TransportOptions{})}
	resp, err := client.Get(ts.URL + "/v1/models")
	if err == nil {
		resp.Body.Close()
		t.Fatalf("got %d; want an error", resp.StatusCode)
	}
	var re *RedirectError
	if !errorsAs(err, &re) || re.Status != 307 || followed.Load() != 0 {
		t.Fatalf("got %v (followed %d times); want a *RedirectError for the 307, not followed", err, followed.Load())
	}
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }
