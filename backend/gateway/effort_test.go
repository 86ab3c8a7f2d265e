package gateway

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestSpliceEffort: a client's standard reasoning_effort reaches each
// provider in its own terms, edited in place; everything else keeps its
// bytes, and an effort that is already the provider's own is untouched.
func TestSpliceEffort(t *testing.T) {
	t.Parallel()
	r := thinkRouter(t)
	for _, tc := range []struct {
		name  string
		model string
		in    string
		want  string // "" means the same bytes
	}{
		{"deepseek accepted level", "t-ds-v4", `{"model":"m","reasoning_effort":"high","messages":[]}`, ""},
		{"deepseek low aliased", "t-ds-v4", `{"model":"m","reasoning_effort":"low","messages":[]}`, `{"model":"m","reasoning_effort":"high","messages":[]}`},
		{"deepseek xhigh aliased", "t-ds-v4", `{"model":"m", "reasoning_effort" : "xhigh" ,"messages":[]}`, `{"model":"m", "reasoning_effort":"max" ,"messages":[]}`},
		{"deepseek none switches off", "t-ds-v4", `{"model":"m","reasoning_effort":"none","messages":[]}`, `{"model":"m","thinking":{"type":"disabled"},"messages":[]}`},
		{"deepseek client switch wins", "t-ds-v4", `{"model":"m","thinking":{"type":"enabled"},"reasoning_effort":"none","messages":[]}`, `{"model":"m","thinking":{"type":"enabled"},"messages":[]}`},
		{"deepseek unknown model untouched", "t-ds-old", `{"model":"m","reasoning_effort":"low","messages":[]}`, ""},
		{"dashscope switch on", "t-qwen", `{"model":"m","messages":[],"reasoning_effort":"high"}`, `{"model":"m","messages":[],"enable_thinking":true}`},
		{"dashscope switch off", "t-qwen", `{"reasoning_effort":"none","model":"m","messages":[]}`, `{"enable_thinking":false,"model":"m","messages":[]}`},
		{"dashscope client flag kept, effort dropped", "t-qwen", `{"model":"m","enable_thinking":false,"reasoning_effort":"high"}`, `{"model":"m","enable_thinking":false}`},
		{"dashscope effort model accepted", "t-qwen-effort", `{"model":"m","reasoning_effort":"low"}`, ""},
		{"dashscope effort model aliased", "t-qwen-effort", `{"model":"m","reasoning_effort":"max"}`, `{"model":"m","reasoning_effort":"high"}`},
		{"kimi k2.6 switch on", "t-kimi-k26", `{"model":"m","reasoning_effort":"medium"}`, `{"model":"m","thinking":{"type":"enabled"}}`},
		{"kimi k2.6 switch off", "t-kimi-k26", `{"model":"m","reasoning_effort":"none"}`, `{"model":"m","thinking":{"type":"disabled"}}`},
		{"kimi k3 accepted", "t-kimi-k3", `{"model":"m","reasoning_effort":"max"}`, ""},
		{"kimi k3 medium aliased", "t-kimi-k3", `{"model":"m","reasoning_effort":"medium"}`, `{"model":"m","reasoning_effort":"high"}`},
		{"kimi k3 none is its weakest", "t-kimi-k3", `{"model":"m","reasoning_effort":"none"}`, `{"model":"m","reasoning_effort":"low"}`},
		{"cerebras accepted", "t-cerebras", `{"model":"m","reasoning_effort":"medium"}`, ""},
		{"cerebras xhigh aliased", "t-cerebras", `{"model":"m","reasoning_effort":"xhigh"}`, `{"model":"m","reasoning_effort":"high"}`},
		{"openai none accepted", "t-gpt6", `{"model":"m","reasoning_effort":"none"}`, ""},
		{"openai max aliased", "t-gpt6", `{"model":"m","reasoning_effort":"max"}`, `{"model":"m","reasoning_effort":"xhigh"}`},
		{"non-reasoning model: removed", "t-gpt4o", `{"model":"m","reasoning_effort":"low","messages":[]}`, `{"model":"m","messages":[]}`},
		{"non-reasoning model, last field", "t-gpt4o", `{"model":"m" , "reasoning_effort":"low" }`, `{"model":"m"  }`},
		{"not a level: untouched", "t-ds-v4", `{"model":"m","reasoning_effort":"turbo"}`, ""},
		{"not a string: untouched", "t-ds-v4", `{"model":"m","reasoning_effort":3}`, ""},
		{"no effort: untouched", "t-qwen", `{"model":"m","messages":[],"x":"reasoning_effort"}`, ""},
		{"nested effort untouched", "t-qwen", `{"model":"m","extra":{"reasoning_effort":"high"}}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target, e := r.Target(tc.model)
			if e != nil {
				t.Fatal(e)
			}
			got, err := target.SpliceEffort([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			if want == "" {
				want = tc.in
			}
			if string(got) != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
			if !json.Valid(got) {
				t.Errorf("not JSON: %s", got)
			}
		})
	}
}

// TestPrepareEffortOptOut: Prepare applies the convenience unless the
// user turned it off, and then the body keeps every byte but the model.
func TestPrepareEffortOptOut(t *testing.T) {
	t.Parallel()
	r := thinkRouter(t)
	body := []byte(`{"model":"t-ds-v4","messages":[{"role":"user","content":"hi"}],"reasoning_effort":"low"}`)
	call, e := r.Prepare(body)
	if e != nil {
		t.Fatal(e)
	}
	if want := `{"model":"deepseek-v4-pro","messages":[{"role":"user","content":"hi"}],"reasoning_effort":"high"}`; string(call.Upstream) != want {
		t.Errorf("convenience on: got %s; want %s", call.Upstream, want)
	}
	keep := true
	r.KeepEffort = func() bool { return keep }
	call, e = r.Prepare(body)
	if e != nil {
		t.Fatal(e)
	}
	if want := `{"model":"deepseek-v4-pro","messages":[{"role":"user","content":"hi"}],"reasoning_effort":"low"}`; string(call.Upstream) != want {
		t.Errorf("opted out: got %s; want %s", call.Upstream, want)
	}
	// Byte identity when nothing needs changing: the very bytes sent.
	keep = false
	same := []byte(`{ "model" : "t-same",` + "\n" + `"messages":[{"role":"user","content":"hi"}], "reasoning_effort":"max"}`)
	call, e = r.Prepare(same)
	if e != nil {
		t.Fatal(e)
	}
	if !bytes.Equal(call.Upstream, same) {
		t.Errorf("accepted effort changed the body: got %s", call.Upstream)
	}
}
