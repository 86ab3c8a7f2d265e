package tokens

import (
	"strings"
	"testing"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/config"
)

func TestNewStoresOnlyAHash(t *testing.T) {
	t.Parallel()
	secret, tok, err := New(" ci ", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, Prefix) || len(secret) < 40 {
		t.Fatalf("secret %q: want tc- and 256 bits", secret)
	}
	if tok.Name != "ci" || tok.Hash != Hash(secret) || strings.Contains(tok.Hash, secret[3:]) || !strings.HasSuffix(tok.Hint, secret[len(secret)-4:]) {
		t.Fatalf("got %+v", tok)
	}
	other, _, _ := New("b", time.Now())
	if other == secret {
		t.Fatal("two tokens share a secret")
	}
	if got, ok := Find([]config.AccessToken{tok}, secret); !ok || got.ID != tok.ID {
		t.Errorf("Find(secret) = %v, %v", got, ok)
	}
	for _, wrong := range []string{"", other, secret + "x", tok.Hash} {
		if _, ok := Find([]config.AccessToken{tok}, wrong); ok {
			t.Errorf("Find(%q) matched", wrong)
		}
	}
	if _, _, err := New("  ", time.Now()); err == nil {
		t.Error("a nameless token was made")
	}
}

func TestParseBudget(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"5USD/month": "5USD/month", "20 cny/day": "20CNY/day", "0.5usd": "0.5USD/month"} {
		b, err := ParseBudget(in)
		if err != nil || FormatBudget(b) != want {
			t.Errorf("ParseBudget(%q) = %v, %v; want %s", in, FormatBudget(b), err, want)
		}
	}
	for _, in := range []string{"", "USD", "5", "5USD/week", "-1USD", "5DOLLARS/day", "0USD/day"} {
		if _, err := ParseBudget(in); err == nil {
			t.Errorf("ParseBudget(%q) accepted", in)
		}
	}
}

func TestAllows(t *testing.T) {
	t.Parallel()
	cat, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	m, err := cat.Resolve("deepseek-flash")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		models []string
		want   bool
	}{
		{nil, true},
		{[]string{"deepseek"}, true},
		{[]string{"openai", "deepseek-flash"}, true},
		{[]string{m.ID}, true},
		{[]string{"deepseek/*", "*"}, true},
		{[]string{"openai"}, false},
		{[]string{"gpt-6-luna", "deepseek-v4-pro"}, false},
	} {
		if got := Allows(config.AccessToken{Models: tc.models}, m, "deepseek-flash", cat.Resolve); got != tc.want {
			t.Errorf("Allows(%v) = %v; want %v", tc.models, got, tc.want)
		}
	}
}

// clock is a settable clock for the meter.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestRPMBoundary(t *testing.T) {
	t.Parallel()
	c := &clock{time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)}
	m := &Meter{Now: c.now}
	tok := config.AccessToken{ID: "t1", Name: "ci", RPM: 2}
	for i := range 2 {
		if r := m.Admit(tok); r != nil {
			t.Fatalf("request %d refused: %v", i+1, r.Message)
		}
	}
	r := m.Admit(tok)
	if r == nil || r.Code != "rate_limited" || r.RetryAfter != time.Minute {
		t.Fatalf("third request: %+v; want rate_limited, retry in 1m", r)
	}
	c.t = c.t.Add(time.Minute - time.Nanosecond)
	if r := m.Admit(tok); r == nil || r.RetryAfter != time.Nanosecond {
		t.Fatalf("one ns before the window ends: %+v; want refused with 1ns to wait", r)
	}
	c.t = c.t.Add(time.Nanosecond)
	if r := m.Admit(tok); r != nil {
		t.Fatalf("a minute after the first request: refused %v", r.Message)
	}
	if r := m.Admit(tok); r != nil {
		t.Fatalf("the second slot freed at the same instant: refused %v", r.Message)
	}
	if r := m.Admit(tok); r == nil {
		t.Fatal("a third request in the new minute passed")
	}
	if r := m.Admit(config.AccessToken{ID: "t2", RPM: 2}); r != nil {
		t.Fatal("another token shares the first one's window")
	}
}

func TestBudgetBoundary(t *testing.T) {
	t.Parallel()
	c := &clock{time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC)}
	m := &Meter{Now: c.now}
	day := config.AccessToken{ID: "d", Name: "daily", Budget: &config.Budget{Amount: 0.02, Currency: "USD", Period: config.BudgetDay}}
	month := config.AccessToken{ID: "m", Name: "monthly", Budget: &config.Budget{Amount: 1, Currency: "CNY", Period: config.BudgetMonth}}
	spend := func(id string, usd, cny float64) {
		m.Spend(id, []catalog.Cost{{Currency: "USD", Amount: usd}, {Currency: "CNY", Amount: cny}})
	}
	spend("d", 0.01, 5)
	if r := m.Admit(day); r != nil {
		t.Fatalf("half the budget spent: refused %v", r.Message)
	}
	spend("d", 0.01, 5) // exactly the budget now
	r := m.Admit(day)
	if r == nil || r.Code != "budget_exceeded" || r.RetryAfter != time.Minute || !strings.Contains(r.Message, "0.0200 USD") {
		t.Fatalf("budget reached: %+v; want budget_exceeded until midnight", r)
	}
	spend("m", 100, 0.9999)
	if r := m.Admit(month); r != nil {
		t.Fatalf("CNY budget, 0.9999 CNY spent (and much USD): refused %v", r.Message)
	}
	spend("m", 0, 0.0001)
	if r := m.Admit(month); r == nil {
		t.Fatal("CNY budget reached and still admitted")
	}
	c.t = c.t.Add(time.Minute) // a new day, month and year
	if r := m.Admit(day); r != nil {
		t.Fatalf("new day: refused %v", r.Message)
	}
	if r := m.Admit(month); r != nil {
		t.Fatalf("new month: refused %v", r.Message)
	}
	m.Seed("m", config.BudgetMonth, c.t, []catalog.Cost{{Currency: "CNY", Amount: 2}})
	if r := m.Admit(month); r == nil {
		t.Fatal("spend seeded from the log was not counted")
	}
}
