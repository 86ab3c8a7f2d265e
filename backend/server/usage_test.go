package server

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/config"
	"thinkcloud/backend/fakeupstream"
	"thinkcloud/backend/gateway"
	"thinkcloud/backend/tokens"
	"thinkcloud/backend/usage"
)

// usageRig is the endpoint in front of fake DeepSeek and OpenAI, with
// prices in its catalog, named tokens the test edits, a settable clock
// for the token meter, and the request log's rows in a channel.
type usageRig struct {
	url   string
	rows  chan usage.Record
	mu    sync.Mutex
	toks  []config.AccessToken
	clock time.Time
	fakes map[string]*fakeupstream.Fake
	cat   *catalog.Catalog
	ups   map[string]gateway.Upstream // under mu; a test may swap one
}

func newUsageRig(t *testing.T, g Guard) *usageRig {
	t.Helper()
	return newUsageRigWith(t, g, false)
}

func newUsageRigWith(t *testing.T, g Guard, metrics bool) *usageRig {
	t.Helper()
	builtin, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	models := builtin.Models()
	for i, m := range models {
		switch m.ID {
		case "deepseek-flash":
			models[i].Prices = []catalog.Price{{Currency: "USD", Input: 0.28, Output: 0.42}, {Currency: "CNY", Input: 2, Output: 3}}
		case "gpt-6-luna":
			models[i].Prices = []catalog.Price{{Currency: "USD", Input: 2.5, Output: 10}}
		}
	}
	cat, err := catalog.New(builtin.Providers(), models)
	if err != nil {
		t.Fatal(err)
	}
	u := &usageRig{rows: make(chan usage.Record, 64), clock: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC), fakes: map[string]*fakeupstream.Fake{}}
	ups := map[string]gateway.Upstream{}
	for _, kind := range []string{"deepseek", "openai"} {
		f := fakeupstream.NewFake(kind, "key-"+kind, true)
		ts := f.Start()
		t.Cleanup(ts.Close)
		u.fakes[kind] = f
		up := gateway.Upstream{BaseURL: ts.URL + "/v1", Key: f.Key, Bases: map[string]string{}}
		if p := fakeupstream.AnthropicPath(kind); p != "" {
			up.Bases[gateway.BaseAnthropic] = ts.URL + p
		}
		ups[kind] = up
	}
	u.cat, u.ups = cat, ups
	router := &gateway.Router{Catalog: cat, Backoff: time.Millisecond, Upstream: func(p string) (gateway.Upstream, error) {
		u.mu.Lock()
		up, ok := u.ups[p]
		u.mu.Unlock()
		if ok {
			return up, nil
		}
		return gateway.Upstream{}, &gateway.Error{Status: 401, Code: "missing_provider_key", Message: "no key for " + p}
	}}
	h := New(Options{Router: router, Catalog: cat, HasKey: func(string) bool { return true }, Guard: g,
		Tokens: func() []config.AccessToken { u.mu.Lock(); defer u.mu.Unlock(); return slices.Clone(u.toks) },
		Meter:  &tokens.Meter{Now: func() time.Time { u.mu.Lock(); defer u.mu.Unlock(); return u.clock }},
		Usage:  func(r usage.Record) { u.rows <- r }, Metrics: metrics})
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	u.url = ts.URL
	return u
}

// token makes a named token with limits and returns its secret.
func (u *usageRig) token(t *testing.T, name string, edit func(*config.AccessToken)) (string, config.AccessToken) {
	t.Helper()
	secret, tok, err := tokens.New(name, u.clock)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(&tok)
	}
	u.mu.Lock()
	u.toks = append(u.toks, tok)
	u.mu.Unlock()
	return secret, tok
}

func (u *usageRig) revoke(name string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.toks = slices.DeleteFunc(u.toks, func(t config.AccessToken) bool { return t.Name == name })
}

func (u *usageRig) advance(d time.Duration) {
	u.mu.Lock()
	u.clock = u.clock.Add(d)
	u.mu.Unlock()
}

// row waits for the next request log row; the deadline only bounds a hang.
func (u *usageRig) row(t *testing.T) usage.Record {
	t.Helper()
	select {
	case r := <-u.rows:
		return r
	case <-time.After(30 * time.Second):
		t.Fatal("no request log row")
		return usage.Record{}
	}
}

// door is one way in, with a request body for a model.
type door struct {
	name, path string
	body       func(model, text string) string
	anthropic  bool
}

