package usage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // Registers the pure-Go "sqlite" driver.
)

// Options tune a Log. Zero values take the documented defaults.
type Options struct {
	// Retention is how long rows are kept; zero means 90 days.
	Retention time.Duration
	// MaxBytes caps the rows' size on disk; the oldest go first; zero
	// means 512 MiB.
	MaxBytes int64
	// Queue is how many records may wait for the writer; beyond it they
	// are dropped and counted. Zero means 8192.
	Queue int
	// Now is the clock for pruning; nil means time.Now.
	Now func() time.Time
}

// Health is how the log is doing, for diagnostics.
type Health struct {
	// Written counts rows stored since the log opened.
	Written int64 `json:"written"`
	// Dropped counts records lost because the queue was full; Failed,
	// records lost because the database refused them (a full disk).
	Dropped int64 `json:"dropped"`
	Failed  int64 `json:"failed"`
	// Behind is true when the last write failed or records were dropped
	// since the last successful write: the log is missing requests.
	Behind bool `json:"behind"`
	// LastError is the last write's failure, "" after a success.
	LastError string `json:"lastError,omitempty"`
}

// Log is an open request log. Add never blocks; Close flushes.
type Log struct {
	db    *sql.DB
	opts  Options
	queue chan item
	// w is the writer goroutine's own connection (insert.go).
	w *writer
	// kick cuts the writer's linger short (Flush, Close).
	kick chan struct{}
	done chan struct{}

	closeOnce sync.Once
	written   atomic.Int64
	dropped   atomic.Int64
	failed    atomic.Int64
	behind    atomic.Bool
	mu        sync.Mutex
	lastErr   string
	lastPrune time.Time
	// retention and maxBytes are the limits now (SetLimits).
	retention atomic.Int64
	maxBytes  atomic.Int64
	pruneMu   sync.Mutex
}

// item is a record to write, or (with flushed set) a marker the writer
// closes once every record queued before it is written.
type item struct {
	r       Record
	flushed chan struct{}
}

const batchMax = 512

// Open opens or creates the log at path and starts its writer.
func Open(path string, opts Options) (*Log, error) {
	if opts.Retention <= 0 {
		opts.Retention = 90 * 24 * time.Hour
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = 512 << 20
	}
	if opts.Queue <= 0 {
		opts.Queue = 8192
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open request log: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("open request log: %w", err)
	}
	db, err := sql.Open("sqlite", dsn(abs))
	if err != nil {
		return nil, fmt.Errorf("open request log: %w", err)
	}
	db.SetMaxOpenConns(4)
	if _, err := db.Exec(schema + rollupSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("open request log %s: %w", abs, err)
	}
	if err := migrate(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open request log %s: summing its rows: %w", abs, err)
	}
	w, err := openWriter(abs)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open request log %s: %w", abs, err)
	}
	l := &Log{db: db, w: w, opts: opts, queue: make(chan item, opts.Queue), kick: make(chan struct{}, 1), done: make(chan struct{})}
	l.SetLimits(opts.Retention, opts.MaxBytes)
	go l.write()
	return l, nil
}

const schema = `
CREATE TABLE IF NOT EXISTS requests (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,           -- unix milliseconds
	door TEXT NOT NULL,
	token_id TEXT NOT NULL DEFAULT '',
	token TEXT NOT NULL,
	client TEXT NOT NULL DEFAULT '',
	provider TEXT NOT NULL DEFAULT '',
	model_asked TEXT NOT NULL DEFAULT '',
	model TEXT NOT NULL DEFAULT '',
	status INTEGER NOT NULL,
	error_kind TEXT NOT NULL DEFAULT '',
	retries INTEGER NOT NULL DEFAULT 0,
	fallbacks INTEGER NOT NULL DEFAULT 0,
	latency_us INTEGER NOT NULL DEFAULT 0,
	ttft_us INTEGER NOT NULL DEFAULT 0,
	tokens_in INTEGER NOT NULL DEFAULT 0,
	tokens_out INTEGER NOT NULL DEFAULT 0,
	tokens_reasoning INTEGER NOT NULL DEFAULT 0,
	tokens_cached INTEGER NOT NULL DEFAULT 0,
	cost REAL NOT NULL DEFAULT 0,     -- in currency, the main one
	currency TEXT NOT NULL DEFAULT '',
	costs TEXT NOT NULL DEFAULT '',   -- JSON, every currency; '' when cost and currency say it all
	estimated INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS requests_at ON requests(at);
CREATE INDEX IF NOT EXISTS requests_token_at ON requests(token_id, at);
`

func dsn(abs string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)") // a lost last batch on power loss is acceptable for a log
	q.Set("_txlock", "immediate")
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}).String()
}

// Add queues r for writing. It never blocks: when the writer is this far
// behind, r is dropped and counted.
func (l *Log) Add(r Record) {
	if l == nil {
		return
	}
	select {
	case l.queue <- item{r: r}:
	default:
		l.dropped.Add(1)
		l.behind.Store(true)
	}
}

