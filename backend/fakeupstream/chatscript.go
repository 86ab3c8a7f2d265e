package fakeupstream

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// chatMessage is the part of a chat message the fakes check.
type chatMessage struct {
	Role             string          `json:"role"`
	Content          json.RawMessage `json:"content"`
	ReasoningContent *string         `json:"reasoning_content"`
	ToolCalls        []any           `json:"tool_calls"`
}

func (c chatReq) decoded() []chatMessage {
	out := make([]chatMessage, 0, len(c.Messages))
	for _, raw := range c.Messages {
		var m chatMessage
		json.Unmarshal(raw, &m)
		out = append(out, m)
	}
	return out
}

// text is a message's content as text (a string or text parts).
func (m chatMessage) text() string {
	var s string
	if json.Unmarshal(m.Content, &s) == nil {
		return s
	}
	var parts []struct {
		Text string `json:"text"`
	}
	json.Unmarshal(m.Content, &parts)
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Text)
	}
	return b.String()
}

// checkReasoning is DeepSeek's and Kimi's rule in thinking mode: inside a
// tool loop every assistant message with tool calls must carry its
// reasoning_content back, or the request is refused.
func (f *Fake) checkReasoning(c chatReq) string {
	if (f.Kind != DeepSeek && f.Kind != Kimi) || !f.reasons(c) {
		return ""
	}
	for i, m := range c.decoded() {
		if m.Role == "assistant" && len(m.ToolCalls) > 0 && m.ReasoningContent == nil {
			return fmt.Sprintf("Missing `reasoning_content` field in the assistant message at message index %d. For more information, please refer to the thinking mode documentation.", i)
		}
	}
	return ""
}

// chatConversation reads a chat request for the script.
func (f *Fake) chatConversation(c chatReq) conversation {
	conv := conversation{reasons: f.reasons(c)}
	var users []string
	for _, m := range c.decoded() {
		switch m.Role {
		case "user":
			users = append(users, m.text())
		case "tool":
			t := m.text()
			conv.toolResult = &t
		}
	}
	conv.userText = strings.Join(users, "\n")
	for _, t := range c.Tools {
		conv.tools = append(conv.tools, t.Function.Name)
	}
	return conv
}

// answerPlan answers a chat request with a scripted step.
func (f *Fake) answerPlan(w http.ResponseWriter, r *http.Request, c chatReq, p plan) {
	if c.Stream {
		s := script{call: p.call}
		if p.text != "" {
			s.content = splitWords(p.text)
		}
		if p.reasoning != "" {
			s.reasoning = splitWords(p.reasoning)
		}
		f.stream(w, r, c, s)
		return
	}
	f.completeWith(w, c, p.text, p.reasoning, p.call)
}
