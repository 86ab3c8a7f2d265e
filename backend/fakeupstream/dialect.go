package fakeupstream

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// dialectFields are the thinking and sampling fields a fake checks the
// way its provider does.
type dialectFields struct {
	Model           string   `json:"model"`
	ReasoningEffort *string  `json:"reasoning_effort"`
	ThinkingBudget  *float64 `json:"thinking_budget"`
	EnableThinking  *bool    `json:"enable_thinking"`
	Thinking        *struct {
		Type string `json:"type"`
	} `json:"thinking"`
	Temperature      *float64 `json:"temperature"`
	TopP             *float64 `json:"top_p"`
	N                *float64 `json:"n"`
	PresencePenalty  *float64 `json:"presence_penalty"`
	FrequencyPenalty *float64 `json:"frequency_penalty"`
	MaxTokens        *float64 `json:"max_tokens"`
}

// kimiFixed is true for Kimi's models whose sampling is fixed (K3, the
// K2.7 code line, K2.6): any other value of a sampling field is a 400.
func kimiFixed(model string) bool {
	for _, p := range []string{"kimi-k3", "kimi-k2.7", "kimi-k2.6"} {
		if strings.HasPrefix(model, p) {
			return true
		}
	}
	return false
}

// efforts are the reasoning_effort values each provider accepts for a
// model ("" kind: none), as its docs say: DeepSeek maps low and medium to
// high and xhigh to max itself; Kimi's K3 takes low, high and max;
// Cerebras's gpt-oss low to high; OpenAI none to xhigh on its reasoning
// models; DashScope's newest Qwen low to high.
func efforts(kind, model string) []string {
	switch kind {
	case DeepSeek:
		return []string{"low", "medium", "high", "xhigh", "max"}
	case Kimi:
		if strings.HasPrefix(model, "kimi-k3") {
			return []string{"low", "high", "max"}
		}
	case Cerebras:
		if strings.HasPrefix(model, "gpt-oss") {
			return []string{"low", "medium", "high"}
		}
	case OpenAI:
		for _, p := range []string{"o1", "o3", "o4", "gpt-5", "gpt-6"} {
			if strings.HasPrefix(model, p) {
				return []string{"none", "minimal", "low", "medium", "high", "xhigh"}
			}
		}
	case DashScope:
		if strings.HasPrefix(model, "qwen3.7") || strings.HasPrefix(model, "qwen3.8") {
			return []string{"low", "medium", "high"}
		}
	}
	return nil
}

// checkDialect answers what the provider answers to thinking controls and
// fixed parameters it refuses, "" when it takes them.
func (f *Fake) checkDialect(body []byte) (status int, msg, code string) {
	var d dialectFields
	if json.Unmarshal(body, &d) != nil {
		return 0, "", ""
	}
	if f.Kind == Kimi && kimiFixed(d.Model) {
		temp := 1.0
		if strings.HasPrefix(d.Model, "kimi-k2.6") && d.Thinking != nil && d.Thinking.Type == "disabled" {
			temp = 0.6 // K2.6 without thinking samples at 0.6
		}
		for _, p := range []struct {
			name  string
			v     *float64
			fixed float64
		}{{"temperature", d.Temperature, temp}, {"top_p", d.TopP, 0.95}, {"n", d.N, 1}, {"presence_penalty", d.PresencePenalty, 0}, {"frequency_penalty", d.FrequencyPenalty, 0}} {
			if p.v != nil && *p.v != p.fixed {
				return 400, fmt.Sprintf("invalid %s: only %g is allowed for this model", p.name, p.fixed), ""
			}
		}
	}
	if d.ReasoningEffort != nil {
		accepted := efforts(f.Kind, d.Model)
		switch {
		case accepted == nil && f.Kind == OpenAI:
			return 400, "Unsupported parameter: 'reasoning_effort' is not supported with this model.", "unsupported_parameter"
		case accepted == nil:
			// Other providers ignore the field on models without efforts.
		case !slices.Contains(accepted, *d.ReasoningEffort):
			return 400, fmt.Sprintf("Invalid value for reasoning_effort: %q; supported values are %s", *d.ReasoningEffort, strings.Join(accepted, ", ")), "invalid_value"
		}
	}
	if d.Thinking != nil && d.Thinking.Type != "enabled" && d.Thinking.Type != "disabled" && (f.Kind == DeepSeek || f.Kind == Kimi) {
		return 400, fmt.Sprintf("invalid thinking.type %q: must be enabled or disabled", d.Thinking.Type), "invalid_request_error"
	}
	if f.Kind == DashScope && d.ThinkingBudget != nil && (*d.ThinkingBudget < 1 || *d.ThinkingBudget != float64(int(*d.ThinkingBudget))) {
		return 400, "<400> InternalError.Algo.InvalidParameter: thinking_budget must be a positive integer", "invalid_parameter_error"
	}
	return 0, "", ""
}
