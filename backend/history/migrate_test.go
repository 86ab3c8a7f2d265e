package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// rawExec runs statements on path with a plain connection, bypassing Store,
// to build databases in states Open must cope with.
func rawExec(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatalf("sql.Open: %v", err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("exec %.60q: %v", q, err)
		}
	}
}

// rawInt returns the single integer a query on path yields.
func rawInt(t *testing.T, path, query string) int {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatalf("sql.Open: %v", err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func backups(t *testing.T, path string) []string {
	t.Helper()
	matches, err := filepath.Glob(path + ".bak-*")
	if err != nil {
		t.Fatalf("Glob: %v", err)
	}
	return matches
}

// closeUpgraded closes s, opened on the database at path that was at
// version from, checks that the file is now at the latest version, and
// returns the one backup Open took before upgrading it.
func closeUpgraded(t *testing.T, s *Store, path string, from int) []string {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if v := rawInt(t, path, `PRAGMA user_version`); v != len(migrations) {
		t.Errorf("user_version = %d; want %d", v, len(migrations))
	}
	b := backups(t, path)
	if len(b) != 1 || !regexp.MustCompile(fmt.Sprintf(`\.bak-v%d-\d{10}$`, from)).MatchString(b[0]) {
		t.Fatalf("backups = %v; want one <db>.bak-v%d-<unixtime>", b, from)
	}
	return b
}

func TestOpenEmptyFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "sub", "dir", "history.db")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open(empty file): %v", err)
	}
	checkIntegrity(t, s)
	var mode string
	if err := s.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q (%v); want wal", mode, err)
	}
	var fk int
	if err := s.db.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d (%v); want 1", fk, err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if v := rawInt(t, path, `PRAGMA user_version`); v != len(migrations) {
		t.Errorf("user_version = %d; want %d", v, len(migrations))
	}
	if b := backups(t, path); len(b) != 0 {
		t.Errorf("backups of a new database = %v; want none", b)
	}
}

func TestOpenCreatesDirectory(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "thinkcloud", "thinkcloud.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database file: %v", err)
	}
}

// TestMigrateFromV1 builds the schema of version 1 (before full-text search)
// by hand and checks that Open backs it up, upgrades it, and indexes the
// messages that were already there.
func TestMigrateFromV1(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "history.db")
	rawExec(t, path, migrations[0], `PRAGMA user_version = 1`,
		`INSERT INTO conversations (id, created_at, updated_at, title) VALUES ('c1', 1, 1, 'Old chat')`,
		`INSERT INTO messages (id, conversation_id, position, role, created_at, updated_at, content)
			VALUES ('m1', 'c1', 1, 'user', 1, 1, 'legacy quokka question')`)

	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open(v1): %v", err)
	}
	checkIntegrity(t, s)
	hits, err := s.Search(context.Background(), "quokka", 10)
	if err != nil || len(hits) != 1 || hits[0].MessageID != "m1" || hits[0].ConversationTitle != "Old chat" {
		t.Errorf("Search after migration = %+v, %v; want the v1 message", hits, err)
	}
	b := closeUpgraded(t, s, path, 1)
	if v := rawInt(t, b[0], `PRAGMA user_version`); v != 1 {
		t.Errorf("backup user_version = %d; want 1", v)
	}
	if n := rawInt(t, b[0], `SELECT count(*) FROM messages WHERE content LIKE '%quokka%'`); n != 1 {
		t.Errorf("backup holds %d copies of the message; want 1", n)
	}
}

func TestReopenIsIdempotent(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "history.db")
	ctx := context.Background()
	var convID string
	for i := range 3 {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("Open #%d: %v", i+1, err)
		}
		if i == 0 {
			convID = mustConversation(t, s, Conversation{Title: "kept"}).ID
			mustMessage(t, s, convID, RoleUser, "still here")
		}
		_, msgs, err := s.GetConversation(ctx, convID)
		if err != nil || len(msgs) != 1 || msgs[0].Content != "still here" {
			t.Errorf("open #%d: messages = %+v, %v; want the saved message", i+1, msgs, err)
		}
		checkIntegrity(t, s)
		if err := s.Close(); err != nil {
			t.Fatalf("Close #%d: %v", i+1, err)
		}
	}
	if b := backups(t, path); len(b) != 0 {
		t.Errorf("backups after reopening = %v; want none", b)
	}
}

