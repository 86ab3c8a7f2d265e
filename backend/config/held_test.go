package config

import (
	"os"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"thinkcloud/backend/internal/atomicfile"
)

// TestUnusableFileLeftAlone: a settings file that cannot be used and
// cannot be moved aside (a corrupt file in a read-only config directory,
// simulated through the rename hook because the tests run as root), or
// that cannot be read at all (a directory named settings.json), gives
// Defaults and a Notice rather than an error that stops the app, and the
// Store never writes over it afterwards, even once it could.
func TestUnusableFileLeftAlone(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		setup   func(t *testing.T, s *Store)
		problem string
	}{
		{"corrupt in a read-only directory", func(t *testing.T, s *Store) {
			writeFile(t, s.Path(), "{oops")
			s.ops.Rename = func(oldpath, newpath string) error {
				return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: syscall.EROFS}
			}
		}, "read-only file system"},
		{"a directory named settings.json", func(t *testing.T, s *Store) {
			if err := os.MkdirAll(s.Path(), 0o700); err != nil {
				t.Fatal(err)
			}
		}, "is a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newTestStore(t)
			tc.setup(t, s)
			before := snapshot(t, s.Path())
			st, notice, err := s.Load()
			if err != nil {
				t.Fatalf("Load error: %v; want defaults and a notice, so the app starts", err)
			}
			if !reflect.DeepEqual(st, Defaults()) || notice == nil {
				t.Fatalf("got %+v, notice %+v; want defaults and a notice", st, notice)
			}
			for _, part := range []string{s.Path(), tc.problem, "default settings", "left as it is"} {
				if !strings.Contains(notice.Message, part) {
					t.Errorf("notice %q lacks %q", notice.Message, part)
				}
			}
			if notice.MovedTo != "" {
				t.Errorf("notice says the file moved to %q; it was not moved", notice.MovedTo)
			}
			s.ops = atomicfile.OS() // writing would now succeed; it must still not happen
			if err := s.Save(fullSettings()); err == nil || !strings.Contains(err.Error(), "left as it is") {
				t.Errorf("Save: %v; want a refusal that says the file is left as it is", err)
			}
			if _, _, err := s.Update(func(*Settings) error { return nil }); err == nil {
				t.Error("Update succeeded; want the same refusal")
			}
			if after := snapshot(t, s.Path()); after != before {
				t.Errorf("the settings path changed from %q to %q", before, after)
			}
		})
	}
}

// snapshot describes what is at path: a directory or a file's content.
func snapshot(t *testing.T, path string) string {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.IsDir() {
		return "directory"
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return "file: " + string(b)
}
