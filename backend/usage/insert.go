package usage

import (
	"encoding/json"
	"fmt"
	"strings"
)

// insert stores a batch of records and adds them to the rollup, in one
// transaction (the writer's, log.go).
func (l *Log) insert(batch []Record) error {
	tx, err := l.db.Begin()
	if err != nil {
		return fmt.Errorf("write request log: %w", err)
	}
	defer tx.Rollback()
	ru := rollup{}
	args := make([]any, 0, min(len(batch), rowsPerInsert)*len(insertColumns))
	for len(batch) > 0 {
		n, st := rowsPerInsert, l.insertMany
		if len(batch) < n {
			n, st = 1, l.insertOne
		}
		args = args[:0]
		for _, r := range batch[:n] {
			args = r.appendArgs(args, ru)
		}
		batch = batch[n:]
		if _, err := tx.Stmt(st).Exec(args...); err != nil {
			return fmt.Errorf("write request log: %w", err)
		}
	}
	if err := ru.store(tx); err != nil {
		return fmt.Errorf("write request log: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("write request log: %w", err)
	}
	return nil
}

// rowsPerInsert is how many rows one INSERT statement carries: a
// statement per row costs database/sql's and the driver's overhead per
// row (BenchmarkInsert: ~12 µs a row one by one).
const rowsPerInsert = 64

var insertColumns = []string{"at", "door", "token_id", "token", "client", "provider", "model_asked", "model", "status", "error_kind",
	"retries", "fallbacks", "latency_us", "ttft_us", "tokens_in", "tokens_out", "tokens_reasoning", "tokens_cached", "cost", "currency", "costs", "estimated"}

// insertSQL is an INSERT of n rows.
func insertSQL(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO requests (" + strings.Join(insertColumns, ", ") + ") VALUES ")
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(insertColumns)), ",") + ")"
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(one)
	}
	return b.String()
}

// appendArgs appends r's values in insertColumns' order, as the driver's
// own types (no conversion by reflection), and adds r to ru.
func (r *Record) appendArgs(args []any, ru rollup) []any {
	var cost float64
	var cur, costs string
	if len(r.Costs) > 0 {
		cost, cur = r.Costs[0].Amount, r.Costs[0].Currency
	}
	if len(r.Costs) > 1 || len(r.Costs) == 1 && r.Costs[0].OffPeak {
		// The one cost in one currency (most rows) is cost and currency
		// alone: no JSON to make, bind and store (costsOf reads both).
		b, _ := json.Marshal(r.Costs)
		costs = string(b)
	}
	at := r.At.UnixMilli()
	ru.add(row{at: at, door: r.Door, token: r.Token, provider: r.Provider, model: r.Model, currency: cur, status: r.Status,
		in: int64(r.Input), out: int64(r.Output), reasoning: int64(r.Reasoning), cached: int64(r.Cached), cost: cost, estimated: r.Estimated,
		latUs: r.Latency.Microseconds(), ttftUs: r.TTFT.Microseconds()})
	var est int64
	if r.Estimated {
		est = 1
	}
	return append(args, at, r.Door, r.TokenID, r.Token, r.Client, r.Provider, r.ModelAsked, r.Model, int64(r.Status), r.ErrorKind,
		int64(r.Retries), int64(r.Fallbacks), r.Latency.Microseconds(), r.TTFT.Microseconds(), int64(r.Input), int64(r.Output), int64(r.Reasoning), int64(r.Cached),
		cost, cur, costs, est)
}
