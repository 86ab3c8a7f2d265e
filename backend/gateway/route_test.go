package gateway

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/fakeupstream"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// chainRouter routes each provider to its own upstream and knows the
// alias "coder" → kimi, deepseek, dashscope.
func chainRouter(t *testing.T, ups map[string]string) *Router {
	t.Helper()
	cat, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if err := cat.SetAliases([]catalog.Alias{{Name: "coder", Models: []string{"kimi/kimi-k2.7-code", "deepseek/deepseek-v4-pro", "dashscope/qwen3-coder-flash"}}}); err != nil {
		t.Fatal(err)
	}
	return &Router{
		Catalog:    cat,
		Backoff:    time.Millisecond,
		MaxRetries: -1,
		Upstream: func(p string) (Upstream, error) {
			u, ok := ups[p]
			if !ok {
				return Upstream{}, &Error{Status: 401, Type: "authentication_error", Code: "missing_provider_key", Provider: p, Message: "No API key for " + p}
			}
			return Upstream{BaseURL: u, Key: "k"}, nil
		},
	}
}

// statusServer answers every request with status (200 is a small chat
// answer) and counts the requests.
func statusServer(t *testing.T, status int, calls *atomic.Int32) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if status == 200 {
			io.WriteString(w, `{"model":"echo","choices":[],"sent":`+string(body)+`}`)
			return
		}
		io.WriteString(w, `{"error":{"message":"status `+http.StatusText(status)+`"}}`)
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}

// downURL is a loopback address nothing listens on.
func downURL(t *testing.T) string {
	ts := httptest.NewServer(http.NotFoundHandler())
	u := ts.URL
	ts.Close()
	return u
}

func TestChainFallbackOrder(t *testing.T) {
	t.Parallel()
	const down = -1  // nothing listens
	const noKey = -2 // the provider has no key
	for _, tc := range []struct {
		name       string
		status     [3]int // kimi, deepseek, dashscope
		wantStatus int
		wantModel  string // provider/upstream that answered
		wantCalls  [3]int32
	}{
		{"first answers", [3]int{200, 200, 200}, 200, "kimi/kimi-k2.7-code", [3]int32{1, 0, 0}},
		{"503 moves on", [3]int{503, 200, 200}, 200, "deepseek/deepseek-v4-pro", [3]int32{1, 1, 0}},
		{"unreachable moves on", [3]int{down, 200, 200}, 200, "deepseek/deepseek-v4-pro", [3]int32{0, 1, 0}},
		{"429 moves on", [3]int{429, 200, 200}, 200, "deepseek/deepseek-v4-pro", [3]int32{1, 1, 0}},
		{"504 then 500 then ok", [3]int{504, 500, 200}, 200, "dashscope/qwen3-coder-flash", [3]int32{1, 1, 1}},
		{"no key moves on", [3]int{noKey, 200, 200}, 200, "deepseek/deepseek-v4-pro", [3]int32{0, 1, 0}},
		{"400 is the user's", [3]int{400, 200, 200}, 400, "", [3]int32{1, 0, 0}},
		{"401 is the user's", [3]int{401, 200, 200}, 401, "", [3]int32{1, 0, 0}},
		{"402 is the user's", [3]int{402, 200, 200}, 402, "", [3]int32{1, 0, 0}},
		{"404 is the user's", [3]int{404, 200, 200}, 404, "", [3]int32{1, 0, 0}},
		{"all down", [3]int{503, 502, 503}, 503, "", [3]int32{1, 1, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var calls [3]atomic.Int32
			ups := map[string]string{}
			for i, p := range []string{"kimi", "deepseek", "dashscope"} {
				switch tc.status[i] {
				case down:
					ups[p] = downURL(t)
				case noKey:
				default:
					ups[p] = statusServer(t, tc.status[i], &calls[i])
				}
			}
			r := chainRouter(t, ups)
			call, e := r.Prepare([]byte(`{"model":"coder","messages":[{"role":"user","content":"hi"}],"tools":[]}`))
			if e != nil {
				t.Fatal(e)
			}
			resp, e := r.Send(context.Background(), call)
			for i := range calls {
				if got := calls[i].Load(); got != tc.wantCalls[i] {
					t.Errorf("provider %d: got %d calls; want %d", i, got, tc.wantCalls[i])
				}
			}
			if tc.wantStatus != 200 {
				if e == nil || e.Status != tc.wantStatus {
					t.Fatalf("got %v; want status %d", e, tc.wantStatus)
				}
				return
			}
			if e != nil {
				t.Fatalf("got %v; want success", e)
			}
			defer resp.Body.Close()
			if got := resp.Header.Get(ModelHeader); got != tc.wantModel {
				t.Errorf("got %s %q; want %q", ModelHeader, got, tc.wantModel)
			}
			if got := call.Model.Provider + "/" + call.Model.Upstream; got != tc.wantModel {
				t.Errorf("call.Model is %q; want %q", got, tc.wantModel)
			}
			// The body the provider got names its own model and keeps
			// every other field.
			b, _ := io.ReadAll(resp.Body)
			_, up, _ := strings.Cut(tc.wantModel, "/")
			if !strings.Contains(string(b), `"model":"`+up+`"`) || !strings.Contains(string(b), `"tools":[]`) {
				t.Errorf("provider got %s", b)
			}
		})
	}
}