func TestOpenRefusesUnknownDatabases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		stmts []string
		want  error
	}{
		{"newer schema", []string{`CREATE TABLE x (a)`, `PRAGMA user_version = 99`}, ErrSchemaTooNew},
		{"other application", []string{`PRAGMA application_id = 42`, `PRAGMA user_version = 1`}, ErrInvalid},
		{"unversioned tables", []string{`CREATE TABLE notes (body TEXT)`}, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "other.db")
			rawExec(t, path, tt.stmts...)
			before := rawInt(t, path, `PRAGMA user_version`)
			s, err := Open(context.Background(), path)
			if err == nil {
				s.Close()
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Open error = %v; want %v", err, tt.want)
			}
			if after := rawInt(t, path, `PRAGMA user_version`); after != before {
				t.Errorf("user_version changed from %d to %d", before, after)
			}
			if b := backups(t, path); len(b) != 0 {
				t.Errorf("backups = %v; want none for a refused file", b)
			}
		})
	}
}

func TestOpenRejectsEmptyPath(t *testing.T) {
	t.Parallel()
	if _, err := Open(context.Background(), ""); !errors.Is(err, ErrInvalid) {
		t.Errorf("Open(\"\") error = %v; want ErrInvalid", err)
	}
}

// TestMigrateFromV2 builds a version 2 database (trigram index only) by hand
// and checks that Open backs it up and fills the word index, so short terms
// find the messages that were already there, and that later writes keep both
// indexes in step.
func TestMigrateFromV2(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "history.db")
	rawExec(t, path, migrations[0], migrations[1], `PRAGMA user_version = 2`,
		`INSERT INTO conversations (id, created_at, updated_at, title) VALUES ('c1', 1, 1, 'Old chat')`,
		`INSERT INTO messages (id, conversation_id, position, role, created_at, updated_at, content)
			VALUES ('m1', 'c1', 1, 'user', 1, 1, '你好世界, golang question'),
			       ('m2', 'c1', 2, 'assistant', 2, 2, '模型 answer, long ago')`)

	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open(v2): %v", err)
	}
	checkIntegrity(t, s)
	for q, want := range map[string]string{"世界": "m1", "界": "m1", "go": "m1", "模型": "m2", "模型 answer": "m2", "question": "m1"} {
		hits, err := s.Search(ctx, q, 10)
		if err != nil || len(hits) != 1 || hits[0].MessageID != want {
			t.Errorf("Search(%q) after migration = %+v, %v; want %s", q, hits, err, want)
		}
	}
	if err := s.DeleteMessagesFrom(ctx, "c1", "m2"); err != nil {
		t.Fatalf("DeleteMessagesFrom: %v", err)
	}
	if hits, err := s.Search(ctx, "模型", 10); err != nil || len(hits) != 0 {
		t.Errorf("Search after deleting a migrated message = %v, %v; want none", hitIDs(hits), err)
	}
	checkIntegrity(t, s)
	b := closeUpgraded(t, s, path, 2)
	if n := rawInt(t, b[0], `SELECT count(*) FROM sqlite_schema WHERE name LIKE 'messages_words%'`); n != 0 {
		t.Errorf("backup has %d word index objects; want none", n)
	}
}

