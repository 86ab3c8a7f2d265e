package anthropic

import (
	"encoding/json"
	"strings"
	"testing"
)

// translate builds a request for model from its messages (JSON) and
// extra top-level fields, and translates it.
func translate(t *testing.T, model, messages, extra string) (map[string]any, string) {
	t.Helper()
	r := testRouter(t)
	body := `{"model":"` + model + `","max_tokens":100,"messages":` + messages + extra + `}`
	req, e := Parse([]byte(body), true)
	if e != nil {
		return nil, e.Message
	}
	out, e := ChatBody(req, target(t, r, model), r.SigningKey)
	if e != nil {
		return nil, e.Message
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("chat body is not JSON: %s", out)
	}
	return m, ""
}

// msg returns the chat message at i as JSON, for compact comparisons.
func msg(t *testing.T, body map[string]any, i int) string {
	t.Helper()
	msgs := body["messages"].([]any)
	if i >= len(msgs) {
		t.Fatalf("only %d messages: %v", len(msgs), msgs)
	}
	b, _ := json.Marshal(msgs[i])
	return string(b)
}

// TestBlockTypes covers every content block type, where it may and may
// not appear, and how it reaches the provider.
func TestBlockTypes(t *testing.T) {
	t.Parallel()
	r := testRouter(t)
	good := Sign(signingKey(t, r, "deepseek"), "deepseek", "why")
	foreignProvider := Sign(signingKey(t, r, "kimi"), "kimi", "why")
	carried := SignCarrying(signingKey(t, r, "deepseek"), "deepseek", "why")
	tampered := carried[:strings.LastIndex(carried, ".")+1] + "d2hv" // carries "who"
	user := func(blocks string) string { return `[{"role":"user","content":` + blocks + `}]` }
	loop := func(assistant string) string {
		return `[{"role":"user","content":"q"},{"role":"assistant","content":` + assistant + `},{"role":"user","content":[{"type":"tool_result","tool_use_id":"c1","content":"ok"}]}]`
	}
	for _, tc := range []struct {
		name, model, messages, extra string
		at                           int    // the chat message to compare
		want                         string // that message as JSON, or
		err                          string // a phrase of the 400
	}{
		{"text string", "gpt-6-luna", user(`"hi"`), "", 0, `{"content":"hi","role":"user"}`, ""},
		{"text blocks joined", "gpt-6-luna", user(`[{"type":"text","text":"a"},{"type":"text","text":"b","cache_control":{"type":"ephemeral"}}]`), "", 0, `{"content":"a\n\nb","role":"user"}`, ""},
		{"image base64", "gpt-6-luna", user(`[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]`), "", 0, `{"content":[{"image_url":{"url":"data:image/png;base64,AAAA"},"type":"image_url"}],"role":"user"}`, ""},
		{"image url", "gpt-6-luna", user(`[{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]`), "", 0, `{"content":[{"image_url":{"url":"https://x/y.png"},"type":"image_url"}],"role":"user"}`, ""},
		{"image bad source", "gpt-6-luna", user(`[{"type":"image","source":{"type":"file","file_id":"f"}}]`), "", 0, "", `messages.0.content.0: image source type "file" is not supported`},
		{"image without data", "gpt-6-luna", user(`[{"type":"image","source":{"type":"base64","media_type":"image/png"}}]`), "", 0, "", "needs media_type and data"},
		{"tool_use", "gpt-6-luna", loop(`[{"type":"tool_use","id":"c1","name":"f","input":{"a":1}}]`), "", 1, `{"content":null,"role":"assistant","tool_calls":[{"function":{"arguments":"{\"a\":1}","name":"f"},"id":"c1","type":"function"}]}`, ""},
		{"tool_use without id", "gpt-6-luna", loop(`[{"type":"tool_use","name":"f","input":{}}]`), "", 0, "", "tool_use needs an id and a name"},
		{"tool_result string", "gpt-6-luna", loop(`[{"type":"tool_use","id":"c1","name":"f","input":{}}]`), "", 2, `{"content":"ok","role":"tool","tool_call_id":"c1"}`, ""},
		{"tool_result array and error", "gpt-6-luna", user(`[{"type":"tool_result","tool_use_id":"c1","is_error":true,"content":[{"type":"text","text":"no"},{"type":"text","text":"such file"}]}]`), "", 0, `{"content":"Error: no\nsuch file","role":"tool","tool_call_id":"c1"}`, ""},
		{"tool_result image follows as user", "gpt-6-luna", user(`[{"type":"tool_result","tool_use_id":"c1","content":[{"type":"image","source":{"type":"url","url":"https://x/s.png"}}]}]`), "", 1, `{"content":[{"text":"Images returned by tool call c1:","type":"text"},{"image_url":{"url":"https://x/s.png"},"type":"image_url"}],"role":"user"}`, ""},
		{"tool_result without id", "gpt-6-luna", user(`[{"type":"tool_result","content":"x"}]`), "", 0, "", "tool_use_id: Field required"},
		{"tool_result with a document", "gpt-6-luna", user(`[{"type":"tool_result","tool_use_id":"c1","content":[{"type":"document","source":{}}]}]`), "", 0, "", `content block type "document" is not supported in a tool result`},
		{"thinking restored", "deepseek-v4-pro", loop(`[{"type":"thinking","thinking":"why","signature":"` + good + `"},{"type":"tool_use","id":"c1","name":"f","input":{}}]`), "", 1, `{"content":null,"reasoning_content":"why","role":"assistant","tool_calls":[{"function":{"arguments":"{}","name":"f"},"id":"c1","type":"function"}]}`, ""},
		{"thinking from another of our providers", "deepseek-v4-pro", loop(`[{"type":"thinking","thinking":"why","signature":"` + foreignProvider + `"},{"type":"tool_use","id":"c1","name":"f","input":{}}]`), "", 1, `{"content":null,"reasoning_content":"why","role":"assistant","tool_calls":[{"function":{"arguments":"{}","name":"f"},"id":"c1","type":"function"}]}`, ""},
		{"thinking carried by its signature", "deepseek-v4-pro", loop(`[{"type":"thinking","thinking":"","signature":"` + carried + `"},{"type":"tool_use","id":"c1","name":"f","input":{}}]`), "", 1, `{"content":null,"reasoning_content":"why","role":"assistant","tool_calls":[{"function":{"arguments":"{}","name":"f"},"id":"c1","type":"function"}]}`, ""},
		{"carried thinking tampered", "deepseek-v4-pro", loop(`[{"type":"thinking","thinking":"","signature":"` + tampered + `"}]`), "", 0, "", "does not match its text"},
		{"carried thinking with other text", "deepseek-v4-pro", loop(`[{"type":"thinking","thinking":"because","signature":"` + carried + `"}]`), "", 0, "", "does not match its text"},
		{"thinking edited", "deepseek-v4-pro", loop(`[{"type":"thinking","thinking":"why not","signature":"` + good + `"}]`), "", 0, "", "messages.1.content.0.signature: this thinking block's signature does not match its text"},
		{"thinking forged", "deepseek-v4-pro", loop(`[{"type":"thinking","thinking":"why","signature":"tc1.deepseek.AAAA"}]`), "", 0, "", "does not match its text"},
		{"thinking foreign", "deepseek-v4-pro", loop(`[{"type":"thinking","thinking":"why","signature":"EqQBCkYIBxgCKkD…anthropic"}]`), "", 0, "", "was not issued by ThinkCloud"},
		{"thinking signed for an unreachable provider", "deepseek-v4-pro", loop(`[{"type":"thinking","thinking":"why","signature":"tc1.nokey.AAAA"}]`), "", 0, "", "signed for nokey, which cannot be reached now"},
		{"thinking dropped where not wanted", "gpt-6-luna", loop(`[{"type":"thinking","thinking":"why","signature":"` + good + `"},{"type":"text","text":"ok"}]`), "", 1, `{"content":"ok","role":"assistant"}`, ""},
		{"empty reasoning back in a tool loop", "deepseek-v4-pro", loop(`[{"type":"tool_use","id":"c1","name":"f","input":{}}]`), "", 1, `{"content":null,"reasoning_content":"","role":"assistant","tool_calls":[{"function":{"arguments":"{}","name":"f"},"id":"c1","type":"function"}]}`, ""},
		{"redacted_thinking", "deepseek-v4-pro", loop(`[{"type":"redacted_thinking","data":"xyz"}]`), "", 0, "", "redacted_thinking blocks come from Anthropic"},
		{"document refused", "gpt-6-luna", user(`[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"}}]`), "", 0, "", `content block type "document" is not supported in a user message`},
		{"unknown type named", "gpt-6-luna", user(`[{"type":"hologram"}]`), "", 0, "", `messages.0.content.0: content block type "hologram" is not supported`},
		{"server tool use refused", "gpt-6-luna", loop(`[{"type":"server_tool_use","id":"s","name":"web_search","input":{}}]`), "", 0, "", `"server_tool_use" is not supported in an assistant message`},
		{"image in assistant refused", "gpt-6-luna", loop(`[{"type":"image","source":{"type":"url","url":"u"}}]`), "", 0, "", `"image" is not supported in an assistant message`},
		{"tool_result in assistant refused", "gpt-6-luna", loop(`[{"type":"tool_result","tool_use_id":"c1"}]`), "", 0, "", `"tool_result" is not supported in an assistant message`},
		{"content neither string nor array", "gpt-6-luna", user(`{"type":"text"}`), "", 0, "", "content must be a string or an array"},
		{"system string", "gpt-6-luna", user(`"q"`), `,"system":"be kind"`, 0, `{"content":"be kind","role":"system"}`, ""},
		{"system image refused", "gpt-6-luna", user(`"q"`), `,"system":[{"type":"image","source":{"type":"url","url":"u"}}]`, 0, "", `system.0: block type "image" is not allowed`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, err := translate(t, tc.model, tc.messages, tc.extra)
			if tc.err != "" {
				if !strings.Contains(err, tc.err) {
					t.Fatalf("got error %q; want one containing %q", err, tc.err)
				}
				return
			}
			if err != "" {
				t.Fatalf("got error %q", err)
			}
			if got := msg(t, body, tc.at); got != tc.want {
				t.Errorf("message %d:\n got %s\nwant %s", tc.at, got, tc.want)
			}
		})
	}
}