func TestChainAllFailNamesEveryModel(t *testing.T) {
	t.Parallel()
	var c atomic.Int32
	r := chainRouter(t, map[string]string{"kimi": statusServer(t, 503, &c), "deepseek": statusServer(t, 502, &c), "dashscope": statusServer(t, 500, &c)})
	call, _ := r.Prepare([]byte(`{"model":"coder","messages":[{"role":"user","content":"hi"}]}`))
	_, e := r.Send(context.Background(), call)
	if e == nil || !strings.Contains(e.Message, "tried kimi/kimi-k2.7-code, deepseek/deepseek-v4-pro, dashscope/qwen3-coder-flash") {
		t.Fatalf("got %v; want the chain named", e)
	}
}

func TestBreakerStates(t *testing.T) {
	t.Parallel()
	clock := newClock()
	b := &Breaker{Threshold: 3, Cooldown: time.Minute, Now: clock.Now}
	for i := range 2 {
		b.Failure("kimi")
		if ok, _ := b.Allow("kimi"); !ok {
			t.Fatalf("open after %d failures; want closed until 3", i+1)
		}
	}
	b.Failure("kimi")
	ok, until := b.Allow("kimi")
	if ok || !until.Equal(clock.Now().Add(time.Minute)) {
		t.Fatalf("after 3 failures: allow=%v until=%v; want open for a minute", ok, until)
	}
	if h := b.Health(); len(h) != 1 || h[0].State != CircuitOpen || h[0].Failures != 3 {
		t.Fatalf("health %+v; want open after 3", h)
	}
	if ok, _ := b.Allow("deepseek"); !ok {
		t.Fatal("another provider is blocked")
	}
	clock.Advance(time.Minute)
	if h := b.Health(); h[0].State != CircuitHalfOpen {
		t.Fatalf("after the cool-off: %+v; want half-open", h)
	}
	if ok, _ := b.Allow("kimi"); !ok {
		t.Fatal("half-open: no trial call")
	}
	if ok, _ := b.Allow("kimi"); ok {
		t.Fatal("half-open: a second call went out beside the trial")
	}
	b.Failure("kimi") // the trial failed: open again
	if ok, until := b.Allow("kimi"); ok || !until.Equal(clock.Now().Add(time.Minute)) {
		t.Fatalf("failed trial: allow=%v until=%v; want open again", ok, until)
	}
	clock.Advance(time.Minute)
	if ok, _ := b.Allow("kimi"); !ok {
		t.Fatal("second half-open: no trial")
	}
	b.Success("kimi")
	if ok, _ := b.Allow("kimi"); !ok || len(b.Health()) != 0 {
		t.Fatalf("after a good trial: allow=%v health=%+v; want closed", ok, b.Health())
	}
	b.Failure("kimi") // the count starts again from zero
	if ok, _ := b.Allow("kimi"); !ok {
		t.Fatal("one failure after closing opened the circuit")
	}
}