// TestMigrateFromV3 builds a version 3 database (trigram and word indexes)
// with the shipped migrations and checks that Open backs it up, fills the
// symbol index, so terms with punctuation or emoji find the messages that
// were already there, adds an empty error kind to old messages, and that
// later writes keep all three indexes in step.
func TestMigrateFromV3(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "history.db")
	rawExec(t, path, migrations[0], migrations[1], migrations[2], `PRAGMA user_version = 3`,
		`INSERT INTO conversations (id, created_at, updated_at, title) VALUES ('c1', 1, 1, 'Old chat')`,
		`INSERT INTO messages (id, conversation_id, position, role, status, created_at, updated_at, error, content)
			VALUES ('m1', 'c1', 1, 'user', 'complete', 1, 1, '', 'copy C:\boot.ini, 100% sure 👍🏽'),
			       ('m2', 'c1', 2, 'assistant', 'error', 2, 2, '401 Unauthorized', '世界：a->b 🚀')`)

	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open(v3): %v", err)
	}
	checkIntegrity(t, s)
	for _, tt := range []struct{ query, want string }{
		{"C:", "m1"}, {"%", "m1"}, {"👍🏽", "m1"}, {"🏽", "m1"}, {"C: copy", "m1"}, {"boot", "m1"},
		{"->", "m2"}, {"🚀", "m2"}, {"界：", "m2"}, {"世界 ：", "m2"},
	} {
		hits, err := s.Search(ctx, tt.query, 10)
		if err != nil || !slices.Equal(hitIDs(hits), []string{tt.want}) {
			t.Errorf("Search(%q) after migration = %v, %v; want [%s]", tt.query, hitIDs(hits), err, tt.want)
		}
	}
	_, msgs, err := s.GetConversation(ctx, "c1")
	if err != nil || len(msgs) != 2 || msgs[1].Error != "401 Unauthorized" || msgs[1].ErrorKind != "" {
		t.Fatalf("GetConversation after migration = %+v, %v; want the error text and no kind", msgs, err)
	}
	m3 := mustMessage(t, s, "c1", RoleUser, "new 🚀 launch")
	if hits, err := s.Search(ctx, "🚀", 10); err != nil || !slices.Equal(hitIDs(hits), []string{"m2", m3.ID}) {
		t.Errorf("Search(🚀) after adding a message = %v, %v; want [m2 %s]", hitIDs(hits), err, m3.ID)
	}
	if err := s.DeleteMessagesFrom(ctx, "c1", "m2"); err != nil {
		t.Fatalf("DeleteMessagesFrom: %v", err)
	}
	if hits, err := s.Search(ctx, "🚀", 10); err != nil || len(hits) != 0 {
		t.Errorf("Search after deleting migrated and new messages = %v, %v; want none", hitIDs(hits), err)
	}
	checkIntegrity(t, s)
	b := closeUpgraded(t, s, path, 3)
	if v := rawInt(t, b[0], `PRAGMA user_version`); v != 3 {
		t.Errorf("backup user_version = %d; want 3", v)
	}
	if n := rawInt(t, b[0], `SELECT count(*) FROM sqlite_schema WHERE name LIKE 'messages_symbols%'`); n != 0 {
		t.Errorf("backup has %d symbol index objects; want none", n)
	}
	if n := rawInt(t, b[0], `SELECT count(*) FROM messages`); n != 2 {
		t.Errorf("backup holds %d messages; want 2", n)
	}
}

// OpenNotify says when it is about to upgrade an existing database, and
// only then: not for a new file, not for one already current.
func TestOpenNotifyReportsUpgrade(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	type call struct{ from, to int }
	var calls []call
	note := func(from, to int) { calls = append(calls, call{from, to}) }

	fresh := filepath.Join(dir, "fresh.db")
	s, err := OpenNotify(ctx, fresh, note)
	if err != nil {
		t.Fatalf("OpenNotify(new file): %v", err)
	}
	s.Close()
	s, err = OpenNotify(ctx, fresh, note)
	if err != nil {
		t.Fatalf("OpenNotify(current file): %v", err)
	}
	s.Close()
	if len(calls) != 0 {
		t.Fatalf("upgrading called %v for a new and a current file; want never", calls)
	}

	old := filepath.Join(dir, "old.db")
	rawExec(t, old, migrations[0], migrations[1], migrations[2], `PRAGMA user_version = 3`)
	s, err = OpenNotify(ctx, old, note)
	if err != nil {
		t.Fatalf("OpenNotify(v3): %v", err)
	}
	s.Close()
	if want := []call{{3, len(migrations)}}; !slices.Equal(calls, want) {
		t.Fatalf("upgrading calls = %v; want %v", calls, want)
	}
}

