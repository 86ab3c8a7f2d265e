package usage

import (
	"encoding/json"
	"fmt"
	"strings"
)

// writer is the writer goroutine's connection and statements (wconn.go).
type writer struct {
	c *wconn
	// many and one insert rowsPerInsert rows and one row; get and put
	// read and write a rollup row (rollStore).
	many, one, getRoll, putRoll *wstmt
}

func openWriter(path string) (*writer, error) {
	c, err := openW(path)
	if err != nil {
		return nil, err
	}
	w := &writer{c: c}
	for _, s := range []struct {
		st **wstmt
		q  string
	}{{&w.many, insertSQL(rowsPerInsert)}, {&w.one, insertSQL(1)}, {&w.getRoll, rollGet}, {&w.putRoll, rollPut}} {
		if *s.st, err = c.prepare(s.q); err != nil {
			c.close()
			return nil, err
		}
	}
	return w, nil
}

// insert stores a batch of records and adds them to the rollup, in one
// transaction.
func (w *writer) insert(batch []Record) error {
	ru := rollup{}
	err := w.c.tx(func() error {
		for len(batch) > 0 {
			n, st := rowsPerInsert, w.many
			if len(batch) < n {
				n, st = 1, w.one
			}
			size := 0
			for i := range batch[:n] {
				size += batch[i].textBytes()
			}
			if err := w.c.reserve(size); err != nil {
				return err
			}
			for i := range batch[:n] {
				batch[i].bind(st, ru)
			}
			batch = batch[n:]
			if err := st.run(); err != nil {
				return err
			}
		}
		return ru.store(w)
	})
	if err != nil {
		return fmt.Errorf("write request log: %w", err)
	}
	return nil
}

func (w *writer) get(k rollKey) (o rollVal, lat, ttft []byte, found bool, err error) {
	s := w.getRoll
	defer s.reset()
	s.int(k.at)
	for _, v := range []string{k.door, k.token, k.provider, k.model, k.cur} {
		s.text(v)
	}
	s.int(int64(k.status))
	if found, err = s.step(); !found || err != nil {
		return o, nil, nil, false, err
	}
	o.requests, o.errors, o.in, o.out, o.reasoning, o.cached = s.colInt(0), s.colInt(1), s.colInt(2), s.colInt(3), s.colInt(4), s.colInt(5)
	o.cost, o.estimated = s.colFloat(6), s.colInt(7)
	return o, s.colBlob(8), s.colBlob(9), true, nil
}

func (w *writer) put(k rollKey, v *rollVal) error {
	s := w.putRoll
	s.int(k.at)
	for _, t := range []string{k.door, k.token, k.provider, k.model, k.cur} {
		s.text(t)
	}
	for _, n := range []int64{int64(k.status), v.requests, v.errors, v.in, v.out, v.reasoning, v.cached} {
		s.int(n)
	}
	s.float(v.cost)
	s.int(v.estimated)
	s.blob(v.lat.encode())
	s.blob(v.ttft.encode())
	return s.run()
}

// rowsPerInsert is how many rows one INSERT statement carries: a
// statement per row costs a step, a reset and SQLite's statement setup
// per row.
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

// textBytes is how much of the arena bind needs for r's strings (a cost
// in several currencies is JSON made in bind, and copied on its own).
func (r *Record) textBytes() int {
	n := len(r.Door) + len(r.TokenID) + len(r.Token) + len(r.Client) + len(r.Provider) + len(r.ModelAsked) + len(r.Model) + len(r.ErrorKind)
	if len(r.Costs) > 0 {
		n += len(r.Costs[0].Currency)
	}
	return n
}

// bind binds r's values in insertColumns' order to st's next parameters,
// and adds r to ru.
func (r *Record) bind(st *wstmt, ru rollup) {
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
	st.int(at)
	for _, s := range []string{r.Door, r.TokenID, r.Token, r.Client, r.Provider, r.ModelAsked, r.Model} {
		st.text(s)
	}
	st.int(int64(r.Status))
	st.text(r.ErrorKind)
	for _, n := range []int64{int64(r.Retries), int64(r.Fallbacks), r.Latency.Microseconds(), r.TTFT.Microseconds(),
		int64(r.Input), int64(r.Output), int64(r.Reasoning), int64(r.Cached)} {
		st.int(n)
	}
	st.float(cost)
	st.text(cur)
	st.text(costs)
	st.int(est)
}
