package gateway

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"thinkcloud/backend/catalog"
)

// thinkModels are models of each built-in provider's dialect with the
// thinking data the catalog carries for today's models, under ids of the
// tests' own: builtin.json's model list may change under these tests,
// the providers' spellings are what is under test.
var thinkModels = []catalog.Model{
	{ID: "t-ds-v4", Provider: "deepseek", Upstream: "deepseek-v4-pro", Think: &catalog.Thinking{Mode: catalog.ReasoningOptional, Efforts: []string{"high", "max"}, Default: "high"}},
	{ID: "t-same", Provider: "deepseek", Upstream: "t-same", Think: &catalog.Thinking{Mode: catalog.ReasoningOptional, Efforts: []string{"high", "max"}}},
	{ID: "t-ds-old", Provider: "deepseek", Upstream: "deepseek-chat"},
	{ID: "t-qwen", Provider: "dashscope", Upstream: "qwen3.6-plus", Think: &catalog.Thinking{Mode: catalog.ReasoningOptional, BudgetMax: 81920}},
	{ID: "t-qwen-effort", Provider: "dashscope", Upstream: "qwen3.8-max", Think: &catalog.Thinking{Mode: catalog.ReasoningOptional, Efforts: []string{"low", "medium", "high"}, BudgetMax: 81920}},
	{ID: "t-qwen-always", Provider: "dashscope", Upstream: "qwen3-235b-a22b-thinking-2507", Think: &catalog.Thinking{Mode: catalog.ReasoningAlways, BudgetMax: 81920}},
	{ID: "t-kimi-k3", Provider: "kimi", Upstream: "kimi-k3", Think: &catalog.Thinking{Mode: catalog.ReasoningAlways, Efforts: []string{"low", "high", "max"}}, Fixed: []string{"temperature", "top_p", "n", "presence_penalty", "frequency_penalty"}},
	{ID: "t-kimi-k26", Provider: "kimi", Upstream: "kimi-k2.6", Think: &catalog.Thinking{Mode: catalog.ReasoningOptional}, Fixed: []string{"temperature", "top_p"}},
	{ID: "t-cerebras", Provider: "cerebras", Upstream: "gpt-oss-120b", Think: &catalog.Thinking{Mode: catalog.ReasoningAlways, Efforts: []string{"low", "medium", "high"}, Default: "medium"}},
	{ID: "t-gpt6", Provider: "openai", Upstream: "gpt-6.1-terra", Think: &catalog.Thinking{Mode: catalog.ReasoningOptional, Efforts: []string{"none", "low", "medium", "high", "xhigh"}, Default: "none"}},
	{ID: "t-gpt5", Provider: "openai", Upstream: "gpt-5-mini", Think: &catalog.Thinking{Mode: catalog.ReasoningAlways, Efforts: []string{"minimal", "low", "medium", "high"}}},
	{ID: "t-gpt4o", Provider: "openai", Upstream: "gpt-4o", Think: &catalog.Thinking{Mode: catalog.ReasoningNone}},
}

func thinkRouter(t *testing.T) *Router {
	t.Helper()
	builtin, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.New(builtin.Providers(), thinkModels)
	if err != nil {
		t.Fatal(err)
	}
	return &Router{Catalog: cat}
}

