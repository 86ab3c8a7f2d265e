package catalog

import (
	"math"
	"testing"
	"time"
)

func TestCostPeakAndOffPeak(t *testing.T) {
	m := Model{Prices: []Price{{
		Currency: "USD", Input: 0.30, CachedInput: 0.006, Output: 1.20,
		OffPeak:   &Rate{Input: 0.15, CachedInput: 0.003, Output: 0.60},
		PeakHours: []string{"Mon-Fri 01:00-04:00", "Mon-Fri 06:00-10:00"},
	}, {Currency: "CNY", Input: 2, Output: 8}}}
	u := Usage{Input: 1_000_000, CachedInput: 400_000, Output: 500_000}
	cases := []struct {
		at      string
		offPeak bool
		usd     float64
	}{
		{"2026-12-02T02:30:00Z", false, 0.6*0.30 + 0.4*0.006 + 0.5*1.20}, // Wednesday, peak
		{"2026-12-02T05:00:00Z", true, 0.6*0.15 + 0.4*0.003 + 0.5*0.60},  // between the windows
		{"2026-12-02T10:00:00Z", true, 0.6*0.15 + 0.4*0.003 + 0.5*0.60},  // a window's end is exclusive
		{"2026-12-05T02:30:00Z", true, 0.6*0.15 + 0.4*0.003 + 0.5*0.60},  // Saturday
	}
	for _, c := range cases {
		at, _ := time.Parse(time.RFC3339, c.at)
		got := m.Cost(u, at)
		if len(got) != 2 || got[0].Currency != "USD" || got[1].Currency != "CNY" {
			t.Fatalf("%s: %+v", c.at, got)
		}
		if got[0].OffPeak != c.offPeak || math.Abs(got[0].Amount-c.usd) > 1e-9 {
			t.Errorf("%s: USD %+v, want %.6f offPeak=%v", c.at, got[0], c.usd, c.offPeak)
		}
		if want := 1.0*2 + 0.5*8; math.Abs(got[1].Amount-want) > 1e-9 { // no cache price: cached at the input rate
			t.Errorf("%s: CNY %v, want %v", c.at, got[1].Amount, want)
		}
	}
	if (Model{}).Cost(u, time.Now()) != nil {
		t.Error("a model without prices has a cost")
	}
}

func TestValidWindow(t *testing.T) {
	for w, ok := range map[string]bool{
		"Mon-Fri 01:00-04:00": true, "Sat 00:00-24:00": true, "Fri-Mon 22:00-23:30": true,
		"Mon-Fri 04:00-01:00": false, "Mon-Fri": false, "Mo-Fr 01:00-02:00": false, "Mon 1:00-25:00": false,
	} {
		if ValidWindow(w) != ok {
			t.Errorf("ValidWindow(%q) = %v", w, !ok)
		}
	}
}

func TestNearestEffort(t *testing.T) {
	deepseek := Thinking{Mode: ReasoningOptional, Efforts: []string{"low", "high", "max"}}
	for want, got := range map[string]string{"minimal": "low", "medium": "high", "xhigh": "max", "max": "max", "none": "low", "bogus": ""} {
		if g := deepseek.NearestEffort(want); g != got {
			t.Errorf("NearestEffort(%q) = %q, want %q", want, g, got)
		}
	}
	if g := (Thinking{Efforts: []string{"none", "low"}}).NearestEffort("max"); g != "low" {
		t.Errorf("above the strongest: %q", g)
	}
	if g := (Thinking{}).NearestEffort("low"); g != "" {
		t.Errorf("no efforts: %q", g)
	}
}
