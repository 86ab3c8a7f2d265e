package fakeupstream

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// A scripted conversation, for agents and tool round trips:
//
//	trigger:call=NAME    while the conversation has no tool message yet,
//	                     answer with one call of the request's tool NAME
//	                     (its exact chat function name, or the first one
//	                     whose name ends with NAME), with the arguments of
//	                     trigger:args=JSON (to the end of the line; {} by
//	                     default); once a tool answered, answer
//	                     "Tool said: " and the start of the last tool
//	                     message. Thinking models think aloud first.

// scriptedCall is a tool call the fake makes.
type scriptedCall struct {
	id, name, args string
}

// wireMessage is a chat message as the fakes check it.
type wireMessage struct {
	Role             string          `json:"role"`
	Content          json.RawMessage `json:"content"`
	ReasoningContent *string         `json:"reasoning_content"`
	ToolCalls        []struct {
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
	} `json:"tool_calls"`
}

func (c chatReq) wire() []wireMessage {
	out := make([]wireMessage, 0, len(c.Messages))
	for _, raw := range c.Messages {
		var m wireMessage
		json.Unmarshal(raw, &m)
		out = append(out, m)
	}
	return out
}

// lastTool is the content of the last tool message, and whether there is
// one.
func (c chatReq) lastTool() (string, bool) {
	msgs := c.wire()
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == "tool" {
			var s string
			if json.Unmarshal(msgs[i].Content, &s) != nil {
				s = string(msgs[i].Content)
			}
			return s, true
		}
	}
	return "", false
}

// missingReasoning is the index of the first assistant message with tool
// calls that lacks the reasoning that led to them, or -1. DeepSeek's and
// Kimi's thinking models answer 400 to such a conversation.
func (c chatReq) missingReasoning() int {
	for i, m := range c.wire() {
		if m.Role == "assistant" && len(m.ToolCalls) > 0 && (m.ReasoningContent == nil || *m.ReasoningContent == "") {
			return i
		}
	}
	return -1
}

// checkReplay refuses, like DeepSeek and Kimi, a tool loop of a thinking
// model that dropped its reasoning.
func (f *Fake) checkReplay(w http.ResponseWriter, c chatReq) bool {
	if (f.Kind != DeepSeek && f.Kind != Kimi) || !f.reasons(c) {
		return false
	}
	if i := c.missingReasoning(); i >= 0 {
		writeJSON(w, 400, errBody(fmt.Sprintf("Missing `reasoning_content` field in the assistant message at message index %d. "+
			"In thinking mode, reasoning_content must be passed back to the API.", i), "invalid_request_error", "invalid_request_error"))
		return true
	}
	return false
}

// scripted answers a trigger:call conversation; false when the request
// has no such trigger.
func (f *Fake) scripted(w http.ResponseWriter, r *http.Request, c chatReq, body []byte) bool {
	text := c.lastUser()
	name, ok := argAfter(text, "trigger:call=")
	if !ok {
		return false
	}
	reasoning := ""
	if f.reasons(c) {
		reasoning = "Let me think about this step by step."
	}
	if out, answered := c.lastTool(); answered {
		if len(out) > 200 {
			out = out[:200]
		}
		answer := "Tool said: " + out
		if c.Stream {
			f.stream(w, r, c, script{reasoning: splitWords(reasoning), content: []string{answer}})
		} else {
			f.complete(w, c, answer, reasoning)
		}
		return true
	}
	args, ok := argAfter(text, "trigger:args=")
	if !ok {
		args = "{}"
	}
	call := scriptedCall{id: fmt.Sprintf("call_fake%d", f.attempt("call")), name: toolName(body, name), args: args}
	if c.Stream {
		s := script{reasoning: splitWords(reasoning), calls: []scriptedCall{call}}
		if reasoning == "" {
			s.reasoning = nil
		}
		f.stream(w, r, c, s)
		return true
	}
	f.completeCall(w, c, call, reasoning)
	return true
}

// argAfter is the text after key up to the end of its line (a name stops
// at the first space too).
func argAfter(text, key string) (string, bool) {
	i := strings.Index(text, key)
	if i < 0 {
		return "", false
	}
	v := text[i+len(key):]
	if j := strings.IndexAny(v, "\r\n"); j >= 0 {
		v = v[:j]
	}
	if key == "trigger:call=" {
		v, _, _ = strings.Cut(v, " ")
	}
	return strings.TrimSpace(v), true
}

// toolName finds the request's chat function called name, or ending with
// it; name itself when none does.
func toolName(body []byte, name string) string {
	var req struct {
		Tools []struct {
			Function struct {
				Name string `json:"name"`
			} `json:"function"`
		} `json:"tools"`
	}
	json.Unmarshal(body, &req)
	for _, t := range req.Tools {
		if t.Function.Name == name {
			return name
		}
	}
	for _, t := range req.Tools {
		if strings.HasSuffix(t.Function.Name, name) {
			return t.Function.Name
		}
	}
	return name
}

// completeCall answers a non-streaming request with one tool call.
func (f *Fake) completeCall(w http.ResponseWriter, c chatReq, call scriptedCall, reasoning string) {
	msg := map[string]any{"role": "assistant", "content": nil, "tool_calls": []any{map[string]any{
		"id": call.id, "type": "function", "function": map[string]any{"name": call.name, "arguments": call.args}}}}
	if reasoning != "" {
		msg["reasoning_content"] = reasoning
	}
	writeJSON(w, 200, map[string]any{
		"id": "chatcmpl-fake", "object": "chat.completion", "created": 1700000000, "model": c.Model,
		"choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": "tool_calls"}},
		"usage":   f.usage(9, 5),
	})
	f.completed.Add(1)
}
