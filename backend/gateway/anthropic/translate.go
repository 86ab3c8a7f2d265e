package anthropic

import (
	"encoding/json"
	"fmt"

	"thinkcloud/backend/gateway"
)

// ChatBody writes req as a chat-completions body for t, with t's upstream
// model id in it and every control in t's provider's own spelling. The
// body always streams and asks for usage: a non-streaming client gets
// the stream gathered into one message (DashScope thinks only while
// streaming, and one reading path serves both). key checks the
// signatures of thinking blocks sent back.
func ChatBody(req *Request, t gateway.Target, key KeyFunc) ([]byte, *gateway.Error) {
	if !isAbsent(req.MCPServers) || !isAbsent(req.Container) {
		return nil, gateway.InvalidParam("mcp_servers", "mcp_servers and container ask Anthropic to run servers or code for you; "+t.Model.Provider+" is reached through chat completions, which cannot")
	}
	c := converter{target: t, verify: verifier{key: key}, thinking: thinkingOn(req)}
	msgs, e := c.messages(req)
	if e != nil {
		return nil, e
	}
	body := map[string]any{
		"model":          t.Model.Upstream,
		"messages":       msgs,
		"stream":         true,
		"stream_options": map[string]any{"include_usage": true},
	}
	if req.MaxTokens != nil {
		body[t.MaxTokensField()] = t.ClampOutput(*req.MaxTokens)
	}
	if !t.Dialect.SamplingFixed(t.Model) {
		setIf(body, "temperature", req.Temperature)
		setIf(body, "top_p", req.TopP)
		if t.Dialect.Accepts("top_k") {
			setIf(body, "top_k", req.TopK)
		}
	}
	if len(req.StopSequences) > 0 {
		body["stop"] = req.StopSequences
	}
	if e := tools(body, req, t); e != nil {
		return nil, e
	}
	if e := thinking(body, req, t); e != nil {
		return nil, e
	}
	out, err := json.Marshal(body)
	if err != nil {
		return nil, gateway.InvalidRequest("", "could not encode the request: "+err.Error())
	}
	return out, nil
}

func setIf[T any](body map[string]any, k string, v *T) {
	if v != nil {
		body[k] = *v
	}
}

// thinkingOn reports whether the client asked for thinking.
func thinkingOn(req *Request) bool {
	return req.Thinking != nil && (req.Thinking.Type == "enabled" || req.Thinking.Type == "adaptive")
}

// thinking maps Anthropic's thinking switch, budget and effort onto the
// provider's (gateway.Target.Thinking and Budget).
func thinking(body map[string]any, req *Request, t gateway.Target) *gateway.Error {
	effort := ""
	if req.OutputConfig != nil {
		effort = req.OutputConfig.Effort
	}
	var on *bool
	budget := 0
	if req.Thinking != nil {
		switch req.Thinking.Type {
		case "enabled":
			budget = req.Thinking.BudgetTokens
			if budget < 1024 {
				return gateway.InvalidParam("thinking.budget_tokens", fmt.Sprintf("thinking.budget_tokens: must be at least 1024; got %d", budget))
			}
			if effort == "" && t.Dialect.Budget == "" {
				effort = t.Dialect.EffortForBudget(budget) // a provider with efforts, not budgets
			}
			fallthrough
		case "adaptive":
			yes := true
			on = &yes
		case "disabled":
			no := false
			on, effort = &no, ""
		default:
			return gateway.InvalidParam("thinking.type", fmt.Sprintf("thinking.type: %q is not one of enabled, disabled, adaptive", req.Thinking.Type))
		}
	}
	for k, v := range t.Thinking(on, effort) {
		body[k] = v
	}
	for k, v := range t.Budget(budget) {
		body[k] = v
	}
	return nil
}

// tools maps tool definitions and tool_choice.
func tools(body map[string]any, req *Request, t gateway.Target) *gateway.Error {
	var defs []any
	for i, tool := range req.Tools {
		if tool.Type != "" && tool.Type != "custom" {
			return gateway.InvalidParam(fmt.Sprintf("tools.%d.type", i), fmt.Sprintf("tools.%d: tool type %q is a tool Anthropic runs itself; %s is reached through chat completions and can only call your own tools (type custom, with an input_schema)", i, tool.Type, t.Model.Provider))
		}
		if tool.Name == "" {
			return gateway.InvalidParam(fmt.Sprintf("tools.%d.name", i), fmt.Sprintf("tools.%d.name: Field required", i))
		}
		fn := map[string]any{"name": tool.Name, "parameters": json.RawMessage(`{"type":"object","properties":{}}`)}
		if !isAbsent(tool.InputSchema) {
			fn["parameters"] = tool.InputSchema
		}
		if tool.Description != "" {
			fn["description"] = tool.Description
		}
		defs = append(defs, map[string]any{"type": "function", "function": fn})
	}
	tc := req.ToolChoice
	if tc == nil {
		if len(defs) > 0 {
			body["tools"] = defs
		}
		return nil
	}
	switch tc.Type {
	case "auto":
		body["tool_choice"] = "auto"
	case "any":
		body["tool_choice"] = "required"
	case "tool":
		if tc.Name == "" {
			return gateway.InvalidParam("tool_choice.name", "tool_choice.name: Field required when tool_choice.type is tool")
		}
		body["tool_choice"] = map[string]any{"type": "function", "function": map[string]any{"name": tc.Name}}
	case "none":
		body["tool_choice"] = "none"
	default:
		return gateway.InvalidParam("tool_choice.type", fmt.Sprintf("tool_choice.type: %q is not one of auto, any, tool, none", tc.Type))
	}
	if len(defs) > 0 {
		body["tools"] = defs
	} else {
		delete(body, "tool_choice") // providers refuse a choice among no tools
	}
	if tc.DisableParallelToolUse && len(defs) > 0 && !t.Dialect.Refuses("parallel_tool_calls") {
		body["parallel_tool_calls"] = false
	}
	return nil
}
