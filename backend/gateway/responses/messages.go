package responses

import (
	"encoding/json"
	"fmt"

	"thinkcloud/backend/gateway"
)

// messages turns items into chat messages. Responses spreads one model
// turn over several items (reasoning, a message, calls); chat wants one
// assistant message with content, tool_calls and, where the provider
// takes it back, the reasoning that led to them.
type messages struct {
	out       []map[string]any
	assistant map[string]any // the assistant message being filled
	reasoning string         // waiting for the next assistant message
	images    []any          // image parts of tool outputs, for after the tool messages
	names     *toolNames
	replay    string // the provider's field for earlier reasoning; "" drops it
	open      func(where, blob string) (string, *gateway.Error)
}

// add translates one item; where names it in error messages
// ("input[3]").
func (m *messages) add(where string, it Item) *gateway.Error {
	switch it.Type {
	case TypeMessage:
		return m.message(where, it)
	case TypeReasoning:
		m.flushAssistant()
		text, e := m.reasoningText(where, it)
		if e != nil {
			return e
		}
		m.reasoning += text
	case TypeFunctionCall:
		m.call(it.CallID, m.names.chatName(toolRef{namespace: it.Namespace, name: it.Name}), it.Arguments)
	case TypeCustomCall:
		args, _ := json.Marshal(map[string]string{"input": it.Input})
		m.call(it.CallID, m.names.chatName(toolRef{namespace: it.Namespace, name: it.Name}), string(args))
	case TypeLocalShellCall:
		m.call(it.CallID, m.names.chatName(toolRef{name: "local_shell"}), shellArgs(it.Action))
	case TypeFunctionOutput, TypeCustomOutput, TypeLocalShellOutput:
		m.flushAssistant()
		text, _ := it.Output.Text("\n")
		for _, p := range it.Output {
			if p.Type == PartInputImage && p.ImageURL != "" {
				m.images = append(m.images, imagePart(p))
			}
		}
		callID := it.CallID
		if callID == "" {
			callID = it.ID // local_shell_call_output names its call by id
		}
		m.out = append(m.out, map[string]any{"role": "tool", "tool_call_id": callID, "content": text})
	case TypeItemReference:
		return gateway.InvalidParam(where, where+": item_reference needs items stored on OpenAI's side; send the item itself, or use previous_response_id")
	default:
		if hostedCalls[it.Type] {
			return nil // a record of a tool OpenAI ran: nothing a chat model can read
		}
		return gateway.InvalidParam(where, fmt.Sprintf("%s: items of type %q cannot be translated for this model's provider", where, it.Type))
	}
	return nil
}

func (m *messages) message(where string, it Item) *gateway.Error {
	role := it.Role
	switch role {
	case "user", "system", "developer":
	case "assistant":
		text, _ := it.Content.Text("")
		if m.assistant != nil && m.assistant["tool_calls"] != nil {
			m.flushAssistant() // text after calls starts another turn
		}
		a := m.openAssistant()
		a["content"] = a["content"].(string) + text
		return nil
	default:
		return gateway.InvalidParam(where+".role", fmt.Sprintf("%s.role: %q is not one of user, assistant, system, developer", where, role))
	}
	m.flushAssistant()
	m.flushImages()
	if role == "developer" {
		role = "system" // only OpenAI knows "developer"; every provider knows "system"
	}
	content, e := userContent(where, it.Content)
	if e != nil {
		return e
	}
	if n := len(m.out); role == "system" && n > 0 && m.out[n-1]["role"] == "system" {
		if prev, ok := m.out[n-1]["content"].(string); ok {
			if s, ok := content.(string); ok {
				m.out[n-1]["content"] = prev + "\n\n" + s // some providers take one system message only
				return nil
			}
		}
	}
	m.out = append(m.out, map[string]any{"role": role, "content": content})
	return nil
}

// userContent is a message's content: a string when it is all text, which
// every provider takes, else text and image parts.
func userContent(where string, parts Parts) (any, *gateway.Error) {
	text, other := parts.Text("\n\n")
	if !other {
		return text, nil
	}
	var out []any
	for j, p := range parts {
		switch p.Type {
		case PartInputImage:
			if p.ImageURL == "" {
				return nil, gateway.InvalidParam(fmt.Sprintf("%s.content[%d]", where, j), fmt.Sprintf("%s.content[%d]: images must come as image_url (a URL or a data URL); uploaded files (file_id) live on OpenAI's side", where, j))
			}
			out = append(out, imagePart(p))
		case PartInputFile:
			return nil, gateway.InvalidParam(fmt.Sprintf("%s.content[%d]", where, j), fmt.Sprintf("%s.content[%d]: input_file parts cannot be translated for this model's provider; send the file's text as input_text", where, j))
		default:
			t, _ := Parts{p}.Text("")
			out = append(out, map[string]any{"type": "text", "text": t})
		}
	}
	return out, nil
}

func imagePart(p Part) any {
	img := map[string]any{"url": p.ImageURL}
	if p.Detail != "" && p.Detail != "auto" {
		img["detail"] = p.Detail
	}
	return map[string]any{"type": "image_url", "image_url": img}
}

// reasoningText is what a reasoning item says: its sealed copy when it has
// one (ThinkCloud made it), else its summary or raw text as sent.
func (m *messages) reasoningText(where string, it Item) (string, *gateway.Error) {
	if it.EncryptedContent != "" {
		return m.open(where, it.EncryptedContent)
	}
	if text, _ := it.Content.Text(""); text != "" {
		return text, nil
	}
	text, _ := it.Summary.Text("\n\n")
	return text, nil
}

func (m *messages) openAssistant() map[string]any {
	if m.assistant == nil {
		m.flushImages()
		m.assistant = map[string]any{"role": "assistant", "content": ""}
		if m.reasoning != "" && m.replay != "" {
			m.assistant[m.replay] = m.reasoning
		}
		m.reasoning = ""
	}
	return m.assistant
}

func (m *messages) call(id, name, args string) {
	a := m.openAssistant()
	calls, _ := a["tool_calls"].([]any)
	if args == "" {
		args = "{}"
	}
	a["tool_calls"] = append(calls, map[string]any{"id": id, "type": "function", "function": map[string]any{"name": name, "arguments": args}})
}

func (m *messages) flushAssistant() {
	if m.assistant != nil {
		m.out = append(m.out, m.assistant)
		m.assistant = nil
	}
}

// flushImages puts images that tools returned into a user message, after
// the tool messages (chat tool messages carry text only, and nothing may
// come between an assistant's calls and their answers).
func (m *messages) flushImages() {
	if len(m.images) > 0 {
		parts := append([]any{map[string]any{"type": "text", "text": "Images returned by the tool calls above:"}}, m.images...)
		m.out = append(m.out, map[string]any{"role": "user", "content": parts})
		m.images = nil
	}
}

func (m *messages) done() []map[string]any {
	m.flushAssistant()
	m.flushImages()
	return m.out
}

func shellArgs(a *ShellAction) string {
	if a == nil {
		return "{}"
	}
	args := map[string]any{"command": a.Command}
	if a.WorkingDirectory != "" {
		args["workdir"] = a.WorkingDirectory
	}
	if a.TimeoutMS != nil {
		args["timeout_ms"] = *a.TimeoutMS
	}
	b, _ := json.Marshal(args)
	return string(b)
}
