package history

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"
	_ "modernc.org/sqlite" // Registers the pure-Go "sqlite" driver.
)

// maxConns bounds the connection pool. WAL lets readers run beside the one
// writer, and every connection carries its own page cache, so a few are
// enough for a desktop window.
const maxConns = 4

// Store is an open chat-history database. It is safe for concurrent use; the
// Wails bindings call it from many goroutines.
type Store struct {
	db   *sql.DB
	path string
	// writeSlot serializes this process's write transactions so they queue
	// in Go instead of polling SQLite's busy handler; busy_timeout still
	// covers writers in other processes.
	writeSlot chan struct{}
	upgrading func(from, to int) // see OpenNotify; nil when nobody asked
}

// Open opens or creates the history database at path, creating its directory
// if needed, upgrades the schema (after taking a backup copy of an existing
// file), and marks answers left "streaming" by a crash as "interrupted".
func Open(ctx context.Context, path string) (*Store, error) {
	return OpenNotify(ctx, path, nil)
}

// OpenNotify is Open that first calls upgrading(from, to) when it is about
// to upgrade an existing database from schema version from to to: a backup
// copy and the migrations, which take seconds to minutes on a very large
// history, so a window can say why it waits.
func OpenNotify(ctx context.Context, path string, upgrading func(from, to int)) (*Store, error) {
	s, err := open(ctx, path, upgrading)
	if err != nil {
		return nil, wrap("open history "+path, openError(path, err))
	}
	return s, nil
}

func open(ctx context.Context, path string, upgrading func(from, to int)) (*Store, error) {
	if path == "" {
		return nil, invalid("empty database path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(abs))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	s := &Store{db: db, path: abs, writeSlot: make(chan struct{}, 1), upgrading: upgrading}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.recoverStreaming(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// What was deleted in the last run is past its undo.
	if err := s.Purge(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// dsn builds a file: URI so that any character in the path is escaped and
// the connection settings below apply to every pooled connection.
func dsn(abs string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "secure_delete(1)")
	q.Set("_txlock", "immediate")
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows: file:///C:/...
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}
	return u.String()
}

// Close lets SQLite refresh its query-planner statistics and closes the
// database; the last connection to close checkpoints and removes the WAL.
func (s *Store) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	// optimize is advisory, and a read-only database rejects it.
	_, _ = s.db.ExecContext(ctx, "PRAGMA optimize")
	if err := s.db.Close(); err != nil {
		return wrap("close history", err)
	}
	return nil
}

// recoverStreaming marks answers whose writer died as interrupted, keeping the
// text they had. A partial index makes this instant on a large database.
func (s *Store) recoverStreaming(ctx context.Context) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx,
			`UPDATE messages SET status = ?, content = draft, draft = '', updated_at = ? WHERE status = ?`,
			StatusInterrupted, time.Now().UnixMilli(), StatusStreaming)
		return err
	})
}

// write runs fn in an immediate transaction, holding the in-process write
// slot, and commits if fn succeeds. Any failure rolls everything back.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	select {
	case s.writeSlot <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.writeSlot }()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// newID returns a time-ordered UUID (version 7), which keeps the id indexes
// append-mostly.
func newID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("generate id: %w", err)
	}
	return id.String(), nil
}
