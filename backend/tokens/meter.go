package tokens

import (
	"strconv"
	"sync"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/config"
)

// Refusal says why a token may not make a request now.
type Refusal struct {
	// Code is "rate_limited" or "budget_exceeded".
	Code string
	// Message tells the person what happened and what to do.
	Message string
	// RetryAfter is how long until asking again can succeed: for a
	// budget, until its period ends.
	RetryAfter time.Duration
}

// Meter counts each token's requests of the last minute and its spend per
// day and month (UTC), to enforce RPM and Budget. It is safe for
// concurrent use. Spend is added when a request ends (Spend), so a request
// that starts while the budget is not yet reached is let through even if
// it then crosses it: a budget stops the next request, not one in flight.
type Meter struct {
	// Now is the clock; nil means time.Now (tests inject one).
	Now func() time.Time

	mu     sync.Mutex
	recent map[string][]time.Time        // token id → request times of the last minute, oldest first
	spend  map[string]map[string]float64 // token id → period key ("d2026-12-02USD") → amount
}

func (m *Meter) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// Admit checks t's limits and, when it passes, counts one request.
func (m *Meter) Admit(t config.AccessToken) *Refusal {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if b := t.Budget; b != nil {
		if spent := m.spentLocked(t.ID, b, now); spent >= b.Amount {
			end := periodEnd(b.Period, now)
			return &Refusal{Code: "budget_exceeded", RetryAfter: end.Sub(now),
				Message: "token " + strconv.Quote(t.Name) + " has spent " + money(spent, b.Currency) + " of its " + money(b.Amount, b.Currency) + " budget per " + b.Period +
					"; it renews at " + end.Format("2006-01-02 15:04 UTC") + " (raise it in Settings → Local endpoint, or `thinkcloud tokens`)"}
		}
	}
	if t.RPM > 0 {
		if m.recent == nil {
			m.recent = map[string][]time.Time{}
		}
		times := m.recent[t.ID]
		cut := 0
		for cut < len(times) && !times[cut].After(now.Add(-time.Minute)) {
			cut++
		}
		times = times[cut:]
		if len(times) >= t.RPM {
			wait := times[len(times)-t.RPM].Add(time.Minute).Sub(now)
			m.recent[t.ID] = times
			return &Refusal{Code: "rate_limited", RetryAfter: wait,
				Message: "token " + strconv.Quote(t.Name) + " is limited to " + strconv.Itoa(t.RPM) + " requests per minute; retry after " + wait.Round(time.Millisecond).String()}
		}
		m.recent[t.ID] = append(times, now)
	}
	return nil
}

// Spend adds what a request of token id cost, now.
func (m *Meter) Spend(id string, costs []catalog.Cost) {
	if id == "" || len(costs) == 0 {
		return
	}
	at := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.spend == nil {
		m.spend = map[string]map[string]float64{}
	}
	s := m.spend[id]
	if s == nil {
		s = map[string]float64{}
		m.spend[id] = s
	}
	for _, c := range costs {
		s[periodKey(config.BudgetDay, at)+c.Currency] += c.Amount
		s[periodKey(config.BudgetMonth, at)+c.Currency] += c.Amount
	}
}

// Spent is what token id spent in currency during the period holding now.
func (m *Meter) Spent(id string, b *config.Budget) float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.spentLocked(id, b, m.now())
}

func (m *Meter) spentLocked(id string, b *config.Budget, now time.Time) float64 {
	return m.spend[id][periodKey(b.Period, now)+b.Currency]
}

func periodKey(period string, at time.Time) string {
	at = at.UTC()
	if period == config.BudgetDay {
		return "d" + at.Format("2006-01-02")
	}
	return "m" + at.Format("2006-01")
}

// PeriodStart is the start (UTC) of the budget period holding at.
func PeriodStart(period string, at time.Time) time.Time {
	at = at.UTC()
	if period == config.BudgetDay {
		return time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
	}
	return time.Date(at.Year(), at.Month(), 1, 0, 0, 0, 0, time.UTC)
}

func periodEnd(period string, at time.Time) time.Time {
	s := PeriodStart(period, at)
	if period == config.BudgetDay {
		return s.AddDate(0, 0, 1)
	}
	return s.AddDate(0, 1, 0)
}

func money(v float64, cur string) string {
	return strconv.FormatFloat(v, 'f', 4, 64) + " " + cur
}

// Seed sets what token id spent in the period (day or month) holding at,
// from the request log when the app starts, so budgets survive restarts.
func (m *Meter) Seed(id, period string, at time.Time, costs []catalog.Cost) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.spend == nil {
		m.spend = map[string]map[string]float64{}
	}
	if m.spend[id] == nil {
		m.spend[id] = map[string]float64{}
	}
	for _, c := range costs {
		m.spend[id][periodKey(period, at)+c.Currency] = c.Amount
	}
}
