package gateway

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"thinkcloud/backend/catalog"
)

func catalogRouter(t *testing.T) *Router {
	t.Helper()
	cat, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	// Retirement follows dates: pin the day so gpt-4o (shut down on
	// 2027-01-14) stays the chat model these tests need.
	cat.SetClock(func() time.Time { return time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC) })
	// No built-in model has defaults any more; a custom one shows they
	// are applied.
	if err := cat.SetCustom([]catalog.Provider{{ID: "custom-tempered", BaseURL: "http://127.0.0.1:1/v1"}},
		[]catalog.Model{{ID: "tempered", Provider: "custom-tempered", Defaults: map[string]float64{"temperature": 1, "max_tokens": 16000}}}); err != nil {
		t.Fatal(err)
	}
	return &Router{Catalog: cat}
}

// TestPrepareTurnDialects checks that each provider gets its own spelling
// of the thinking switch, effort and token limit, read from the catalog.
func TestPrepareTurnDialects(t *testing.T) {
	t.Parallel()
	r := catalogRouter(t)
	on, off, zero, n := true, false, 0.0, 500
	for _, tc := range []struct {
		name   string
		model  string
		params Params
		want   map[string]any // fields that must be there, with these values
		absent []string
	}{
		{"deepseek thinking on", "deepseek-flash", Params{Thinking: &on}, map[string]any{"thinking": map[string]any{"type": "enabled"}}, []string{"enable_thinking", "reasoning_effort"}},
		{"deepseek thinking off", "deepseek-flash", Params{Thinking: &off}, map[string]any{"thinking": map[string]any{"type": "disabled"}}, nil},
		{"dashscope switch", "qwen-plus", Params{Thinking: &off}, map[string]any{"enable_thinking": false}, []string{"thinking"}},
		// Kimi's K2.6 line switches thinking like DeepSeek (REFERENCE.md, 2026).
		{"kimi thinking switch, no effort", "kimi-k2.6", Params{Thinking: &on, ReasoningEffort: "high"}, map[string]any{"thinking": map[string]any{"type": "enabled"}}, []string{"enable_thinking", "reasoning_effort"}},
		{"openai effort and completion tokens", "openai/gpt-5-mini", Params{ReasoningEffort: "low", MaxTokens: &n}, map[string]any{"reasoning_effort": "low", "max_completion_tokens": float64(500)}, []string{"max_tokens"}},
		{"openai chat model keeps max_tokens", "gpt-4o", Params{MaxTokens: &n}, map[string]any{"max_tokens": float64(500)}, []string{"max_completion_tokens"}},
		{"cerebras effort", "cerebras/gpt-oss-120b", Params{ReasoningEffort: "medium"}, map[string]any{"reasoning_effort": "medium"}, nil},
		{"temperature zero is sent", "gpt-4o", Params{Temperature: &zero}, map[string]any{"temperature": float64(0)}, nil},
		{"model defaults", "tempered", Params{}, map[string]any{"temperature": float64(1), "max_tokens": float64(16000)}, nil},
		{"upstream id sent", "qwen-3.8-27b", Params{}, map[string]any{"model": "qwen-3.8-27b", "stream": true, "stream_options": map[string]any{"include_usage": true}}, nil},
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
			for k, v := range tc.want {
				if !reflect.DeepEqual(body[k], v) {
					t.Errorf("%s: got %v; want %v", k, body[k], v)
				}
			}
			for _, k := range tc.absent {
				if _, ok := body[k]; ok {
					t.Errorf("%s sent: %v", k, body[k])
				}
			}
			if !call.Stream || !call.IncludeUsage {
				t.Errorf("call: stream %v, usage %v; want both", call.Stream, call.IncludeUsage)
			}
		})
	}
}

func TestPrepareTurnMessages(t *testing.T) {
	t.Parallel()
	r := catalogRouter(t)
	call, e := r.PrepareTurn(Turn{Model: "gpt-6-luna", System: "be brief", Messages: []TurnMessage{
		{Role: "user", Content: "look", Images: []string{"data:image/png;base64,AAAA"}},
		{Role: "assistant", Content: "a cat"},
	}})
	if e != nil {
		t.Fatal(e)
	}
	var body struct {
		Messages []struct {
			Role    string `json:"role"`
			Content any    `json:"content"`
		} `json:"messages"`
	}
	json.Unmarshal(call.Upstream, &body)
	if len(body.Messages) != 3 || body.Messages[0].Role != "system" || body.Messages[0].Content != "be brief" {
		t.Fatalf("got %+v", body.Messages)
	}
	parts, ok := body.Messages[1].Content.([]any)
	if !ok || len(parts) != 2 || parts[1].(map[string]any)["type"] != "image_url" {
		t.Errorf("image message: got %#v", body.Messages[1].Content)
	}
	if body.Messages[2].Content != "a cat" {
		t.Errorf("assistant: got %#v", body.Messages[2].Content)
	}
}

func TestPrepareTurnRefusals(t *testing.T) {
	t.Parallel()
	r := catalogRouter(t)
	hot, none := 2.5, 0
	for _, tc := range []struct {
		turn Turn
		code string
	}{
		{Turn{Model: "no-such-model"}, "model_not_found"},
		{Turn{Model: "gpt-6-luna", Params: Params{Temperature: &hot}}, "invalid_value"},
		{Turn{Model: "gpt-6-luna", Params: Params{MaxTokens: &none}}, "invalid_value"},
	} {
		if _, e := r.PrepareTurn(tc.turn); e == nil || e.Code != tc.code {
			t.Errorf("%+v: got %v; want %s", tc.turn, e, tc.code)
		}
	}
}

// TestPrepareTurnOnce: a turn that asks for one body (a title) is sent
// unstreamed, without stream_options, and the call says so.
func TestPrepareTurnOnce(t *testing.T) {
	t.Parallel()
	r := catalogRouter(t)
	off, n := false, 60
	call, e := r.PrepareTurn(Turn{Model: "deepseek-flash", Once: true, Messages: []TurnMessage{{Role: "user", Content: "hi"}},
		Params: Params{Thinking: &off, MaxTokens: &n}})
	if e != nil {
		t.Fatal(e)
	}
	var body map[string]any
	if err := json.Unmarshal(call.Upstream, &body); err != nil {
		t.Fatal(err)
	}
	if body["stream"] != false || body["stream_options"] != nil || call.Stream || call.IncludeUsage {
		t.Errorf("body stream %v, stream_options %v, call stream %v usage %v; want an unstreamed call", body["stream"], body["stream_options"], call.Stream, call.IncludeUsage)
	}
	if body["max_tokens"] != float64(60) || !reflect.DeepEqual(body["thinking"], map[string]any{"type": "disabled"}) {
		t.Errorf("body %v; want max_tokens 60 and thinking disabled", body)
	}
}
