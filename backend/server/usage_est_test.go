package server

import (
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/gateway"
	"thinkcloud/backend/usage"
)

// TestFallbacksLoggedEveryDoor: a request to an alias whose first model
// cannot be called (no key) answers from the next one, and its row counts
// that move and the retry the second model needed, on every door that
// takes a chain.
func TestFallbacksLoggedEveryDoor(t *testing.T) {
	t.Parallel()
	for _, d := range testDoors {
		if d.name == usage.DoorEmbeddings || d.name == usage.DoorCompletions {
			continue // kimi, the chain's first, has neither API: that chain is refused
		}
		u := newUsageRig(t, Guard{})
		if err := u.cat.SetAliases([]catalog.Alias{{Name: "chain", Models: []string{"kimi/kimi-k3", "deepseek/deepseek-flash"}}}); err != nil {
			t.Fatal(err)
		}
		resp, body := u.post(t, d.path, d.body("chain", "trigger:429x1"), nil)
		r := u.row(t)
		if resp.StatusCode != 200 || r.Status != 200 || r.Provider != "deepseek" || r.Fallbacks != 1 || r.Retries != 1 {
			t.Errorf("%s: response %d %s; row %+v; want 200 from deepseek, 1 fallback, 1 retry", d.name, resp.StatusCode, body, r)
		}
		resp, body = u.post(t, d.path, d.body("deepseek-flash", "hi"), nil)
		if r := u.row(t); resp.StatusCode != 200 || r.Fallbacks != 0 || r.Retries != 0 {
			t.Errorf("%s: a plain request: %d %s; row %+v; want no fallback", d.name, resp.StatusCode, body, r)
		}
	}
}

// noUsageUpstream answers every door's format with "你好 world" and no
// usage at all, as some OpenAI-compatible servers do.
func noUsageUpstream(t *testing.T) *httptest.Server {
	t.Helper()
	sse := func(w http.ResponseWriter, events ...string) {
		w.Header().Set("Content-Type", "text/event-stream")
		for _, e := range events {
			w.Write([]byte("data: " + e + "\n\n"))
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Stream bool `json:"stream"`
		}
		json.NewDecoder(r.Body).Decode(&req)
		switch p := r.URL.Path; {
		case strings.HasSuffix(p, "/messages"):
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"id":"msg_1","type":"message","role":"assistant","model":"deepseek-flash","content":[{"type":"text","text":"你好 world"}],"stop_reason":"end_turn","stop_sequence":null}`))
		case strings.HasSuffix(p, "/chat/completions") && req.Stream:
			chunk := func(delta string) string {
				return `{"id":"c1","object":"chat.completion.chunk","created":1,"model":"deepseek-flash","choices":[{"index":0,"delta":` + delta + `,"finish_reason":null}]}`
			}
			sse(w, chunk(`{"role":"assistant","content":"你好"}`), chunk(`{"content":" world"}`), "[DONE]")
		case strings.HasSuffix(p, "/chat/completions"):
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"id":"c1","object":"chat.completion","created":1,"model":"deepseek-flash","choices":[{"index":0,"message":{"role":"assistant","content":"你好 world"},"finish_reason":"stop"}]}`))
		case strings.HasSuffix(p, "/completions"):
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"id":"c1","object":"text_completion","created":1,"model":"deepseek-flash","choices":[{"index":0,"text":"你好 world","finish_reason":"stop"}]}`))
		case strings.HasSuffix(p, "/responses") && req.Stream:
			done := `{"type":"message","id":"m1","role":"assistant","status":"completed","content":[{"type":"output_text","text":"你好 world","annotations":[]}]}`
			sse(w, `{"type":"response.created","response":{"id":"resp_1","object":"response","status":"in_progress","model":"gpt-6-luna","output":[]}}`,
				`{"type":"response.output_text.delta","item_id":"m1","output_index":0,"content_index":0,"delta":"你好"}`,
				`{"type":"response.output_text.delta","item_id":"m1","output_index":0,"content_index":0,"delta":" world"}`,
				`{"type":"response.output_text.done","item_id":"m1","output_index":0,"content_index":0,"text":"你好 world"}`,
				`{"type":"response.output_item.done","output_index":0,"item":`+done+`}`,
				`{"type":"response.completed","response":{"id":"resp_1","object":"response","status":"completed","model":"gpt-6-luna","output":[`+done+`]}}`)
		case strings.HasSuffix(p, "/responses"):
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"id":"resp_1","object":"response","status":"completed","model":"gpt-6-luna","output":[{"type":"message","id":"m1","role":"assistant","status":"completed","content":[{"type":"output_text","text":"你好 world","annotations":[]}]}]}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestEstimatedWhenNoUsageEveryDoor: when the provider reports no usage,
// each door's row carries tokens estimated from the request body and the
// answer's text (counted once, CJK as a token a character), marked
// Estimated, and a cost priced from them; with usage reported the row is
// not marked.
func TestEstimatedWhenNoUsageEveryDoor(t *testing.T) {
	t.Parallel()
	u := newUsageRig(t, Guard{})
	u.post(t, testDoors[0].path, testDoors[0].body("deepseek-flash", "hi"), nil)
	if r := u.row(t); r.Estimated || r.Input != 9 {
		t.Errorf("usage reported: row %+v; want the provider's 9 input tokens, not estimated", r)
	}
	srv := noUsageUpstream(t)
	u.mu.Lock()
	u.ups["deepseek"] = gateway.Upstream{BaseURL: srv.URL + "/v1", Key: "k", Bases: map[string]string{gateway.BaseAnthropic: srv.URL + "/anthropic"}}
	u.ups["openai"] = gateway.Upstream{BaseURL: srv.URL + "/v1", Key: "k", Bases: map[string]string{}}
	u.mu.Unlock()
	wantOut := usage.Estimate("你好 world")
	for _, d := range testDoors {
		if d.name == usage.DoorEmbeddings {
			continue
		}
		for _, stream := range []string{"", `,"stream":true`} {
			if stream != "" && (d.name == usage.DoorMessages || d.name == usage.DoorCompletions) {
				continue // the fake answers these whole only
			}
			model := "deepseek-flash"
			if d.name == usage.DoorResponses {
				model = "gpt-6-luna"
			}
			body := strings.TrimSuffix(d.body(model, "数一数 these words"), "}") + stream + "}"
			resp, got := u.post(t, d.path, body, nil)
			r := u.row(t)
			name := d.name + stream
			if resp.StatusCode != 200 || !r.Estimated || r.Input != usage.EstimateBytes([]byte(body)) || r.Output != wantOut {
				t.Errorf("%s: %d %s; row in %d out %d estimated %v; want in %d out %d estimated", name, resp.StatusCode, got,
					r.Input, r.Output, r.Estimated, usage.EstimateBytes([]byte(body)), wantOut)
				continue
			}
			m, err := u.cat.Resolve(model)
			if err != nil {
				t.Fatal(err)
			}
			want := m.Cost(catalog.Usage{Input: r.Input, Output: r.Output}, r.At)
			if len(want) == 0 || len(r.Costs) != len(want) || math.Abs(r.Costs[0].Amount-want[0].Amount) > 1e-12 || r.Costs[0].Amount == 0 {
				t.Errorf("%s: costs %+v; want %+v from the estimate", name, r.Costs, want)
			}
		}
	}
}
