package anthropic

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"thinkcloud/backend/gateway"
)

// converter turns Anthropic messages into chat-completions messages for
// one target.
type converter struct {
	target   gateway.Target
	verify   verifier
	thinking bool // the client asked for thinking
}

// messages converts the system prompt and every turn.
func (c *converter) messages(req *Request) ([]any, *gateway.Error) {
	var out []any
	sys, e := req.systemText()
	if e != nil {
		return nil, e
	}
	if sys != "" {
		out = append(out, map[string]any{"role": "system", "content": sys})
	}
	for i, m := range req.Messages {
		blocks, err := decodeContent(m.Content)
		if err != nil {
			return nil, gateway.InvalidParam(fmt.Sprintf("messages.%d.content", i), fmt.Sprintf("messages.%d.content: %v", i, err))
		}
		var msgs []any
		switch m.Role {
		case "user":
			msgs, e = c.user(i, blocks)
		case "system":
			msgs, e = c.system(i, blocks)
		default:
			msgs, e = c.assistant(i, blocks)
		}
		if e != nil {
			return nil, e
		}
		out = append(out, msgs...)
	}
	return out, nil
}

func param(i, j int) string { return fmt.Sprintf("messages.%d.content.%d", i, j) }

// unsupported is the 400 for a block the translation cannot carry.
func (c *converter) unsupported(i, j int, typ, where string) *gateway.Error {
	p := param(i, j)
	return gateway.InvalidParam(p+".type", fmt.Sprintf("%s: content block type %q is not supported %s when ThinkCloud translates for %s (supported: text, image, tool_use, tool_result, thinking)", p, typ, where, c.target.Model.Provider))
}

// system converts a system turn between the others into a system
// message at the same place: its blocks must be text.
func (c *converter) system(i int, blocks []block) ([]any, *gateway.Error) {
	var texts []string
	for j, b := range blocks {
		if b.Type != "text" {
			return nil, c.unsupported(i, j, b.Type, "in a system message")
		}
		texts = append(texts, b.Text)
	}
	return []any{map[string]any{"role": "system", "content": strings.Join(texts, "\n\n")}}, nil
}

// user converts a user turn: tool results become tool messages (first,
// right after the assistant's calls), text and images one user message.
func (c *converter) user(i int, blocks []block) ([]any, *gateway.Error) {
	var out []any
	var parts []map[string]any
	for j, b := range blocks {
		switch b.Type {
		case "text":
			parts = append(parts, map[string]any{"type": "text", "text": b.Text})
		case "image":
			url, err := b.Source.imageURL()
			if err != nil {
				return nil, gateway.InvalidParam(param(i, j)+".source", param(i, j)+": "+err.Error())
			}
			parts = append(parts, imagePart(url))
		case "tool_result":
			msg, images, e := toolResult(i, j, b)
			if e != nil {
				return nil, e
			}
			out = append(out, msg)
			parts = append(parts, images...)
		default:
			return nil, c.unsupported(i, j, b.Type, "in a user message")
		}
	}
	if len(parts) > 0 {
		out = append(out, map[string]any{"role": "user", "content": partsContent(parts)})
	}
	return out, nil
}

func imagePart(url string) map[string]any {
	return map[string]any{"type": "image_url", "image_url": map[string]any{"url": url}}
}

// partsContent is plain text when every part is text (several providers
// take only strings), else the parts.
func partsContent(parts []map[string]any) any {
	var texts []string
	for _, p := range parts {
		if p["type"] != "text" {
			return parts
		}
		texts = append(texts, p["text"].(string))
	}
	return strings.Join(texts, "\n\n")
}

// toolResult converts a tool_result block into a tool message. Chat
// completions has no error flag and no images in tool messages: an error
// is said in words, and images ride in the user message that follows.
func toolResult(i, j int, b block) (map[string]any, []map[string]any, *gateway.Error) {
	p := param(i, j)
	if b.ToolUseID == "" {
		return nil, nil, gateway.InvalidParam(p+".tool_use_id", p+".tool_use_id: Field required")
	}
	var texts []string
	var images []map[string]any
	if !isAbsent(b.Content) {
		inner, err := decodeContent(b.Content)
		if err != nil {
			return nil, nil, gateway.InvalidParam(p+".content", p+".content: "+err.Error())
		}
		for k, ib := range inner {
			switch ib.Type {
			case "text":
				texts = append(texts, ib.Text)
			case "image":
				url, err := ib.Source.imageURL()
				if err != nil {
					return nil, nil, gateway.InvalidParam(fmt.Sprintf("%s.content.%d.source", p, k), fmt.Sprintf("%s.content.%d: %v", p, k, err))
				}
				images = append(images, imagePart(url))
			default:
				return nil, nil, gateway.InvalidParam(fmt.Sprintf("%s.content.%d.type", p, k), fmt.Sprintf("%s.content.%d: content block type %q is not supported in a tool result (supported: text, image)", p, k, ib.Type))
			}
		}
	}
	text := strings.Join(texts, "\n")
	if b.IsError {
		text = "Error: " + text
	}
	if len(images) > 0 {
		images = append([]map[string]any{{"type": "text", "text": "Images returned by tool call " + b.ToolUseID + ":"}}, images...)
	}
	return map[string]any{"role": "tool", "tool_call_id": b.ToolUseID, "content": text}, images, nil
}

// assistant converts an assistant turn: text, tool calls, and the
// reasoning of its thinking blocks in the field the provider wants back.
func (c *converter) assistant(i int, blocks []block) ([]any, *gateway.Error) {
	var texts, reasoning []string
	var calls []any
	for j, b := range blocks {
		switch b.Type {
		case "text":
			texts = append(texts, b.Text)
		case "tool_use":
			if b.ID == "" || b.Name == "" {
				return nil, gateway.InvalidParam(param(i, j), param(i, j)+": tool_use needs an id and a name")
			}
			args := "{}"
			var compact bytes.Buffer
			if in := bytes.TrimSpace(b.Input); len(in) > 0 && string(in) != "null" && json.Compact(&compact, in) == nil {
				args = compact.String()
			}
			calls = append(calls, map[string]any{"id": b.ID, "type": "function", "function": map[string]any{"name": b.Name, "arguments": args}})
		case "thinking":
			text, e := c.verify.verify(param(i, j)+".signature", b.Thinking, b.Signature)
			if e != nil {
				return nil, e
			}
			reasoning = append(reasoning, text)
		case "redacted_thinking":
			return nil, gateway.InvalidParam(param(i, j)+".type", param(i, j)+": redacted_thinking blocks come from Anthropic, not from ThinkCloud; remove them or start a new conversation")
		default:
			return nil, c.unsupported(i, j, b.Type, "in an assistant message")
		}
	}
	msg := map[string]any{"role": "assistant", "content": nil}
	if len(texts) > 0 {
		msg["content"] = strings.Join(texts, "\n\n")
	}
	if len(calls) > 0 {
		msg["tool_calls"] = calls
	}
	// A reasoning model inside a tool loop must get its reasoning back, if
	// only as "" when it had none (DeepSeek answers 400 otherwise).
	field := c.target.Dialect.ReasoningReplay
	if field != "" && (len(reasoning) > 0 || (len(calls) > 0 && (c.thinking || c.target.Model.Reasoning))) {
		msg[field] = strings.Join(reasoning, "")
	}
	return []any{msg}, nil
}
