// Command dashboard measures the Usage view's queries over a request log
// of a million rows (make bench-usage, part of make bench):
//
//	go run ./tests/bench/dashboard                      seed 1,000,000 rows over 90 days, then measure
//	go run ./tests/bench/dashboard -db /tmp/u.db -keep  keep the seeded log for the next run
//
// Every query UsageService runs for the dashboard is measured as the
// window asks it (tests/window/seedusage's tools, models and providers;
// each range the view offers: 30 days by day, 26 weeks by week, a year by
// month; each stacking; the recent-requests table with each filter and
// its second page), runs times each, printing p50 and max. The baseline,
// measured in the same run on the same file, is the query as it was
// before the rollup: a scan of the rows of the range (Totals, Series) and
// their latencies sorted in Go (Latencies), run once, for the 30-day
// range only (it takes seconds). Target: every query ≤ 100 ms.
// A benchmark, not a test: it exits 0 unless something could not run.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"thinkcloud/backend/usage"
)

var (
	dbPath = flag.String("db", "", "the log to measure (seeded when it has no rows); default a temporary file")
	rows   = flag.Int("rows", 1_000_000, "rows to seed")
	days   = flag.Int("days", 90, "days the seeded rows span")
	runs   = flag.Int("runs", 15, "times each query runs")
	keep   = flag.Bool("keep", false, "keep the seeded log")
)

func main() {
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench-usage:", err)
		os.Exit(1)
	}
}

type query struct {
	name string
	fn   func(context.Context) error
	base func(context.Context) error // the scan before the rollup; nil: none
	cli  bool                          // not the dashboard's: outside the target
}

func run() error {
	path := *dbPath
	if path == "" {
		dir, err := os.MkdirTemp("", "bench-usage-")
		if err != nil {
			return err
		}
		if !*keep {
			defer os.RemoveAll(dir)
		}
		path = filepath.Join(dir, "usage.db")
	}
	ctx := context.Background()
	if n := count(path); n < int64(*rows) {
		os.Remove(path)
		t0 := time.Now()
		cmd := exec.Command("go", "run", "./tests/window/seedusage", "-db", path, "-rows", fmt.Sprint(*rows), "-days", fmt.Sprint(*days))
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("seeding: %w", err)
		}
		fmt.Fprintf(os.Stderr, "bench-usage: seeded %d rows in %v\n", *rows, time.Since(t0).Round(time.Second))
	}
	l, err := usage.Open(path, usage.Options{Retention: time.Duration(*days+2) * 24 * time.Hour})
	if err != nil {
		return err
	}
	defer l.Close()
	raw, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer raw.Close()
	var total int64
	raw.QueryRow(`SELECT count(*) FROM requests`).Scan(&total)

	now := time.Now()
	var qs []query
	for _, r := range []struct {
		bucket string
		days   int
	}{{usage.BucketDay, 30}, {usage.BucketWeek, 7 * 26}, {usage.BucketMonth, 365}} {
		f := usage.Filter{Since: dayStart(now.Add(-time.Duration(r.days) * 24 * time.Hour))} // as the window asks (lib/usage.ts toFilter)
		for _, by := range []string{usage.ByProvider, usage.ByModel, usage.ByToken, usage.ByDoor} {
			// The baseline takes seconds a query: measured for 30 days only.
			series, totals := query{name: fmt.Sprintf("Series %s by %s", r.bucket, by), fn: func(ctx context.Context) error { _, err := l.Series(ctx, f, r.bucket, by); return err }},
				query{name: fmt.Sprintf("Totals %dd by %s", r.days, by), fn: func(ctx context.Context) error { _, err := l.Totals(ctx, f, by); return err }}
			if r.days == 30 {
				series.base, totals.base = scan(raw, f.Since, by, r.bucket), scan(raw, f.Since, by, "")
			}
			qs = append(qs, series, totals)
		}
		lat := query{name: fmt.Sprintf("Latencies %dd by provider", r.days), fn: func(ctx context.Context) error { _, err := l.Latencies(ctx, f, usage.ByProvider); return err }}
		if r.days == 30 {
			lat.base = latScan(raw, f.Since)
		}
		qs = append(qs, lat)
	}
	// The CLI's `usage --since 30d` cuts into a day: the ragged end is
	// read from the rows.
	cut := usage.Filter{Since: now.Add(-30 * 24 * time.Hour)}
	qs = append(qs, query{"Totals 30d by model, cut mid-day (CLI)", func(ctx context.Context) error { _, err := l.Totals(ctx, cut, usage.ByModel); return err },
		scan(raw, cut.Since, usage.ByModel, ""), true})
	since := dayStart(now.Add(-30 * 24 * time.Hour))
	for _, f := range []usage.Filter{{}, {Door: usage.DoorMessages}, {Token: "codex"}, {Provider: "openai"}, {Model: "gpt-oss-120b"},
		{Status: "error"}, {Provider: "kimi", Status: "error"}, {Door: usage.DoorChat, Token: "cursor", Model: "kimi-k3"}} {
		f.Since = since
		name := "Requests " + describe(f)
		qs = append(qs, query{name, func(ctx context.Context) error {
			p, err := l.Requests(ctx, f, 0, 100)
			if err == nil && p.Next != 0 {
				_, err = l.Requests(ctx, f, p.Next, 100) // "Load more"
			}
			return err
		}, nil, false})
	}

	fmt.Printf("\nUsage dashboard queries — %s, %d rows over %d days, %d runs each (p50 / max, ms); baseline: the scan before the rollup\n\n",
		now.Format("2006-01-02 15:04"), total, *days, *runs)
	fmt.Println("| query | p50 | max | baseline p50 | ×baseline |")
	fmt.Println("|---|---|---|---|---|")
	worst, worstName := time.Duration(0), ""
	for _, q := range qs {
		p50, mx, err := measure(ctx, q.fn)
		if err != nil {
			return fmt.Errorf("%s: %w", q.name, err)
		}
		if mx > worst && !q.cli {
			worst, worstName = mx, q.name
		}
		b, x := "-", "-"
		if q.base != nil {
			bp, _, err := measureN(ctx, q.base, 1)
			if err != nil {
				return fmt.Errorf("%s baseline: %w", q.name, err)
			}
			b, x = msf(bp), fmt.Sprintf("%.3f×", float64(p50)/float64(bp))
		}
		fmt.Printf("| %s | %s | %s | %s | %s |\n", q.name, msf(p50), msf(mx), b, x)
	}
	verdict := "met"
	if worst > 100*time.Millisecond {
		verdict = "NOT met"
	}
	fmt.Printf("\nEvery dashboard query ≤ 100 ms (max of %d runs; the CLI's mid-day cut is not one): worst %s ms (%s) — %s\n", *runs, msf(worst), worstName, verdict)
	return nil
}

