package usage

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"time"
)

// The rollup keeps the dashboard's queries fast on a large log (a million
// rows answer in milliseconds, docs/BENCHMARKS.md): one row per UTC day,
// door, token, provider, model, currency and outcome (status 200 for
// success, 500 for any error), with the sums Totals and Series need and
// histograms of latency and time to first token for Latencies. The writer
// updates it in the transaction that stores the rows; pruning rebuilds
// the day it cut into. Queries read whole days from the rollup and the
// ragged ends of their range from the rows (split).
//
// It is usage schema version 1 (PRAGMA user_version): a log written
// before it gets its rollup built from its rows when it opens.
const rollupSchema = `
CREATE TABLE IF NOT EXISTS rollup (
	at INTEGER NOT NULL,            -- the UTC day's start, unix milliseconds
	door TEXT NOT NULL,
	token TEXT NOT NULL,
	provider TEXT NOT NULL,
	model TEXT NOT NULL,
	currency TEXT NOT NULL,
	status INTEGER NOT NULL,        -- 200: succeeded, 500: failed
	requests INTEGER NOT NULL,
	errors INTEGER NOT NULL,
	tokens_in INTEGER NOT NULL,
	tokens_out INTEGER NOT NULL,
	tokens_reasoning INTEGER NOT NULL,
	tokens_cached INTEGER NOT NULL,
	cost REAL NOT NULL,
	estimated INTEGER NOT NULL,
	lat BLOB,                       -- histograms of successful requests (hist)
	ttft BLOB,
	PRIMARY KEY (at, door, token, provider, model, currency, status)
) WITHOUT ROWID;
`

const schemaVersion = 1

const dayMs = int64(24 * time.Hour / time.Millisecond)

func dayOf(ms int64) int64 { return ms - ((ms%dayMs)+dayMs)%dayMs }

type rollKey struct {
	at                                int64
	door, token, provider, model, cur string
	status                            int
}

type rollVal struct {
	requests, errors, in, out, reasoning, cached, estimated int64
	cost                                                    float64
	lat, ttft                                               hist
}

// rollup is a batch of rows summed per rollKey.
type rollup map[rollKey]*rollVal

// row is one request as the rollup needs it.
type row struct {
	at                                     int64
	door, token, provider, model, currency string
	status                                 int
	in, out, reasoning, cached             int64
	cost                                   float64
	estimated                              bool
	latUs, ttftUs                          int64
}

func (ru rollup) add(r row) {
	k := rollKey{dayOf(r.at), r.door, r.token, r.provider, r.model, r.currency, 200}
	if r.status >= 400 {
		k.status = 500
	}
	v := ru[k]
	if v == nil {
		v = &rollVal{lat: hist{}, ttft: hist{}}
		ru[k] = v
	}
	v.requests++
	v.in, v.out, v.reasoning, v.cached, v.cost = v.in+r.in, v.out+r.out, v.reasoning+r.reasoning, v.cached+r.cached, v.cost+r.cost
	if r.estimated {
		v.estimated++
	}
	if k.status == 500 {
		v.errors++
		return
	}
	v.lat.add(r.latUs)
	v.ttft.add(r.ttftUs)
}

