package usage

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"thinkcloud/backend/catalog"
)

// want sums recs the way Totals does, from the records themselves.
func want(recs []Record, f Filter, by func(Record) string) map[string]Total {
	out := map[string]Total{}
	for _, r := range recs {
		if (!f.Since.IsZero() && r.At.Before(f.Since)) || (!f.Until.IsZero() && !r.At.Before(f.Until)) ||
			(f.Provider != "" && r.Provider != f.Provider) || (f.Status == "error" && r.Status < 400) || (f.Status == "ok" && r.Status >= 400) {
			continue
		}
		k := by(r)
		t := out[k]
		t.Key, t.Requests, t.Input, t.Output = k, t.Requests+1, t.Input+int64(r.Input), t.Output+int64(r.Output)
		if r.Status >= 400 {
			t.Errors++
		}
		if len(r.Costs) > 0 {
			t.Cost += r.Costs[0].Amount
		}
		out[k] = t
	}
	return out
}

func seedRandom(t *testing.T, l *Log, n int, now time.Time) []Record {
	t.Helper()
	rnd := rand.New(rand.NewPCG(1, 2))
	var recs []Record
	for range n {
		m := []struct{ model string }{{"gpt-6-luna"}, {"deepseek-flash"}, {"kimi-k3"}}[rnd.IntN(3)]
		r := Record{At: now.Add(-time.Duration(rnd.Int64N(int64(12 * 24 * time.Hour)))).Truncate(time.Millisecond), Door: []string{DoorChat, DoorMessages, DoorWindow}[rnd.IntN(3)],
			Token: fmt.Sprint("t", rnd.IntN(3)), Provider: map[string]string{"gpt-6-luna": "openai", "deepseek-flash": "deepseek", "kimi-k3": "kimi"}[m.model],
			Model: m.model, Status: []int{200, 200, 200, 429}[rnd.IntN(4)], Input: rnd.IntN(1000), Output: rnd.IntN(500),
			Latency: time.Duration(1+rnd.IntN(5000)) * time.Millisecond, TTFT: time.Duration(1+rnd.IntN(500)) * time.Millisecond}
		if m.model != "kimi-k3" {
			r.Price(map[string]catalog.Model{"gpt-6-luna": openai, "deepseek-flash": deepseek}[m.model])
		}
		recs = append(recs, r)
		l.Add(r)
	}
	flush(t, l)
	return recs
}

func checkTotals(t *testing.T, l *Log, recs []Record, f Filter, what string) {
	t.Helper()
	got, err := l.Totals(context.Background(), f, ByModel)
	if err != nil {
		t.Fatal(err)
	}
	exp := want(recs, f, func(r Record) string { return r.Model })
	sum := map[string]Total{}
	for _, g := range got {
		s := sum[g.Key]
		s.Key, s.Requests, s.Errors, s.Input, s.Output, s.Cost = g.Key, s.Requests+g.Requests, s.Errors+g.Errors, s.Input+g.Input, s.Output+g.Output, s.Cost+g.Cost
		sum[g.Key] = s
	}
	if len(sum) != len(exp) {
		t.Errorf("%s: %d groups; want %d", what, len(sum), len(exp))
	}
	for k, e := range exp {
		g := sum[k]
		if g.Requests != e.Requests || g.Errors != e.Errors || g.Input != e.Input || g.Output != e.Output || math.Abs(g.Cost-e.Cost) > 1e-9 {
			t.Errorf("%s: %s got %+v; want %+v", what, k, g, e)
		}
	}
}

// TestRollupMatchesRows: totals, series and latencies read through the
// rollup (whole days) and the rows (ragged ends) equal sums over the
// records themselves, for ranges cut mid-day, filters, after pruning into
// a day, and for a log written before the rollup existed.
func TestRollupMatchesRows(t *testing.T) {
	t.Parallel()
	now := day0.Add(7*time.Hour + 13*time.Minute)
	clock := now
	path := filepath.Join(t.TempDir(), "usage.db")
	l, err := Open(path, Options{Now: func() time.Time { return clock }, Retention: 30 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	recs := seedRandom(t, l, 3000, now)
	filters := map[string]Filter{
		"everything":            {},
		"since mid-day":         {Since: now.Add(-5*24*time.Hour - 3*time.Hour)},
		"until mid-day":         {Until: now.Add(-2*24*time.Hour + 5*time.Hour)},
		"within one day":        {Since: now.Add(-30 * time.Hour), Until: now.Add(-20 * time.Hour)},
		"both ends, a provider": {Since: now.Add(-9*24*time.Hour - time.Hour), Until: now.Add(-time.Hour), Provider: "deepseek"},
		"errors since mid-day":  {Since: now.Add(-4*24*time.Hour - 7*time.Hour), Status: "error"},
	}
	for name, f := range filters {
		checkTotals(t, l, recs, f, name)
	}
	// Series: the daily buckets add up to the totals; hourly ones too.
	for _, bucket := range []string{BucketHour, BucketDay, BucketWeek} {
		f := filters["since mid-day"]
		pts, err := l.Series(context.Background(), f, bucket, "")
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		for _, p := range pts {
			n += p.Requests
		}
		if w := want(recs, f, func(Record) string { return "" })[""]; n != w.Requests {
			t.Errorf("series by %s: %d requests; want %d", bucket, n, w.Requests)
		}
	}
	// Latencies: within 2.5% of the exact nearest-rank p50.
	lat, err := l.Latencies(context.Background(), filters["since mid-day"], ByProvider)
	if err != nil || len(lat) != 3 {
		t.Fatalf("latencies %+v, %v", lat, err)
	}
	for _, g := range lat {
		var v []int64
		for _, r := range recs {
			if r.Provider == g.Key && r.Status < 400 && !r.At.Before(filters["since mid-day"].Since) {
				v = append(v, r.Latency.Microseconds())
			}
		}
		exact := pct(v, 50)
		if int64(len(v)) != g.Requests || math.Abs(float64(g.P50-exact)) > 0.025*float64(exact) {
			t.Errorf("%s: p50 %v of %d; want %v of %d within 2.5%%", g.Key, g.P50, g.Requests, exact, len(v))
		}
	}

	// Pruning cuts into a day: the rollup follows.
	clock = now.Add(30*24*time.Hour - 6*24*time.Hour - 5*time.Hour) // keeps the last 6 days and 5 hours
	if _, err := l.Prune(context.Background()); err != nil {
		t.Fatal(err)
	}
	cut := clock.Add(-30 * 24 * time.Hour)
	var kept []Record
	for _, r := range recs {
		if !r.At.Before(cut) {
			kept = append(kept, r)
		}
	}
	checkTotals(t, l, kept, Filter{}, "after pruning")
	l.Close()

	// A log from before the rollup: its rows are summed when it opens.
	l2, err := Open(path, Options{Now: func() time.Time { return clock }, Retention: 30 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l2.db.Exec(`DELETE FROM rollup; PRAGMA user_version = 0`); err != nil {
		t.Fatal(err)
	}
	l2.Close()
	l3, err := Open(path, Options{Now: func() time.Time { return clock }, Retention: 30 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer l3.Close()
	checkTotals(t, l3, kept, Filter{}, "after migrating")
}

// pct is the exact nearest-rank percentile of microsecond values.
func pct(v []int64, p int) time.Duration {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return time.Duration(s[max((len(s)*p+99)/100-1, 0)]) * time.Microsecond
}
