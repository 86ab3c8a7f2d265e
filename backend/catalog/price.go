package catalog

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Price is what a model costs per million tokens in one currency. Where a
// provider bills in two currencies (DeepSeek in USD and CNY), Model.Prices
// has one Price per currency, the provider's first-listed one first.
type Price struct {
	// Currency is an ISO 4217 code ("USD", "CNY").
	Currency string `json:"currency"`
	// Input, CachedInput and Output are per million tokens. CachedInput is
	// 0 when the provider publishes no cache discount (then Input applies).
	Input       float64 `json:"input"`
	CachedInput float64 `json:"cachedInput,omitempty"`
	Output      float64 `json:"output"`
	// OffPeak is the discounted rate outside PeakHours; nil when the
	// provider has one rate all day.
	OffPeak *Rate `json:"offPeak,omitempty"`
	// PeakHours lists the UTC windows when the main rate applies, as
	// "Mon-Fri 01:00-04:00"; outside them OffPeak applies. Empty with a
	// non-nil OffPeak means never peak, which is a data error Builtin
	// refuses.
	PeakHours []string `json:"peakHours,omitempty"`
}

// Rate is one set of per-million-token prices.
type Rate struct {
	Input       float64 `json:"input"`
	CachedInput float64 `json:"cachedInput,omitempty"`
	Output      float64 `json:"output"`
}

// Usage is what one request consumed, as the provider reported it (or as
// estimated, which the caller records beside the cost).
type Usage struct {
	// Input counts every prompt token, cached ones included.
	Input int
	// CachedInput is the part of Input served from the provider's cache.
	CachedInput int
	// Output counts every completion token, reasoning included.
	Output int
}

// Cost is what a request cost in one currency.
type Cost struct {
	Currency string  `json:"currency"`
	Amount   float64 `json:"amount"`
	// OffPeak is true when the off-peak rate applied.
	OffPeak bool `json:"offPeak,omitempty"`
}

// Cost prices u at time at in each currency the model has a price in,
// the first being the provider's main currency. It returns nil when the
// catalog has no price for the model.
func (m Model) Cost(u Usage, at time.Time) []Cost {
	var out []Cost
	for _, p := range m.Prices {
		r := Rate{Input: p.Input, CachedInput: p.CachedInput, Output: p.Output}
		off := p.OffPeak != nil && !p.peak(at)
		if off {
			r = *p.OffPeak
		}
		cachedRate := r.CachedInput
		if cachedRate == 0 {
			cachedRate = r.Input
		}
		cached := min(max(u.CachedInput, 0), max(u.Input, 0))
		amount := (float64(max(u.Input, 0)-cached)*r.Input + float64(cached)*cachedRate + float64(max(u.Output, 0))*r.Output) / 1e6
		out = append(out, Cost{Currency: p.Currency, Amount: amount, OffPeak: off})
	}
	return out
}

// peak reports whether at falls in one of p's peak windows.
func (p Price) peak(at time.Time) bool {
	at = at.UTC()
	for _, w := range p.PeakHours {
		days, from, to, ok := parseWindow(w)
		if !ok || !slices.Contains(days, at.Weekday()) {
			continue
		}
		mins := at.Hour()*60 + at.Minute()
		if mins >= from && mins < to {
			return true
		}
	}
	return false
}

var weekdays = map[string]time.Weekday{"Sun": time.Sunday, "Mon": time.Monday, "Tue": time.Tuesday,
	"Wed": time.Wednesday, "Thu": time.Thursday, "Fri": time.Friday, "Sat": time.Saturday}

// parseWindow reads "Mon-Fri 01:00-04:00" (or one day, "Sat 00:00-24:00")
// into its weekdays and minutes since midnight.
func parseWindow(w string) (days []time.Weekday, from, to int, ok bool) {
	dayPart, hourPart, found := strings.Cut(strings.TrimSpace(w), " ")
	if !found {
		return nil, 0, 0, false
	}
	d1, d2, span := strings.Cut(dayPart, "-")
	if !span {
		d2 = d1
	}
	h1, h2, found := strings.Cut(hourPart, "-")
	a, okA := weekdays[d1]
	b, okB := weekdays[d2]
	from, okF := clock(h1)
	to, okT := clock(h2)
	if !found || !okA || !okB || !okF || !okT || from >= to {
		return nil, 0, 0, false
	}
	for d := a; ; d = (d + 1) % 7 {
		days = append(days, d)
		if d == b {
			break
		}
	}
	return days, from, to, true
}

// clock reads "HH:MM" (00:00 to 24:00) as minutes since midnight.
func clock(s string) (int, bool) {
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh*60+mm > 24*60 {
		return 0, false
	}
	return hh*60 + mm, true
}

// ValidWindow reports whether w is a peak window parseWindow reads.
func ValidWindow(w string) bool {
	_, _, _, ok := parseWindow(w)
	return ok
}
