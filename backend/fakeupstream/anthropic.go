package fakeupstream

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// The Anthropic-compatible APIs of DeepSeek (/anthropic), Kimi
// (/anthropic) and DashScope (/apps/anthropic), each with what the tests
// need of its quirks: DeepSeek ignores anthropic-beta and maps claude-*
// names itself; in thinking mode DeepSeek and Kimi refuse a tool loop
// whose assistant turns lost their thinking blocks; every one signs its
// thinking blocks its own way, which must come back untouched.

// AnthropicPath is where kind serves its Anthropic-compatible API under
// the fake's root, "" when the provider has none.
func AnthropicPath(kind string) string {
	switch kind {
	case DeepSeek, Kimi:
		return "/anthropic"
	case DashScope:
		return "/apps/anthropic"
	}
	return ""
}

// anthropicReq is what the fake reads of a Messages request.
type anthropicReq struct {
	Model    string `json:"model"`
	Stream   bool   `json:"stream"`
	Messages []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	} `json:"messages"`
	Tools []struct {
		Name string `json:"name"`
	} `json:"tools"`
	Thinking *struct {
		Type string `json:"type"`
	} `json:"thinking"`
}

type anthropicBlock struct {
	Type      string          `json:"type"`
	Text      string          `json:"text"`
	Signature string          `json:"signature"`
	Content   json.RawMessage `json:"content"`
}

func (m anthropicBlock) contentText() string {
	var s string
	if json.Unmarshal(m.Content, &s) == nil {
		return s
	}
	var parts []anthropicBlock
	json.Unmarshal(m.Content, &parts)
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Text)
	}
	return b.String()
}

func blocksOf(raw json.RawMessage) []anthropicBlock {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return []anthropicBlock{{Type: "text", Text: s}}
	}
	var bs []anthropicBlock
	json.Unmarshal(raw, &bs)
	return bs
}

// signature is how this fake signs its thinking blocks.
func (f *Fake) signature() string { return "fake-" + f.Kind + "-signature" }

func (f *Fake) anthropicError(w http.ResponseWriter, status int, typ, msg string) {
	writeJSON(w, status, map[string]any{"type": "error", "error": map[string]any{"type": typ, "message": msg}})
}

// messages answers POST …/v1/messages.
func (f *Fake) messages(w http.ResponseWriter, r *http.Request, body []byte) {
	var req anthropicReq
	if err := json.Unmarshal(body, &req); err != nil {
		f.anthropicError(w, 400, "invalid_request_error", "could not parse the request body")
		return
	}
	conv := conversation{reasons: req.Thinking != nil && (req.Thinking.Type == "enabled" || req.Thinking.Type == "adaptive")}
	var users []string
	for i, m := range req.Messages {
		blocks := blocksOf(m.Content)
		hasTool, hasThinking := false, false
		for _, b := range blocks {
			switch b.Type {
			case "text":
				if m.Role == "user" {
					users = append(users, b.Text)
				}
			case "tool_result":
				t := b.contentText()
				conv.toolResult = &t
			case "tool_use":
				hasTool = true
			case "thinking":
				hasThinking = true
				if b.Signature != f.signature() {
					f.anthropicError(w, 400, "invalid_request_error", fmt.Sprintf("messages.%d: invalid signature in thinking block", i))
					return
				}
			}
		}
		if conv.reasons && m.Role == "assistant" && hasTool && !hasThinking && (f.Kind == DeepSeek || f.Kind == Kimi) {
			f.anthropicError(w, 400, "invalid_request_error", fmt.Sprintf("messages.%d: the thinking block of an assistant turn with tool_use must be passed back in thinking mode", i))
			return
		}
	}
	conv.userText = strings.Join(users, "\n")
	for _, t := range req.Tools {
		conv.tools = append(conv.tools, t.Name)
	}
	text := conv.userText
	switch {
	case strings.Contains(text, "trigger:500"):
		f.anthropicError(w, 500, "api_error", "Internal server error")
		return
	case strings.Contains(text, "trigger:429"):
		retryHeaders(w)
		f.anthropicError(w, 429, "rate_limit_error", "Rate limit reached")
		return
	case strings.Contains(text, "trigger:hang"):
		<-r.Context().Done()
		f.cancelled.Add(1)
		return
	}
	model := f.anthropicModel(req.Model)
	p, ok := scripted(conv)
	if !ok {
		p = plan{text: fmt.Sprintf("Hello from %s's Anthropic API (%s).", f.Kind, model)}
		if conv.reasons {
			p.reasoning = "Let me think about this step by step."
		}
	}
	if !req.Stream {
		f.anthropicMessage(w, model, p)
		return
	}
	f.anthropicStream(w, r, model, p, text)
}

