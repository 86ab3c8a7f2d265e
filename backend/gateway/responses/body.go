package responses

import (
	"encoding/json"
	"fmt"

	"thinkcloud/backend/gateway"
)

// Options are what Build needs besides the request.
type Options struct {
	// DropTools lists hosted tool types to leave out instead of refusing
	// the request (DropAll leaves out every one): the user's settings.
	DropTools []string
	// Sealer opens the encrypted_content of reasoning items; nil refuses
	// any.
	Sealer *Sealer
}

// Plan is a request translated for one provider: the chat-completions
// body, and what reading the answer back needs.
type Plan struct {
	// Body is the chat-completions body, upstream model id in it. It
	// always streams and asks for usage: one way of reading answers serves
	// streaming and non-streaming clients, and DashScope thinks only when
	// streaming.
	Body []byte
	// Request is the client's request.
	Request *Request
	// Target is the model and its provider's dialect.
	Target gateway.Target
	names  *toolNames
}

// Build translates req, continuing history (the items of the stored
// responses it follows, oldest first), into a chat-completions body for t.
func Build(req *Request, history []Item, t gateway.Target, o Options) (*Plan, *gateway.Error) {
	names := newToolNames()
	tools, e := chatTools(req.Tools, names, o.DropTools)
	if e != nil {
		return nil, e
	}
	m := &messages{names: names, replay: t.Dialect.ReasoningReplay, open: o.Sealer.opener()}
	if req.Instructions != "" {
		m.out = append(m.out, map[string]any{"role": "system", "content": req.Instructions})
	}
	for i, it := range history {
		if e := m.add(fmt.Sprintf("previous response item %d", i), it); e != nil {
			return nil, e
		}
	}
	for i, it := range req.Input {
		if e := m.add(fmt.Sprintf("input[%d]", i), it); e != nil {
			return nil, e
		}
	}
	msgs := m.done()
	if len(msgs) == 0 {
		return nil, gateway.InvalidParam("input", "input holds no message a chat model can read")
	}
	body := map[string]any{
		"model":          t.Model.Upstream,
		"messages":       msgs,
		"stream":         true,
		"stream_options": map[string]any{"include_usage": true},
	}
	if err := toolFields(body, req, names, tools, o.DropTools); err != nil {
		return nil, err
	}
	if req.Format != nil {
		f, e := responseFormat(req.Format)
		if e != nil {
			return nil, e
		}
		if f != nil {
			body["response_format"] = f
		}
	}
	if req.MaxOutputTokens != nil {
		body[t.MaxTokensField()] = t.ClampOutput(*req.MaxOutputTokens)
	}
	if req.Temperature != nil {
		body["temperature"] = *req.Temperature
	}
	if req.TopP != nil {
		body["top_p"] = *req.TopP
	}
	for k, v := range thinking(t, req.Effort) {
		body[k] = v
	}
	for _, f := range t.Dialect.Unsupported {
		delete(body, f)
	}
	b, err := marshal(body)
	if err != nil {
		return nil, gateway.InvalidRequest("", "could not encode the translated request: "+err.Error())
	}
	return &Plan{Body: b, Request: req, Target: t, names: names}, nil
}

// thinking maps reasoning.effort to the provider's controls: "none" turns
// thinking off, any other effort turns it on at that effort; no effort
// keeps the model's default (a summary alone, as Codex asks, changes
// nothing).
func thinking(t gateway.Target, effort string) map[string]any {
	switch effort {
	case "":
		return nil
	case "none":
		off := false
		return t.Thinking(&off, "")
	}
	on := true
	return t.Thinking(&on, effort)
}

func toolFields(body map[string]any, req *Request, names *toolNames, tools []any, drop []string) *gateway.Error {
	choice := any(nil)
	if req.ToolChoice != nil {
		var e *gateway.Error
		if choice, tools, e = toolChoice(req.ToolChoice, names, tools, drop); e != nil {
			return e
		}
	}
	if len(tools) == 0 {
		return nil // no tool left: no tool_choice either, which providers refuse alone
	}
	body["tools"] = tools
	if choice != nil {
		body["tool_choice"] = choice
	}
	if req.ParallelToolCalls != nil {
		body["parallel_tool_calls"] = *req.ParallelToolCalls
	}
	return nil
}

// toolChoice maps tool_choice, and narrows tools for allowed_tools.
func toolChoice(raw json.RawMessage, names *toolNames, tools []any, drop []string) (any, []any, *gateway.Error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		switch s {
		case "auto", "none", "required":
			return s, tools, nil
		}
		return nil, nil, gateway.InvalidParam("tool_choice", fmt.Sprintf("tool_choice: %q is not one of auto, none, required", s))
	}
	var c struct {
		Type, Name, Namespace, Mode string
		Tools                       []struct{ Type, Name, Namespace string }
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, nil, gateway.InvalidParam("tool_choice", "tool_choice must be a string or an object: "+err.Error())
	}
	switch c.Type {
	case "function", "custom":
		return named(names.chatName(toolRef{namespace: c.Namespace, name: c.Name})), tools, nil
	case "local_shell":
		return named(names.chatName(toolRef{name: "local_shell"})), tools, nil
	case "allowed_tools":
		allowed := map[string]bool{}
		for _, t := range c.Tools {
			n := t.Name
			if t.Type == "local_shell" {
				n = "local_shell"
			}
			allowed[names.chatName(toolRef{namespace: t.Namespace, name: n})] = true
		}
		var kept []any
		for _, t := range tools {
			if allowed[t.(map[string]any)["function"].(map[string]any)["name"].(string)] {
				kept = append(kept, t)
			}
		}
		mode := c.Mode
		if mode != "required" {
			mode = "auto"
		}
		return mode, kept, nil
	}
	if dropped(c.Type, drop) {
		return "auto", tools, nil
	}
	return nil, nil, hostedToolError("tool_choice", c.Type)
}

func named(name string) any {
	return map[string]any{"type": "function", "function": map[string]any{"name": name}}
}

// responseFormat maps text.format to chat's response_format; plain text
// needs none.
func responseFormat(raw json.RawMessage) (any, *gateway.Error) {
	var f struct {
		Type        string          `json:"type"`
		Name        string          `json:"name"`
		Schema      json.RawMessage `json:"schema"`
		Strict      *bool           `json:"strict"`
		Description string          `json:"description"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, gateway.InvalidParam("text.format", "text.format must be an object with a type: "+err.Error())
	}
	switch f.Type {
	case "text", "":
		return nil, nil
	case "json_object":
		return map[string]any{"type": "json_object"}, nil
	case "json_schema":
		if f.Name == "" || isNull(f.Schema) {
			return nil, gateway.InvalidParam("text.format", "text.format of type json_schema needs a name and a schema")
		}
		js := map[string]any{"name": f.Name, "schema": f.Schema}
		if f.Strict != nil {
			js["strict"] = *f.Strict
		}
		if f.Description != "" {
			js["description"] = f.Description
		}
		return map[string]any{"type": "json_schema", "json_schema": js}, nil
	}
	return nil, gateway.InvalidParam("text.format", fmt.Sprintf("text.format: type %q is not one of text, json_object, json_schema", f.Type))
}
