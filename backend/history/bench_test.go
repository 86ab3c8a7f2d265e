package history

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Benchmark corpus size. One conversation holds bigConversation messages
// so that opening a long chat can be measured; the rest are spread evenly.
const (
	benchConversations = 10_000
	benchMessages      = 1_000_000
	bigConversation    = 1_000
)

// benchDBEnv names a directory holding a database built by an earlier run
// (bench.db) to reuse, since building one takes minutes.
const benchDBEnv = "HISTORY_BENCH_DIR"

// BenchmarkHistory builds (or reuses) a database of 10,000 conversations and
// 1,000,000 messages and measures the operations the window waits on. Run:
//
//	go test -timeout 60m -run '^$' -bench BenchmarkHistory -benchtime 20x ./backend/history/
func BenchmarkHistory(b *testing.B) {
	path, bigID := benchDatabase(b)
	ctx := context.Background()
	b.Run("Open/empty", func(b *testing.B) { benchOpen(b, filepath.Join(b.TempDir(), "empty.db")) })
	b.Run("Open/1M-messages", func(b *testing.B) { benchOpen(b, path) })
	s, err := Open(ctx, path)
	if err != nil {
		b.Fatalf("Open: %v", err)
	}
	defer s.Close()
	b.Run("ListConversations/first-50", func(b *testing.B) { benchList(b, s, 0) })
	b.Run("ListConversations/offset-5000", func(b *testing.B) { benchList(b, s, 5000) })
	b.Run("GetConversation/1000-messages", func(b *testing.B) {
		for b.Loop() {
			if _, msgs, err := s.GetConversation(ctx, bigID); err != nil || len(msgs) != bigConversation {
				b.Fatalf("GetConversation: %d messages, %v", len(msgs), err)
			}
		}
		reportMillis(b)
	})
	for _, q := range []string{"quetzalcoatl", "lorvex", "the", "机器学习", "世界", "龘", "deep 世界",
		"模型", "go", "a", "de", "世界 lorvex", "%",
		// Punctuation, symbols and emoji: the corpus has none but the
		// full stop 。 (in one message in ten, 界。 in about one in a
		// hundred), so the rest find nothing, the slowest case for a scan.
		"C:", "->", "🚀", "👍🏽", "。", "界。", "the C:", "deep 界。"} {
		b.Run("Search/"+q, func(b *testing.B) { benchSearch(b, s, q) })
	}
	b.Run("UpdateStreaming/4KB", func(b *testing.B) { benchStreaming(b, s, bigID) })
}

func benchOpen(b *testing.B, path string) {
	for b.Loop() {
		s, err := Open(context.Background(), path)
		if err != nil {
			b.Fatalf("Open: %v", err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	reportMillis(b)
}

func benchList(b *testing.B, s *Store, offset int) {
	for b.Loop() {
		if list, err := s.ListConversations(context.Background(), 50, offset); err != nil || len(list) != 50 {
			b.Fatalf("ListConversations: %d, %v", len(list), err)
		}
	}
	reportMillis(b)
}

func benchSearch(b *testing.B, s *Store, q string) {
	var hits []Hit
	for b.Loop() {
		var err error
		if hits, err = s.Search(context.Background(), q, DefaultSearchLimit); err != nil {
			b.Fatalf("Search(%q): %v", q, err)
		}
	}
	b.ReportMetric(float64(len(hits)), "hits")
	reportMillis(b)
}

// benchStreaming measures one UpdateStreaming call of a growing 4 KB answer,
// which rewrites the row and its full-text entries.
func benchStreaming(b *testing.B, s *Store, convID string) {
	ctx := context.Background()
	id, err := s.BeginAssistant(ctx, convID, "deepseek-flash", "deepseek")
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat("streamed words arrive one by one, ", 120)
	i := 0
	for b.Loop() {
		i++
		if err := s.UpdateStreaming(ctx, id, text[:len(text)-i%100], ""); err != nil {
			b.Fatal(err)
		}
	}
	reportMillis(b)
	if err := s.DeleteMessagesFrom(ctx, convID, id); err != nil {
		b.Fatal(err)
	}
}

func reportMillis(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
}

// benchDatabase returns the path of the benchmark database and the id of its
// 1,000-message conversation, building it unless benchDBEnv points at one.
func benchDatabase(b *testing.B) (path, bigID string) {
	dir := os.Getenv(benchDBEnv)
	if dir == "" {
		dir = b.TempDir()
	}
	path = filepath.Join(dir, "bench.db")
	if _, err := os.Stat(path); err != nil {
		start := time.Now()
		if err := buildBenchDatabase(path); err != nil {
			b.Fatalf("build benchmark database: %v", err)
		}
		st, _ := os.Stat(path)
		fmt.Printf("built %d conversations, %d messages in %v (%d MB)\n",
			benchConversations, benchMessages, time.Since(start).Round(time.Second), st.Size()>>20)
	}
	migrateBenchDatabase(b, path)
	return path, benchConversationID(0)
}

// migrateBenchDatabase upgrades a database built by an older schema, so the
// Open benchmark does not time the migration, and reports how long it took
// and how the file grew.
func migrateBenchDatabase(b *testing.B, path string) {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		b.Fatal(err)
	}
	var version int
	err = db.QueryRow(`PRAGMA user_version`).Scan(&version)
	db.Close()
	if err != nil {
		b.Fatal(err)
	}
	if version == len(migrations) {
		return
	}
	before, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	s, err := Open(context.Background(), path)
	if err != nil {
		b.Fatalf("migrate: %v", err)
	}
	opened := time.Since(start)
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	after, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	fmt.Printf("migrated from v%d to v%d in %v, backup included (%d MB -> %d MB)\n",
		version, len(migrations), opened.Round(time.Second), before.Size()>>20, after.Size()>>20)
}

func benchConversationID(i int) string { return fmt.Sprintf("bench-%05d", i) }

// buildBenchDatabase fills a new store in one transaction with prepared
// statements; the full-text triggers run as they do in the app.
func buildBenchDatabase(path string) error {
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		return err
	}
	defer s.Close()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	gen := newCorpus()
	if err := gen.fill(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}
