package desktop

import (
	"encoding/json"

	"thinkcloud/backend/gateway"
	"thinkcloud/backend/history"
)

// turn is a conversation as the gateway takes it: the gateway, not the
// window's side, knows how each provider spells the request.
func turn(model string, msgs []history.Message, p Params) gateway.Turn {
	t := gateway.Turn{Model: model, System: p.System, Params: gateway.Params{
		Temperature: p.Temperature, TopP: p.TopP, MaxTokens: p.MaxTokens,
		FrequencyPenalty: p.FrequencyPenalty, PresencePenalty: p.PresencePenalty,
		ReasoningEffort: p.ReasoningEffort, Thinking: p.Thinking, ThinkingBudget: p.ThinkingBudget,
	}}
	for _, msg := range msgs {
		if msg.Role == history.RoleAssistant && (msg.Content == "" || msg.Status == history.StatusError) {
			continue // failed answers are not part of what the model said
		}
		var images []string
		if len(msg.Images) > 0 {
			json.Unmarshal(msg.Images, &images)
		}
		t.Messages = append(t.Messages, gateway.TurnMessage{Role: string(msg.Role), Content: msg.Content, Images: images})
	}
	return t
}