// TestRequestFields covers the request's other fields: the controls each
// provider spells its own way, and the refusals.
func TestRequestFields(t *testing.T) {
	t.Parallel()
	hi := `[{"role":"user","content":"hi"}]`
	for _, tc := range []struct {
		name, model, extra string
		want               map[string]string // field -> JSON ("absent" when it must not be there)
		err                string
	}{
		{"tool_choice auto", "gpt-6-luna", `,"tools":[{"name":"f"}],"tool_choice":{"type":"auto"}`, map[string]string{"tool_choice": `"auto"`}, ""},
		{"tool_choice any", "gpt-6-luna", `,"tools":[{"name":"f"}],"tool_choice":{"type":"any"}`, map[string]string{"tool_choice": `"required"`}, ""},
		{"tool_choice tool", "gpt-6-luna", `,"tools":[{"name":"f"}],"tool_choice":{"type":"tool","name":"f"}`, map[string]string{"tool_choice": `{"function":{"name":"f"},"type":"function"}`}, ""},
		{"tool_choice none", "gpt-6-luna", `,"tools":[{"name":"f"}],"tool_choice":{"type":"none"}`, map[string]string{"tool_choice": `"none"`}, ""},
		{"tool_choice without tools", "gpt-6-luna", `,"tool_choice":{"type":"auto"}`, map[string]string{"tool_choice": "absent", "tools": "absent"}, ""},
		{"tool_choice bad", "gpt-6-luna", `,"tools":[{"name":"f"}],"tool_choice":{"type":"maybe"}`, nil, `tool_choice.type: "maybe" is not one of`},
		{"tool_choice tool needs a name", "gpt-6-luna", `,"tools":[{"name":"f"}],"tool_choice":{"type":"tool"}`, nil, "tool_choice.name: Field required"},
		{"parallel off", "gpt-6-luna", `,"tools":[{"name":"f"}],"tool_choice":{"type":"auto","disable_parallel_tool_use":true}`, map[string]string{"parallel_tool_calls": "false"}, ""},
		{"server tool refused", "gpt-6-luna", `,"tools":[{"type":"web_search_20250305","name":"web_search"}]`, nil, `tools.0: tool type "web_search_20250305" is a tool Anthropic runs itself`},
		{"tool without name", "gpt-6-luna", `,"tools":[{"input_schema":{}}]`, nil, "tools.0.name: Field required"},
		{"mcp servers refused", "gpt-6-luna", `,"mcp_servers":[{"type":"url","url":"u","name":"n"}]`, nil, "mcp_servers and container ask Anthropic"},
		{"stop sequences", "gpt-6-luna", `,"stop_sequences":["END"]`, map[string]string{"stop": `["END"]`}, ""},
		{"sampling", "gpt-6-luna", `,"temperature":0,"top_p":0.5,"top_k":5`, map[string]string{"temperature": "0", "top_p": "0.5", "top_k": "absent"}, ""},
		{"top_k where accepted", "qwen-plus", `,"top_k":5`, map[string]string{"top_k": "5"}, ""},
		{"fixed sampling", "kimi/kimi-k3", `,"temperature":0.2,"top_p":0.5`, map[string]string{"temperature": "absent", "top_p": "absent"}, ""},
		{"max_tokens spelled for o-series", "openai/o3-mini", ``, map[string]string{"max_completion_tokens": "100", "max_tokens": "absent"}, ""},
		{"thinking enabled deepseek", "deepseek-flash", `,"thinking":{"type":"enabled","budget_tokens":1024}`, map[string]string{"thinking": `{"type":"enabled"}`, "thinking_budget": "absent"}, ""},
		{"thinking disabled kimi", "kimi/kimi-k2.6", `,"thinking":{"type":"disabled"}`, map[string]string{"thinking": `{"type":"disabled"}`}, ""},
		{"thinking budget dashscope", "qwen-plus", `,"thinking":{"type":"enabled","budget_tokens":2000}`, map[string]string{"enable_thinking": "true", "thinking_budget": "2000"}, ""},
		{"thinking disabled dashscope", "qwen-plus", `,"thinking":{"type":"disabled"}`, map[string]string{"enable_thinking": "false", "thinking_budget": "absent"}, ""},
		{"effort only where the model takes it", "gpt-6-luna", `,"thinking":{"type":"adaptive"},"output_config":{"effort":"high"}`, map[string]string{"reasoning_effort": "absent"}, ""},
		{"budget as effort, small", "openai/o3-mini", `,"thinking":{"type":"enabled","budget_tokens":2000}`, map[string]string{"reasoning_effort": `"low"`}, ""},
		{"budget as effort, large", "cerebras/gpt-oss-120b", `,"thinking":{"type":"enabled","budget_tokens":32000}`, map[string]string{"reasoning_effort": `"high"`}, ""},
		{"explicit effort beats the budget", "openai/o3-mini", `,"thinking":{"type":"enabled","budget_tokens":2000},"output_config":{"effort":"medium"}`, map[string]string{"reasoning_effort": `"medium"`}, ""},
		{"adaptive with effort", "cerebras/gpt-oss-120b", `,"thinking":{"type":"adaptive"},"output_config":{"effort":"low"}`, map[string]string{"reasoning_effort": `"low"`}, ""},
		{"budget too small", "deepseek-flash", `,"thinking":{"type":"enabled","budget_tokens":10}`, nil, "thinking.budget_tokens: must be at least 1024"},
		{"thinking type bad", "deepseek-flash", `,"thinking":{"type":"sometimes"}`, nil, `thinking.type: "sometimes" is not one of`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, err := translate(t, tc.model, hi, tc.extra)
			if tc.err != "" {
				if !strings.Contains(err, tc.err) {
					t.Fatalf("got error %q; want one containing %q", err, tc.err)
				}
				return
			}
			if err != "" {
				t.Fatalf("got error %q", err)
			}
			for k, want := range tc.want {
				v, ok := body[k]
				got := "absent"
				if ok {
					b, _ := json.Marshal(v)
					got = string(b)
				}
				if got != want {
					t.Errorf("%s: got %s; want %s", k, got, want)
				}
			}
		})
	}
}

