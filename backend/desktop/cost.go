package desktop

import (
	"strings"
	"sync/atomic"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/history"
	"thinkcloud/backend/usage"
)

// CostView is what an answer, or a conversation, cost in one currency.
type CostView struct {
	// Currency is an ISO 4217 code ("USD", "CNY").
	Currency string  `json:"currency"`
	Amount   float64 `json:"amount"`
	// OffPeak is true when the provider's off-peak rate applied.
	OffPeak bool `json:"offPeak,omitempty"`
}

// Lookup finds a model's catalog entry, retired or not (core.Core.Lookup).
type Lookup func(name string) (catalog.Model, error)

// pricer prices the answers of a conversation from the catalog. It is
// set when the core starts; before then answers are shown without cost.
type pricer struct{ lookup atomic.Pointer[Lookup] }

func (p *pricer) set(l Lookup) { p.lookup.Store(&l) }

// model finds the catalog entry of an answer's model: a stored model is
// "provider/upstream" or a bare id, which is tried under the answer's
// provider first so a bare id two providers share prices as the one that
// answered.
func (p *pricer) model(name, provider string) (catalog.Model, bool) {
	l := p.lookup.Load()
	if l == nil || name == "" {
		return catalog.Model{}, false
	}
	if provider != "" && !strings.Contains(name, "/") {
		if m, err := (*l)(provider + "/" + name); err == nil && len(m.Prices) > 0 {
			return m, true
		}
	}
	m, err := (*l)(name)
	return m, err == nil && len(m.Prices) > 0
}

// price fills each answer's Cost, and the detail's Total, from the
// catalog's prices at the time of each answer. An answer the provider
// reported no usage for is priced from estimated tokens (its text, and
// everything sent before it) and marked Estimated, as is a total that
// includes one. msgs are the stored messages d.Messages were made from,
// in the same order.
func (p *pricer) price(d *ConversationDetail, msgs []history.Message) {
	sent := usage.Estimate(d.Conversation.System)
	var total []CostView
	for i, m := range msgs {
		text := usage.Estimate(m.Content)
		if m.Role != history.RoleAssistant {
			sent += text
			continue
		}
		u, estimated := catalog.Usage{Input: int(m.Usage.PromptTokens), Output: int(m.Usage.CompletionTokens)}, false
		if m.Usage == (history.Usage{}) {
			if m.Content == "" && m.Reasoning == "" {
				sent += text
				continue // failed before a word: nothing to price
			}
			u, estimated = catalog.Usage{Input: sent, Output: text + usage.Estimate(m.Reasoning)}, true
		}
		sent += text
		model, ok := p.model(m.Model, m.Provider)
		if !ok {
			continue
		}
		v := &d.Messages[i]
		for _, c := range model.Cost(u, m.CreatedAt) {
			v.Cost = append(v.Cost, CostView(c))
			total = addCost(total, CostView{Currency: c.Currency, Amount: c.Amount})
		}
		v.CostEstimated = estimated
		d.TotalEstimated = d.TotalEstimated || estimated
	}
	d.Total = total
}

// addCost adds c to the sum of its currency: a total never adds USD to CNY.
func addCost(sum []CostView, c CostView) []CostView {
	for i := range sum {
		if sum[i].Currency == c.Currency {
			sum[i].Amount += c.Amount
			return sum
		}
	}
	return append(sum, c)
}

// CostsView is the pricing of a conversation's shown answers, for the
// window to fill in after an answer ends without loading it again.
type CostsView struct {
	// Answers maps an answer's id to its cost; answers without a price
	// are left out.
	Answers map[string]AnswerCost `json:"answers"`
	// Total and TotalEstimated are as in ConversationDetail.
	Total          []CostView `json:"total"`
	TotalEstimated bool       `json:"totalEstimated"`
}

// AnswerCost is one answer's MessageView.Cost and CostEstimated.
type AnswerCost struct {
	Cost      []CostView `json:"cost"`
	Estimated bool       `json:"estimated"`
}

// Costs prices the answers on the conversation's shown path, as Get does.
func (s *HistoryService) Costs(conversationID string) (CostsView, error) {
	d, err := s.Get(conversationID)
	if err != nil {
		return CostsView{}, err
	}
	out := CostsView{Answers: map[string]AnswerCost{}, Total: d.Total, TotalEstimated: d.TotalEstimated}
	for _, m := range d.Messages {
		if len(m.Cost) > 0 {
			out.Answers[m.ID] = AnswerCost{Cost: m.Cost, Estimated: m.CostEstimated}
		}
	}
	return out, nil
}