func TestBreakerSkipsRestingProviderInChain(t *testing.T) {
	t.Parallel()
	clock := newClock()
	var kimi, deepseek atomic.Int32
	r := chainRouter(t, map[string]string{"kimi": statusServer(t, 503, &kimi), "deepseek": statusServer(t, 200, &deepseek)})
	r.Breaker = &Breaker{Threshold: 2, Cooldown: 30 * time.Second, Now: clock.Now}
	r.Now = clock.Now
	send := func() (*http.Response, *Error) {
		call, e := r.Prepare([]byte(`{"model":"coder","messages":[{"role":"user","content":"hi"}]}`))
		if e != nil {
			t.Fatal(e)
		}
		return r.Send(context.Background(), call)
	}
	for range 2 {
		if resp, e := send(); e != nil {
			t.Fatal(e)
		} else {
			resp.Body.Close()
		}
	}
	if kimi.Load() != 2 {
		t.Fatalf("kimi got %d calls; want 2", kimi.Load())
	}
	resp, e := send()
	if e != nil || resp.Header.Get(ModelHeader) != "deepseek/deepseek-v4-pro" {
		t.Fatalf("got %v; want deepseek", e)
	}
	resp.Body.Close()
	if kimi.Load() != 2 {
		t.Fatalf("resting kimi was called: %d calls", kimi.Load())
	}
	// The model alone (no chain) answers at once that it rests.
	call, _ := r.Prepare([]byte(`{"model":"kimi/kimi-k2.7-code","messages":[{"role":"user","content":"hi"}]}`))
	_, e = r.Send(context.Background(), call)
	if e == nil || e.Code != "provider_resting" || e.Status != 503 || e.Header.Get("Retry-After") != "31" {
		t.Fatalf("got %+v; want 503 provider_resting with Retry-After 31", e)
	}
	clock.Advance(30 * time.Second) // half-open: one trial goes to kimi
	if resp, e := send(); e != nil {
		t.Fatal(e)
	} else {
		resp.Body.Close()
	}
	if kimi.Load() != 3 {
		t.Fatalf("half-open: kimi got %d calls; want the trial (3)", kimi.Load())
	}
}

func TestKeyRotationUnder429(t *testing.T) {
	t.Parallel()
	clock := newClock()
	f := fakeupstream.NewFake(fakeupstream.DeepSeek, "key-one", true)
	f.ExtraKeys = []string{"key-two"}
	f.RateLimited = []string{"key-one"}
	ts := f.Start()
	t.Cleanup(ts.Close)
	cat, _ := catalog.Builtin()
	r := &Router{Catalog: cat, Backoff: time.Millisecond, Now: clock.Now, KeyRest: time.Minute,
		Upstream: func(string) (Upstream, error) {
			return Upstream{BaseURL: ts.URL + "/v1", Keys: []Key{{"work", "key-one"}, {"home", "key-two"}}}, nil
		}}
	send := func() {
		t.Helper()
		call, e := r.Prepare([]byte(`{"model":"deepseek/deepseek-v4-pro","messages":[{"role":"user","content":"hi"}]}`))
		if e != nil {
			t.Fatal(e)
		}
		resp, e := r.Send(context.Background(), call)
		if e != nil {
			t.Fatalf("got %v; want the second key to answer", e)
		}
		resp.Body.Close()
	}
	auths := func() []string {
		var out []string
		for _, q := range f.Requests() {
			out = append(out, strings.TrimPrefix(q.Authorization, "Bearer "))
		}
		return out
	}
	send()
	if got := strings.Join(auths(), ","); got != "key-one,key-two" {
		t.Fatalf("keys sent: %s; want key-one then key-two", got)
	}
	h := r.KeyHealth("deepseek", []string{"work", "home"})
	if h[0].State != KeyResting || !h[0].Until.Equal(clock.Now().Add(time.Minute)) || h[1].State != KeyOK {
		t.Fatalf("health %+v; want work resting a minute, home ok", h)
	}
	send()
	send()
	if got := strings.Join(auths()[2:], ","); got != "key-two,key-two" {
		t.Fatalf("while work rests: %s; want key-two only", got)
	}
	clock.Advance(time.Minute)
	send()
	if got := auths()[4]; got != "key-one" && got != "key-two" || len(auths()) < 5 {
		t.Fatalf("after the rest: %v", auths())
	}
	if !strings.Contains(strings.Join(auths()[4:], ","), "key-one") {
		t.Fatalf("after the rest the work key was not tried again: %v", auths()[4:])
	}
}

