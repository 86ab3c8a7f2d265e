package usage

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"thinkcloud/backend/catalog"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func open(t *testing.T, opts Options) *Log {
	t.Helper()
	l, err := Open(filepath.Join(t.TempDir(), "usage.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func flush(t *testing.T, l *Log) {
	t.Helper()
	if err := l.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
}

var day0 = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)

// Prices as a provider might publish them: DeepSeek bills USD and CNY and
// has an off-peak rate; OpenAI bills USD only.
var (
	deepseek = catalog.Model{ID: "deepseek-flash", Provider: "deepseek", Prices: []catalog.Price{
		{Currency: "USD", Input: 0.28, CachedInput: 0.028, Output: 0.42, OffPeak: &catalog.Rate{Input: 0.14, CachedInput: 0.014, Output: 0.21}, PeakHours: []string{"Mon-Sun 00:30-16:30"}},
		{Currency: "CNY", Input: 2, CachedInput: 0.2, Output: 3},
	}}
	openai = catalog.Model{ID: "gpt-6-luna", Provider: "openai", Prices: []catalog.Price{{Currency: "USD", Input: 2.5, CachedInput: 1.25, Output: 10}}}
)

func TestCostPerProviderAndCurrency(t *testing.T) {
	t.Parallel()
	l := open(t, Options{Now: func() time.Time { return day0 }})
	add := func(m catalog.Model, at time.Time, in, cached, out int, token string) Record {
		r := Record{At: at, Door: DoorChat, Token: token, Provider: m.Provider, Model: m.ID, Status: 200, Input: in, Cached: cached, Output: out}
		r.Price(m)
		l.Add(r)
		return r
	}
	peak := add(deepseek, day0, 1_000_000, 200_000, 100_000, "ci")                 // 12:00 UTC, peak
	off := add(deepseek, day0.Add(6*time.Hour), 1_000_000, 200_000, 100_000, "ci") // 18:00 UTC, off-peak
	oa := add(openai, day0, 100_000, 0, 10_000, "ide")
	flush(t, l)
	wantPeak := 0.8*0.28 + 0.2*0.028 + 0.1*0.42
	wantOff := 0.8*0.14 + 0.2*0.014 + 0.1*0.21
	if math.Abs(peak.Costs[0].Amount-wantPeak) > 1e-12 || peak.Costs[0].OffPeak || !off.Costs[0].OffPeak || math.Abs(off.Costs[0].Amount-wantOff) > 1e-12 {
		t.Fatalf("deepseek costs: peak %+v off %+v; want %.6f and %.6f", peak.Costs, off.Costs, wantPeak, wantOff)
	}
	totals, err := l.Totals(context.Background(), Filter{}, ByProvider)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Total{}
	for _, tt := range totals {
		got[tt.Key+"/"+tt.Currency] = tt
	}
	if d := got["deepseek/USD"]; d.Requests != 2 || math.Abs(d.Cost-(wantPeak+wantOff)) > 1e-9 || d.Input != 2_000_000 || d.Cached != 400_000 {
		t.Errorf("deepseek/USD total %+v", d)
	}
	if o := got["openai/USD"]; o.Requests != 1 || math.Abs(o.Cost-oa.Costs[0].Amount) > 1e-12 || math.Abs(o.Cost-(0.1*2.5+0.01*10)) > 1e-12 {
		t.Errorf("openai/USD total %+v", o)
	}
	spend, err := l.Spend(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	_ = spend // rows without a token id are not token spend
	if len(spend) != 0 {
		t.Errorf("spend of anonymous rows: %v", spend)
	}
}

func TestQueriesForTheDashboard(t *testing.T) {
	t.Parallel()
	l := open(t, Options{Now: func() time.Time { return day0 }})
	for i := range 10 {
		r := Record{At: day0.Add(time.Duration(i) * 24 * time.Hour), Door: DoorChat, TokenID: "tok_1", Token: "ci", Provider: "openai", Model: "gpt-6-luna",
			Status: 200, Input: 100, Output: 10, Latency: time.Duration(i+1) * 100 * time.Millisecond, TTFT: time.Duration(i+1) * 10 * time.Millisecond}
		if i%5 == 4 {
			r.Status, r.ErrorKind = 502, "upstream_unreachable"
		}
		r.Price(openai)
		l.Add(r)
	}
	flush(t, l)
	ctx := context.Background()
	days, err := l.Series(ctx, Filter{}, BucketDay, ByToken)
	if err != nil || len(days) != 10 || !days[0].Start.Equal(day0.Truncate(24*time.Hour)) || days[0].Key != "ci" || days[4].Errors != 1 {
		t.Fatalf("daily series: %+v %v", days, err)
	}
	weeks, err := l.Series(ctx, Filter{}, BucketWeek, "")
	if err != nil {
		t.Fatal(err)
	}
	// 2026-12-02 is a Wednesday: Nov 30 – Dec 6 holds 5 days, Dec 7 – 13 the other 5.
	if len(weeks) != 2 || weeks[0].Start.Format("2006-01-02") != "2026-11-30" || weeks[0].Requests != 5 || weeks[1].Requests != 5 {
		t.Fatalf("weekly series: %+v", weeks)
	}
	page, err := l.Requests(ctx, Filter{Status: "error"}, 0, 1)
	if err != nil || len(page.Rows) != 1 || page.Rows[0].Status != 502 || page.Rows[0].At != day0.Add(9*24*time.Hour) || page.Next == 0 {
		t.Fatalf("first error page: %+v %v", page, err)
	}
	page, err = l.Requests(ctx, Filter{Status: "error"}, page.Next, 1)
	if err != nil || len(page.Rows) != 1 || page.Rows[0].At != day0.Add(4*24*time.Hour) || page.Next != 0 {
		t.Fatalf("second error page: %+v %v", page, err)
	}
	if len(page.Rows[0].Costs) != 1 || page.Rows[0].Costs[0].Currency != "USD" {
		t.Errorf("costs did not come back: %+v", page.Rows[0])
	}
	lat, err := l.Latencies(ctx, Filter{}, ByProvider)
	// 8 successes with latencies 100..400, 600..900 ms: p50 is the 4th,
	// read from a histogram, so within 2.5%.
	near := func(got, want time.Duration) bool { return got > want*975/1000 && got < want*1025/1000 }
	if err != nil || len(lat) != 1 || lat[0].Requests != 8 || !near(lat[0].P50, 400*time.Millisecond) || !near(lat[0].P95, 900*time.Millisecond) || !near(lat[0].TTFTP50, 40*time.Millisecond) {
		t.Fatalf("latencies: %+v %v", lat, err)
	}
	stats, err := l.ByToken(ctx)
	if s := stats["tok_1"]; err != nil || s.Requests != 10 || s.Tokens != 1100 || !s.LastUsed.Equal(day0.Add(9*24*time.Hour)) || len(s.Spend) != 1 {
		t.Fatalf("token stats: %+v %v", stats, err)
	}
	if _, err := l.Totals(ctx, Filter{}, "prompt; DROP TABLE requests"); err == nil {
		t.Error("an unknown group was accepted")
	}
}

func TestRetentionPruning(t *testing.T) {
	t.Parallel()
	c := &clock{day0}
	l := open(t, Options{Now: c.now, Retention: 90 * 24 * time.Hour})
	for _, age := range []int{0, 89, 90, 91, 400} {
		l.Add(Record{At: day0.AddDate(0, 0, -age).Add(time.Minute), Door: DoorChat, Token: fmt.Sprint(age), Status: 200})
	}
	flush(t, l) // the writer prunes after its first batch
	totals, _ := l.Totals(context.Background(), Filter{}, ByToken)
	var kept []string
	for _, tt := range totals {
		kept = append(kept, tt.Key)
	}
	if strings.Join(kept, ",") != "0,89,90" {
		t.Errorf("kept %v; want 0, 89, 90 days old", kept)
	}
	c.t = c.t.AddDate(0, 0, 2) // two days on, the 89- and 90-day-old rows age out
	if n, err := l.Prune(context.Background()); err != nil || n != 2 {
		t.Fatalf("pruned %d, %v; want 2", n, err)
	}
}

func TestSizeCapDropsOldestFirst(t *testing.T) {
	t.Parallel()
	l := open(t, Options{Now: func() time.Time { return day0 }, MaxBytes: 256 << 10})
	for i := range 5000 {
		l.Add(Record{At: day0.Add(-time.Duration(5000-i) * time.Minute), Door: DoorChat, Token: "t", Client: strings.Repeat("x", 40), Model: fmt.Sprint(i), Status: 200})
	}
	flush(t, l)
	if _, err := l.Prune(context.Background()); err != nil {
		t.Fatal(err)
	}
	used, _ := l.usedBytes(context.Background())
	page, _ := l.Requests(context.Background(), Filter{}, 0, 1000)
	if used > 256<<10 || len(page.Rows) == 0 || page.Rows[0].Model != "4999" {
		t.Fatalf("used %d bytes, newest row %+v; want under the cap with the newest kept", used, page.Rows[:min(1, len(page.Rows))])
	}
	oldest := page.Rows[len(page.Rows)-1].Model
	var oldestKept int
	fmt.Sscan(oldest, &oldestKept)
	if oldestKept == 0 {
		t.Errorf("the oldest row survived the cap")
	}
}

// TestFullDiskNeverBlocks: the database cannot grow (max_page_count, the
// SQLITE_FULL a full disk gives); adding rows still returns at once, the
// log reports itself behind and says why, and recovers when there is room.
func TestFullDiskNeverBlocks(t *testing.T) {
	t.Parallel()
	l := open(t, Options{Now: func() time.Time { return day0 }})
	l.Add(Record{At: day0, Door: DoorChat, Token: "t", Status: 200})
	flush(t, l)
	var pages int
	l.db.QueryRow(`PRAGMA page_count`).Scan(&pages)
	// max_page_count is the connection's: cap the writer's own. The
	// writer is idle between a flush and the next Add (the channels order
	// its use of the connection after ours).
	if err := l.w.c.exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
		t.Fatal("cannot cap the database:", err)
	}
	for range 2000 {
		l.Add(Record{At: day0, Door: DoorChat, Token: "t", Client: strings.Repeat("y", 200), Status: 200})
	}
	flush(t, l)
	h := l.Health()
	if !h.Behind || h.Failed == 0 || !strings.Contains(h.LastError, "full") {
		t.Fatalf("health on a full disk: %+v; want behind with the reason", h)
	}
	if err := l.w.c.exec(`PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	l.Add(Record{At: day0, Door: DoorChat, Token: "after", Status: 200})
	flush(t, l)
	if h := l.Health(); h.Behind || h.LastError != "" {
		t.Errorf("health after room came back: %+v", h)
	}
}

// TestQueueFullDrops: a writer that cannot keep up costs rows, counted,
// never a wait.
func TestQueueFullDrops(t *testing.T) {
	t.Parallel()
	l := &Log{queue: make(chan item, 2)} // no writer: the queue only fills
	for range 5 {
		l.Add(Record{Door: DoorChat})
	}
	if h := l.Health(); h.Dropped != 3 || !h.Behind {
		t.Fatalf("health %+v; want 3 dropped and behind", h)
	}
	var nilLog *Log
	nilLog.Add(Record{}) // a switched-off log takes rows and does nothing
}

func TestClientFamilyAndEstimate(t *testing.T) {
	t.Parallel()
	for ua, want := range map[string]string{"OpenAI/Python 1.54.0": "OpenAI/Python", "curl/8.5.0": "curl", "claude-cli/2.1.3 (external, cli)": "claude-cli", "": ""} {
		if got := ClientFamily(ua); got != want {
			t.Errorf("ClientFamily(%q) = %q; want %q", ua, got, want)
		}
	}
	if Estimate("abcdefgh") != 2 || Estimate("你好") != 2 {
		t.Errorf("Estimate: %d %d", Estimate("abcdefgh"), Estimate("你好"))
	}
}

// A row priced in one currency keeps its cost in cost and currency alone
// (no JSON); one priced in two, or off-peak, keeps the JSON. Both come
// back whole from Requests and count in Spend.
func TestCostsReadBack(t *testing.T) {
	t.Parallel()
	l := open(t, Options{Now: func() time.Time { return day0 }})
	for _, m := range []catalog.Model{openai, deepseek} {
		r := Record{At: day0, Door: DoorChat, TokenID: "tok_" + m.Provider, Token: m.Provider, Provider: m.Provider, Model: m.ID, Status: 200, Input: 1_000_000, Output: 1_000_000}
		r.Price(m)
		l.Add(r)
	}
	l.Add(Record{At: day0, Door: DoorChat, TokenID: "tok_free", Token: "free", Provider: "local", Model: "free", Status: 200})
	flush(t, l)
	var raw []string
	rows, err := l.db.Query(`SELECT costs FROM requests ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		raw = append(raw, s)
	}
	rows.Close()
	if len(raw) != 3 || raw[0] != "" || !strings.Contains(raw[1], `"CNY"`) || raw[2] != "" {
		t.Fatalf("stored costs %q; want no JSON for one currency, JSON for two", raw)
	}
	page, err := l.Requests(context.Background(), Filter{}, 0, 10)
	if err != nil || len(page.Rows) != 3 {
		t.Fatalf("%+v %v", page, err)
	}
	free, ds, oa := page.Rows[0], page.Rows[1], page.Rows[2]
	if len(oa.Costs) != 1 || oa.Costs[0] != (catalog.Cost{Currency: "USD", Amount: 12.5}) {
		t.Errorf("openai costs back %+v", oa.Costs)
	}
	if len(ds.Costs) != 2 || ds.Costs[0].Currency != "USD" || ds.Costs[1] != (catalog.Cost{Currency: "CNY", Amount: 5}) {
		t.Errorf("deepseek costs back %+v", ds.Costs)
	}
	if len(free.Costs) != 0 {
		t.Errorf("unpriced row has costs %+v", free.Costs)
	}
	spend, err := l.Spend(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if s := spend["tok_openai"]; len(s) != 1 || s[0] != (catalog.Cost{Currency: "USD", Amount: 12.5}) {
		t.Errorf("openai token spend %+v", s)
	}
	if s := spend["tok_deepseek"]; len(s) != 2 || s[0].Currency != "CNY" || s[0].Amount != 5 || s[1].Currency != "USD" {
		t.Errorf("deepseek token spend %+v", s)
	}
	if s, ok := spend["tok_free"]; ok {
		t.Errorf("unpriced token spend %+v", s)
	}
}