// TestParse covers the refusals before any translation.
func TestParse(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, body, err string }{
		{"not JSON", `{`, "could not parse the JSON body"},
		{"no model", `{"max_tokens":1,"messages":[{"role":"user","content":"x"}]}`, "model: Field required"},
		{"no messages", `{"model":"m","max_tokens":1,"messages":[]}`, "messages: at least one message"},
		{"no max_tokens", `{"model":"m","messages":[{"role":"user","content":"x"}]}`, "max_tokens: Field required"},
		{"max_tokens zero", `{"model":"m","max_tokens":0,"messages":[{"role":"user","content":"x"}]}`, "max_tokens: must be at least 1"},
		{"bad role", `{"model":"m","max_tokens":1,"messages":[{"role":"tool","content":"x"}]}`, `messages.0.role: "tool" is not one of user, assistant, system`},
		{"temperature range", `{"model":"m","max_tokens":1,"temperature":1.5,"messages":[{"role":"user","content":"x"}]}`, "temperature: must be between 0 and 1"},
		{"wrong type", `{"model":"m","max_tokens":"many","messages":[{"role":"user","content":"x"}]}`, "max_tokens: expected int64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, e := Parse([]byte(tc.body), true)
			if e == nil || e.Status != 400 || !strings.Contains(e.Message, tc.err) {
				t.Fatalf("got %v; want a 400 containing %q", e, tc.err)
			}
		})
	}
}