// anthropicModel is the model that answers name: DeepSeek maps Claude
// names itself (claude-opus* to deepseek-v4-pro, other claude* to
// deepseek-flash); the others answer under the name they got.
func (f *Fake) anthropicModel(name string) string {
	if f.Kind != DeepSeek || !strings.HasPrefix(name, "claude") {
		return name
	}
	if strings.HasPrefix(name, "claude-opus") {
		return "deepseek-v4-pro"
	}
	return "deepseek-flash"
}

// anthropicBlocks are a plan's content blocks.
func (f *Fake) anthropicBlocks(p plan) []map[string]any {
	var out []map[string]any
	if p.reasoning != "" {
		out = append(out, map[string]any{"type": "thinking", "thinking": p.reasoning, "signature": f.signature()})
	}
	if p.text != "" {
		out = append(out, map[string]any{"type": "text", "text": p.text})
	}
	if p.call != nil {
		out = append(out, map[string]any{"type": "tool_use", "id": "toolu_" + p.call.ID, "name": p.call.Name, "input": json.RawMessage(p.call.Args)})
	}
	return out
}

func stopReason(p plan) string {
	if p.call != nil {
		return "tool_use"
	}
	return "end_turn"
}

func (f *Fake) anthropicMessage(w http.ResponseWriter, model string, p plan) {
	writeJSON(w, 200, map[string]any{"id": "msg_fake", "type": "message", "role": "assistant", "model": model,
		"content": f.anthropicBlocks(p), "stop_reason": stopReason(p), "stop_sequence": nil,
		"usage": map[string]any{"input_tokens": 9, "output_tokens": 5}})
	f.completed.Add(1)
}

// anthropicStream streams a plan as Anthropic events. trigger:slow paces
// the text (for cancellation tests), trigger:cut drops the connection
// halfway.
func (f *Fake) anthropicStream(w http.ResponseWriter, r *http.Request, model string, p plan, text string) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(200)
	rc := http.NewResponseController(w)
	send := func(name string, v any) error {
		b, _ := json.Marshal(v)
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, b); err != nil {
			return err
		}
		return rc.Flush()
	}
	type obj = map[string]any
	events := []namedEvent{
		{"message_start", obj{"type": "message_start", "message": obj{"id": "msg_fake", "type": "message", "role": "assistant", "model": model,
			"content": []any{}, "stop_reason": nil, "stop_sequence": nil, "usage": obj{"input_tokens": 9, "output_tokens": 1}}}},
		{"ping", obj{"type": "ping"}},
	}
	for i, b := range f.anthropicBlocks(p) {
		start := obj{}
		for k, v := range b {
			start[k] = v
		}
		var deltas []obj
		switch b["type"] {
		case "thinking":
			start["thinking"], start["signature"] = "", ""
			deltas = []obj{{"type": "thinking_delta", "thinking": b["thinking"]}, {"type": "signature_delta", "signature": b["signature"]}}
		case "text":
			start["text"] = ""
			for _, w := range splitWords(b["text"].(string)) {
				deltas = append(deltas, obj{"type": "text_delta", "text": w})
			}
			if strings.Contains(text, "trigger:slow") {
				deltas = append(deltas, repeatDelta(40)...)
			}
		case "tool_use":
			start["input"] = obj{}
			deltas = []obj{{"type": "input_json_delta", "partial_json": string(b["input"].(json.RawMessage))}}
		}
		events = append(events, namedEvent{"content_block_start", obj{"type": "content_block_start", "index": i, "content_block": start}})
		for _, d := range deltas {
			events = append(events, namedEvent{"content_block_delta", obj{"type": "content_block_delta", "index": i, "delta": d}})
		}
		events = append(events, namedEvent{"content_block_stop", obj{"type": "content_block_stop", "index": i}})
	}
	events = append(events, namedEvent{"message_delta", obj{"type": "message_delta", "delta": obj{"stop_reason": stopReason(p), "stop_sequence": nil}, "usage": obj{"output_tokens": 5}}},
		namedEvent{"message_stop", obj{"type": "message_stop"}})
	for i, ev := range events {
		if strings.Contains(text, "trigger:cut") && i == 4 {
			panic(http.ErrAbortHandler)
		}
		if d, ok := ev.v.(obj)["delta"].(obj); ok && d["text"] == " word" {
			select {
			case <-time.After(50 * time.Millisecond):
			case <-r.Context().Done():
				f.cancelled.Add(1)
				return
			}
		}
		if err := send(ev.name, ev.v); err != nil {
			if r.Context().Err() != nil {
				f.cancelled.Add(1)
			}
			return
		}
	}
	f.completed.Add(1)
}

// namedEvent is one event of an Anthropic stream.
type namedEvent struct {
	name string
	v    any
}

func repeatDelta(n int) []map[string]any {
	out := make([]map[string]any, n)
	for i := range out {
		out[i] = map[string]any{"type": "text_delta", "text": " word"}
	}
	return out
}
