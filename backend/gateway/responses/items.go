package responses

import (
	"bytes"
	"encoding/json"
)

// Item types of the Responses API that ThinkCloud translates.
const (
	TypeMessage          = "message"
	TypeReasoning        = "reasoning"
	TypeFunctionCall     = "function_call"
	TypeFunctionOutput   = "function_call_output"
	TypeCustomCall       = "custom_tool_call"
	TypeCustomOutput     = "custom_tool_call_output"
	TypeLocalShellCall   = "local_shell_call"
	TypeLocalShellOutput = "local_shell_call_output"
	TypeItemReference    = "item_reference"
)

// hostedCalls are records of tools a provider ran on its side (OpenAI's
// web search, …). They carry nothing a chat model can read back, so a
// conversation that has them is translated without them.
var hostedCalls = map[string]bool{
	"web_search_call": true, "file_search_call": true, "code_interpreter_call": true,
	"image_generation_call": true, "computer_call": true, "computer_call_output": true,
	"mcp_list_tools": true, "mcp_call": true, "mcp_approval_request": true, "mcp_approval_response": true,
	"tool_search_call": true, "tool_search_output": true,
}

// Part types of message content, tool output and reasoning.
const (
	PartInputText     = "input_text"
	PartOutputText    = "output_text"
	PartInputImage    = "input_image"
	PartInputFile     = "input_file"
	PartRefusal       = "refusal"
	PartSummaryText   = "summary_text"
	PartReasoningText = "reasoning_text"
)

// Item is one input item, whatever its type; fields that do not belong to
// an item's type are empty. It is also how the store keeps a response.
type Item struct {
	Type   string `json:"type"`
	ID     string `json:"id,omitempty"`
	Status string `json:"status,omitempty"`
	// Role and Content make a message; Content is also a reasoning
	// item's raw text.
	Role    string `json:"role,omitempty"`
	Content Parts  `json:"content,omitempty"`
	// CallID ties a call to its output.
	CallID string `json:"call_id,omitempty"`
	// Name, Namespace and Arguments make a function call; Input makes a
	// custom tool call.
	Name      string `json:"name,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	Arguments string `json:"arguments,omitempty"`
	Input     string `json:"input,omitempty"`
	// Output is a tool's answer, text or parts.
	Output Parts `json:"output,omitempty"`
	// Summary and EncryptedContent belong to reasoning items.
	Summary          Parts  `json:"summary,omitempty"`
	EncryptedContent string `json:"encrypted_content,omitempty"`
	// Action is a local_shell_call's command.
	Action *ShellAction `json:"action,omitempty"`
}

// ShellAction is what a local_shell_call asks to run.
type ShellAction struct {
	Type             string            `json:"type"`
	Command          []string          `json:"command"`
	TimeoutMS        *int64            `json:"timeout_ms,omitempty"`
	WorkingDirectory string            `json:"working_directory,omitempty"`
	Env              map[string]string `json:"env,omitempty"`
	User             string            `json:"user,omitempty"`
}

// Part is one piece of content.
type Part struct {
	Type string `json:"type"`
	Text string `json:"text,omitempty"`
	// ImageURL is an input_image's URL or data URL; FileID names an
	// uploaded file, which ThinkCloud cannot read.
	ImageURL string `json:"image_url,omitempty"`
	FileID   string `json:"file_id,omitempty"`
	Detail   string `json:"detail,omitempty"`
	Refusal  string `json:"refusal,omitempty"`
}

// Parts is content that a client may send as one string or as an array of
// parts; a string reads as one text part, and is written back as one.
type Parts []Part

// UnmarshalJSON reads a string or an array of parts.
func (p *Parts) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*p = Parts{{Type: PartInputText, Text: s}}
		return nil
	}
	var parts []Part
	if err := json.Unmarshal(b, &parts); err != nil {
		return err
	}
	*p = parts
	return nil
}

// Text joins the text of every text-like part with sep, and says whether
// any part was something else (an image, a file).
func (p Parts) Text(sep string) (text string, other bool) {
	var b bytes.Buffer
	for i, part := range p {
		switch part.Type {
		case PartInputText, PartOutputText, PartSummaryText, PartReasoningText, "text", "":
			if i > 0 && b.Len() > 0 {
				b.WriteString(sep)
			}
			b.WriteString(part.Text)
		case PartRefusal:
			if i > 0 && b.Len() > 0 {
				b.WriteString(sep)
			}
			b.WriteString(part.Refusal)
		default:
			other = true
		}
	}
	return b.String(), other
}
