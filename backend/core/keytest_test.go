package core_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"thinkcloud/backend/core"
	"thinkcloud/backend/gateway"
)

// A key test says what went wrong in gateway's Kind words, the way a
// chat error does, so the window can word it in its own language.
func TestKeyTestKinds(t *testing.T) {
	t.Parallel()
	answer := func(status int, body string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			w.Write([]byte(body))
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	t.Cleanup(hang.Close)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	for _, tc := range []struct {
		name, url, key, want string
		timeout              time.Duration
	}{
		{"accepted", answer(200, `{"object":"list","data":[{"id":"deepseek-flash","object":"model"}]}`), "sk-1", "", 0},
		{"rejected", answer(401, `{"error":{"message":"Authentication Fails"}}`), "sk-1", gateway.KindInvalidKey, 0},
		{"no money", answer(402, `{"error":{"message":"Insufficient Balance"}}`), "sk-1", gateway.KindInsufficientBalance, 0},
		{"rate limited", answer(429, `{"error":{"message":"slow down"}}`), "sk-1", gateway.KindRateLimited, 0},
		{"provider down", answer(503, `upstream overloaded`), "sk-1", gateway.KindProviderError, 0},
		{"nobody listening", closed, "sk-1", gateway.KindUnreachable, 0},
		{"no answer", hang.URL, "sk-1", gateway.KindTimeout, 200 * time.Millisecond},
		{"no key", answer(200, `{}`), "", gateway.KindNoKey, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newCore(t, map[string]string{"DEEPSEEK_API_KEY": tc.key, "DEEPSEEK_BASE_URL": tc.url}, "")
			ctx := context.Background()
			if tc.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.timeout)
				defer cancel()
			}
			kt := c.TestKey(ctx, "deepseek")
			if got := kt.Kind(); got != tc.want {
				t.Errorf("kind %q; want %q (err: %v)", got, tc.want, kt.Err)
			}
			if (kt.Err == nil) != (tc.want == "") {
				t.Errorf("err %v with kind %q", kt.Err, tc.want)
			}
		})
	}
}

// A model-list refresh that fails says what went wrong the same way.
func TestRefreshFailureKind(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(401)
		w.Write([]byte(`{"error":{"message":"Authentication Fails"}}`))
	}))
	t.Cleanup(srv.Close)
	c := newCore(t, map[string]string{"DEEPSEEK_API_KEY": "sk-1", "DEEPSEEK_BASE_URL": srv.URL}, "")
	var got []core.ModelEvent
	var mu sync.Mutex
	c.RefreshModels(context.Background(), func(ev core.ModelEvent) {
		mu.Lock()
		defer mu.Unlock()
		if ev.Provider == "deepseek" {
			got = append(got, ev)
		}
	})
	if len(got) != 2 || got[1].Kind != core.ModelsError || got[1].ErrorKind != gateway.KindInvalidKey || !strings.Contains(got[1].Error, "Authentication Fails") {
		t.Fatalf("deepseek events %+v; want refreshing, then an error of kind %s", got, gateway.KindInvalidKey)
	}
}
