package usage

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestWriterStoresEveryValueAsGiven: the writer's own connection (binds
// into an arena, no database/sql) stores each column of each row exactly,
// across the 64-row statement and the one-row one, for strings SQLite and
// Go disagree about (NUL, invalid UTF-8, empty, longer than a batch's
// usual arena) and integers at their limits.
func TestWriterStoresEveryValueAsGiven(t *testing.T) {
	t.Parallel()
	l := open(t, Options{Now: func() time.Time { return day0 }})
	odd := []string{"", "a\x00b", "\xff\xfe not utf-8", "模型-中文", strings.Repeat("long ", 20000)}
	var want []Record
	for i := range rowsPerInsert + 7 {
		s := odd[i%len(odd)]
		want = append(want, Record{At: day0.Add(time.Duration(i) * time.Millisecond), Door: DoorMessages, TokenID: "tok_" + s, Token: "t" + s,
			Client: s, Provider: "p" + s, ModelAsked: "asked" + s, Model: "m" + s, Status: 200 + i, ErrorKind: s,
			Retries: i, Fallbacks: i % 3, Latency: time.Duration(i) * time.Microsecond * 1001, TTFT: time.Duration(i) * time.Microsecond,
			Input: 1<<31 + i, Output: i, Reasoning: 2 * i, Cached: 3 * i, Estimated: i%2 == 1})
	}
	// One batch, so one transaction stores both statement sizes.
	if err := l.w.insert(want); err != nil {
		t.Fatal(err)
	}
	rows, err := l.db.Query(`SELECT at, door, token_id, token, client, provider, model_asked, model, status, error_kind, retries, fallbacks,
		latency_us, ttft_us, tokens_in, tokens_out, tokens_reasoning, tokens_cached, estimated FROM requests ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for ; rows.Next(); i++ {
		var g Record
		var at, lat, ttft int64
		if err := rows.Scan(&at, &g.Door, &g.TokenID, &g.Token, &g.Client, &g.Provider, &g.ModelAsked, &g.Model, &g.Status, &g.ErrorKind,
			&g.Retries, &g.Fallbacks, &lat, &ttft, &g.Input, &g.Output, &g.Reasoning, &g.Cached, &g.Estimated); err != nil {
			t.Fatal(err)
		}
		g.At, g.Latency, g.TTFT = time.UnixMilli(at).UTC(), time.Duration(lat)*time.Microsecond, time.Duration(ttft)*time.Microsecond
		if i >= len(want) {
			t.Fatalf("more rows than stored: %+v", g)
		}
		if w := want[i]; g.At != w.At || g.Door != w.Door || g.TokenID != w.TokenID || g.Token != w.Token || g.Client != w.Client ||
			g.Provider != w.Provider || g.ModelAsked != w.ModelAsked || g.Model != w.Model || g.Status != w.Status || g.ErrorKind != w.ErrorKind ||
			g.Retries != w.Retries || g.Fallbacks != w.Fallbacks || g.Latency != w.Latency || g.TTFT != w.TTFT || g.Input != w.Input ||
			g.Output != w.Output || g.Reasoning != w.Reasoning || g.Cached != w.Cached || g.Estimated != w.Estimated {
			t.Errorf("row %d read back as\n%s\nwant\n%s", i, brief(g), brief(w))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if i != len(want) {
		t.Fatalf("%d rows stored, want %d", i, len(want))
	}
}

// TestWriterRollsBackAFailedBatch: when a batch cannot be stored whole,
// none of it is (rows and rollup alike), and the next batch is.
func TestWriterRollsBackAFailedBatch(t *testing.T) {
	t.Parallel()
	l := open(t, Options{Now: func() time.Time { return day0 }})
	ok := Record{At: day0, Door: DoorChat, Token: "t", Provider: "openai", Model: "m", Status: 200, Input: 5}
	if err := l.w.insert([]Record{ok}); err != nil {
		t.Fatal(err)
	}
	// A trigger refuses the batch's last row, after its first rows went in.
	if _, err := l.db.Exec(`CREATE TRIGGER refuse BEFORE INSERT ON requests WHEN NEW.token = 'refused' BEGIN SELECT RAISE(ABORT, 'refused'); END`); err != nil {
		t.Fatal(err)
	}
	bad := make([]Record, rowsPerInsert+1)
	for i := range bad {
		bad[i] = ok
	}
	bad[len(bad)-1].Token = "refused"
	if err := l.w.insert(bad); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("insert of a refused batch: %v; want SQLite's reason", err)
	}
	if _, err := l.db.Exec(`DROP TRIGGER refuse`); err != nil {
		t.Fatal(err)
	}
	if err := l.w.insert([]Record{ok}); err != nil {
		t.Fatalf("the batch after a failed one: %v", err)
	}
	var rows, rolled int64
	if err := l.db.QueryRow(`SELECT (SELECT count(*) FROM requests), (SELECT sum(requests) FROM rollup)`).Scan(&rows, &rolled); err != nil {
		t.Fatal(err)
	}
	if rows != 2 || rolled != 2 {
		t.Fatalf("%d rows and %d in the rollup after a failed batch between two good ones; want 2 and 2", rows, rolled)
	}
}

// brief is r's stored fields, long strings cut.
func brief(r Record) string {
	cut := func(s string) string { return s[:min(len(s), 40)] }
	return fmt.Sprintf("%v %q %q %q %q %q %q %q %d %q %d %d %v %v %d %d %d %d %v", r.At, cut(r.Door), cut(r.TokenID), cut(r.Token), cut(r.Client),
		cut(r.Provider), cut(r.ModelAsked), cut(r.Model), r.Status, cut(r.ErrorKind), r.Retries, r.Fallbacks, r.Latency, r.TTFT,
		r.Input, r.Output, r.Reasoning, r.Cached, r.Estimated)
}
