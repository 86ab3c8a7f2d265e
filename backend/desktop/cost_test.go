package desktop

import (
	"context"
	"math"
	"testing"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/history"
)

func builtinLookup(t *testing.T) Lookup {
	t.Helper()
	c, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return c.Lookup
}

func detailOf(msgs []history.Message) ConversationDetail {
	d := ConversationDetail{}
	for _, m := range msgs {
		d.Messages = append(d.Messages, messageView(m))
	}
	return d
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestPriceAnswers(t *testing.T) {
	t.Parallel()
	var p pricer
	p.set(builtinLookup(t))
	// deepseek-flash: USD 0.3 in / 1.2 out per million at peak (Mon-Fri
	// 01:00-04:00 UTC), half off-peak; CNY 2 / 8, half off-peak.
	peak := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)    // a Monday
	offPeak := time.Date(2026, 11, 29, 2, 0, 0, 0, time.UTC) // a Sunday
	million := history.Usage{PromptTokens: 1_000_000, CompletionTokens: 1_000_000}
	msgs := []history.Message{
		{Role: history.RoleUser, Content: "q1"},
		{Role: history.RoleAssistant, Content: "a1", Model: "deepseek-flash", Provider: "deepseek", Usage: million, CreatedAt: peak},
		{Role: history.RoleUser, Content: "q2"},
		{Role: history.RoleAssistant, Content: "a2", Model: "deepseek/deepseek-flash", Provider: "deepseek", Usage: million, CreatedAt: offPeak},
		{Role: history.RoleUser, Content: "q3"},
		{Role: history.RoleAssistant, Content: "no price", Model: "deepseek/some-new-model", Provider: "deepseek", Usage: million, CreatedAt: peak},
		{Role: history.RoleUser, Content: "q4"},
		{Role: history.RoleAssistant, Model: "deepseek-flash", Provider: "deepseek", Status: history.StatusError, CreatedAt: peak},
	}
	d := detailOf(msgs)
	p.price(&d, msgs)

	a1, a2 := d.Messages[1].Cost, d.Messages[3].Cost
	if len(a1) != 2 || a1[0].Currency != "USD" || !near(a1[0].Amount, 1.5) || a1[0].OffPeak || a1[1].Currency != "CNY" || !near(a1[1].Amount, 10) {
		t.Errorf("peak answer cost = %+v; want USD 1.5 then CNY 10 at the peak rate", a1)
	}
	if len(a2) != 2 || !near(a2[0].Amount, 0.75) || !a2[0].OffPeak || !near(a2[1].Amount, 5) {
		t.Errorf("off-peak answer cost = %+v; want USD 0.75 and CNY 5, off-peak", a2)
	}
	for _, i := range []int{0, 5, 7} {
		if c := d.Messages[i].Cost; len(c) != 0 {
			t.Errorf("message %d (%s) cost = %+v; want none", i, msgs[i].Content, c)
		}
	}
	if len(d.Total) != 2 || d.Total[0].Currency != "USD" || !near(d.Total[0].Amount, 2.25) || d.Total[1].Currency != "CNY" || !near(d.Total[1].Amount, 15) {
		t.Errorf("total = %+v; want USD 2.25 and CNY 15, never mixed", d.Total)
	}
	if d.TotalEstimated || d.Messages[1].CostEstimated {
		t.Error("reported usage marked estimated")
	}
}

func TestPriceEstimatedWithoutUsage(t *testing.T) {
	t.Parallel()
	var p pricer
	p.set(builtinLookup(t))
	at := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)
	msgs := []history.Message{
		{Role: history.RoleUser, Content: "abcdefgh"}, // 2 tokens
		{Role: history.RoleAssistant, Content: "你好", Reasoning: "abcd", Model: "deepseek-flash", Provider: "deepseek", CreatedAt: at}, // 2 + 1 out
	}
	d := detailOf(msgs)
	d.Conversation.System = "abcd" // 1 token sent
	p.price(&d, msgs)
	c := d.Messages[1].Cost
	// 3 tokens in at 0.3, 3 out at 1.2 per million.
	if want := (3*0.3 + 3*1.2) / 1e6; len(c) == 0 || !near(c[0].Amount, want) {
		t.Fatalf("estimated cost = %+v; want USD %g", c, want)
	}
	if !d.Messages[1].CostEstimated || !d.TotalEstimated {
		t.Errorf("estimated %v, total estimated %v; want both true", d.Messages[1].CostEstimated, d.TotalEstimated)
	}
}

func TestPriceBeforeStart(t *testing.T) {
	t.Parallel()
	var p pricer // the core has not started: no lookup
	msgs := []history.Message{{Role: history.RoleAssistant, Content: "a", Model: "deepseek-flash", Usage: history.Usage{PromptTokens: 1, CompletionTokens: 1}}}
	d := detailOf(msgs)
	p.price(&d, msgs)
	if len(d.Messages[0].Cost) != 0 || len(d.Total) != 0 {
		t.Fatalf("cost before start = %+v, total %+v; want none", d.Messages[0].Cost, d.Total)
	}
}

// An answer streamed from a fake DeepSeek is priced by the history
// service from the usage the provider reported, as the window reads it.
func TestCostsAfterAnswer(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, "deepseek")
	res, _ := r.send(t, SendRequest{Model: "deepseek-flash", Text: "hi"})
	hs := NewHistoryService(context.Background(), ReadyHistory(r.hist), nil)
	if got, err := hs.Costs(res.ConversationID); err != nil || len(got.Answers) != 0 {
		t.Fatalf("before the core started: %+v, %v; want no prices", got, err)
	}
	hs.prices.set(r.chat.core.Lookup)
	got, err := hs.Costs(res.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	stored := r.stored(t, res.ConversationID)[1]
	if stored.Usage.PromptTokens == 0 {
		t.Fatalf("fake reported no usage: %+v", stored)
	}
	m, _ := r.chat.core.Lookup("deepseek/deepseek-flash")
	want := m.Cost(catalog.Usage{Input: int(stored.Usage.PromptTokens), Output: int(stored.Usage.CompletionTokens)}, stored.CreatedAt)
	a, ok := got.Answers[res.AssistantMessageID]
	if !ok || len(a.Cost) != 2 || a.Estimated || a.Cost[0].Currency != "USD" || !near(a.Cost[0].Amount, want[0].Amount) || a.Cost[0].Amount <= 0 {
		t.Fatalf("answer cost = %+v; want %+v from the reported usage", a, want)
	}
	if len(got.Total) != 2 || !near(got.Total[1].Amount, want[1].Amount) {
		t.Fatalf("total = %+v; want the one answer's %+v", got.Total, want)
	}
}
