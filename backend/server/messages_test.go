package server_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"thinkcloud/backend/internal/testrig"
)

// post sends an Anthropic request with an SDK's headers.
func (s *stack) post(t *testing.T, path, body string, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("POST", s.url+path, strings.NewReader(body))
	req.Header.Set("X-Api-Key", "anything")
	req.Header.Set("Anthropic-Version", "2023-06-01")
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

// anEvent is one Anthropic SSE event.
type anEvent struct {
	Name string
	Data map[string]any
}

// anEvents reads an Anthropic SSE body: every event must have a name and
// JSON data of the same type.
func anEvents(t *testing.T, body []byte) []anEvent {
	t.Helper()
	var out []anEvent
	var name string
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "" || strings.HasPrefix(line, ":"):
		case strings.HasPrefix(line, "event: "):
			name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			var d map[string]any
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &d); err != nil {
				t.Fatalf("event data is not JSON: %s", line)
			}
			if d["type"] != name {
				t.Fatalf("event %q carries data of type %v", name, d["type"])
			}
			out = append(out, anEvent{name, d})
		default:
			t.Fatalf("unexpected SSE line %q", line)
		}
	}
	return out
}

func names(evs []anEvent) string {
	var n []string
	for _, e := range evs {
		n = append(n, e.Name)
	}
	return strings.Join(n, " ")
}

// text joins the text deltas of a stream.
func text(evs []anEvent, kind string) string {
	var b strings.Builder
	for _, e := range evs {
		if d, ok := e.Data["delta"].(map[string]any); ok && d["type"] == kind+"_delta" {
			b.WriteString(d[kind].(string))
		}
	}
	return b.String()
}

func msgBody(model, content, extra string) string {
	return `{"model":"` + model + `","max_tokens":256,"messages":[{"role":"user","content":` + content + `}]` + extra + `}`
}

// checkShape asserts the event order the SDKs and Claude Code rely on.
func checkShape(t *testing.T, evs []anEvent) {
	t.Helper()
	n := names(evs)
	if !strings.HasPrefix(n, "message_start ") || strings.Count(n, "message_start") != 1 || !strings.HasSuffix(n, " message_delta message_stop") {
		t.Fatalf("event order: %s", n)
	}
	open, started := -1, 0
	for _, e := range evs {
		idx, _ := e.Data["index"].(float64)
		switch e.Name {
		case "content_block_start":
			if open != -1 || int(idx) != started {
				t.Fatalf("block %v started while %d is open, after %d blocks: %s", idx, open, started, n)
			}
			open, started = int(idx), started+1
		case "content_block_delta":
			if int(idx) != open {
				t.Fatalf("delta for block %v while %d is open", idx, open)
			}
		case "content_block_stop":
			if int(idx) != open {
				t.Fatalf("stop of block %v while %d is open", idx, open)
			}
			open = -1
		}
	}
	if open != -1 {
		t.Fatalf("block %d never stopped", open)
	}
}

func TestMessagesTranslated(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "openai", "cerebras")
	for _, tc := range []struct{ model, want string }{
		{"gpt-6-luna", "Hello from openai (gpt-6-luna)."},
		{"qwen-3.8-27b", "Hello from cerebras (qwen-3.8-27b)."},
	} {
		resp, body := s.post(t, "/v1/messages?beta=true", msgBody(tc.model, `"hi"`, ""), nil)
		var m struct {
			StopReason string `json:"stop_reason"`
			Content    []map[string]any
			Usage      map[string]float64
		}
		json.Unmarshal(body, &m)
		if resp.StatusCode != 200 || len(m.Content) != 1 || m.Content[0]["text"] != tc.want || m.StopReason != "end_turn" {
			t.Fatalf("%s: got %d %s", tc.model, resp.StatusCode, body)
		}
		if !strings.HasPrefix(resp.Header.Get("Request-Id"), "req_") {
			t.Errorf("%s: request-id header %q", tc.model, resp.Header.Get("Request-Id"))
		}
		if !strings.Contains(string(body), `"model":"`+tc.model+`"`) || m.Usage["output_tokens"] == 0 || m.Usage["input_tokens"] != 9 {
			t.Errorf("%s: model or usage: %s", tc.model, body)
		}
		resp, body = s.post(t, "/v1/messages", msgBody(tc.model, `"hi"`, `,"stream":true`), nil)
		if resp.Header.Get("Content-Type") != "text/event-stream" {
			t.Fatalf("%s stream: got %d %q %s", tc.model, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		evs := anEvents(t, body)
		checkShape(t, evs)
		if got := text(evs, "text"); got != tc.want {
			t.Errorf("%s stream text: got %q", tc.model, got)
		}
		if last := evs[len(evs)-2].Data; last["delta"].(map[string]any)["stop_reason"] != "end_turn" {
			t.Errorf("%s: message_delta: %v", tc.model, last)
		}
	}
}

func TestMessagesNative(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "deepseek", "kimi", "dashscope")
	for _, tc := range []struct{ model, kind, upstream string }{
		{"claude-sonnet-4-5-20250929", "deepseek", "deepseek-flash"}, // the sonnet tier's default
		{"kimi-k3", "kimi", "kimi-k3"},
		{"qwen-3-7b", "dashscope", "qwen3-8b"},
	} {
		hdr := map[string]string{"Anthropic-Beta": "claude-code-20250219,interleaved-thinking-2025-05-14"}
		resp, body := s.post(t, "/v1/messages?beta=true", msgBody(tc.model, `"hi"`, `,"stream":true`), hdr)
		evs := anEvents(t, body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", tc.model, resp.StatusCode, body)
		}
		checkShape(t, evs)
		want := "Hello from " + tc.kind + "'s Anthropic API (" + tc.upstream + ")."
		if got := text(evs, "text"); got != want {
			t.Errorf("%s: got %q; want %q", tc.model, got, want)
		}
		rec, ok := s.fakes[tc.kind].LastMessages()
		if !ok {
			t.Fatalf("%s: the fake's Anthropic API saw nothing", tc.model)
		}
		var sent map[string]any
		json.Unmarshal(rec.Body, &sent)
		if sent["model"] != tc.upstream || rec.Header.Get("Anthropic-Beta") != hdr["Anthropic-Beta"] ||
			rec.Header.Get("Anthropic-Version") != "2023-06-01" || rec.Header.Get("X-Api-Key") != s.fakes[tc.kind].Key {
			t.Errorf("%s: the provider got model %v, headers %v", tc.model, sent["model"], rec.Header)
		}
		if strings.Replace(string(rec.Body), tc.upstream, tc.model, 1) != msgBody(tc.model, `"hi"`, `,"stream":true`) {
			t.Errorf("%s: body not passed byte for byte: %s", tc.model, rec.Body)
		}
		resp, body = s.post(t, "/v1/messages", msgBody(tc.model, `"hi"`, ""), nil)
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("%s non-stream: %d %s", tc.model, resp.StatusCode, body)
		}
	}
}