func TestInvalidKeyIsFlaggedAndSkipped(t *testing.T) {
	t.Parallel()
	f := fakeupstream.NewFake(fakeupstream.Kimi, "good", true)
	ts := f.Start()
	t.Cleanup(ts.Close)
	cat, _ := catalog.Builtin()
	r := &Router{Catalog: cat, Backoff: time.Millisecond,
		Upstream: func(string) (Upstream, error) {
			return Upstream{BaseURL: ts.URL + "/v1", Keys: []Key{{"old", "revoked"}, {"new", "good"}}}, nil
		}}
	for range 3 {
		call, _ := r.Prepare([]byte(`{"model":"kimi/kimi-k2.6","messages":[{"role":"user","content":"hi"}]}`))
		resp, e := r.Send(context.Background(), call)
		if e != nil {
			t.Fatalf("got %v; want the good key to answer", e)
		}
		resp.Body.Close()
	}
	if n := len(f.Requests()); n != 4 {
		t.Fatalf("got %d requests; want 4 (the revoked key once, then only the good one)", n)
	}
	h := r.KeyHealth("kimi", []string{"old", "new"})
	if h[0].State != KeyInvalid || h[0].Reason == "" || h[1].State != KeyOK {
		t.Fatalf("health %+v; want old invalid with the provider's words", h)
	}
}

func TestNoFallbackAfterFirstByte(t *testing.T) {
	t.Parallel()
	for _, trig := range []string{"trigger:cut", "trigger:miderror"} {
		t.Run(trig, func(t *testing.T) {
			t.Parallel()
			kimi := fakeupstream.NewFake(fakeupstream.Kimi, "k", true)
			deepseek := fakeupstream.NewFake(fakeupstream.DeepSeek, "k", true)
			ks, ds := kimi.Start(), deepseek.Start()
			t.Cleanup(ks.Close)
			t.Cleanup(ds.Close)
			r := chainRouter(t, map[string]string{"kimi": ks.URL + "/v1", "deepseek": ds.URL + "/v1"})
			call, e := r.Prepare([]byte(`{"model":"coder","stream":true,"messages":[{"role":"user","content":"` + trig + `"}]}`))
			if e != nil {
				t.Fatal(e)
			}
			s, e := r.Open(context.Background(), call)
			if e != nil {
				t.Fatal(e)
			}
			var err error
			var events int
			for err == nil {
				var ev Event
				ev, err = s.Next()
				if err == nil && strings.Contains(string(ev.Data), `"error"`) {
					err = errors.New("error event")
				}
				events++
			}
			s.Close()
			if err == io.EOF || events < 2 {
				t.Fatalf("stream ended with %v after %d events; want a failure after the first bytes", err, events)
			}
			if n := len(deepseek.Requests()); n != 0 {
				t.Fatalf("deepseek got %d requests after kimi's stream started; want none", n)
			}
			if n := len(kimi.Requests()); n != 1 {
				t.Fatalf("kimi got %d requests; want exactly 1", n)
			}
		})
	}
}
