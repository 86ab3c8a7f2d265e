package desktop

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/fakeupstream"
	"thinkcloud/backend/internal/testrig"
)

// windowModels are today's reasoning models as the catalog describes
// them, under ids of this test's own (builtin.json's list may change);
// the upstream ids are the ones the fakes check like the real providers.
var windowModels = []catalog.Model{
	{ID: "w-deepseek", Provider: "deepseek", Upstream: "deepseek-v4-pro", Think: &catalog.Thinking{Mode: catalog.ReasoningOptional, Efforts: []string{"high", "max"}}},
	{ID: "w-qwen", Provider: "dashscope", Upstream: "qwen3.6-plus", Think: &catalog.Thinking{Mode: catalog.ReasoningOptional, BudgetMax: 81920}},
	{ID: "w-kimi-k3", Provider: "kimi", Upstream: "kimi-k3", Think: &catalog.Thinking{Mode: catalog.ReasoningAlways, Efforts: []string{"low", "high", "max"}},
		Fixed: []string{"temperature", "top_p", "n", "presence_penalty", "frequency_penalty"}, Defaults: map[string]float64{"temperature": 1, "max_tokens": 32000}},
	{ID: "w-kimi-k26", Provider: "kimi", Upstream: "kimi-k2.6", Think: &catalog.Thinking{Mode: catalog.ReasoningOptional}, Fixed: []string{"temperature", "top_p"}},
	{ID: "w-cerebras", Provider: "cerebras", Upstream: "gpt-oss-120b", Think: &catalog.Thinking{Mode: catalog.ReasoningAlways, Efforts: []string{"low", "medium", "high"}}},
	{ID: "w-openai", Provider: "openai", Upstream: "gpt-6.1-terra", Think: &catalog.Thinking{Mode: catalog.ReasoningOptional, Efforts: []string{"none", "minimal", "low", "medium", "high", "xhigh"}}},
}

func newThinkingRig(t *testing.T) *rig {
	t.Helper()
	builtin, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.New(builtin.Providers(), windowModels)
	if err != nil {
		t.Fatal(err)
	}
	tr := testrig.New(t, testrig.Options{Fakes: fakeupstream.Kinds, Catalog: cat})
	r := &rig{rec: &recorder{events: map[string][]StreamEvent{}, done: map[string]chan struct{}{}}, fakes: tr.Fakes}
	ctx, cancel := context.WithCancel(context.Background())
	r.hist = tr.History(t)
	r.chat = NewChatService(ctx, tr.Core, ReadyHistory(r.hist), r.rec.emit)
	r.chat.BatchInterval = 5 * time.Millisecond
	t.Cleanup(func() { cancel(); r.chat.wait() })
	return r
}

// arrived is the last chat body the model's fake received.
func (r *rig) arrived(t *testing.T, provider string) map[string]any {
	t.Helper()
	var body map[string]any
	if err := json.Unmarshal(r.fakes[provider].Last(), &body); err != nil {
		t.Fatalf("%s received no chat body: %v", provider, err)
	}
	return body
}

// TestWindowThinkingReachesFakes: from the chat's Send, thinking off and
// on and every effort level reach each fake provider in its own dialect
// (the fakes refuse what their provider refuses), the answer completes,
// and the history keeps on the answer how the model was asked to think.
func TestWindowThinkingReachesFakes(t *testing.T) {
	t.Parallel()
	r := newThinkingRig(t)
	on, off := true, false
	enabled, disabled := map[string]any{"type": "enabled"}, map[string]any{"type": "disabled"}
	type want = map[string]any
	cases := []struct {
		model  string
		params Params
		want   want // the thinking fields that arrive, and only these
		label  string
	}{
		{"w-deepseek", Params{Thinking: &off}, want{"thinking": disabled}, "off"},
		{"w-deepseek", Params{Thinking: &on}, want{"thinking": enabled}, "on"},
		{"w-qwen", Params{Thinking: &off}, want{"enable_thinking": false}, "off"},
		{"w-qwen", Params{Thinking: &on}, want{"enable_thinking": true}, "on"},
		{"w-qwen", Params{ThinkingBudget: ptr(4096)}, want{"enable_thinking": true, "thinking_budget": float64(4096)}, "on, 4096 tokens"},
		{"w-kimi-k26", Params{Thinking: &off}, want{"thinking": disabled}, "off"},
		{"w-kimi-k26", Params{Thinking: &on}, want{"thinking": enabled}, "on"},
	}
	// Every canonical effort level, on every model that takes efforts.
	for _, m := range windowModels {
		for _, e := range catalog.Efforts {
			if len(m.Think.Efforts) == 0 {
				continue
			}
			w, label := want{}, ""
			switch {
			case m.Think.Mode == catalog.ReasoningOptional && m.Provider == "deepseek" && e == "none":
				w, label = want{"thinking": disabled}, "off"
			case m.Provider == "deepseek":
				w["thinking"], w["reasoning_effort"] = enabled, m.Think.NearestEffort(e)
				label = m.Think.NearestEffort(e)
			default:
				w["reasoning_effort"], label = m.Think.NearestEffort(e), m.Think.NearestEffort(e)
			}
			cases = append(cases, struct {
				model  string
				params Params
				want   want
				label  string
			}{m.ID, Params{ReasoningEffort: e}, w, label})
		}
	}
	fields := []string{"thinking", "enable_thinking", "reasoning_effort", "thinking_budget"}
	for _, tc := range cases {
		m := windowModels[slices.IndexFunc(windowModels, func(m catalog.Model) bool { return m.ID == tc.model })]
		res, evs := r.send(t, SendRequest{Model: tc.model, Text: "hi", Params: tc.params})
		name := tc.model + " " + string(must(json.Marshal(tc.params)))
		if last := evs[len(evs)-1]; last.Kind != KindDone {
			t.Errorf("%s: answer ended %s: %+v", name, last.Kind, last.Error)
			continue
		}
		body := r.arrived(t, m.Provider)
		got := want{}
		for _, k := range fields {
			if v, ok := body[k]; ok {
				got[k] = v
			}
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: arrived %v; want %v", name, got, tc.want)
		}
		if res.Thinking != tc.label {
			t.Errorf("%s: result label %q; want %q", name, res.Thinking, tc.label)
		}
		if msgs := r.stored(t, res.ConversationID); msgs[1].Thinking != tc.label {
			t.Errorf("%s: stored label %q; want %q", name, msgs[1].Thinking, tc.label)
		}
	}
}