// TestTurnThinkingDialects: the window's switch, effort and budget
// become each provider's own fields, mapped onto the levels the model
// accepts, and nothing the model does not take is sent.
func TestTurnThinkingDialects(t *testing.T) {
	t.Parallel()
	r := thinkRouter(t)
	on, off := true, false
	budget := func(n int) *int { return &n }
	enabled := map[string]any{"type": "enabled"}
	disabled := map[string]any{"type": "disabled"}
	thinkFields := []string{"thinking", "enable_thinking", "reasoning_effort", "thinking_budget"}
	for _, tc := range []struct {
		name   string
		model  string
		params Params
		want   map[string]any // every thinking field sent, and only these
		label  string
	}{
		{"deepseek off", "t-ds-v4", Params{Thinking: &off}, map[string]any{"thinking": disabled}, "off"},
		{"deepseek on", "t-ds-v4", Params{Thinking: &on}, map[string]any{"thinking": enabled}, "on"},
		{"deepseek max", "t-ds-v4", Params{ReasoningEffort: "max"}, map[string]any{"thinking": enabled, "reasoning_effort": "max"}, "max"},
		{"deepseek low becomes high", "t-ds-v4", Params{ReasoningEffort: "low"}, map[string]any{"thinking": enabled, "reasoning_effort": "high"}, "high"},
		{"deepseek xhigh becomes max", "t-ds-v4", Params{Thinking: &on, ReasoningEffort: "xhigh"}, map[string]any{"thinking": enabled, "reasoning_effort": "max"}, "max"},
		{"deepseek effort none is off", "t-ds-v4", Params{ReasoningEffort: "none"}, map[string]any{"thinking": disabled}, "off"},
		{"deepseek off drops effort", "t-ds-v4", Params{Thinking: &off, ReasoningEffort: "max"}, map[string]any{"thinking": disabled}, "off"},
		{"deepseek unknown model: switch only", "t-ds-old", Params{Thinking: &on, ReasoningEffort: "high"}, map[string]any{"thinking": enabled}, "on"},
		{"dashscope off", "t-qwen", Params{Thinking: &off}, map[string]any{"enable_thinking": false}, "off"},
		{"dashscope on", "t-qwen", Params{Thinking: &on}, map[string]any{"enable_thinking": true}, "on"},
		{"dashscope budget turns on", "t-qwen", Params{ThinkingBudget: budget(8192)}, map[string]any{"enable_thinking": true, "thinking_budget": float64(8192)}, "on, 8192 tokens"},
		{"dashscope budget ignored when off", "t-qwen", Params{Thinking: &off, ThinkingBudget: budget(8192)}, map[string]any{"enable_thinking": false}, "off"},
		{"dashscope takes no effort", "t-qwen", Params{ReasoningEffort: "high"}, map[string]any{"enable_thinking": true}, "on"},
		{"dashscope effort model", "t-qwen-effort", Params{ReasoningEffort: "medium"}, map[string]any{"enable_thinking": true, "reasoning_effort": "medium"}, "medium"},
		{"dashscope always: no switch", "t-qwen-always", Params{Thinking: &off}, map[string]any{}, ""},
		{"dashscope always: budget", "t-qwen-always", Params{ThinkingBudget: budget(1024)}, map[string]any{"thinking_budget": float64(1024)}, "on, 1024 tokens"},
		{"kimi k3 medium becomes high", "t-kimi-k3", Params{ReasoningEffort: "medium"}, map[string]any{"reasoning_effort": "high"}, "high"},
		{"kimi k3 low", "t-kimi-k3", Params{ReasoningEffort: "low"}, map[string]any{"reasoning_effort": "low"}, "low"},
		{"kimi k3 max", "t-kimi-k3", Params{ReasoningEffort: "max"}, map[string]any{"reasoning_effort": "max"}, "max"},
		{"kimi k3 cannot be switched off", "t-kimi-k3", Params{Thinking: &off}, map[string]any{}, ""},
		{"kimi k2.6 off", "t-kimi-k26", Params{Thinking: &off}, map[string]any{"thinking": disabled}, "off"},
		{"kimi k2.6 on", "t-kimi-k26", Params{Thinking: &on}, map[string]any{"thinking": enabled}, "on"},
		{"cerebras effort", "t-cerebras", Params{ReasoningEffort: "high"}, map[string]any{"reasoning_effort": "high"}, "high"},
		{"cerebras max becomes high", "t-cerebras", Params{ReasoningEffort: "max"}, map[string]any{"reasoning_effort": "high"}, "high"},
		{"cerebras budget becomes effort", "t-cerebras", Params{ThinkingBudget: budget(2000)}, map[string]any{"reasoning_effort": "low"}, "low"},
		{"openai none", "t-gpt6", Params{ReasoningEffort: "none"}, map[string]any{"reasoning_effort": "none"}, "none"},
		{"openai off is effort none", "t-gpt6", Params{Thinking: &off}, map[string]any{"reasoning_effort": "none"}, "none"},
		{"openai xhigh", "t-gpt6", Params{ReasoningEffort: "xhigh"}, map[string]any{"reasoning_effort": "xhigh"}, "xhigh"},
		{"openai minimal", "t-gpt5", Params{ReasoningEffort: "minimal"}, map[string]any{"reasoning_effort": "minimal"}, "minimal"},
		{"openai none becomes minimal", "t-gpt5", Params{ReasoningEffort: "none"}, map[string]any{"reasoning_effort": "minimal"}, "minimal"},
		{"non-reasoning model gets nothing", "t-gpt4o", Params{Thinking: &on, ReasoningEffort: "high"}, map[string]any{}, ""},
		{"nothing asked, nothing sent", "t-ds-v4", Params{}, map[string]any{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			call, e := r.PrepareTurn(Turn{Model: tc.model, Messages: []TurnMessage{{Role: "user", Content: "hi"}}, Params: tc.params})
			if e != nil {
				t.Fatal(e)
			}
			var body map[string]any
			if err := json.Unmarshal(call.Upstream, &body); err != nil {
				t.Fatal(err)
			}
			got := map[string]any{}
			for _, k := range thinkFields {
				if v, ok := body[k]; ok {
					got[k] = v
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("thinking fields: got %v; want %v", got, tc.want)
			}
			if call.Thinking != tc.label {
				t.Errorf("label: got %q; want %q", call.Thinking, tc.label)
			}
			if got := r.ThinkingLabel(Turn{Model: tc.model, Params: tc.params}); got != call.Thinking {
				t.Errorf("ThinkingLabel: got %q; want the call's %q", got, call.Thinking)
			}
		})
	}
}

// TestTurnThinkingBudgetRefused: a budget the model cannot take is a
// clear 400 naming the field, not a silent change.
func TestTurnThinkingBudgetRefused(t *testing.T) {
	t.Parallel()
	r := thinkRouter(t)
	for _, n := range []int{0, -5, 81921} {
		_, e := r.PrepareTurn(Turn{Model: "t-qwen", Messages: []TurnMessage{{Role: "user", Content: "hi"}}, Params: Params{ThinkingBudget: &n}})
		if e == nil || e.Param != "thinking_budget" || e.Status != 400 {
			t.Errorf("budget %d: got %v; want a 400 on thinking_budget", n, e)
		}
	}
}

// TestTurnFixedNeverSent: parameters the model fixes are left out of the
// chat's body whoever set them, the user or the model's defaults; other
// models still get them, a temperature of 0 included.
func TestTurnFixedNeverSent(t *testing.T) {
	t.Parallel()
	r := thinkRouter(t)
	temp, topP, pen, zero, n := 0.3, 0.9, 0.5, 0.0, 1000
	all := Params{Temperature: &temp, TopP: &topP, PresencePenalty: &pen, FrequencyPenalty: &pen, MaxTokens: &n}
	for _, tc := range []struct {
		model  string
		params Params
		absent []string
		sent   map[string]any
	}{
		{"t-kimi-k3", all, []string{"temperature", "top_p", "presence_penalty", "frequency_penalty", "max_tokens"}, map[string]any{"max_completion_tokens": float64(1000)}},
		{"t-kimi-k26", all, []string{"temperature", "top_p"}, map[string]any{"presence_penalty": 0.5, "max_completion_tokens": float64(1000)}},
		{"t-gpt5", all, []string{"temperature", "top_p", "max_tokens"}, map[string]any{"max_completion_tokens": float64(1000)}},
		{"t-ds-v4", Params{Temperature: &zero}, nil, map[string]any{"temperature": float64(0)}},
	} {
		call, e := r.PrepareTurn(Turn{Model: tc.model, Messages: []TurnMessage{{Role: "user", Content: "hi"}}, Params: tc.params})
		if e != nil {
			t.Fatal(e)
		}
		var body map[string]any
		json.Unmarshal(call.Upstream, &body)
		for _, k := range tc.absent {
			if v, ok := body[k]; ok {
				t.Errorf("%s: %s sent (%v); the model fixes it", tc.model, k, v)
			}
		}
		for k, v := range tc.sent {
			if !reflect.DeepEqual(body[k], v) {
				t.Errorf("%s: %s: got %v; want %v", tc.model, k, body[k], v)
			}
		}
	}

	// A model's own default for a fixed parameter is not sent either.
	builtin, _ := catalog.Builtin()
	cat, _ := catalog.New(builtin.Providers(), []catalog.Model{{ID: "k", Provider: "kimi", Upstream: "kimi-k2.6", Fixed: []string{"temperature"}, Defaults: map[string]float64{"temperature": 0.6}}})
	call, e := (&Router{Catalog: cat}).PrepareTurn(Turn{Model: "k", Messages: []TurnMessage{{Role: "user", Content: "hi"}}})
	if e != nil {
		t.Fatal(e)
	}
	if strings.Contains(string(call.Upstream), "temperature") {
		t.Errorf("default of a fixed temperature sent: %s", call.Upstream)
	}
}

// TestTurnPreservesThinking: where the provider has a flag for it
// (DashScope's preserve_thinking), a thinking turn sends the earlier
// answers' reasoning back with the flag; a turn with thinking off, a
// model that does not think, or a provider without the flag sends none.
func TestTurnPreservesThinking(t *testing.T) {
	t.Parallel()
	r := thinkRouter(t)
	on, off := true, false
	history := []TurnMessage{
		{Role: "user", Content: "pick a number"},
		{Role: "assistant", Content: "ok", Reasoning: "I picked 7."},
		{Role: "user", Content: "which?"},
	}
	for _, tc := range []struct {
		name     string
		model    string
		params   Params
		preserve bool
	}{
		{"qwen, thinking on", "t-qwen", Params{Thinking: &on}, true},
		{"qwen, a budget", "t-qwen", Params{ThinkingBudget: func() *int { n := 2048; return &n }()}, true},
		{"qwen that always thinks", "t-qwen-always", Params{}, true},
		{"qwen, thinking off", "t-qwen", Params{Thinking: &off}, false},
		{"qwen, nothing asked of an optional thinker", "t-qwen", Params{}, false},
		{"deepseek has no such flag", "t-ds-v4", Params{Thinking: &on}, false},
	} {
		call, e := r.PrepareTurn(Turn{Model: tc.model, System: "be brief", Messages: history, Params: tc.params})
		if e != nil {
			t.Fatalf("%s: %v", tc.name, e)
		}
		var body struct {
			Preserve *bool `json:"preserve_thinking"`
			Messages []map[string]any
		}
		if err := json.Unmarshal(call.Upstream, &body); err != nil {
			t.Fatal(err)
		}
		got := body.Preserve != nil && *body.Preserve
		replayed, _ := body.Messages[2]["reasoning_content"].(string) // after the system message
		if got != tc.preserve || (replayed == "I picked 7.") != tc.preserve {
			t.Errorf("%s: preserve_thinking %v, assistant reasoning_content %q; want preserved=%v", tc.name, body.Preserve, replayed, tc.preserve)
		}
		if _, ok := body.Messages[1]["reasoning_content"]; ok {
			t.Errorf("%s: a user message carries reasoning_content", tc.name)
		}
	}
}
