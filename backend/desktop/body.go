package desktop

import (
	"encoding/json"
	"strings"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/history"
)

// buildBody turns a conversation into a chat-completions request. It is
// built as a map so every parameter the user set is sent exactly (a
// temperature of 0 included) and provider switches that go-openai does not
// know (enable_thinking, thinking) can be added.
func buildBody(model string, m catalog.Model, msgs []history.Message, p Params) ([]byte, error) {
	var messages []map[string]any
	if strings.TrimSpace(p.System) != "" {
		messages = append(messages, map[string]any{"role": "system", "content": p.System})
	}
	for _, msg := range msgs {
		if msg.Role == history.RoleAssistant && (msg.Content == "" || msg.Status == history.StatusError) {
			continue // failed answers are not part of what the model said
		}
		messages = append(messages, map[string]any{"role": string(msg.Role), "content": content(msg)})
	}
	body := map[string]any{
		"model":          model,
		"messages":       messages,
		"stream":         true,
		"stream_options": map[string]any{"include_usage": true},
	}
	temp := p.Temperature
	if temp == nil {
		if v, ok := m.Defaults["temperature"]; ok {
			temp = &v
		}
	}
	maxTokens := p.MaxTokens
	if maxTokens == nil {
		if v, ok := m.Defaults["max_tokens"]; ok {
			n := int(v)
			maxTokens = &n
		}
	}
	set := func(k string, v any, ok bool) {
		if ok {
			body[k] = v
		}
	}
	set("temperature", deref(temp), temp != nil)
	set("top_p", deref(p.TopP), p.TopP != nil)
	set("frequency_penalty", deref(p.FrequencyPenalty), p.FrequencyPenalty != nil)
	set("presence_penalty", deref(p.PresencePenalty), p.PresencePenalty != nil)
	if maxTokens != nil {
		if openAIReasoning(m) {
			body["max_completion_tokens"] = *maxTokens
		} else {
			body["max_tokens"] = *maxTokens
		}
	}
	thinkingSwitch(body, m, p)
	return json.Marshal(body)
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// content is a message's text, or the content-parts array when it carries
// images.
func content(msg history.Message) any {
	var images []string
	if len(msg.Images) > 0 {
		json.Unmarshal(msg.Images, &images)
	}
	if len(images) == 0 {
		return msg.Content
	}
	parts := []map[string]any{{"type": "text", "text": msg.Content}}
	for _, url := range images {
		parts = append(parts, map[string]any{"type": "image_url", "image_url": map[string]any{"url": url}})
	}
	return parts
}

// openAIReasoning marks OpenAI models that take max_completion_tokens.
func openAIReasoning(m catalog.Model) bool {
	u := m.Upstream
	return m.Provider == "openai" && (strings.HasPrefix(u, "o1") || strings.HasPrefix(u, "o3") || strings.HasPrefix(u, "o4") || strings.HasPrefix(u, "gpt-5"))
}

// thinkingSwitch adds each provider's own way of turning thinking on or
// off, and reasoning effort where it exists.
func thinkingSwitch(body map[string]any, m catalog.Model, p Params) {
	if p.Thinking != nil {
		switch m.Provider {
		case "dashscope":
			body["enable_thinking"] = *p.Thinking
		case "deepseek":
			kind := "disabled"
			if *p.Thinking {
				kind = "enabled"
			}
			body["thinking"] = map[string]any{"type": kind}
		}
	}
	if p.ReasoningEffort != "" && (m.Provider == "openai" || m.Provider == "cerebras") {
		body["reasoning_effort"] = p.ReasoningEffort
	}
}
