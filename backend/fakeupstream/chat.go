package fakeupstream

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// chatReq is what the fakes read from a request.
type chatReq struct {
	Model          string `json:"model"`
	Stream         bool   `json:"stream"`
	EnableThinking *bool  `json:"enable_thinking"`
	Thinking       *struct {
		Type string `json:"type"`
	} `json:"thinking"`
	Tools []struct {
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
	} `json:"tools"`
	FreqPenalty   *float64          `json:"frequency_penalty"`
	Messages      []json.RawMessage `json:"messages"`
	StreamOptions *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
}

// lastUser returns the text of the last user message (string content or
// text parts).
func (c chatReq) lastUser() string {
	for i := len(c.Messages) - 1; i >= 0; i-- {
		var m chatMessage
		if json.Unmarshal(c.Messages[i], &m) == nil && m.Role == "user" {
			return m.text()
		}
	}
	return ""
}

// reasons says whether the model thinks aloud for this request.
func (f *Fake) reasons(c chatReq) bool {
	m := c.Model
	thinkingOn := c.Thinking != nil && c.Thinking.Type == "enabled"
	thinkingOff := c.Thinking != nil && c.Thinking.Type == "disabled"
	switch f.Kind {
	case DeepSeek:
		// V4 Pro thinks unless told not to. (DeepSeek's Flash does too;
		// this fake still treats Flash as thinking only on request.)
		return strings.Contains(m, "reasoner") || thinkingOn || (strings.HasPrefix(m, "deepseek-v4-pro") && !thinkingOff)
	case Kimi:
		// K3 and K2.7 Code always think; K2.6 thinks on request here.
		return strings.Contains(m, "thinking") || thinkingOn || strings.HasPrefix(m, "kimi-k3") || strings.HasPrefix(m, "kimi-k2.7-code")
	case DashScope:
		return strings.Contains(m, "thinking") || (c.EnableThinking != nil && *c.EnableThinking)
	case Cerebras:
		return strings.HasPrefix(m, "gpt-oss")
	}
	return strings.HasPrefix(m, "o1") || strings.HasPrefix(m, "o3")
}

func (f *Fake) chat(w http.ResponseWriter, r *http.Request, body []byte) {
	var c chatReq
	if err := json.Unmarshal(body, &c); err != nil {
		writeJSON(w, 400, errBody("We could not parse the JSON body of your request.", "invalid_request_error", ""))
		return
	}
	if f.Kind == Cerebras && c.FreqPenalty != nil {
		writeJSON(w, 400, errBody("frequency_penalty is not supported", "invalid_request_error", "wrong_api_format"))
		return
	}
	if f.Kind == DashScope && c.EnableThinking != nil && *c.EnableThinking && !c.Stream {
		writeJSON(w, 400, errBody("parameter.enable_thinking must be set to false for non-streaming calls", "invalid_request_error", "invalid_parameter_error"))
		return
	}
	if f.checkReplay(w, c) || f.scripted(w, r, c, body) {
		return
	}
	if e := f.checkReasoning(c); e != "" {
		writeJSON(w, 400, errBody(e, "invalid_request_error", "invalid_request_error"))
		return
	}
	if p, ok := scripted(f.chatConversation(c)); ok {
		f.answerPlan(w, r, c, p)
		return
	}
	if f.trigger(w, r, c) {
		return
	}
	answer := fmt.Sprintf("Hello from %s (%s).", f.Kind, c.Model)
	reasoning := ""
	if f.reasons(c) {
		reasoning = "Let me think about this step by step."
	}
	if c.Stream {
		s := script{content: splitWords(answer)}
		if reasoning != "" {
			s.reasoning = splitWords(reasoning)
		}
		f.stream(w, r, c, s)
		return
	}
	f.complete(w, c, answer, reasoning)
}

func errBody(msg, typ, code string) map[string]any {
	var c any
	if code != "" {
		c = code
	}
	return map[string]any{"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": c}}
}

func splitWords(s string) []string {
	var out []string
	for i, w := range strings.Split(s, " ") {
		if i > 0 {
			w = " " + w
		}
		out = append(out, w)
	}
	return out
}

// usage is the usage object in each provider's spelling.
func (f *Fake) usage(prompt, completion int) map[string]any {
	u := map[string]any{"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}
	switch f.Kind {
	case DeepSeek:
		u["prompt_cache_hit_tokens"], u["prompt_cache_miss_tokens"] = 0, prompt
	case Kimi:
		u["cached_tokens"] = 0
	}
	return u
}

// complete answers a non-streaming request. DeepSeek sends blank lines
// while the request queues, before the JSON.
func (f *Fake) complete(w http.ResponseWriter, c chatReq, answer, reasoning string) {
	f.completeWith(w, c, answer, reasoning, nil)
}

// completeWith answers a non-streaming request, with a tool call when
// call is set.
func (f *Fake) completeWith(w http.ResponseWriter, c chatReq, answer, reasoning string, call *toolCall) {
	msg := map[string]any{"role": "assistant", "content": answer}
	finish := "stop"
	if call != nil {
		msg["content"] = nil
		msg["tool_calls"] = []any{map[string]any{"id": call.ID, "type": "function", "function": map[string]any{"name": call.Name, "arguments": call.Args}}}
		finish = "tool_calls"
	}
	if reasoning != "" {
		msg["reasoning_content"] = reasoning
		if f.Kind == Cerebras {
			delete(msg, "reasoning_content")
			msg["reasoning"] = reasoning
		}
	}
	resp := map[string]any{
		"id": "chatcmpl-fake", "object": "chat.completion", "created": 1700000000, "model": c.Model,
		"choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": finish, "logprobs": nil}},
		"usage":   f.usage(9, len(strings.Fields(answer))),
	}
	w.Header().Set("Content-Type", "application/json")
	if f.Kind == DeepSeek {
		w.WriteHeader(200)
		w.Write([]byte("\n\n"))
		http.NewResponseController(w).Flush()
	}
	json.NewEncoder(w).Encode(resp)
	f.completed.Add(1)
}

// retryHeaders are what rate-limited providers send.
func retryHeaders(w http.ResponseWriter) {
	w.Header().Set("Retry-After-Ms", "20")
	w.Header().Set("Retry-After", "1")
}

// count parses "trigger:NAMExN" as N (0 when absent).
func count(text, name string) (int, bool) {
	i := strings.Index(text, "trigger:"+name)
	if i < 0 {
		return 0, false
	}
	rest := text[i+len("trigger:"+name):]
	if strings.HasPrefix(rest, "x") {
		end := 1
		for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
			end++
		}
		n, _ := strconv.Atoi(rest[1:end])
		return n, true
	}
	return 0, true
}