var testDoors = []door{
	{usage.DoorChat, "/v1/chat/completions", func(m, s string) string {
		return `{"model":"` + m + `","messages":[{"role":"user","content":"` + s + `"}]}`
	}, false},
	{usage.DoorMessages, "/v1/messages", func(m, s string) string {
		return `{"model":"` + m + `","max_tokens":100,"messages":[{"role":"user","content":"` + s + `"}]}`
	}, true},
	{usage.DoorResponses, "/v1/responses", func(m, s string) string { return `{"model":"` + m + `","input":"` + s + `"}` }, false},
	{usage.DoorCompletions, "/v1/completions", func(m, s string) string { return `{"model":"` + m + `","prompt":"` + s + `","max_tokens":5}` }, false},
	{usage.DoorEmbeddings, "/v1/embeddings", func(m, s string) string { return `{"model":"openai/text-embedding-3-small","input":"` + s + `"}` }, false},
}

func (u *usageRig) post(t *testing.T, path, body string, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("POST", u.url+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func bearer(s string) map[string]string { return map[string]string{"Authorization": "Bearer " + s} }

// errorShape reads an error body in OpenAI's envelope or Anthropic's shape
// and says which.
func errorShape(t *testing.T, body []byte) (anthropicShape bool, typ, code string) {
	t.Helper()
	var e struct {
		Type  string `json:"type"`
		Error struct {
			Type string  `json:"type"`
			Code *string `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Error.Type == "" {
		t.Fatalf("not an error body: %s", body)
	}
	if e.Error.Code != nil {
		code = *e.Error.Code
	}
	return e.Type == "error", e.Error.Type, code
}

func TestTokenLifecycleRequireToken(t *testing.T) {
	t.Parallel()
	u := newUsageRig(t, Guard{RequireToken: true, Token: func() string { return "legacy-token" }})
	secret, tok := u.token(t, "ide", nil)
	chat := testDoors[0].body("deepseek-flash", "hi")
	for _, tc := range []struct {
		name string
		hdr  map[string]string
		want int
		who  string
	}{
		{"named token as bearer", bearer(secret), 200, "ide"},
		{"named token as x-api-key", map[string]string{"X-Api-Key": secret}, 200, "ide"},
		{"the single access token still works", bearer("legacy-token"), 200, usage.TokenAnonymous},
		{"an unknown token", bearer(tokens.Prefix + "nope"), 401, ""},
		{"the hash instead of the secret", bearer(tok.Hash), 401, ""},
	} {
		resp, body := u.post(t, "/v1/chat/completions", chat, tc.hdr)
		if resp.StatusCode != tc.want {
			t.Errorf("%s: got %d %s; want %d", tc.name, resp.StatusCode, body, tc.want)
			continue
		}
		if tc.want == 200 {
			if r := u.row(t); r.Token != tc.who || (tc.who == "ide") != (r.TokenID == tok.ID) {
				t.Errorf("%s: row attributed to %q (%q); want %q", tc.name, r.Token, r.TokenID, tc.who)
			}
		}
	}
	u.revoke("ide")
	if resp, body := u.post(t, "/v1/chat/completions", chat, bearer(secret)); resp.StatusCode != 401 {
		t.Fatalf("the request after revoke: got %d %s; want 401", resp.StatusCode, body)
	}
}

func TestAttributionWithoutRequireToken(t *testing.T) {
	t.Parallel()
	u := newUsageRig(t, Guard{})
	secret, tok := u.token(t, "script", nil)
	chat := testDoors[0].body("deepseek-flash", "hi")
	u.post(t, "/v1/chat/completions", chat, map[string]string{"Authorization": "Bearer " + secret, "User-Agent": "OpenAI/Python 1.54.0"})
	if r := u.row(t); r.Token != "script" || r.TokenID != tok.ID || r.Client != "OpenAI/Python" {
		t.Errorf("known token: row %+v", r)
	}
	u.post(t, "/v1/chat/completions", chat, map[string]string{"Authorization": "Bearer sk-whatever", "User-Agent": "curl/8.5.0"})
	if r := u.row(t); r.Token != usage.TokenAnonymous || r.TokenID != "" || r.Client != "curl" {
		t.Errorf("unknown token: row %+v", r)
	}
	u.revoke("script")
	resp, _ := u.post(t, "/v1/chat/completions", chat, bearer(secret))
	if r := u.row(t); resp.StatusCode != 200 || r.Token != usage.TokenAnonymous {
		t.Errorf("revoked token without require-token: %d, row %+v; want served, anonymous", resp.StatusCode, r)
	}
}

// TestModelAllowListEveryDoor: a token limited to other models gets a 403
// model_not_allowed on every door, in that door's error shape, and the
// refusal is logged.
func TestModelAllowListEveryDoor(t *testing.T) {
	t.Parallel()
	u := newUsageRig(t, Guard{})
	secret, _ := u.token(t, "kimi-only", func(t *config.AccessToken) { t.Models = []string{"kimi", "qwen-plus"} })
	for _, d := range testDoors {
		model := "deepseek-flash"
		if d.name == usage.DoorResponses {
			model = "gpt-6-luna"
		}
		resp, body := u.post(t, d.path, d.body(model, "hi"), bearer(secret))
		if resp.StatusCode != 403 {
			t.Errorf("%s: got %d %s; want 403", d.name, resp.StatusCode, body)
			continue
		}
		an, typ, code := errorShape(t, body)
		if an != d.anthropic || typ != "permission_error" || (!an && code != "model_not_allowed") || !strings.Contains(string(body), "kimi-only") {
			t.Errorf("%s: body %s; want model_not_allowed in the door's shape", d.name, body)
		}
		if r := u.row(t); r.Door != d.name || r.Status != 403 || r.ErrorKind != "model_not_allowed" || r.Token != "kimi-only" {
			t.Errorf("%s: row %+v", d.name, r)
		}
	}
	ok, _ := u.token(t, "by-provider", func(t *config.AccessToken) { t.Models = []string{"deepseek"} })
	if resp, body := u.post(t, "/v1/chat/completions", testDoors[0].body("deepseek-flash", "hi"), bearer(ok)); resp.StatusCode != 200 {
		t.Errorf("a provider on the list: got %d %s", resp.StatusCode, body)
	}
}

// TestBudgetAndRateEveryDoor crosses a budget exactly at its boundary and
// a rate limit at the minute's edge, on each door, with the clock
// injected.
func TestBudgetAndRateEveryDoor(t *testing.T) {
	t.Parallel()
	u := newUsageRig(t, Guard{})
	// One request's cost, measured: the budget is exactly two of them.
	probe, _ := u.token(t, "probe", nil)
	u.post(t, "/v1/chat/completions", testDoors[0].body("deepseek-flash", "hi"), bearer(probe))
	first := u.row(t)
	if len(first.Costs) != 2 || first.Costs[0].Currency != "USD" || first.Costs[0].Amount <= 0 || first.Estimated {
		t.Fatalf("priced row: %+v", first)
	}
	one := first.Costs[0].Amount
	secrets := map[string]string{}
	for _, d := range testDoors[:3] { // the doors deepseek-flash answers
		secret, _ := u.token(t, "budget-"+d.name, func(t *config.AccessToken) {
			t.Budget = &config.Budget{Amount: 2 * one, Currency: "USD", Period: config.BudgetDay}
		})
		secrets["budget-"+d.name] = secret
		var got []int
		var last []byte
		for range 3 {
			// A chat request costs the same on every door: the fake
			// reports the same usage for "hi".
			resp, body := u.post(t, d.path, d.body("deepseek-flash", "hi"), bearer(secret))
			got, last = append(got, resp.StatusCode), body
			u.row(t)
		}
		if !slices.Equal(got, []int{200, 200, 429}) {
			t.Errorf("%s: statuses %v; want 200 200 429: the spend reaches the budget after two", d.name, got)
			continue
		}
		an, typ, code := errorShape(t, last)
		if an != d.anthropic || typ != "rate_limit_error" || (!an && code != "budget_exceeded") || !strings.Contains(string(last), "budget") {
			t.Errorf("%s: refusal %s", d.name, last)
		}
	}
	for _, d := range testDoors[:3] {
		body := d.body("deepseek-flash", "hi")
		if d.name == usage.DoorResponses {
			body = d.body("gpt-6-luna", "hi")
		}
		secret, _ := u.token(t, "rpm-"+d.name, func(t *config.AccessToken) { t.RPM = 1 })
		secrets["rpm-"+d.name] = secret
		r1, _ := u.post(t, d.path, body, bearer(secret))
		u.row(t)
		r2, b2 := u.post(t, d.path, body, bearer(secret))
		u.row(t)
		if r1.StatusCode != 200 || r2.StatusCode != 429 || r2.Header.Get("Retry-After") != "60" {
			t.Errorf("%s rpm 1: got %d then %d (retry-after %q) %s", d.name, r1.StatusCode, r2.StatusCode, r2.Header.Get("Retry-After"), b2)
			continue
		}
		if an, _, code := errorShape(t, b2); an != d.anthropic || (!an && code != "rate_limited") {
			t.Errorf("%s: refusal %s", d.name, b2)
		}
	}
	u.advance(14 * time.Hour) // 2026-12-03 00:00 UTC: a new day, and far past the minute
	for name, secret := range secrets {
		d := testDoors[slices.IndexFunc(testDoors, func(d door) bool { return strings.HasSuffix(name, "-"+d.name) })]
		body := d.body("deepseek-flash", "hi")
		if d.name == usage.DoorResponses && strings.HasPrefix(name, "rpm-") {
			body = d.body("gpt-6-luna", "hi")
		}
		if resp, b := u.post(t, d.path, body, bearer(secret)); resp.StatusCode != 200 {
			t.Errorf("%s after midnight: got %d %s", name, resp.StatusCode, b)
		}
		u.row(t)
	}
}

// TestLogRowsEveryDoor: each door leaves one row per request, with what
// ran, the tokens, the cost and never the prompt or the answer.
func TestLogRowsEveryDoor(t *testing.T) {
	t.Parallel()
	u := newUsageRig(t, Guard{})
	for _, d := range testDoors {
		model, provider := "deepseek-flash", "deepseek"
		switch d.name {
		case usage.DoorResponses:
			model, provider = "gpt-6-luna", "openai"
		case usage.DoorEmbeddings:
			provider = "openai"
		}
		resp, body := u.post(t, d.path, d.body(model, "secret-prompt-words"), nil)
		if resp.StatusCode != 200 {
			t.Errorf("%s: got %d %s", d.name, resp.StatusCode, body)
			continue
		}
		r := u.row(t)
		raw, _ := json.Marshal(r)
		if r.Door != d.name || r.Provider != provider || r.Status != 200 || r.ErrorKind != "" || r.Input == 0 || r.Latency <= 0 || r.TTFT <= 0 || r.At.IsZero() {
			t.Errorf("%s: row %s", d.name, raw)
		}
		if d.name != usage.DoorEmbeddings && (r.Output == 0 || len(r.Costs) == 0) {
			t.Errorf("%s: no output tokens or cost: %s", d.name, raw)
		}
		if strings.Contains(string(raw), "secret-prompt") || strings.Contains(string(raw), "Hello from") || strings.Contains(string(raw), "key-") {
			t.Errorf("%s: the row holds a prompt, an answer or a key: %s", d.name, raw)
		}
	}
	chat := testDoors[0]
	for _, tc := range []struct {
		name, text, stream string
		status, retries    int
		kind               string
	}{
		{"provider error", "trigger:402", "", 402, 0, ""},
		{"retried", "trigger:429x2", "", 200, 2, ""},
		{"broken stream", "trigger:cut", `,"stream":true`, 200, 0, "stream_interrupted"},
	} {
		resp, body := u.post(t, chat.path, strings.TrimSuffix(chat.body("deepseek-flash", tc.text), "}")+tc.stream+"}", nil)
		r := u.row(t)
		if resp.StatusCode != tc.status || r.Status != tc.status || r.Retries != tc.retries || (tc.status >= 400 || tc.kind != "") != (r.ErrorKind != "") || (tc.kind != "" && r.ErrorKind != tc.kind) {
			t.Errorf("%s: response %d %s; row %+v", tc.name, resp.StatusCode, body, r)
		}
	}
	// The client leaves mid-stream.
	req, _ := http.NewRequest("POST", u.url+chat.path, strings.NewReader(`{"model":"deepseek-flash","stream":true,"messages":[{"role":"user","content":"trigger:endless"}]}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(resp.Body)
	for line := ""; !strings.HasPrefix(line, "data: "); { // DeepSeek sends keep-alive comments first
		if line, err = br.ReadString('\n'); err != nil {
			t.Fatalf("stream ended before its first event: %v", err)
		}
	}
	resp.Body.Close()
	if r := u.row(t); r.Status != 499 || r.ErrorKind != "client_closed_request" || r.TTFT <= 0 {
		t.Errorf("aborted stream: row %+v; want 499 client_closed_request", r)
	}
}

// TestMetrics: GET /metrics is off by default, guarded like every route,
// and counts requests, tokens and cost when on.
func TestMetrics(t *testing.T) {
	t.Parallel()
	get := func(u *usageRig, auth string) (int, string) {
		req, _ := http.NewRequest("GET", u.url+"/metrics", nil)
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	off := newUsageRig(t, Guard{})
	if code, _ := get(off, ""); code != 404 {
		t.Errorf("metrics off: got %d; want 404", code)
	}
	on := newUsageRigWith(t, Guard{RequireToken: true, Token: func() string { return "legacy" }}, true)
	if code, _ := get(on, ""); code != 401 {
		t.Errorf("metrics without the token: got %d; want 401", code)
	}
	on.post(t, "/v1/chat/completions", testDoors[0].body("deepseek-flash", "hi"), bearer("legacy"))
	on.row(t)
	code, body := get(on, "legacy")
	for _, want := range []string{`thinkcloud_requests_total{door="chat",provider="deepseek",status="200"} 1`, `thinkcloud_tokens_total{door="chat",provider="deepseek",kind="input"} 9`, `thinkcloud_cost_total{currency="USD"} `} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("metrics %d lack %s:\n%s", code, want, body)
		}
	}
}
