package gateway

import (
	"fmt"
	"slices"
	"strconv"

	"thinkcloud/backend/catalog"
)

// Thinking returns the body fields that switch thinking on or off (nil
// keeps the model's default) and set a reasoning effort ("" sets none),
// in the provider's own spelling; controls the provider or the model
// lacks are left out. Every door maps its clients' thinking controls
// through it.
//
// When the catalog knows how the model thinks (Model.Think), that is the
// authority: a model that never thinks gets nothing, one that always
// thinks gets no switch, and an effort becomes the nearest level the
// model accepts (DeepSeek takes high and max, so low becomes high).
// "none", or thinking off, is the switch where the model has one and the
// effort "none" where the model takes that level instead. Without that
// knowledge (a bare live-list id), the dialect alone decides.
func (t Target) Thinking(on *bool, effort string) map[string]any {
	th := t.Model.Think
	if th == nil {
		return t.dialectThinking(on, effort)
	}
	out := map[string]any{}
	if th.Mode == catalog.ReasoningNone || th.Mode == "" {
		return out
	}
	switchable := th.Mode == catalog.ReasoningOptional && t.Dialect.Thinking != ""
	off := on != nil && !*on
	if effort == "none" && !slices.Contains(th.Efforts, "none") && switchable {
		off = true
	}
	if off {
		switch {
		case switchable:
			t.setSwitch(out, false)
		case slices.Contains(th.Efforts, "none") && t.Dialect.Effort != "":
			out[t.Dialect.Effort] = "none"
		}
		return out
	}
	if switchable && (on != nil || effort != "") {
		t.setSwitch(out, true)
	}
	if effort != "" && t.Dialect.Effort != "" {
		if e := th.NearestEffort(effort); e != "" {
			out[t.Dialect.Effort] = e
		}
	}
	return out
}

// dialectThinking is Thinking for a model the catalog knows nothing about.
func (t Target) dialectThinking(on *bool, effort string) map[string]any {
	out := map[string]any{}
	if on != nil {
		t.setSwitch(out, *on)
	}
	if effort != "" && t.Dialect.TakesEffort(t.Model) {
		out[t.Dialect.Effort] = effort
	}
	return out
}

// setSwitch writes the provider's thinking switch.
func (t Target) setSwitch(out map[string]any, on bool) {
	switch t.Dialect.Thinking {
	case catalog.ThinkingEnableFlag:
		out["enable_thinking"] = on
	case catalog.ThinkingTypeObject:
		kind := "disabled"
		if on {
			kind = "enabled"
		}
		out["thinking"] = map[string]any{"type": kind}
	}
}

// controls is the window's thinking choice (switch, effort, budget) in
// the provider's spelling. A budget turns thinking on; a provider that
// takes efforts but no budget gets the effort the budget stands for
// (Dialect.BudgetEfforts). A budget the model cannot take is an error
// rather than a silent change: the window offers only what it takes.
func (t Target) controls(p Params) (map[string]any, *Error) {
	off := p.Thinking != nil && !*p.Thinking
	if p.ThinkingBudget == nil || off {
		return t.Thinking(p.Thinking, p.ReasoningEffort), nil
	}
	n := *p.ThinkingBudget
	th := t.Model.Think
	switch {
	case n < 1:
		return nil, InvalidParam("thinking_budget", fmt.Sprintf("thinking_budget must be at least 1; got %d", n))
	case th != nil && th.BudgetMax > 0 && n > th.BudgetMax:
		return nil, InvalidParam("thinking_budget", fmt.Sprintf("thinking_budget: %s takes at most %d tokens; got %d", t.Model.ID, th.BudgetMax, n))
	}
	on := true
	if budget := t.Budget(n); len(budget) > 0 {
		out := t.Thinking(&on, p.ReasoningEffort)
		for k, v := range budget {
			out[k] = v
		}
		return out, nil
	}
	effort := p.ReasoningEffort
	if effort == "" {
		effort = t.Dialect.EffortForBudget(n)
	}
	return t.Thinking(&on, effort), nil
}

// FixedParams lists the body fields the model fixes, which the window
// never sends: the model's own list (Model.Fixed) and, for a provider
// that fixes sampling on whole model lines (Dialect.FixedSampling), the
// sampling fields.
func (t Target) FixedParams() []string {
	out := slices.Clone(t.Model.Fixed)
	if t.Dialect.SamplingFixed(t.Model) {
		for _, k := range []string{"temperature", "top_p", "top_k"} {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

// thinkingLabel says in canonical terms what the thinking fields sent
// (controls' result) ask of the model, as the window shows it under an
// answer: "off", "on", an effort ("high", after mapping onto the levels
// the model accepts), with the budget where one went ("on, 8192
// tokens"); "" when nothing was sent and the model's default applies.
func (t Target) thinkingLabel(fields map[string]any) string {
	sw := ""
	switch v := fields["enable_thinking"].(type) {
	case bool:
		sw = map[bool]string{true: "on", false: "off"}[v]
	}
	if v, ok := fields["thinking"].(map[string]any); ok {
		sw = map[bool]string{true: "on", false: "off"}[v["type"] == "enabled"]
	}
	if sw == "off" {
		return "off"
	}
	label := sw
	if e, ok := fields[t.Dialect.Effort].(string); ok && t.Dialect.Effort != "" {
		label = e
	}
	if n, ok := fields[t.Dialect.Budget].(int); ok && t.Dialect.Budget != "" {
		if label == "" {
			label = "on"
		}
		label += ", " + strconv.Itoa(n) + " tokens"
	}
	return label
}

// ThinkingLabel is how Turn t would ask its model to think (see
// thinkingLabel), "" when it asks nothing or cannot be prepared.
func (r *Router) ThinkingLabel(t Turn) string {
	target, e := r.Target(t.Model)
	if e != nil {
		return ""
	}
	fields, e := target.controls(t.Params)
	if e != nil {
		return ""
	}
	return target.thinkingLabel(fields)
}
