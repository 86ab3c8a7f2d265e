package usage

import (
	"path/filepath"
	"testing"
	"time"

	"thinkcloud/backend/catalog"
)

// BenchmarkInsert is the writer's cost per row: batches of batchMax
// records (a busy endpoint's) stored the way write stores them. Its
// ns/op is per row. Figures in docs/BENCHMARKS.md.
//
//	go test -run '^$' -bench Insert -benchtime 100000x ./backend/usage/
func BenchmarkInsert(b *testing.B) {
	l, err := Open(filepath.Join(b.TempDir(), "usage.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	start := time.Now()
	batch := make([]Record, 0, batchMax)
	flush := func() {
		if err := l.w.insert(batch); err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	i := 0
	for b.Loop() {
		batch = append(batch, Record{At: start.Add(time.Duration(i) * time.Millisecond), Door: DoorChat, Token: TokenAnonymous, Client: "OpenAI/Python",
			Provider: "openai", ModelAsked: "gpt-6-luna", Model: "gpt-6-luna", Status: 200, Latency: 3 * time.Millisecond, TTFT: time.Millisecond,
			Input: 12, Output: 30, Costs: []catalog.Cost{{Amount: 0.00012, Currency: "USD"}}})
		i++
		if len(batch) == batchMax {
			flush()
		}
	}
	if len(batch) > 0 {
		flush()
	}
}
