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
	// Once asks for the whole answer in one body instead of a stream
	// (a conversation title); false streams, with usage.
	Once bool
}

// TurnMessage is one message of a Turn.
type TurnMessage struct {
	// Role is "user" or "assistant".
	Role string
	// Content is the text.
	Content string
	// Images are data URLs sent as image parts after the text.
	Images []string
	// Reasoning is an answer's thinking text, sent back only where the
	// provider can keep earlier reasoning (Dialect.PreserveThinking).
	Reasoning string
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
	// ThinkingBudget caps thinking at this many tokens where the model
	// takes a budget (catalog.Thinking.BudgetMax); nil sends none.
	ThinkingBudget *int
}

// Target is a resolved model with its provider's dialect: what a door
// that translates its own wire format needs to build the provider's body.
type Target struct {
	// Model is the catalog entry the name resolved to.
	Model catalog.Model
	// Dialect is its provider's spelling of controls.
	Dialect catalog.Dialect
	// Endpoints are the provider's other APIs (catalog.Provider.Endpoints).
	Endpoints map[string]string
	// Fallbacks are the rest of an alias's chain, in order; Call and
	// PassThrough hand them to Send.
	Fallbacks []Target
}

// Target resolves a model name once, aliases included (catalog.Chain).
func (r *Router) Target(name string) (Target, *Error) {
	chain, err := r.Catalog.Chain(name)
	if err != nil {
		return Target{}, resolveError(name, err)
	}
	t := r.target(chain[0])
	for _, m := range chain[1:] {
		t.Fallbacks = append(t.Fallbacks, r.target(m))
	}
	return t, nil
}

func (r *Router) target(m catalog.Model) Target {
	p, _ := r.Catalog.Provider(m.Provider)
	return Target{Model: m, Dialect: p.Dialect, Endpoints: p.Endpoints}
}

// Call wraps body, already written for t (upstream model id included),
// as a chat-completions call; a translating door builds its body and
// hands it over here, so nothing is parsed again.
func (t Target) Call(name string, body []byte, stream, includeUsage bool) *Call {
	return &Call{Request: Request{Model: name, Stream: stream, IncludeUsage: includeUsage, Body: body}, Model: t.Model, Upstream: body, Fallbacks: t.Fallbacks}
}

// PrepareTurn resolves t's model once and builds the upstream body from
// t directly, with the upstream model id in it: nothing is parsed back.
// The body streams and asks for usage, unless t.Once asks for one body.
func (r *Router) PrepareTurn(t Turn) (*Call, *Error) {
	target, e := r.Target(t.Model)
	if e != nil {
		return nil, e
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
	body, controls, e := turnBody(t, target)
	if e != nil {
		return nil, e
	}
	out, err := json.Marshal(body)
	if err != nil {
		return nil, InvalidRequest("", "could not encode the request: "+err.Error())
	}
	call := target.Call(t.Model, out, !t.Once, !t.Once)
	call.Thinking = target.thinkingLabel(controls)
	call.Rebuild = func(next Target) ([]byte, *Error) {
		nb, _, e := turnBody(t, next)
		if e != nil {
			return nil, e
		}
		b, err := json.Marshal(nb)
		if err != nil {
			return nil, InvalidRequest("", "could not encode the request: "+err.Error())
		}
		return b, nil
	}
	return call, nil
}

// turnBody is t as a chat-completions body for target. It is a map so
// that every parameter the user set is sent exactly (a temperature of 0
// included) beside provider fields. A parameter the model fixes is never
// sent, whoever set it (the user, or the model's own defaults).
func turnBody(t Turn, target Target) (map[string]any, map[string]any, *Error) {
	m := target.Model
	var messages []map[string]any
	if strings.TrimSpace(t.System) != "" {
		messages = append(messages, map[string]any{"role": "system", "content": t.System})
	}
	for _, msg := range t.Messages {
		messages = append(messages, map[string]any{"role": msg.Role, "content": content(msg)})
	}
	body := map[string]any{
		"model":    m.Upstream,
		"messages": messages,
		"stream":   !t.Once,
	}
	if !t.Once {
		body["stream_options"] = map[string]any{"include_usage": true}
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
	set(target.MaxTokensField(), deref(p.MaxTokens), p.MaxTokens != nil)
	controls, e := target.controls(p)
	if e != nil {
		return nil, nil, e
	}
	for k, v := range controls {
		body[k] = v
	}
	for _, k := range target.FixedParams() {
		delete(body, k)
	}
	target.preserveThinking(body, t, messages)
	return body, controls, nil
}

// preserveThinking sends the reasoning of earlier answers back, with the
// provider's flag that has the model read it, when the provider has one
// and the model thinks in this turn: Qwen keeps its earlier thinking in
// context that way (better agent turns, and a prompt cache that holds).
func (target Target) preserveThinking(body map[string]any, t Turn, messages []map[string]any) {
	d, th, p := target.Dialect, target.Model.Think, t.Params
	if d.PreserveThinking == "" || d.ReasoningReplay == "" || th == nil || th.Mode == catalog.ReasoningNone ||
		(p.Thinking != nil && !*p.Thinking) {
		return
	}
	asked := (p.Thinking != nil && *p.Thinking) || p.ThinkingBudget != nil || (p.ReasoningEffort != "" && p.ReasoningEffort != "none")
	if th.Mode != catalog.ReasoningAlways && !asked {
		return // an optional thinker the turn did not switch on
	}
	offset := len(messages) - len(t.Messages)
	sent := false
	for i, msg := range t.Messages {
		if msg.Role == "assistant" && msg.Reasoning != "" {
			messages[offset+i][d.ReasoningReplay] = msg.Reasoning
			sent = true
		}
	}
	if sent {
		body[d.PreserveThinking] = true
	}
}

// MaxTokensField is the body field that limits the answer's length.
func (t Target) MaxTokensField() string { return t.Dialect.MaxTokensField(t.Model) }

// ClampOutput is an answer limit n lowered to the most the model can
// write, when the catalog knows it. Translating doors clamp: Claude Code
// asks for 32,000 tokens and more, which a model with a smaller limit
// answers with a 400; passthrough never does (bytes stay the client's).
func (t Target) ClampOutput(n int64) int64 {
	if mo := int64(t.Model.MaxOutput); mo > 0 && n > mo {
		return mo
	}
	return n
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
