package gateway

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"thinkcloud/backend/catalog"
)

// testRouter routes every model to one upstream URL.
func testRouter(t *testing.T, url string, client *http.Client) *Router {
	t.Helper()
	cat, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return &Router{
		Catalog: cat,
		Backoff: time.Millisecond,
		Upstream: func(string) (Upstream, error) {
			return Upstream{BaseURL: url, Key: "k", Client: client}, nil
		},
	}
}

const okBody = `{"model":"deepseek-flash","messages":[{"role":"user","content":"hi"}]}`

func send(t *testing.T, r *Router, ctx context.Context) (*http.Response, *Error) {
	t.Helper()
	call, e := r.Prepare([]byte(okBody))
	if e != nil {
		t.Fatal(e)
	}
	return r.Send(ctx, call)
}

func TestRouterRetries(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		status      []int // per attempt; the last repeats
		header      http.Header
		body        string
		wantStatus  int // 200 for success
		wantCalls   int32
		wantNoRetry bool // x-should-retry: false on the final error
	}{
		{"success", []int{200}, nil, "", 200, 1, false},
		{"429 twice then ok", []int{429, 429, 200}, nil, `{"error":{"message":"slow down","code":"rate_limit_exceeded"}}`, 200, 3, false},
		{"500 once then ok", []int{500, 200}, nil, "", 200, 2, false},
		{"503 always", []int{503}, nil, "", 503, 3, true},
		{"408 always", []int{408}, nil, "", 408, 3, true},
		{"400 never retried", []int{400}, nil, `{"error":{"message":"bad"}}`, 400, 1, false},
		{"401 never retried", []int{401}, nil, "", 401, 1, false},
		{"402 never retried", []int{402}, nil, `{"error":{"message":"Insufficient Balance"}}`, 402, 1, false},
		{"openai insufficient_quota", []int{429}, nil, `{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}`, 429, 1, true},
		{"kimi exceeded_current_quota_error", []int{429}, nil, `{"error":{"message":"suspended","type":"exceeded_current_quota_error"}}`, 429, 1, true},
		{"x-should-retry false", []int{500}, http.Header{"X-Should-Retry": {"false"}}, "", 500, 1, false},
		{"retry-after too long", []int{429}, http.Header{"Retry-After": {"3600"}}, "", 429, 1, false},
		{"retry-after-ms honoured", []int{429, 200}, http.Header{"Retry-After-Ms": {"30"}}, "", 200, 2, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := int(calls.Add(1))
				st := tc.status[min(n, len(tc.status))-1]
				for k, v := range tc.header {
					w.Header()[k] = v
				}
				w.WriteHeader(st)
				if st == 200 {
					io.WriteString(w, `{"choices":[]}`)
				} else {
					io.WriteString(w, tc.body)
				}
			}))
			defer ts.Close()
			start := time.Now()
			resp, e := send(t, testRouter(t, ts.URL, nil), context.Background())
			if tc.wantStatus == 200 {
				if e != nil {
					t.Fatalf("got error %v; want success", e)
				}
				resp.Body.Close()
			} else if e == nil || e.HTTPStatus() != tc.wantStatus {
				t.Fatalf("got %v; want status %d", e, tc.wantStatus)
			}
			if got := calls.Load(); got != tc.wantCalls {
				t.Errorf("got %d upstream calls; want %d", got, tc.wantCalls)
			}
			if e != nil && (e.Header.Get("X-Should-Retry") == "false") != tc.wantNoRetry {
				t.Errorf("got x-should-retry %q; want false=%v", e.Header.Get("X-Should-Retry"), tc.wantNoRetry)
			}
			if tc.name == "retry-after-ms honoured" && time.Since(start) < 30*time.Millisecond {
				t.Errorf("retried after %v; want at least 30ms", time.Since(start))
			}
		})
	}
}

func TestRouterKeepsProviderWords(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		io.WriteString(w, `{"code":"InvalidParameter","message":"Range of input length should be [1, 30720]","request_id":"x"}`)
	}))
	defer ts.Close()
	_, e := send(t, testRouter(t, ts.URL, nil), context.Background())
	if e == nil || e.Code != "InvalidParameter" || e.Message != "deepseek: Range of input length should be [1, 30720]" {
		t.Fatalf("got %+v; want DashScope-style code and message kept", e)
	}
}

func TestRouterDeadUpstream(t *testing.T) {
	t.Parallel()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close() // nothing listens here now
	_, e := send(t, testRouter(t, "http://"+addr, nil), context.Background())
	if e == nil || e.HTTPStatus() != 502 || e.Code != "upstream_unreachable" {
		t.Fatalf("got %+v; want 502 upstream_unreachable", e)
	}
}

func TestRouterTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var calls atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer ts.Close()
	defer close(release)
	client := &http.Client{Transport: NewTransport(TransportOptions{ResponseHeaderTimeout: 100 * time.Millisecond})}
	_, e := send(t, testRouter(t, ts.URL, client), context.Background())
	if e == nil || e.HTTPStatus() != 504 {
		t.Fatalf("got %+v; want 504", e)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("the provider was called %d times; a timeout must not be retried", n)
	}
}

func TestRouterClientCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	gone := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body) // the server notices a closed connection only after the body
		cancel()           // the client leaves once the provider has the request
		<-r.Context().Done()
		close(gone)
	}))
	defer ts.Close()
	_, e := send(t, testRouter(t, ts.URL, nil), ctx)
	if e == nil || e.HTTPStatus() != 499 {
		t.Fatalf("got %+v; want 499", e)
	}
	select {
	case <-gone:
	case <-time.After(time.Minute): // only bounds a hang
		t.Fatal("the upstream request was not cancelled")
	}
}

func TestStreamIdle(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: {\"a\":1}\n\n")
		http.NewResponseController(w).Flush()
		<-r.Context().Done()
	}))
	defer ts.Close()
	r := testRouter(t, ts.URL, nil)
	r.IdleTimeout = 100 * time.Millisecond
	call, e := r.Prepare([]byte(`{"model":"deepseek-flash","stream":true,"messages":[{"role":"user","content":"hi"}]}`))
	if e != nil {
		t.Fatal(e)
	}
	resp, e := r.Send(context.Background(), call) // a stream is what was asked for
	if e != nil {
		t.Fatal(e)
	}
	s := r.OpenStream(resp.Body, nil)
	defer s.Close()
	if _, err := s.Next(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Next(); err != ErrIdle {
		t.Fatalf("got %v; want ErrIdle", err)
	}
}

func TestPrepareRewritesOnlyModel(t *testing.T) {
	t.Parallel()
	r := testRouter(t, "http://unused", nil)
	in := `{"model":"qwen-3.8-27b","temperature":0,"messages":[{"role":"user","content":"hi"}],"enable_thinking":true}`
	call, e := r.Prepare([]byte(in))
	if e != nil {
		t.Fatal(e)
	}
	want := `{"model":"qwen-3.8-27b","temperature":0,"messages":[{"role":"user","content":"hi"}],"enable_thinking":true}`
	if string(call.Upstream) != want || call.Model.Provider != "cerebras" {
		t.Fatalf("got %s to %s; want %s to cerebras", call.Upstream, call.Model.Provider, want)
	}
	if _, e := r.Prepare([]byte(`{"model":"no-such-model","messages":[{"role":"user"}]}`)); e == nil || e.HTTPStatus() != 404 {
		t.Fatalf("got %v; want 404 for an unknown model", e)
	}
}

// TestCallEndpoints checks that a call reaches the path and API root it
// names, with its extra headers, and that an API root the provider lacks
// is refused before any request.
func TestCallEndpoints(t *testing.T) {
	t.Parallel()
	type seen struct{ path, apiKey, version, auth string }
	got := make(chan seen, 1)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- seen{r.URL.Path, r.Header.Get("X-Api-Key"), r.Header.Get("Anthropic-Version"), r.Header.Get("Authorization")}
		w.Write([]byte(`{}`))
	}))
	defer up.Close()
	r := testRouter(t, up.URL+"/v1", nil)
	target, e := r.Target("deepseek-flash")
	if e != nil {
		t.Fatal(e)
	}
	call := target.Call("deepseek-flash", []byte(`{}`), false, false)
	call.Path = "/responses"
	if resp, e := r.Send(context.Background(), call); e != nil {
		t.Fatal(e)
	} else {
		resp.Body.Close()
	}
	if s := <-got; s.path != "/v1/responses" || s.apiKey != "" || s.auth != "Bearer k" {
		t.Errorf("responses call: got %+v", s)
	}

	call.Base, call.Path, call.Header = BaseAnthropic, "/v1/messages", http.Header{"Anthropic-Version": {"2023-06-01"}}
	if _, e := r.Send(context.Background(), call); e == nil || e.Code != "unsupported_by_provider" {
		t.Fatalf("no Anthropic root: got %v; want unsupported_by_provider", e)
	}
	r.Upstream = func(string) (Upstream, error) {
		return Upstream{BaseURL: up.URL + "/v1", Key: "k", Bases: map[string]string{BaseAnthropic: up.URL + "/anthropic"}}, nil
	}
	if resp, e := r.Send(context.Background(), call); e != nil {
		t.Fatal(e)
	} else {
		resp.Body.Close()
	}
	if s := <-got; s.path != "/anthropic/v1/messages" || s.apiKey != "k" || s.version != "2023-06-01" {
		t.Errorf("anthropic call: got %+v", s)
	}
}
