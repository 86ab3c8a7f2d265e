package usage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"thinkcloud/backend/catalog"
)

// Filter selects rows. Zero fields select everything.
type Filter struct {
	// Since and Until bound At: Since <= At < Until.
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`
	// Door, Token (a name), Provider and Model (the model that ran) match
	// exactly.
	Door     string `json:"door,omitempty"`
	Token    string `json:"token,omitempty"`
	Provider string `json:"provider,omitempty"`
	Model    string `json:"model,omitempty"`
	// Status is "ok" (below 400), "error" (400 and up) or "" (both).
	Status string `json:"status,omitempty"`
}

func (f Filter) where() (string, []any) {
	w, args := "1=1", []any{}
	if !f.Since.IsZero() {
		w, args = w+" AND at >= ?", append(args, f.Since.UnixMilli())
	}
	if !f.Until.IsZero() {
		w, args = w+" AND at < ?", append(args, f.Until.UnixMilli())
	}
	for col, v := range map[string]string{"door": f.Door, "token": f.Token, "provider": f.Provider, "model": f.Model} {
		if v != "" {
			w, args = w+" AND "+col+" = ?", append(args, v)
		}
	}
	switch f.Status {
	case "ok":
		w += " AND status < 400"
	case "error":
		w += " AND status >= 400"
	}
	return w, args
}

// Group keys for Totals and Series.
const (
	ByModel    = "model"
	ByProvider = "provider"
	ByToken    = "token"
	ByDoor     = "door"
)

var byColumn = map[string]string{ByModel: "model", ByProvider: "provider", ByToken: "token", ByDoor: "door", "": "''"}

// Total is the sum over one group's rows in one currency (rows without a
// price have Currency "").
type Total struct {
	Key       string  `json:"key"`
	Currency  string  `json:"currency"`
	Requests  int64   `json:"requests"`
	Errors    int64   `json:"errors"`
	Input     int64   `json:"input"`
	Output    int64   `json:"output"`
	Reasoning int64   `json:"reasoning"`
	Cached    int64   `json:"cached"`
	Cost      float64 `json:"cost"`
	// Estimated counts rows whose tokens were estimated.
	Estimated int64 `json:"estimated"`
}

// sums add up rows in the rollup's shape (source).
const sums = `sum(requests), sum(errors), sum(tokens_in), sum(tokens_out), sum(tokens_reasoning), sum(tokens_cached), sum(cost), sum(estimated)`

func scanTotal(t *Total, extra ...any) []any {
	return append(extra, &t.Currency, &t.Requests, &t.Errors, &t.Input, &t.Output, &t.Reasoning, &t.Cached, &t.Cost, &t.Estimated)
}

// Totals sums the filtered rows per group (by: ByModel, ByProvider,
// ByToken, ByDoor, or "" for one group) and currency, largest cost first.
func (l *Log) Totals(ctx context.Context, f Filter, by string) ([]Total, error) {
	col, ok := byColumn[by]
	if !ok {
		return nil, fmt.Errorf("group by %q: use model, provider, token or door", by)
	}
	src, args := source(f, false)
	rows, err := l.db.QueryContext(ctx, `SELECT `+col+`, currency, `+sums+` FROM `+src+
		` GROUP BY 1, 2 ORDER BY sum(cost) DESC, sum(requests) DESC, 1`, args...)
	if err != nil {
		return nil, fmt.Errorf("usage totals: %w", err)
	}
	defer rows.Close()
	var out []Total
	for rows.Next() {
		var t Total
		if err := rows.Scan(scanTotal(&t, &t.Key)...); err != nil {
			return nil, fmt.Errorf("usage totals: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Buckets of a Series.
const (
	BucketHour  = "hour"
	BucketDay   = "day"
	BucketWeek  = "week"
	BucketMonth = "month"
)

var bucketExpr = map[string]string{
	BucketHour:  `strftime('%Y-%m-%dT%H:00:00Z', at/1000, 'unixepoch')`,
	BucketDay:   `strftime('%Y-%m-%dT00:00:00Z', at/1000, 'unixepoch')`,
	BucketWeek:  `strftime('%Y-%m-%dT00:00:00Z', at/1000, 'unixepoch', 'weekday 0', '-6 days')`, // the Monday starting the week
	BucketMonth: `strftime('%Y-%m-01T00:00:00Z', at/1000, 'unixepoch')`,
}

// Point is one bucket of one group in one currency.
type Point struct {
	// Start is the bucket's start (UTC).
	Start time.Time `json:"start"`
	Total
}

// Series sums the filtered rows per time bucket (BucketHour … BucketMonth,
// UTC; weeks start on Monday), group and currency, oldest first: the data
// of stacked charts of spend, tokens, requests and errors.
func (l *Log) Series(ctx context.Context, f Filter, bucket, by string) ([]Point, error) {
	be, ok := bucketExpr[bucket]
	col, ok2 := byColumn[by]
	if !ok || !ok2 {
		return nil, fmt.Errorf("usage series: bucket %q or group %q unknown", bucket, by)
	}
	src, args := source(f, bucket == BucketHour)
	rows, err := l.db.QueryContext(ctx, `SELECT `+be+`, `+col+`, currency, `+sums+` FROM `+src+` GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`, args...)
	if err != nil {
		return nil, fmt.Errorf("usage series: %w", err)
	}
	defer rows.Close()
	var out []Point
	for rows.Next() {
		var p Point
		var start string
		if err := rows.Scan(scanTotal(&p.Total, &start, &p.Key)...); err != nil {
			return nil, fmt.Errorf("usage series: %w", err)
		}
		p.Start, _ = time.Parse(time.RFC3339, start)
		out = append(out, p)
	}
	return out, rows.Err()
}

// Latency is a group's latency and time-to-first-token percentiles.
type Latency struct {
	Key      string        `json:"key"`
	Requests int64         `json:"requests"`
	P50      time.Duration `json:"p50Ns"`
	P95      time.Duration `json:"p95Ns"`
	TTFTP50  time.Duration `json:"ttftP50Ns"`
	TTFTP95  time.Duration `json:"ttftP95Ns"`
}

// Latencies computes percentiles of successful requests per group, from
// 5%-wide histograms (rollup.go): within 2.5% of the exact value.
func (l *Log) Latencies(ctx context.Context, f Filter, by string) ([]Latency, error) {
	col, ok := byColumn[by]
	if !ok {
		return nil, fmt.Errorf("usage latencies: group %q unknown", by)
	}
	f.Status = "ok"
	groups := map[string]*[2]hist{}
	group := func(k string) *[2]hist {
		g := groups[k]
		if g == nil {
			g = &[2]hist{{}, {}}
			groups[k] = g
		}
		return g
	}
	raw, roll := split(f, false)
	if roll != nil {
		w, args := roll.where()
		if err := l.each(ctx, `SELECT `+col+`, lat, ttft FROM rollup WHERE `+w, args, func(k string, lat, ttft []byte) {
			g := group(k)
			g[0].merge(lat)
			g[1].merge(ttft)
		}); err != nil {
			return nil, err
		}
	}
	for _, p := range raw {
		w, args := p.where()
		rows, err := l.db.QueryContext(ctx, `SELECT `+col+`, latency_us, ttft_us FROM requests WHERE `+w, args...)
		if err != nil {
			return nil, fmt.Errorf("usage latencies: %w", err)
		}
		for rows.Next() {
			var k string
			var lat, ttft int64
			if err := rows.Scan(&k, &lat, &ttft); err != nil {
				rows.Close()
				return nil, fmt.Errorf("usage latencies: %w", err)
			}
			g := group(k)
			g[0].add(lat)
			g[1].add(ttft)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("usage latencies: %w", err)
		}
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out []Latency
	for _, k := range keys {
		g := groups[k]
		if n := g[0].count(); n > 0 {
			out = append(out, Latency{Key: k, Requests: n, P50: g[0].pct(50), P95: g[0].pct(95), TTFTP50: g[1].pct(50), TTFTP95: g[1].pct(95)})
		}
	}
	return out, nil
}

// each runs a query of (key, blob, blob) rows.
func (l *Log) each(ctx context.Context, q string, args []any, fn func(string, []byte, []byte)) error {
	rows, err := l.db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("usage latencies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var a, b []byte
		if err := rows.Scan(&k, &a, &b); err != nil {
			return fmt.Errorf("usage latencies: %w", err)
		}
		fn(k, a, b)
	}
	return rows.Err()
}

// Page is a page of rows, newest first.
type Page struct {
	Rows []Record `json:"rows"`
	// Next is the Before of the following page; 0 when this is the last.
	Next int64 `json:"next"`
}

// Requests returns up to limit (1..1000, default 100) filtered rows older
// than row id before (0: the newest), newest first.
func (l *Log) Requests(ctx context.Context, f Filter, before int64, limit int) (Page, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	w, args := f.where()
	if before > 0 {
		w, args = w+" AND id < ?", append(args, before)
	}
	rows, err := l.db.QueryContext(ctx, `SELECT id, at, door, token_id, token, client, provider, model_asked, model, status, error_kind,
		retries, fallbacks, latency_us, ttft_us, tokens_in, tokens_out, tokens_reasoning, tokens_cached, cost, currency, costs, estimated
		FROM requests WHERE `+w+` ORDER BY id DESC LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return Page{}, fmt.Errorf("usage requests: %w", err)
	}
	defer rows.Close()
	var p Page
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return Page{}, fmt.Errorf("usage requests: %w", err)
		}
		p.Rows = append(p.Rows, r)
	}
	if len(p.Rows) > limit {
		p.Rows = p.Rows[:limit]
		p.Next = p.Rows[limit-1].ID
	}
	return p, rows.Err()
}