// Flush waits until every record added before it was written (or failed).
func (l *Log) Flush(ctx context.Context) error {
	done := make(chan struct{})
	select {
	case l.queue <- item{flushed: done}:
		l.wake()
	case <-ctx.Done():
		return ctx.Err()
	case <-l.done:
		return nil
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close writes what is queued and closes the database.
func (l *Log) Close() error {
	l.closeOnce.Do(func() { close(l.queue) })
	l.wake()
	<-l.done
	return errors.Join(l.w.c.close(), l.db.Close())
}

// wake ends the writer's linger now.
func (l *Log) wake() {
	select {
	case l.kick <- struct{}{}:
	default:
	}
}

// Health reports on the writer.
func (l *Log) Health() Health {
	l.mu.Lock()
	defer l.mu.Unlock()
	return Health{Written: l.written.Load(), Dropped: l.dropped.Load(), Failed: l.failed.Load(), Behind: l.behind.Load(), LastError: l.lastErr}
}

// write is the writer goroutine. Woken by the first record after a
// quiet spell, it sleeps for linger (or until a Flush or Close kicks it),
// then takes everything queued and stores it in transactions of up to
// batchMax rows: a commit per request would cost every request a share
// of an fsync and of a core the requests themselves need. It does not
// wait on the queue while it gathers, so a record added meanwhile wakes
// no goroutine: a busy endpoint pays a channel send per request and one
// wake-up per linger, not one per request.
func (l *Log) write() {
	defer close(l.done)
	batch := make([]Record, 0, batchMax)
	var marks []chan struct{}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for it := range l.queue {
		batch, marks = add(batch[:0], marks[:0], it)
		if len(marks) == 0 {
			timer.Reset(linger)
			select {
			case <-timer.C:
			case <-l.kick:
				timer.Stop()
			}
		}
		open := true
		for n := len(l.queue); n > 0 && open; n-- {
			if it, open = <-l.queue; open {
				batch, marks = add(batch, marks, it)
			}
			if len(batch) == batchMax {
				l.store(batch)
				batch = batch[:0]
			}
		}
		if len(batch) > 0 {
			l.store(batch)
		}
		l.maybePrune()
		for _, m := range marks {
			close(m)
		}
		if !open {
			return
		}
	}
}

// linger is how long the writer gathers records before a commit.
const linger = 250 * time.Millisecond

func add(batch []Record, marks []chan struct{}, it item) ([]Record, []chan struct{}) {
	if it.flushed != nil {
		return batch, append(marks, it.flushed)
	}
	return append(batch, it.r), marks
}

func (l *Log) store(batch []Record) {
	err := l.w.insert(batch)
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		l.failed.Add(int64(len(batch)))
		l.behind.Store(true)
		l.lastErr = err.Error()
		return
	}
	l.written.Add(int64(len(batch)))
	l.lastErr = ""
	l.behind.Store(false)
}

// maybePrune prunes at most once an hour, from the writer.
func (l *Log) maybePrune() {
	now := l.opts.Now()
	if now.Sub(l.lastPrune) < time.Hour {
		return
	}
	l.lastPrune = now
	if _, err := l.Prune(context.Background()); err != nil {
		l.mu.Lock()
		l.lastErr = err.Error()
		l.mu.Unlock()
	}
}

// SetLimits changes the retention and the size cap while the log runs
// (settings applied at once); zero keeps a limit as it is. Prune applies
// them to the rows already kept.
func (l *Log) SetLimits(retention time.Duration, maxBytes int64) {
	if retention > 0 {
		l.retention.Store(int64(retention))
	}
	if maxBytes > 0 {
		l.maxBytes.Store(maxBytes)
	}
}

// Prune deletes rows older than the retention, then the oldest rows while
// the rows take more than MaxBytes. It returns how many rows went.
func (l *Log) Prune(ctx context.Context) (int64, error) {
	l.pruneMu.Lock()
	defer l.pruneMu.Unlock()
	cut := l.opts.Now().Add(-time.Duration(l.retention.Load())).UnixMilli()
	n, err := l.drop(ctx, `DELETE FROM requests WHERE at < ?`, cut)
	for err == nil {
		used, err := l.usedBytes(ctx)
		if err != nil || used <= l.maxBytes.Load() {
			return n, err
		}
		var rows int64
		if err := l.db.QueryRowContext(ctx, `SELECT count(*) FROM requests`).Scan(&rows); err != nil || rows == 0 {
			return n, err
		}
		// Drop a tenth of the rows (at least one), oldest first.
		k, err := l.drop(ctx, `DELETE FROM requests WHERE id IN (SELECT id FROM requests ORDER BY at LIMIT ?)`, max(rows/10, 1))
		if err != nil {
			return n, err
		}
		n += k
	}
	return n, err
}

// drop deletes rows, then rebuilds the rollup of the day it cut into.
func (l *Log) drop(ctx context.Context, q string, arg int64) (int64, error) {
	res, err := l.db.ExecContext(ctx, q, arg)
	if err != nil {
		return 0, fmt.Errorf("prune request log: %w", err)
	}
	n, _ := res.RowsAffected()
	if n > 0 {
		if err := l.rebuild(ctx); err != nil {
			return n, fmt.Errorf("prune request log: %w", err)
		}
	}
	return n, nil
}

// usedBytes is the size of the pages in use (freed pages are reused).
func (l *Log) usedBytes(ctx context.Context) (int64, error) {
	var pages, free, size int64
	if err := l.db.QueryRowContext(ctx, `SELECT (SELECT page_count FROM pragma_page_count), (SELECT freelist_count FROM pragma_freelist_count), (SELECT page_size FROM pragma_page_size)`).Scan(&pages, &free, &size); err != nil {
		return 0, fmt.Errorf("measure request log: %w", err)
	}
	return (pages - free) * size, nil
}