// TestWindowKimiFixedTemperature: a Kimi model that fixes its sampling
// answers from the window whether the popover was left alone (the
// model's own default temperature is not sent either) or the user set a
// temperature before switching to it; the fake, like Kimi, refuses any
// temperature but its own, so a sent one would fail the answer.
func TestWindowKimiFixedTemperature(t *testing.T) {
	t.Parallel()
	r := newThinkingRig(t)
	warm := 0.3
	for _, p := range []Params{{}, {Temperature: &warm, TopP: &warm}} {
		_, evs := r.send(t, SendRequest{Model: "w-kimi-k3", Text: "hi", Params: p})
		if last := evs[len(evs)-1]; last.Kind != KindDone {
			t.Fatalf("params %+v: answer ended %s: %+v", p, last.Kind, last.Error)
		}
		if joined(evs, KindReasoning) == "" {
			t.Errorf("params %+v: kimi-k3 always thinks, yet no reasoning arrived", p)
		}
		body := r.arrived(t, "kimi")
		for _, k := range []string{"temperature", "top_p", "max_tokens"} {
			if v, ok := body[k]; ok {
				t.Errorf("params %+v: %s sent (%v)", p, k, v)
			}
		}
		if body["max_completion_tokens"] != float64(32000) {
			t.Errorf("params %+v: max_completion_tokens %v; want the model's default 32000", p, body["max_completion_tokens"])
		}
	}
}

// TestModelsListThinking: the picker gets each model's thinking controls
// and the parameters it fixes (the model's own and its provider's).
func TestModelsListThinking(t *testing.T) {
	t.Parallel()
	builtin, _ := catalog.Builtin()
	cat, _ := catalog.New(builtin.Providers(), windowModels)
	tr := testrig.New(t, testrig.Options{Fakes: []string{"kimi"}, Catalog: cat})
	svc := NewModelsService(context.Background(), tr.Core, func(string, any) {})
	svc.started = &started{done: make(chan struct{})}
	svc.started.finish(nil)
	list, err := svc.List()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(list, func(m ModelInfo) bool { return m.ID == "w-kimi-k26" })
	if i < 0 {
		t.Fatalf("w-kimi-k26 not listed: %+v", list)
	}
	if m := list[i]; m.Think == nil || m.Think.Mode != catalog.ReasoningOptional || !slices.Contains(m.Fixed, "temperature") || !slices.Contains(m.Fixed, "top_k") {
		t.Errorf("got think %+v fixed %v; want optional, temperature and the provider's top_k fixed", m.Think, m.Fixed)
	}
}

// TestLastParamsRemembersThinking: a model's last thinking choice comes
// back for its next conversation.
func TestLastParamsRemembersThinking(t *testing.T) {
	t.Parallel()
	r := newThinkingRig(t)
	off := false
	r.send(t, SendRequest{Model: "w-deepseek", Text: "hi", Params: Params{Thinking: &off, ReasoningEffort: "max"}})
	hs := NewHistoryService(context.Background(), ReadyHistory(r.hist), nil)
	p, err := hs.LastParams("w-deepseek")
	if err != nil || p == nil || p.Thinking == nil || *p.Thinking || p.ReasoningEffort != "max" {
		t.Errorf("got %+v, %v; want thinking off, max", p, err)
	}
	if p, err := hs.LastParams("w-qwen"); err != nil || p != nil {
		t.Errorf("unused model: got %+v, %v; want nothing", p, err)
	}
}

func ptr[T any](v T) *T { return &v }

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
