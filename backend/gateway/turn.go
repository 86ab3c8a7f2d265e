package gateway

import (
	"encoding/json"
	"strings"

	"thinkcloud/backend/catalog"
)

// Turn is a conversation the window wants answered: the gateway turns it
// into the provider's request body in one place, with the provider's own
// spelling of every control (catalog.Dialect).
type Turn struct {
	// Model is the name the user picked.
	Model string
	// System is the system prompt; blank sends none.
	System string
	// Messages are the earlier turns and the new one, oldest first.
	Messages []TurnMessage
	// Params are the user's generation settings.
	Params Params
}

// TurnMessage is one message of a Turn.
type TurnMessage struct {
	// Role is "user" or "assistant".
	Role string
	// Content is the text.
	Content string
	// Images are data URLs sent as image parts after the text.
	Images []string
}

// Params are generation settings. A nil pointer is not sent, so a
// temperature of 0 is sent as 0.
type Params struct {
	Temperature      *float64
	TopP             *float64
	MaxTokens        *int
	FrequencyPenalty *float64
	PresencePenalty  *float64
	// ReasoningEffort is sent where the provider takes one; "" sends none.
	ReasoningEffort string
	// Thinking switches thinking on or off where the provider has a
	// switch; nil keeps the model's default.
	Thinking *bool
}

// PrepareTurn resolves t's model once and builds the upstream body from
// t directly, with the upstream model id in it: nothing is parsed back.
// The body always streams and asks for usage.
func (r *Router) PrepareTurn(t Turn) (*Call, *Error) {
	m, err := r.Catalog.Resolve(t.Model)
	if err != nil {
		return nil, UnknownModel(t.Model)
	}
	if e := checkRanges(t.Params.Temperature, t.Params.TopP, t.Params.FrequencyPenalty, t.Params.PresencePenalty); e != nil {
		return nil, e
	}
	if t.Params.MaxTokens != nil {
		n := int64(*t.Params.MaxTokens)
		if e := checkAtLeastOne("max_tokens", &n); e != nil {
			return nil, e
		}
	}
	p, _ := r.Catalog.Provider(m.Provider)
	body, err := json.Marshal(turnBody(t, m, p.Dialect))
	if err != nil {
		return nil, InvalidRequest("", "could not encode the request: "+err.Error())
	}
	return &Call{Request: Request{Model: t.Model, Stream: true, IncludeUsage: true, Body: body}, Model: m, Upstream: body}, nil
}

// turnBody is t as a chat-completions body for model m of a provider
// speaking d. It is a map so that every parameter the user set is sent
// exactly (a temperature of 0 included) beside provider fields.
func turnBody(t Turn, m catalog.Model, d catalog.Dialect) map[string]any {
	var messages []map[string]any
	if strings.TrimSpace(t.System) != "" {
		messages = append(messages, map[string]any{"role": "system", "content": t.System})
	}
	for _, msg := range t.Messages {
		messages = append(messages, map[string]any{"role": msg.Role, "content": content(msg)})
	}
	body := map[string]any{
		"model":          m.Upstream,
		"messages":       messages,
		"stream":         true,
		"stream_options": map[string]any{"include_usage": true},
	}
	p := t.Params
	if p.Temperature == nil {
		if v, ok := m.Defaults["temperature"]; ok {
			p.Temperature = &v
		}
	}
	if p.MaxTokens == nil {
		if v, ok := m.Defaults["max_tokens"]; ok {
			n := int(v)
			p.MaxTokens = &n
		}
	}
	set := func(k string, v any, ok bool) {
		if ok {
			body[k] = v
		}
	}
	set("temperature", deref(p.Temperature), p.Temperature != nil)
	set("top_p", deref(p.TopP), p.TopP != nil)
	set("frequency_penalty", deref(p.FrequencyPenalty), p.FrequencyPenalty != nil)
	set("presence_penalty", deref(p.PresencePenalty), p.PresencePenalty != nil)
	set(d.MaxTokensField(m), deref(p.MaxTokens), p.MaxTokens != nil)
	if p.Thinking != nil {
		switch d.Thinking {
		case catalog.ThinkingEnableFlag:
			body["enable_thinking"] = *p.Thinking
		case catalog.ThinkingTypeObject:
			kind := "disabled"
			if *p.Thinking {
				kind = "enabled"
			}
			body["thinking"] = map[string]any{"type": kind}
		}
	}
	set(d.Effort, p.ReasoningEffort, d.Effort != "" && p.ReasoningEffort != "")
	return body
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// content is a message's text, or the content-parts array when it carries
// images.
func content(msg TurnMessage) any {
	if len(msg.Images) == 0 {
		return msg.Content
	}
	parts := []map[string]any{{"type": "text", "text": msg.Content}}
	for _, url := range msg.Images {
		parts = append(parts, map[string]any{"type": "image_url", "image_url": map[string]any{"url": url}})
	}
	return parts
}