func scanRecord(rows *sql.Rows) (Record, error) {
	var r Record
	var at, lat, ttft int64
	var costs, cur string
	var cost float64
	err := rows.Scan(&r.ID, &at, &r.Door, &r.TokenID, &r.Token, &r.Client, &r.Provider, &r.ModelAsked, &r.Model, &r.Status, &r.ErrorKind,
		&r.Retries, &r.Fallbacks, &lat, &ttft, &r.Input, &r.Output, &r.Reasoning, &r.Cached, &cost, &cur, &costs, &r.Estimated)
	r.At = time.UnixMilli(at).UTC()
	r.Latency, r.TTFT = time.Duration(lat)*time.Microsecond, time.Duration(ttft)*time.Microsecond
	switch {
	case costs != "":
		json.Unmarshal([]byte(costs), &r.Costs)
	case cur != "":
		r.Costs = []catalog.Cost{{Currency: cur, Amount: cost}}
	}
	return r, err
}

// TokenStats is a named token's use, for the token list.
type TokenStats struct {
	Requests int64     `json:"requests"`
	Tokens   int64     `json:"tokens"`
	LastUsed time.Time `json:"lastUsed"`
	// Spend is the total per currency.
	Spend []catalog.Cost `json:"spend"`
}

// ByToken returns every named token's use, by token id, over the rows
// still kept.
func (l *Log) ByToken(ctx context.Context) (map[string]TokenStats, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT token_id, count(*), sum(tokens_in + tokens_out), max(at) FROM requests WHERE token_id != '' GROUP BY 1`)
	if err != nil {
		return nil, fmt.Errorf("usage by token: %w", err)
	}
	out := map[string]TokenStats{}
	for rows.Next() {
		var id string
		var s TokenStats
		var last int64
		if err := rows.Scan(&id, &s.Requests, &s.Tokens, &last); err != nil {
			rows.Close()
			return nil, fmt.Errorf("usage by token: %w", err)
		}
		s.LastUsed = time.UnixMilli(last).UTC()
		out[id] = s
	}
	rows.Close()
	spend, err := l.Spend(ctx, time.Time{})
	if err != nil {
		return nil, err
	}
	for id, costs := range spend {
		s := out[id]
		s.Spend = costs
		out[id] = s
	}
	return out, nil
}

// Spend sums each named token's cost per currency since a time, every
// currency a row was priced in counted (budgets are in one currency).
func (l *Log) Spend(ctx context.Context, since time.Time) (map[string][]catalog.Cost, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT token_id, json_extract(j.value, '$.currency'), sum(json_extract(j.value, '$.amount'))
		FROM requests, json_each(CASE WHEN costs != '' THEN costs
			WHEN currency != '' THEN json_array(json_object('currency', currency, 'amount', cost)) ELSE '[]' END) j
		WHERE token_id != '' AND at >= ? GROUP BY 1, 2 ORDER BY 1, 2`, since.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("usage spend: %w", err)
	}
	defer rows.Close()
	out := map[string][]catalog.Cost{}
	for rows.Next() {
		var id string
		var c catalog.Cost
		if err := rows.Scan(&id, &c.Currency, &c.Amount); err != nil {
			return nil, fmt.Errorf("usage spend: %w", err)
		}
		out[id] = append(out[id], c)
	}
	return out, rows.Err()
}
