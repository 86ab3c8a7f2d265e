package catalog

import (
	"slices"
	"strings"
)

// Dialect is a provider's spelling of thinking controls and token limits:
// the gateway reads it, so no other layer switches on a provider's name.
type Dialect struct {
	// Thinking is how thinking is switched on or off: "" when the provider
	// has no switch, ThinkingEnableFlag or ThinkingTypeObject.
	Thinking string `json:"thinking,omitempty"`
	// Effort is the body field that takes a reasoning effort
	// ("reasoning_effort"); "" when the provider takes none.
	Effort string `json:"effort,omitempty"`
	// EffortModels lists upstream id prefixes of the models that take
	// Effort (OpenAI's reasoning models; gpt-4o answers 400 to it); empty
	// means every model of the provider does.
	EffortModels []string `json:"effortModels,omitempty"`
	// CompletionTokens lists upstream id prefixes of models that take
	// max_completion_tokens and refuse max_tokens (OpenAI's reasoning
	// models); other models get max_tokens.
	CompletionTokens []string `json:"completionTokens,omitempty"`
	// ReasoningReplay is the assistant-message field that carries a
	// model's earlier reasoning back to it ("reasoning_content"), which
	// some providers require inside a tool loop; "" when the provider
	// takes none, and earlier reasoning is then left out.
	ReasoningReplay string `json:"reasoningReplay,omitempty"`
	// PreserveThinking is the body flag ("preserve_thinking") that has a
	// thinking model read the reasoning of its earlier answers, replayed
	// in ReasoningReplay on the assistant messages; "" when the provider
	// has none, and earlier reasoning then stays out of the window's turns.
	PreserveThinking string `json:"preserveThinking,omitempty"`
	// Budget is the body field that takes a thinking budget in tokens
	// ("thinking_budget"); "" when the provider takes none.
	Budget string `json:"budget,omitempty"`
	// BudgetEfforts turn a thinking budget into an effort for providers
	// that take an effort but no budget: the first step whose UpTo is at
	// least the budget (or is 0, meaning any) gives the effort.
	BudgetEfforts []BudgetEffort `json:"budgetEfforts,omitempty"`
	// Params lists sampling parameters beyond OpenAI's that the provider
	// accepts ("top_k"); a translating door drops the others.
	Params []string `json:"params,omitempty"`
	// Unsupported lists body fields the provider refuses with a 400
	// ("parallel_tool_calls"); a translating door leaves them out.
	Unsupported []string `json:"unsupported,omitempty"`
	// FixedSampling lists upstream id prefixes of models whose sampling
	// (temperature, top_p, top_k) is fixed: sending any value is an error
	// there, so a translating door sends none.
	FixedSampling []string `json:"fixedSampling,omitempty"`
}

// BudgetEffort is one step of Dialect.BudgetEfforts.
type BudgetEffort struct {
	UpTo   int    `json:"upTo"`
	Effort string `json:"effort"`
}

// EffortForBudget is the effort a thinking budget of tokens stands for,
// "" when the dialect maps none.
func (d Dialect) EffortForBudget(tokens int) string {
	for _, s := range d.BudgetEfforts {
		if s.UpTo == 0 || tokens <= s.UpTo {
			return s.Effort
		}
	}
	return ""
}

// Accepts reports whether the provider takes the optional body field
// name (a parameter listed in Params, and not in Unsupported).
func (d Dialect) Accepts(name string) bool {
	return slices.Contains(d.Params, name) && !slices.Contains(d.Unsupported, name)
}

// Refuses reports whether the provider answers body field name with a 400.
func (d Dialect) Refuses(name string) bool { return slices.Contains(d.Unsupported, name) }

// TakesEffort reports whether m takes a reasoning effort.
func (d Dialect) TakesEffort(m Model) bool {
	if d.Effort == "" {
		return false
	}
	if len(d.EffortModels) == 0 {
		return true
	}
	for _, p := range d.EffortModels {
		if strings.HasPrefix(m.Upstream, p) {
			return true
		}
	}
	return false
}

// SamplingFixed reports whether m's sampling parameters must not be sent.
func (d Dialect) SamplingFixed(m Model) bool {
	for _, p := range d.FixedSampling {
		if strings.HasPrefix(m.Upstream, p) {
			return true
		}
	}
	return false
}

// Thinking switches a Dialect may name.
const (
	// ThinkingEnableFlag is DashScope's top-level "enable_thinking": bool.
	ThinkingEnableFlag = "enable_thinking"
	// ThinkingTypeObject is DeepSeek's "thinking": {"type": "enabled"|"disabled"}.
	ThinkingTypeObject = "thinking.type"
)

// MaxTokensField is the body field that limits m's answer under d.
func (d Dialect) MaxTokensField(m Model) string {
	for _, p := range d.CompletionTokens {
		if strings.HasPrefix(m.Upstream, p) {
			return "max_completion_tokens"
		}
	}
	return "max_tokens"
}
