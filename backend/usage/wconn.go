package usage

import (
	"errors"
	"fmt"
	"math"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// wconn is the writer's own SQLite connection, driven through the
// transpiled C API of modernc.org/sqlite (the same library database/sql
// uses for every other query) instead of through database/sql.
//
// Why: at saturation the writer's inserts took ~6 % of serve's CPU, and
// most of a row's cost was not SQLite storing it but reaching SQLite:
// database/sql converting 22 arguments, the driver asking each parameter's
// name and copying each string into C memory, and the connection mutex
// every call takes (the driver opens connections SQLITE_OPEN_FULLMUTEX).
// Here the connection is SQLITE_OPEN_NOMUTEX, used by the writer goroutine
// alone, and strings are copied into one arena per statement:
// BenchmarkInsert went from 6.3-6.5 to 2.7-2.8 µs a row (docs/BENCHMARKS.md).
//
// Not safe for concurrent use: only the writer goroutine (and Open and
// Close around it) may touch a wconn.
type wconn struct {
	tls *libc.TLS
	db  uintptr
	// out is C memory for out-parameters (sqlite3**, sqlite3_stmt**).
	out uintptr
	// arena holds the strings bound to the running statement: valid from
	// bind to reset, then reused.
	arena      uintptr
	arenaCap   int
	arenaUsed  int
	stmts      []*wstmt
	begin, end *wstmt
	rollback   *wstmt
}

// openW opens path (which exists: Open created it through database/sql)
// for the writer.
func openW(path string) (c *wconn, err error) {
	c = &wconn{tls: libc.NewTLS()}
	defer func() {
		if err != nil {
			c.close()
		}
	}()
	if c.out = libc.Xmalloc(c.tls, 8); c.out == 0 {
		return c, errors.New("out of memory")
	}
	name, err := libc.CString(path)
	if err != nil {
		return c, err
	}
	rc := sqlite3.Xsqlite3_open_v2(c.tls, name, c.out, sqlite3.SQLITE_OPEN_READWRITE|sqlite3.SQLITE_OPEN_NOMUTEX, 0)
	libc.Xfree(c.tls, name)
	c.db = libc.AtomicLoadPUintptr(c.out)
	if rc != sqlite3.SQLITE_OK {
		return c, c.fail(rc)
	}
	sqlite3.Xsqlite3_extended_result_codes(c.tls, c.db, 1)
	sqlite3.Xsqlite3_busy_timeout(c.tls, c.db, 5000)
	// A lost last batch on power loss is acceptable for a log (dsn).
	if err := c.exec("PRAGMA synchronous = NORMAL"); err != nil {
		return c, err
	}
	if c.begin, err = c.prepare("BEGIN IMMEDIATE"); err != nil {
		return c, err
	}
	if c.end, err = c.prepare("COMMIT"); err != nil {
		return c, err
	}
	if c.rollback, err = c.prepare("ROLLBACK"); err != nil {
		return c, err
	}
	return c, nil
}

// fail is rc as an error, with SQLite's message when the connection has one.
func (c *wconn) fail(rc int32) error {
	msg := ""
	if c.db != 0 {
		msg = libc.GoString(sqlite3.Xsqlite3_errmsg(c.tls, c.db))
	}
	if msg == "" {
		msg = libc.GoString(sqlite3.Xsqlite3_errstr(c.tls, rc))
	}
	return fmt.Errorf("%s (%d)", msg, rc)
}

// exec runs one statement once.
func (c *wconn) exec(q string) error {
	s, err := c.prepare(q)
	if err != nil {
		return err
	}
	defer s.close()
	_, err = s.step()
	s.reset()
	return err
}

// prepare compiles q; close the statement, or let the connection's close.
func (c *wconn) prepare(q string) (*wstmt, error) {
	cq, err := libc.CString(q)
	if err != nil {
		return nil, err
	}
	defer libc.Xfree(c.tls, cq)
	if rc := sqlite3.Xsqlite3_prepare_v2(c.tls, c.db, cq, -1, c.out, 0); rc != sqlite3.SQLITE_OK {
		return nil, fmt.Errorf("%s: %w", q, c.fail(rc))
	}
	s := &wstmt{c: c, p: libc.AtomicLoadPUintptr(c.out)}
	c.stmts = append(c.stmts, s)
	return s, nil
}

// tx runs f in a write transaction, rolled back when f fails.
func (c *wconn) tx(f func() error) error {
	if err := c.begin.run(); err != nil {
		return err
	}
	err := f()
	if err == nil {
		err = c.end.run()
	}
	if err != nil && sqlite3.Xsqlite3_get_autocommit(c.tls, c.db) == 0 {
		// SQLite may have rolled back already (a full disk can); when
		// not, the rows and the rollup go together or not at all.
		c.rollback.run()
	}
	return err
}

// reserve makes room for n bytes of bound strings. Call it with nothing
// bound: a bigger arena replaces the old one.
func (c *wconn) reserve(n int) error {
	c.arenaUsed = 0
	if n <= c.arenaCap {
		return nil
	}
	n = max(n, 2*c.arenaCap, 4096)
	p := libc.Xmalloc(c.tls, libc.Tsize_t(n))
	if p == 0 {
		return errors.New("out of memory")
	}
	if c.arena != 0 {
		libc.Xfree(c.tls, c.arena)
	}
	c.arena, c.arenaCap = p, n
	return nil
}

func (c *wconn) close() error {
	for _, s := range c.stmts {
		sqlite3.Xsqlite3_finalize(c.tls, s.p)
	}
	c.stmts = nil
	var err error
	if c.db != 0 {
		if rc := sqlite3.Xsqlite3_close_v2(c.tls, c.db); rc != sqlite3.SQLITE_OK {
			err = c.fail(rc)
		}
		c.db = 0
	}
	if c.arena != 0 {
		libc.Xfree(c.tls, c.arena)
		c.arena, c.arenaCap = 0, 0
	}
	if c.out != 0 {
		libc.Xfree(c.tls, c.out)
		c.out = 0
	}
	c.tls.Close()
	return err
}

// wstmt is a prepared statement of a wconn. Its binds fill parameters in
// order from the first; step runs it with what was bound, reset readies it
// for the next binds.
type wstmt struct {
	c    *wconn
	p    uintptr
	next int32 // the parameter the next bind fills, from 1
	err  error // the first failed bind, reported by step
}

func (s *wstmt) int(v int64) {
	s.next++
	s.check(sqlite3.Xsqlite3_bind_int64(s.c.tls, s.p, s.next, v))
}

func (s *wstmt) float(v float64) {
	s.next++
	s.check(sqlite3.Xsqlite3_bind_double(s.c.tls, s.p, s.next, v))
}

// text binds v from the arena when it fits there (reserve), else from a
// copy SQLite makes.
func (s *wstmt) text(v string) {
	s.next++
	s.check(s.bytes(v, sqlite3.Xsqlite3_bind_text))
}

func (s *wstmt) blob(v []byte) {
	s.next++
	s.check(s.bytes(string(v), sqlite3.Xsqlite3_bind_blob))
}

// bytes binds v with bind (sqlite3_bind_text or _blob). No pointer to Go
// memory ever reaches SQLite: v is copied into the arena, or into C memory
// freed once SQLite has made its own copy (SQLITE_TRANSIENT).
func (s *wstmt) bytes(v string, bind func(*libc.TLS, uintptr, int32, uintptr, int32, uintptr) int32) int32 {
	c := s.c
	if len(v) > math.MaxInt32 {
		return sqlite3.SQLITE_TOOBIG
	}
	if len(v) == 0 {
		// A non-null pointer: SQLite binds an empty value, not NULL.
		return bind(c.tls, s.p, s.next, c.out, 0, 0)
	}
	if c.arenaUsed+len(v) <= c.arenaCap {
		p := c.arena + uintptr(c.arenaUsed)
		copy(cmem(p, len(v)), v)
		c.arenaUsed += len(v)
		return bind(c.tls, s.p, s.next, p, int32(len(v)), 0)
	}
	p := libc.Xmalloc(c.tls, libc.Tsize_t(len(v)))
	if p == 0 {
		return sqlite3.SQLITE_NOMEM
	}
	defer libc.Xfree(c.tls, p)
	copy(cmem(p, len(v)), v)
	return bind(c.tls, s.p, s.next, p, int32(len(v)), sqliteTransient)
}

// sqliteTransient is SQLITE_TRANSIENT: SQLite copies the value before the
// bind returns.
const sqliteTransient = ^uintptr(0)

func (s *wstmt) check(rc int32) {
	if rc != sqlite3.SQLITE_OK && s.err == nil {
		s.err = s.c.fail(rc)
	}
}

// step runs the statement to its next row: true with a row to read.
func (s *wstmt) step() (bool, error) {
	if s.err != nil {
		return false, s.err
	}
	switch rc := sqlite3.Xsqlite3_step(s.c.tls, s.p); rc {
	case sqlite3.SQLITE_ROW:
		return true, nil
	case sqlite3.SQLITE_DONE:
		return false, nil
	default:
		return false, s.c.fail(rc)
	}
}

// run steps a statement that returns no rows, and resets it.
func (s *wstmt) run() error {
	_, err := s.step()
	s.reset()
	return err
}

func (s *wstmt) reset() {
	sqlite3.Xsqlite3_reset(s.c.tls, s.p)
	sqlite3.Xsqlite3_clear_bindings(s.c.tls, s.p)
	s.next, s.err = 0, nil
	s.c.arenaUsed = 0
}

func (s *wstmt) colInt(i int32) int64 { return sqlite3.Xsqlite3_column_int64(s.c.tls, s.p, i) }

func (s *wstmt) colFloat(i int32) float64 { return sqlite3.Xsqlite3_column_double(s.c.tls, s.p, i) }

// colBlob copies column i out of SQLite's memory.
func (s *wstmt) colBlob(i int32) []byte {
	p := sqlite3.Xsqlite3_column_blob(s.c.tls, s.p, i)
	n := sqlite3.Xsqlite3_column_bytes(s.c.tls, s.p, i)
	if p == 0 || n <= 0 {
		return nil
	}
	return append([]byte(nil), cmem(p, int(n))...)
}

func (s *wstmt) close() {
	for i, t := range s.c.stmts {
		if t == s {
			s.c.stmts = append(s.c.stmts[:i], s.c.stmts[i+1:]...)
			break
		}
	}
	sqlite3.Xsqlite3_finalize(s.c.tls, s.p)
}

// cmem is the n bytes of C memory at p as a slice. p comes from libc's
// allocator or from SQLite, never from Go's heap or a stack, so the
// conversion go vet cannot vouch for is sound.
func cmem(p uintptr, n int) []byte {
	return unsafe.Slice((*byte)(*(*unsafe.Pointer)(unsafe.Pointer(&p))), n)
}
