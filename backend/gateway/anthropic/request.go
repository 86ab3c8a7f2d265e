// Package anthropic is the Anthropic Messages dialect of the gateway: it
// reads a /v1/messages request into Go structs once, writes the
// chat-completions body for a resolved gateway.Target, and turns the
// provider's answer (read through gateway.Decoder) back into Anthropic
// events or a message. It does no I/O; backend/server serves it.
//
// Providers with their own Anthropic-compatible API get the request as
// bytes instead (backend/server), so nothing here has to know every block
// type a provider may accept.
package anthropic

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"thinkcloud/backend/gateway"
)

// Request is a Messages request as the door reads it. Message contents
// and the system prompt stay raw until the translation reads each block
// by its type.
type Request struct {
	Model         string          `json:"model"`
	MaxTokens     *int64          `json:"max_tokens"`
	System        json.RawMessage `json:"system"`
	Messages      []Message       `json:"messages"`
	Stream        bool            `json:"stream"`
	StopSequences []string        `json:"stop_sequences"`
	Temperature   *float64        `json:"temperature"`
	TopP          *float64        `json:"top_p"`
	TopK          *int64          `json:"top_k"`
	Tools         []Tool          `json:"tools"`
	ToolChoice    *ToolChoice     `json:"tool_choice"`
	Thinking      *Thinking       `json:"thinking"`
	OutputConfig  *OutputConfig   `json:"output_config"`
	// MCPServers and Container ask Anthropic to run things for the
	// client; no provider behind a translation can, so they are refused.
	MCPServers json.RawMessage `json:"mcp_servers"`
	Container  json.RawMessage `json:"container"`
}

// Message is one turn; Content is a string or an array of blocks.
type Message struct {
	Role    string          `json:"role"`
	Content json.RawMessage `json:"content"`
}

// Tool is a tool the model may call. Type is empty or "custom" for the
// client's own tools; other types name tools Anthropic runs itself.
type Tool struct {
	Type        string          `json:"type"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	InputSchema json.RawMessage `json:"input_schema"`
}

// ToolChoice is "auto", "any", "tool" (with Name) or "none".
type ToolChoice struct {
	Type                   string `json:"type"`
	Name                   string `json:"name"`
	DisableParallelToolUse bool   `json:"disable_parallel_tool_use"`
}

// Thinking is "enabled" (with a budget), "disabled" or "adaptive".
// Display "omitted" asks for thinking blocks without their text.
type Thinking struct {
	Type         string `json:"type"`
	BudgetTokens int    `json:"budget_tokens"`
	Display      string `json:"display"`
}

// OmitThinking reports whether the client asked for thinking blocks
// without their text (the signature then carries it).
func (r *Request) OmitThinking() bool { return r.Thinking != nil && r.Thinking.Display == "omitted" }

// OutputConfig carries the effort of adaptive thinking.
type OutputConfig struct {
	Effort string `json:"effort"`
}

// Parse reads a Messages request. Every failure is a 400 that names the
// field at fault; max_tokens is checked only when needMaxTokens is set
// (count_tokens takes none).
func Parse(body []byte, needMaxTokens bool) (*Request, *gateway.Error) {
	var req Request
	if err := json.Unmarshal(body, &req); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return nil, gateway.InvalidParam(typeErr.Field, fmt.Sprintf("%s: expected %s, got JSON %s", typeErr.Field, typeErr.Type, typeErr.Value))
		}
		return nil, gateway.InvalidRequest("", "could not parse the JSON body of your request ("+err.Error()+"); send valid JSON")
	}
	switch {
	case req.Model == "":
		return nil, gateway.InvalidParam("model", "model: Field required")
	case len(req.Messages) == 0:
		return nil, gateway.InvalidParam("messages", "messages: at least one message is required")
	case needMaxTokens && req.MaxTokens == nil:
		return nil, gateway.InvalidParam("max_tokens", "max_tokens: Field required")
	case req.MaxTokens != nil && *req.MaxTokens < 1:
		return nil, gateway.InvalidParam("max_tokens", fmt.Sprintf("max_tokens: must be at least 1; got %d", *req.MaxTokens))
	}
	for i, m := range req.Messages {
		// Claude Code (2.1.3xx) also sends "system" turns between the
		// others, for reminders that must not look like the user's words.
		if m.Role != "user" && m.Role != "assistant" && m.Role != "system" {
			return nil, gateway.InvalidParam(fmt.Sprintf("messages.%d.role", i), fmt.Sprintf("messages.%d.role: %q is not one of user, assistant, system", i, m.Role))
		}
	}
	for _, r := range []struct {
		name string
		v    *float64
	}{{"temperature", req.Temperature}, {"top_p", req.TopP}} {
		if r.v != nil && (*r.v < 0 || *r.v > 1) {
			return nil, gateway.InvalidParam(r.name, fmt.Sprintf("%s: must be between 0 and 1; got %g", r.name, *r.v))
		}
	}
	return &req, nil
}

// systemText is the system prompt, a string or text blocks joined by
// blank lines.
func (r *Request) systemText() (string, *gateway.Error) {
	if isAbsent(r.System) {
		return "", nil
	}
	blocks, err := decodeContent(r.System)
	if err != nil {
		return "", gateway.InvalidParam("system", "system: "+err.Error())
	}
	var parts []string
	for i, b := range blocks {
		if b.Type != "text" {
			return "", gateway.InvalidParam(fmt.Sprintf("system.%d.type", i), fmt.Sprintf("system.%d: block type %q is not allowed in the system prompt; use text blocks", i, b.Type))
		}
		parts = append(parts, b.Text)
	}
	return strings.Join(parts, "\n\n"), nil
}

func isAbsent(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}