// toolLoop runs a two-turn tool loop with thinking on and returns the
// final answer's text.
func toolLoop(t *testing.T, s *stack, model string) string {
	t.Helper()
	tools := `,"thinking":{"type":"enabled","budget_tokens":2048},"tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}]`
	first := `[{"role":"user","content":"weather? trigger:toolloop"}]`
	resp, body := s.post(t, "/v1/messages", `{"model":"`+model+`","max_tokens":4096,"messages":`+first+tools+`}`, nil)
	var m struct {
		Content    json.RawMessage `json:"content"`
		StopReason string          `json:"stop_reason"`
	}
	json.Unmarshal(body, &m)
	if resp.StatusCode != 200 || m.StopReason != "tool_use" || !strings.Contains(string(m.Content), `"thinking"`) {
		t.Fatalf("%s first turn: %d %s", model, resp.StatusCode, body)
	}
	var blocks []map[string]any
	json.Unmarshal(m.Content, &blocks)
	id := blocks[len(blocks)-1]["id"].(string)
	msgs := `[{"role":"user","content":"weather? trigger:toolloop"},{"role":"assistant","content":` + string(m.Content) +
		`},{"role":"user","content":[{"type":"tool_result","tool_use_id":"` + id + `","content":"18°C"}]}]`
	resp, body = s.post(t, "/v1/messages", `{"model":"`+model+`","max_tokens":4096,"stream":true,"messages":`+msgs+tools+`}`, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("%s second turn: %d %s", model, resp.StatusCode, body)
	}
	evs := anEvents(t, body)
	checkShape(t, evs)
	return text(evs, "text")
}

func TestMessagesToolLoopKeepsThinking(t *testing.T) {
	t.Parallel()
	translated := newStackWith(t, testrig.Options{Fakes: []string{"deepseek", "kimi"},
		Settings: `{"version":1,"providers":{"deepseek":{"enabled":true,"anthropicAPI":"translate"},"kimi":{"enabled":true,"anthropicAPI":"translate"}}}`})
	native := newStack(t, nil, "deepseek", "kimi")
	for _, tc := range []struct {
		name  string
		s     *stack
		model string
		kind  string
	}{
		{"translated deepseek", translated, "deepseek-flash", "deepseek"},
		{"translated kimi", translated, "kimi-k3", "kimi"},
		{"native deepseek", native, "deepseek-flash", "deepseek"},
		{"native kimi", native, "kimi-k3", "kimi"},
	} {
		if got := toolLoop(t, tc.s, tc.model); got != "The tool said: 18°C" {
			t.Errorf("%s: final text %q", tc.name, got)
		}
		if tc.s == translated {
			// The fake refuses a lost reasoning_content (400); here is
			// what it got.
			var sent struct {
				Messages []map[string]any `json:"messages"`
			}
			json.Unmarshal(tc.s.fakes[tc.kind].Last(), &sent)
			if got := sent.Messages[1]["reasoning_content"]; got != "I will call the tool first." {
				t.Errorf("%s: reasoning_content sent back: %v", tc.name, got)
			}
		}
	}
}