func dayStart(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }

func describe(f usage.Filter) string {
	var s []string
	for k, v := range map[string]string{"door": f.Door, "token": f.Token, "provider": f.Provider, "model": f.Model, "status": f.Status} {
		if v != "" {
			s = append(s, k+"="+v)
		}
	}
	slices.Sort(s)
	if len(s) == 0 {
		return "30d, no filter, 2 pages"
	}
	return "30d, " + strings.Join(s, " ") + ", 2 pages"
}

func count(path string) int64 {
	if _, err := os.Stat(path); err != nil {
		return 0
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return 0
	}
	defer db.Close()
	var n int64
	db.QueryRow(`SELECT count(*) FROM requests`).Scan(&n)
	return n
}

func measure(ctx context.Context, fn func(context.Context) error) (time.Duration, time.Duration, error) {
	return measureN(ctx, fn, *runs)
}

func measureN(ctx context.Context, fn func(context.Context) error, n int) (time.Duration, time.Duration, error) {
	var d []time.Duration
	for range n {
		t0 := time.Now()
		if err := fn(ctx); err != nil {
			return 0, 0, err
		}
		d = append(d, time.Since(t0))
	}
	slices.Sort(d)
	return d[len(d)/2], d[len(d)-1], nil
}

func msf(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }

var buckets = map[string]string{
	usage.BucketDay:   `strftime('%Y-%m-%d', at/1000, 'unixepoch')`,
	usage.BucketWeek:  `strftime('%Y-%m-%d', at/1000, 'unixepoch', 'weekday 0', '-6 days')`,
	usage.BucketMonth: `strftime('%Y-%m', at/1000, 'unixepoch')`,
}

// scan is Totals (bucket "") or Series as they read the rows before the
// rollup.
func scan(db *sql.DB, since time.Time, by, bucket string) func(context.Context) error {
	key := by
	if bucket != "" {
		key = buckets[bucket] + ", " + by
	}
	q := `SELECT ` + key + `, currency, count(*), sum(status >= 400), sum(tokens_in), sum(tokens_out), sum(tokens_reasoning), sum(tokens_cached), sum(cost), sum(estimated)
		FROM requests WHERE at >= ? GROUP BY ` + key + `, currency`
	return func(ctx context.Context) error { return drain(db.QueryContext(ctx, q, since.UnixMilli())) }
}

// latScan is Latencies before the rollup: every successful row's
// latencies, sorted per provider.
func latScan(db *sql.DB, since time.Time) func(context.Context) error {
	return func(ctx context.Context) error {
		rows, err := db.QueryContext(ctx, `SELECT provider, latency_us, ttft_us FROM requests WHERE at >= ? AND status < 400 ORDER BY 1`, since.UnixMilli())
		if err != nil {
			return err
		}
		defer rows.Close()
		g := map[string][]int64{}
		for rows.Next() {
			var k string
			var a, b int64
			if err := rows.Scan(&k, &a, &b); err != nil {
				return err
			}
			g[k] = append(g[k], a, b)
		}
		for _, v := range g {
			slices.Sort(v)
		}
		return rows.Err()
	}
}

func drain(rows *sql.Rows, err error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}
