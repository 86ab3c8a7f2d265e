package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestWrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "f.json")
	if err := Write(OS(), path, []byte("one"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Write(OS(), path, []byte("two"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	st, _ := os.Stat(path)
	if string(got) != "two" || st.Mode().Perm() != 0o600 {
		t.Errorf("got %q mode %v; want \"two\" 0600", got, st.Mode().Perm())
	}
	onlyFile(t, dir, "f.json")
}

// TestWriteFailures checks that a failure before the rename leaves the
// old file whole and no temporary file, and that a failed folder sync is
// told apart (the file is written).
func TestWriteFailures(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		hook    func(*Ops)
		want    error
		written bool
	}{
		{"create refused", func(o *Ops) {
			o.Create = func(name string, _ os.FileMode) (*os.File, error) {
				return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EROFS}
			}
		}, syscall.EROFS, false},
		{"disk full mid-write", func(o *Ops) {
			o.Write = func(f *os.File, b []byte) (int, error) {
				n, _ := f.Write(b[:len(b)/2])
				return n, &fs.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
			}
		}, syscall.ENOSPC, false},
		{"rename refused", func(o *Ops) {
			o.Rename = func(oldpath, newpath string) error {
				return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: syscall.EACCES}
			}
		}, syscall.EACCES, false},
		{"folder not flushed", func(o *Ops) {
			o.SyncDir = func(string) error { return syscall.EIO }
		}, ErrNotFlushed, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "f.json")
			os.WriteFile(path, []byte("old"), 0o600)
			ops := OS()
			tc.hook(&ops)
			err := Write(ops, path, []byte("new content"), 0o600)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v; want %v", err, tc.want)
			}
			want := "old"
			if tc.written {
				want = "new content"
			}
			if got, _ := os.ReadFile(path); string(got) != want {
				t.Errorf("file = %q; want %q", got, want)
			}
			onlyFile(t, dir, "f.json")
		})
	}
}

func onlyFile(t *testing.T, dir, name string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != name {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("folder holds %v; want only %s", names, name)
	}
}
