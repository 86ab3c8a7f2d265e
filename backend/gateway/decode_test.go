package gateway

import (
	"errors"
	"testing"
)

func TestDecoder(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name               string
		chunks             []string
		content, reasoning string
		prompt, completion int
		err                string
	}{
		{"plain", []string{`{"choices":[{"delta":{"content":"Hel"}}]}`, `{"choices":[{"delta":{"content":"lo"}}]}`}, "Hello", "", 0, 0, ""},
		{"reasoning_content (DeepSeek, Kimi, Qwen)", []string{`{"choices":[{"delta":{"reasoning_content":"hmm"}}]}`, `{"choices":[{"delta":{"content":"ok"}}]}`}, "ok", "hmm", 0, 0, ""},
		{"reasoning (Cerebras)", []string{`{"choices":[{"delta":{"reasoning":"hmm"}}]}`, `{"choices":[{"delta":{"content":"ok"}}]}`}, "ok", "hmm", 0, 0, ""},
		{"think tags split across chunks", []string{`{"choices":[{"delta":{"content":"<thi"}}]}`, `{"choices":[{"delta":{"content":"nk>x</think>y"}}]}`}, "y", "x", 0, 0, ""},
		{"usage at top level", []string{`{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4}}`}, "", "", 3, 4, ""},
		{"usage in choices[0] (Kimi)", []string{`{"choices":[{"delta":{},"usage":{"prompt_tokens":5,"completion_tokens":6}}]}`}, "", "", 5, 6, ""},
		{"usage null on every chunk (OpenAI)", []string{`{"choices":[{"delta":{"content":"a"}}],"usage":null}`}, "a", "", 0, 0, ""},
		{"whole body", []string{`{"choices":[{"message":{"content":"done","reasoning_content":"r"}}],"usage":{"prompt_tokens":1,"completion_tokens":2}}`}, "done", "r", 1, 2, ""},
		{"error event", []string{`{"choices":[{"delta":{"content":"a"}}]}`, `{"error":{"message":"overloaded"}}`}, "a", "", 0, 0, "overloaded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var d Decoder
			var content, reasoning string
			var usage *Usage
			var gotErr error
			for _, c := range tc.chunks {
				delta, ok := d.Decode([]byte(c))
				if !ok {
					t.Fatalf("chunk %s not read", c)
				}
				content += delta.Content
				reasoning += delta.Reasoning
				if delta.Usage != nil {
					usage = delta.Usage
				}
				if delta.Err != nil {
					gotErr = delta.Err
				}
			}
			c, r := d.End()
			content, reasoning = content+c, reasoning+r
			if content != tc.content || reasoning != tc.reasoning {
				t.Errorf("got content %q reasoning %q; want %q %q", content, reasoning, tc.content, tc.reasoning)
			}
			if tc.prompt != 0 && (usage == nil || usage.PromptTokens != tc.prompt || usage.CompletionTokens != tc.completion) {
				t.Errorf("got usage %+v; want %d/%d", usage, tc.prompt, tc.completion)
			}
			if tc.prompt == 0 && usage != nil {
				t.Errorf("got usage %+v; want none", usage)
			}
			if (gotErr == nil) != (tc.err == "") || (gotErr != nil && gotErr.Error() != tc.err) {
				t.Errorf("got error %v; want %q", gotErr, tc.err)
			}
		})
	}
	var d Decoder
	tool, _ := d.Decode([]byte(`{"choices":[{"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"ci"}}]},"finish_reason":null}]}`))
	more, _ := d.Decode([]byte(`{"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ty\":1}"}}]},"finish_reason":"tool_calls"}]}`))
	if len(tool.ToolCalls) != 1 || tool.ToolCalls[0] != (ToolCallDelta{ID: "call_1", Name: "get_weather", Arguments: `{"ci`}) ||
		len(more.ToolCalls) != 1 || more.ToolCalls[0].Arguments != `ty":1}` || more.FinishReason != "tool_calls" || tool.FinishReason != "" {
		t.Errorf("tool call pieces: %+v then %+v", tool, more)
	}
	if _, ok := d.Decode([]byte("not json")); ok {
		t.Error("a chunk that is not JSON was read")
	}
}

func TestHasUsageValue(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		data string
		want bool
	}{
		{`{"choices":[]}`, false},
		{`{"usage":null}`, false},
		{`{"usage" : null,"choices":[{"usage":null}]}`, false},
		{`{"choices":[{"delta":{"content":"\"usage\""}}]}`, false},
		{`{"usage":{"prompt_tokens":1}}`, true},
		{`{"usage":null,"choices":[{"usage":{"prompt_tokens":1}}]}`, true},
		{`{"usage" :{}}`, true},
	} {
		if got := hasUsageValue([]byte(tc.data)); got != tc.want {
			t.Errorf("%s: got %v; want %v", tc.data, got, tc.want)
		}
	}
}

func TestErrorKind(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		e    Error
		want string
	}{
		{Error{Status: 401, Code: "missing_provider_key"}, KindNoKey},
		{Error{Status: 401}, KindInvalidKey},
		{Error{Status: 403, Code: "provider_disabled"}, KindOther},
		{Error{Status: 402}, KindInsufficientBalance},
		{Error{Status: 429, Code: "insufficient_quota"}, KindInsufficientBalance},
		{Error{Status: 429, Code: "exceeded_current_quota_error"}, KindInsufficientBalance},
		{Error{Status: 429, Code: "rate_limit_exceeded"}, KindRateLimited},
		{Error{Status: 400, Message: "Insufficient Balance"}, KindInsufficientBalance},
		{Error{Status: 502}, KindUnreachable},
		{Error{Status: 504}, KindTimeout},
		{Error{Status: 404}, KindBadRequest},
		{Error{Status: 500}, KindProviderError},
		{Error{Status: 503}, KindProviderError},
		{Error{Status: 418}, KindOther},
	} {
		if got := tc.e.Kind(); got != tc.want {
			t.Errorf("%+v: got %s; want %s", tc.e, got, tc.want)
		}
	}
}

func TestStreamFailure(t *testing.T) {
	t.Parallel()
	if e := StreamFailure("kimi", ErrIdle); e.Status != 504 || e.Code != "upstream_timeout" {
		t.Errorf("idle: got %+v", e)
	}
	if e := StreamFailure("kimi", errors.New("boom")); e.Status != 502 || e.Code != "stream_interrupted" || e.Kind() != KindUnreachable {
		t.Errorf("cut: got %+v", e)
	}
}

// TestUsageDetails checks that cached and reasoning token counts are found
// in each provider's spelling.
func TestUsageDetails(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name              string
		chunk             string
		cached, reasoning int
	}{
		{"openai", `{"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":3}}}`, 4, 3},
		{"deepseek", `{"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":5,"prompt_cache_hit_tokens":6,"prompt_cache_miss_tokens":3}}`, 6, 0},
		{"kimi in choices", `{"choices":[{"delta":{},"usage":{"prompt_tokens":9,"completion_tokens":5,"cached_tokens":2}}]}`, 2, 0},
		{"none", `{"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":5}}`, 0, 0},
	} {
		var d Decoder
		delta, ok := d.Decode([]byte(tc.chunk))
		if !ok || delta.Usage == nil {
			t.Fatalf("%s: no usage", tc.name)
		}
		if delta.Usage.CachedTokens != tc.cached || delta.Usage.ReasoningTokens != tc.reasoning {
			t.Errorf("%s: got cached %d reasoning %d; want %d %d", tc.name, delta.Usage.CachedTokens, delta.Usage.ReasoningTokens, tc.cached, tc.reasoning)
		}
	}
}
