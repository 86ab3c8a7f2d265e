package responses

import (
	"encoding/json"
	"strings"
)

// outItem is one output item being written: a message, a reasoning item,
// or a call of a client-run tool.
type outItem struct {
	index  int // output_index
	typ    string
	id     string
	text   strings.Builder // a message's text, a reasoning item's text
	asSum  bool            // reasoning written as a summary (the client asked for one)
	sealed string          // encrypted_content, once the item is done
	// Calls: the chat tool call it came from, and what it stands for.
	chatIndex int
	callID    string
	ref       toolRef
	args      strings.Builder
	done      bool
}

func (o *outItem) status() string {
	if o.done {
		return "completed"
	}
	return "in_progress"
}

// wire is the item as the Responses API shows it; an item just added
// shows no content yet, unless partial asks for what it has so far (the
// output of a failed response).
func (o *outItem) wire(partial bool) map[string]any {
	m := map[string]any{"id": o.id, "type": o.typ}
	switch o.typ {
	case TypeMessage:
		content := []any{}
		if o.done || (partial && o.text.Len() > 0) {
			content = append(content, textPart(o.text.String()))
		}
		m["status"], m["role"], m["content"] = o.status(), "assistant", content
	case TypeReasoning:
		summary, content := []any{}, []any{}
		if o.done && o.asSum {
			summary = append(summary, map[string]any{"type": PartSummaryText, "text": o.text.String()})
		}
		if o.done && !o.asSum {
			content = append(content, map[string]any{"type": PartReasoningText, "text": o.text.String()})
		}
		m["summary"] = summary
		if !o.asSum {
			m["content"] = content
		}
		if o.sealed != "" {
			m["encrypted_content"] = o.sealed
		}
	case TypeFunctionCall:
		m["status"], m["call_id"], m["name"], m["arguments"] = o.status(), o.callID, o.ref.name, o.arguments()
		if o.ref.namespace != "" {
			m["namespace"] = o.ref.namespace
		}
	case TypeCustomCall:
		m["status"], m["call_id"], m["name"], m["input"] = o.status(), o.callID, o.ref.name, o.input()
		if o.ref.namespace != "" {
			m["namespace"] = o.ref.namespace
		}
	case TypeLocalShellCall:
		m["status"], m["call_id"], m["action"] = o.status(), o.callID, o.shellAction()
	}
	return m
}

func textPart(text string) map[string]any {
	return map[string]any{"type": PartOutputText, "text": text, "annotations": []any{}, "logprobs": []any{}}
}

func (o *outItem) arguments() string {
	if !o.done {
		return o.args.String()
	}
	if a := o.args.String(); a != "" {
		return a
	}
	return "{}"
}

// input is a custom tool's input: the "input" argument of its chat
// function, or the arguments as they came when the model did not follow
// that shape.
func (o *outItem) input() string {
	if !o.done {
		return ""
	}
	var a struct {
		Input *string `json:"input"`
	}
	if json.Unmarshal([]byte(o.args.String()), &a) == nil && a.Input != nil {
		return *a.Input
	}
	return o.args.String()
}

func (o *outItem) shellAction() ShellAction {
	var a struct {
		Command   []string `json:"command"`
		Workdir   string   `json:"workdir"`
		TimeoutMS *int64   `json:"timeout_ms"`
	}
	if o.done {
		json.Unmarshal([]byte(o.args.String()), &a)
	}
	if a.Command == nil {
		a.Command = []string{}
	}
	return ShellAction{Type: "exec", Command: a.Command, WorkingDirectory: a.Workdir, TimeoutMS: a.TimeoutMS}
}

// asItem is the item as the store keeps it, for a later turn to read
// back; reasoning is kept as plain text, never needing the key.
func (o *outItem) asItem() Item {
	it := Item{Type: o.typ, ID: o.id, Status: "completed", CallID: o.callID, Name: o.ref.name, Namespace: o.ref.namespace}
	switch o.typ {
	case TypeMessage:
		it.Role, it.Content = "assistant", Parts{{Type: PartOutputText, Text: o.text.String()}}
	case TypeReasoning:
		it.Status, it.Content = "", Parts{{Type: PartReasoningText, Text: o.text.String()}}
	case TypeFunctionCall:
		it.Arguments = o.arguments()
	case TypeCustomCall:
		it.Input = o.input()
	case TypeLocalShellCall:
		a := o.shellAction()
		it.Name, it.Action = "", &a
	}
	return it
}
