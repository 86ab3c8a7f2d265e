// Package responses translates the OpenAI Responses API to chat
// completions and back, for providers that do not speak it natively: a
// request becomes one chat-completions body for a gateway.Target, and the
// provider's answer, read through gateway.Decoder, becomes Responses
// events or a Response object. It does no I/O; backend/server drives it.
package responses

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"thinkcloud/backend/gateway"
)

// Request is a Responses API request, parsed once. Fields are kept as the
// client sent them; Build decides what each means for a provider.
type Request struct {
	// Model is the name the client asked for.
	Model string
	// Input is the conversation: a string input becomes one user message.
	Input []Item
	// Instructions is the system prompt of this turn only ("" for none).
	Instructions string
	// Tools are the tools offered, and RawTools the same as sent, echoed
	// in the Response object.
	Tools    []Tool
	RawTools json.RawMessage
	// ToolChoice is "auto", "none", "required" or an object; nil is auto.
	ToolChoice json.RawMessage
	// ParallelToolCalls is nil when the client did not say.
	ParallelToolCalls *bool
	// Format is text.format; nil is plain text.
	Format json.RawMessage
	// Effort and Summary are reasoning.effort and reasoning.summary.
	Effort, Summary string
	// MaxOutputTokens, Temperature and TopP are nil when absent.
	MaxOutputTokens   *int64
	Temperature, TopP *float64
	// Store is false only when the client said store: false.
	Store bool
	// PreviousResponseID continues a stored response.
	PreviousResponseID string
	// Stream asks for server-sent events.
	Stream bool
	// Include lists extra output ("reasoning.encrypted_content").
	Include []string
	// Metadata and User are echoed in the Response object.
	Metadata json.RawMessage
	User     string
}

// wireRequest is the body as JSON. Pointers tell absent from zero.
type wireRequest struct {
	Model             *string         `json:"model"`
	Input             json.RawMessage `json:"input"`
	Instructions      *string         `json:"instructions"`
	Tools             json.RawMessage `json:"tools"`
	ToolChoice        json.RawMessage `json:"tool_choice"`
	ParallelToolCalls *bool           `json:"parallel_tool_calls"`
	Text              *struct {
		Format json.RawMessage `json:"format"`
	} `json:"text"`
	Reasoning          *struct{ Effort, Summary *string } `json:"reasoning"`
	MaxOutputTokens    *int64                             `json:"max_output_tokens"`
	Temperature        *float64                           `json:"temperature"`
	TopP               *float64                           `json:"top_p"`
	Store              *bool                              `json:"store"`
	PreviousResponseID *string                            `json:"previous_response_id"`
	Stream             *bool                              `json:"stream"`
	Include            []string                           `json:"include"`
	Metadata           json.RawMessage                    `json:"metadata"`
	User               *string                            `json:"user"`
	Background         *bool                              `json:"background"`
	Conversation       json.RawMessage                    `json:"conversation"`
	Prompt             json.RawMessage                    `json:"prompt"`
}

// IncludeEncrypted is the include value that asks for reasoning the client
// can send back (Codex always asks, with store: false).
const IncludeEncrypted = "reasoning.encrypted_content"

// Parse reads a Responses request body. Every failure is a 400 naming the
// field, as OpenAI answers.
func Parse(body []byte) (*Request, *gateway.Error) {
	var w wireRequest
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, jsonError(err)
	}
	if w.Model == nil || *w.Model == "" {
		return nil, gateway.InvalidParam("model", "you must provide a model parameter")
	}
	switch {
	case w.Background != nil && *w.Background:
		return nil, unsupported("background", "background responses are not supported: ThinkCloud answers while the request is open")
	case !isNull(w.Conversation):
		return nil, unsupported("conversation", "conversation objects are not supported; send the conversation in input, or use previous_response_id")
	case !isNull(w.Prompt):
		return nil, unsupported("prompt", "prompt templates live on OpenAI's platform and are not supported; send the prompt in input")
	}
	req := &Request{Model: *w.Model, ToolChoice: nonNull(w.ToolChoice), ParallelToolCalls: w.ParallelToolCalls,
		MaxOutputTokens: w.MaxOutputTokens, Temperature: w.Temperature, TopP: w.TopP, Store: w.Store == nil || *w.Store,
		Include: w.Include, Metadata: nonNull(w.Metadata)}
	req.Instructions = deref(w.Instructions)
	req.PreviousResponseID = deref(w.PreviousResponseID)
	req.User = deref(w.User)
	req.Stream = w.Stream != nil && *w.Stream
	if w.Text != nil {
		req.Format = nonNull(w.Text.Format)
	}
	if w.Reasoning != nil {
		req.Effort, req.Summary = deref(w.Reasoning.Effort), deref(w.Reasoning.Summary)
	}
	if e := checkNumbers(req); e != nil {
		return nil, e
	}
	var e *gateway.Error
	if req.Input, e = parseInput(w.Input); e != nil {
		return nil, e
	}
	if req.PreviousResponseID == "" && len(req.Input) == 0 {
		return nil, gateway.InvalidParam("input", "input must not be empty")
	}
	if !isNull(w.Tools) {
		req.RawTools = w.Tools
		if err := json.Unmarshal(w.Tools, &req.Tools); err != nil {
			return nil, gateway.InvalidParam("tools", "tools must be an array of tool objects, each with a string type: "+err.Error())
		}
	}
	return req, nil
}