// v5 moves the text of an answer a crash left streaming into draft; Open
// then settles it as interrupted with that text, indexed once.
func TestMigrateFromV4(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "history.db")
	rawExec(t, path, migrations[0], migrations[1], migrations[2], migrations[3], `PRAGMA user_version = 4`,
		`INSERT INTO conversations (id, created_at, updated_at, title) VALUES ('c1', 1, 1, 'Old chat')`,
		`INSERT INTO messages (id, conversation_id, position, role, status, created_at, updated_at, error, content)
			VALUES ('m1', 'c1', 1, 'user', 'complete', 1, 1, '', 'tell me about zeppelins'),
			       ('m2', 'c1', 2, 'assistant', 'streaming', 2, 2, '', 'Zeppelins were rigid 飞艇 🚀')`)
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open(v4): %v", err)
	}
	defer s.Close()
	checkIntegrity(t, s)
	_, msgs, err := s.GetConversation(ctx, "c1")
	if err != nil || len(msgs) != 2 || msgs[1].Status != StatusInterrupted || msgs[1].Content != "Zeppelins were rigid 飞艇 🚀" {
		t.Fatalf("after migration: %+v, %v; want m2 interrupted with its text", msgs, err)
	}
	for _, tt := range []struct{ query, want string }{{"rigid", "m2"}, {"飞艇", "m2"}, {"🚀", "m2"}, {"zeppelin", "m1,m2"}} {
		hits, err := s.Search(ctx, tt.query, 10)
		if got := strings.Join(hitIDs(hits), ","); err != nil || got != tt.want {
			t.Errorf("Search(%q) = %s, %v; want %s", tt.query, got, err, tt.want)
		}
	}
}

// v6 makes every existing conversation one line of the tree (each message
// follows the one before it), with a backup of the v5 file taken first, and
// a regenerate on the migrated conversation then keeps what was there.
func TestMigrateFromV5ToTree(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "history.db")
	rawExec(t, path, migrations[0], migrations[1], migrations[2], migrations[3], migrations[4], `PRAGMA user_version = 5`,
		`INSERT INTO conversations (id, created_at, updated_at, title) VALUES ('c1', 1, 1, 'Old chat'), ('c2', 1, 1, 'Empty')`,
		`INSERT INTO messages (id, conversation_id, position, role, status, created_at, updated_at, error, content)
			VALUES ('m1', 'c1', 1, 'user', 'complete', 1, 1, '', 'first question'),
			       ('m2', 'c1', 2, 'assistant', 'complete', 2, 2, '', 'first answer'),
			       ('m3', 'c1', 3, 'user', 'complete', 3, 3, '', 'second question'),
			       ('m4', 'c1', 4, 'assistant', 'complete', 4, 4, '', 'second answer')`)
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open(v5): %v", err)
	}
	defer s.Close()
	checkIntegrity(t, s)
	b := backups(t, path)
	if len(b) != 1 {
		t.Fatalf("backups = %v; want one", b)
	}
	if v := rawInt(t, b[0], `PRAGMA user_version`); v != 5 {
		t.Errorf("backup user_version = %d; want 5", v)
	}
	if n := rawInt(t, b[0], `SELECT count(*) FROM messages`); n != 4 {
		t.Errorf("backup holds %d messages; want 4", n)
	}
	_, msgs, err := s.GetConversation(ctx, "c1")
	if err != nil || len(msgs) != 4 {
		t.Fatalf("after migration: %d messages, %v", len(msgs), err)
	}
	for i, want := range []string{"", "m1", "m2", "m3"} {
		if msgs[i].ParentID != want {
			t.Errorf("%s's parent = %q; want %q", msgs[i].ID, msgs[i].ParentID, want)
		}
	}
	if _, msgs, err := s.GetConversation(ctx, "c2"); err != nil || len(msgs) != 0 {
		t.Errorf("empty conversation after migration: %d messages, %v", len(msgs), err)
	}
	re := turnOf(t, s, "c1", TurnStart{VersionOf: "m2"}, "first answer again")
	wantPath(t, s, "c1", "first question", "first answer again")
	if err := s.SelectMessage(ctx, "c1", "m2"); err != nil {
		t.Fatal(err)
	}
	wantPath(t, s, "c1", "first question", "first answer", "second question", "second answer")
	if v := versionsOf(t, s, "c1", "m2"); !slices.Equal(v, []string{"m2", re.AssistantMessageID}) {
		t.Errorf("versions = %v", v)
	}
}
