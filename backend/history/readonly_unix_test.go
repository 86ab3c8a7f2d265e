//go:build unix

package history

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"thinkcloud/backend/internal/asnobody"
)

// readOnlyEnv tells a re-executed test binary which database to try.
const readOnlyEnv = "HISTORY_TEST_READONLY_DB"

// TestReadOnlyStorage makes the database file, or its directory, really
// read-only and checks that Open fails with ErrReadOnly naming the file and
// that the rows saved earlier are intact once permissions are restored.
func TestReadOnlyStorage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		dirMode, dbMod os.FileMode
	}{
		{"read-only file", 0o777, 0o444},
		{"read-only directory", 0o555, 0o666},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "history.db")
			convID := seedAndClose(t, path)
			chmod(t, dir, tt.dirMode)
			chmod(t, path, tt.dbMod)
			t.Cleanup(func() { restoreModes(t, dir) })
			if os.Geteuid() == 0 {
				runReadOnlyCheckAsNobody(t, path)
			} else {
				checkOpenReadOnly(t, path)
			}
			restoreModes(t, dir)
			s, err := Open(context.Background(), path)
			if err != nil {
				t.Fatalf("Open after restoring permissions: %v", err)
			}
			defer s.Close()
			checkIntegrity(t, s)
			if _, msgs, err := s.GetConversation(context.Background(), convID); err != nil ||
				len(msgs) != 1 || msgs[0].Content != "written while writable" {
				t.Errorf("after the read-only episode: messages %+v, %v; want the saved one", msgs, err)
			}
		})
	}
}

func init() { childProcs[readOnlyEnv] = readOnlyChild }

// readOnlyChild is the child half of TestReadOnlyStorage when the tests
// run as root, run by TestMain as an unprivileged user for whom the
// permissions apply.
func readOnlyChild(path string) error {
	if err := openReadOnlyError(path); err != nil {
		return err
	}
	os.Stdout.WriteString("read-only check passed\n")
	return nil
}

// openReadOnlyError returns nil when Open refuses path with ErrReadOnly
// naming it, and what went wrong otherwise.
func openReadOnlyError(path string) error {
	s, err := Open(context.Background(), path)
	if err == nil {
		s.Close()
		return fmt.Errorf("Open(%s) succeeded on read-only storage", path)
	}
	if !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), path) {
		return fmt.Errorf("Open error = %v; want ErrReadOnly naming %s", err, path)
	}
	return nil
}

func checkOpenReadOnly(t *testing.T, path string) {
	t.Helper()
	if err := openReadOnlyError(path); err != nil {
		t.Fatal(err)
	}
}

func runReadOnlyCheckAsNobody(t *testing.T, path string) {
	t.Helper()
	// The database's own directory has the mode under test; its private
	// parent (t.TempDir) must let the unprivileged user through.
	asnobody.Run(t, readOnlyEnv+"="+path, "read-only check passed", filepath.Dir(filepath.Dir(path)))
}

// seedAndClose saves one conversation with one message and closes the file.
func seedAndClose(t *testing.T, path string) string {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	c := mustConversation(t, s, Conversation{Title: "kept"})
	mustMessage(t, s, c.ID, RoleUser, "written while writable")
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return c.ID
}

func chmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// restoreModes makes dir and every file in it writable again, including the
// -wal and -shm files a refused open may leave with the read-only mode.
func restoreModes(t *testing.T, dir string) {
	t.Helper()
	chmod(t, dir, 0o700)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		chmod(t, filepath.Join(dir, e.Name()), 0o600)
	}
}
