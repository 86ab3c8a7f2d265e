package catalog

import "slices"

// Thinking is how a model reasons and which controls it accepts, in
// canonical terms; the provider's Dialect says how each is spelled.
type Thinking struct {
	// Mode is ReasoningNone, ReasoningOptional (an on/off switch) or
	// ReasoningAlways.
	Mode string `json:"mode"`
	// Efforts lists the effort levels the model accepts, in Efforts'
	// order ("none", "minimal", "low", "medium", "high", "xhigh", "max");
	// empty when it takes no effort.
	Efforts []string `json:"efforts,omitempty"`
	// Default is the effort the provider applies when none is sent; "" when
	// unknown or not applicable.
	Default string `json:"default,omitempty"`
	// BudgetMax is the largest thinking budget in tokens the model takes
	// through the dialect's Budget field; 0 when it takes no budget.
	BudgetMax int `json:"budgetMax,omitempty"`
}

// Reasoning modes of Thinking.Mode.
const (
	ReasoningNone     = "none"
	ReasoningOptional = "optional"
	ReasoningAlways   = "always"
)

// Efforts is every canonical effort level, weakest first.
var Efforts = []string{"none", "minimal", "low", "medium", "high", "xhigh", "max"}

// NearestEffort maps a requested effort onto one the model accepts: the
// level itself when accepted, else the nearest accepted level above it,
// else the strongest below it. It returns "" when the model takes no
// effort or want is not a canonical level.
func (t Thinking) NearestEffort(want string) string {
	i := slices.Index(Efforts, want)
	if i < 0 || len(t.Efforts) == 0 {
		return ""
	}
	if slices.Contains(t.Efforts, want) {
		return want
	}
	for _, e := range Efforts[i+1:] {
		if slices.Contains(t.Efforts, e) && e != "none" {
			return e
		}
	}
	for j := i - 1; j >= 0; j-- {
		if slices.Contains(t.Efforts, Efforts[j]) {
			return Efforts[j]
		}
	}
	return ""
}