// rebuild replaces the rollup of the days before and at the oldest row's
// day (pruning deleted rows from them) with the sums of the rows left.
func (l *Log) rebuild(ctx context.Context) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var oldest sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT min(at) FROM requests`).Scan(&oldest); err != nil {
		return err
	}
	if !oldest.Valid {
		if _, err := tx.ExecContext(ctx, `DELETE FROM rollup`); err != nil {
			return err
		}
		return tx.Commit()
	}
	day := dayOf(oldest.Int64)
	if _, err := tx.ExecContext(ctx, `DELETE FROM rollup WHERE at <= ?`, day); err != nil {
		return err
	}
	if err := sumRows(ctx, tx, day, day+dayMs); err != nil {
		return err
	}
	return tx.Commit()
}

// sumRows adds the rows of [from, to) to the rollup, a day at a time.
func sumRows(ctx context.Context, tx *sql.Tx, from, to int64) error {
	for d := from; d < to; d += dayMs {
		rows, err := tx.QueryContext(ctx, `SELECT at, door, token, provider, model, currency, status, tokens_in, tokens_out, tokens_reasoning,
			tokens_cached, cost, estimated, latency_us, ttft_us FROM requests WHERE at >= ? AND at < ?`, d, min(d+dayMs, to))
		if err != nil {
			return err
		}
		ru := rollup{}
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.at, &r.door, &r.token, &r.provider, &r.model, &r.currency, &r.status, &r.in, &r.out, &r.reasoning,
				&r.cached, &r.cost, &r.estimated, &r.latUs, &r.ttftUs); err != nil {
				rows.Close()
				return err
			}
			ru.add(r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := ru.storeTx(tx); err != nil {
			return err
		}
	}
	return nil
}

// migrate brings a log to schemaVersion: the rollup of the rows a log
// written before it holds.
func migrate(db *sql.DB) error {
	var v int
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil || v >= schemaVersion {
		return err
	}
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var lo, hi sql.NullInt64
	if err := tx.QueryRow(`SELECT min(at), max(at) FROM requests`).Scan(&lo, &hi); err != nil {
		return err
	}
	if _, err := tx.Exec(`DELETE FROM rollup`); err != nil {
		return err
	}
	if lo.Valid {
		if err := sumRows(ctx, tx, dayOf(lo.Int64), dayOf(hi.Int64)+dayMs); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, schemaVersion)); err != nil {
		return err
	}
	return tx.Commit()
}

// split cuts f's time range into whole UTC days, answered from the
// rollup (roll; nil when the range holds no whole day, or for hourly
// buckets), and the ragged ends, answered from the rows (raw).
func split(f Filter, hourly bool) (raw []Filter, roll *Filter) {
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if !f.Since.IsZero() {
		lo = f.Since.UnixMilli()
	}
	if !f.Until.IsZero() {
		hi = f.Until.UnixMilli()
	}
	fullLo, fullHi := lo, hi
	if !f.Since.IsZero() {
		if fullLo = dayOf(lo); fullLo < lo {
			fullLo += dayMs
		}
	}
	if !f.Until.IsZero() {
		fullHi = dayOf(hi)
	}
	if hourly || fullLo >= fullHi {
		return []Filter{f}, nil
	}
	if !f.Since.IsZero() && lo < fullLo {
		p := f
		p.Until = time.UnixMilli(fullLo)
		raw = append(raw, p)
	}
	if !f.Until.IsZero() && fullHi < hi {
		p := f
		p.Since = time.UnixMilli(fullHi)
		raw = append(raw, p)
	}
	r := f
	if !f.Since.IsZero() {
		r.Since = time.UnixMilli(fullLo)
	}
	if !f.Until.IsZero() {
		r.Until = time.UnixMilli(fullHi)
	}
	return raw, &r
}

// source is a subquery of the rows f selects in the rollup's shape:
// whole days from the rollup, the ends from the rows.
func source(f Filter, hourly bool) (string, []any) {
	raw, roll := split(f, hourly)
	var parts []string
	var args []any
	for _, p := range raw {
		w, a := p.where()
		parts = append(parts, `SELECT at, door, token, provider, model, currency, status, 1 AS requests, status >= 400 AS errors,
			tokens_in, tokens_out, tokens_reasoning, tokens_cached, cost, estimated FROM requests WHERE `+w)
		args = append(args, a...)
	}
	if roll != nil {
		w, a := roll.where()
		parts = append(parts, `SELECT at, door, token, provider, model, currency, status, requests, errors,
			tokens_in, tokens_out, tokens_reasoning, tokens_cached, cost, estimated FROM rollup WHERE `+w)
		args = append(args, a...)
	}
	q := ""
	for i, p := range parts {
		if i > 0 {
			q += " UNION ALL "
		}
		q += p
	}
	return "(" + q + ")", args
}

// hist counts microsecond values in buckets 5% wide (bucket i holds
// [1.05^i, 1.05^(i+1)) µs; -1 holds 0), so percentiles read from it are
// within 2.5% of the true value.
type hist map[int32]int64

var histBase = math.Log(1.05)

func bucketOf(us int64) int32 {
	if us <= 0 {
		return -1
	}
	return int32(math.Log(float64(us)) / histBase)
}

func bucketValue(b int32) time.Duration {
	if b < 0 {
		return 0
	}
	return time.Duration(math.Exp((float64(b)+0.5)*histBase)) * time.Microsecond
}

func (h hist) add(us int64) { h[bucketOf(us)]++ }

func (h hist) encode() []byte {
	keys := make([]int32, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b := make([]byte, 0, 4*len(keys))
	for _, k := range keys {
		b = binary.AppendVarint(b, int64(k))
		b = binary.AppendUvarint(b, uint64(h[k]))
	}
	return b
}

func (h hist) merge(b []byte) {
	for len(b) > 0 {
		k, n := binary.Varint(b)
		if n <= 0 {
			return
		}
		c, m := binary.Uvarint(b[n:])
		if m <= 0 {
			return
		}
		h[int32(k)] += int64(c)
		b = b[n+m:]
	}
}

func (h hist) count() int64 {
	var n int64
	for _, c := range h {
		n += c
	}
	return n
}

// pct is the nearest-rank percentile p, as its bucket's middle.
func (h hist) pct(p int) time.Duration {
	n := h.count()
	if n == 0 {
		return 0
	}
	keys := make([]int32, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	rank := (n*int64(p) + 99) / 100
	var seen int64
	for _, k := range keys {
		if seen += h[k]; seen >= max(rank, 1) {
			return bucketValue(k)
		}
	}
	return bucketValue(keys[len(keys)-1])
}