// Peek reads only what routing needs (model and stream), for providers
// that speak the Responses API themselves: their requests pass through as
// bytes and are not parsed further.
func Peek(body []byte) (model string, stream bool, e *gateway.Error) {
	var w struct {
		Model  *string `json:"model"`
		Stream *bool   `json:"stream"`
	}
	if err := json.Unmarshal(body, &w); err != nil {
		return "", false, jsonError(err)
	}
	if w.Model == nil || *w.Model == "" {
		return "", false, gateway.InvalidParam("model", "you must provide a model parameter")
	}
	return *w.Model, w.Stream != nil && *w.Stream, nil
}

// Encrypted reports whether the client asked for encrypted reasoning.
func (r *Request) Encrypted() bool {
	for _, s := range r.Include {
		if s == IncludeEncrypted {
			return true
		}
	}
	return false
}

// wantsSummary reports whether the client asked for reasoning summaries
// ("auto", "concise", "detailed"; not "none").
func (r *Request) wantsSummary() bool { return r.Summary != "" && r.Summary != "none" }

func parseInput(raw json.RawMessage) ([]Item, *gateway.Error) {
	raw = bytes.TrimSpace(raw)
	if isNull(raw) {
		return nil, nil
	}
	if raw[0] == '"' {
		var s string
		json.Unmarshal(raw, &s)
		return []Item{{Type: TypeMessage, Role: "user", Content: Parts{{Type: PartInputText, Text: s}}}}, nil
	}
	var items []Item
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, gateway.InvalidParam("input", "input must be a string or an array of input items: "+err.Error())
	}
	for i := range items {
		if items[i].Type == "" && items[i].Role != "" {
			items[i].Type = TypeMessage // EasyInputMessage: {role, content}
		}
	}
	return items, nil
}

func checkNumbers(r *Request) *gateway.Error {
	for _, c := range []struct {
		name     string
		v        *float64
		min, max float64
	}{{"temperature", r.Temperature, 0, 2}, {"top_p", r.TopP, 0, 1}} {
		if c.v != nil && (*c.v < c.min || *c.v > c.max) {
			return gateway.InvalidParam(c.name, fmt.Sprintf("%s must be between %g and %g; got %g", c.name, c.min, c.max, *c.v))
		}
	}
	if r.MaxOutputTokens != nil && *r.MaxOutputTokens < 1 {
		return gateway.InvalidParam("max_output_tokens", fmt.Sprintf("max_output_tokens must be at least 1; got %d", *r.MaxOutputTokens))
	}
	return nil
}

func jsonError(err error) *gateway.Error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		field := strings.SplitN(typeErr.Field, ".", 2)[0]
		return gateway.InvalidParam(field, fmt.Sprintf("%s: expected %s, got JSON %s", typeErr.Field, typeErr.Type, typeErr.Value))
	}
	return gateway.InvalidRequest("", "could not parse the JSON body of your request ("+err.Error()+"); send valid JSON")
}

func unsupported(param, msg string) *gateway.Error {
	return &gateway.Error{Status: 400, Type: "invalid_request_error", Param: param, Code: "unsupported_parameter", Message: msg}
}

func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || bytes.Equal(raw, []byte("null"))
}

func nonNull(raw json.RawMessage) json.RawMessage {
	if isNull(raw) {
		return nil
	}
	return raw
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
