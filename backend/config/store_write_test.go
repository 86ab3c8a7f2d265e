package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"thinkcloud/backend/internal/atomicfile"
)

// TestSaveFailureKeepsOldFile simulates a read-only directory and a full
// disk through the Store's filesystem hooks. The tests run as root, where
// chmod 0500 does not stop writes and mounting a read-only filesystem needs
// extra privileges, so the failing call is injected; everything else (the
// old file, the temporary file, the cleanup) is real.
func TestSaveFailureKeepsOldFile(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		hook func(*atomicfile.Ops)
		want string
	}{
		{"read-only directory", func(o *atomicfile.Ops) {
			o.Create = func(name string, _ os.FileMode) (*os.File, error) {
				return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EROFS}
			}
		}, "read-only file system"},
		{"disk full mid-write", func(o *atomicfile.Ops) {
			o.Write = func(f *os.File, b []byte) (int, error) {
				n, _ := f.Write(b[:len(b)/2])
				return n, &fs.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
			}
		}, "no space left on device"},
		{"rename refused", func(o *atomicfile.Ops) {
			o.Rename = func(oldpath, newpath string) error {
				return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: syscall.EACCES}
			}
		}, "permission denied"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newTestStore(t)
			const old = `{"version":1,"theme":"light"}`
			writeFile(t, s.Path(), old)
			tc.hook(&s.ops)
			err := s.Save(fullSettings())
			if err == nil || !strings.HasPrefix(err.Error(), "save settings: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Save: got %v; want save settings error containing %q", err, tc.want)
			}
			if got, _ := os.ReadFile(s.Path()); string(got) != old {
				t.Errorf("settings file = %q; want the old %q", got, old)
			}
			assertOnlyFile(t, filepath.Dir(s.Path()), "settings.json")
		})
	}
}

// TestSaveIntoRegularFileParent makes a real filesystem call fail: the
// settings directory's path is a regular file, which stops root too.
func TestSaveIntoRegularFileParent(t *testing.T) {
	t.Parallel()
	parent := filepath.Join(t.TempDir(), "thinkcloud")
	writeFile(t, parent, "not a directory")
	err := NewStore(filepath.Join(parent, "settings.json")).Save(Defaults())
	if err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("Save: got %v; want a 'not a directory' error", err)
	}
}

func assertOnlyFile(t *testing.T, dir, name string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{name}) {
		t.Errorf("directory holds %q; want only %q", names, name)
	}
}

// TestConcurrentSaves saves from many goroutines through two Stores on the
// same path (like two app instances) while readers check every byte
// snapshot of the file parses and validates.
func TestConcurrentSaves(t *testing.T) {
	t.Parallel()
	a := newTestStore(t)
	b := NewStore(a.Path())
	if err := a.Save(Defaults()); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var readers, writers sync.WaitGroup
	for range 2 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				data, err := os.ReadFile(a.Path())
				if err != nil {
					t.Errorf("read during saves: %v", err)
					return
				}
				if _, err := decode(data); err != nil {
					t.Errorf("torn or invalid file during saves: %v", err)
					return
				}
			}
		})
	}
	for i := range 16 {
		s := []*Store{a, b}[i%2]
		writers.Go(func() {
			for j := range 10 {
				st := fullSettings()
				st.Endpoint.Port = 10000 + i*100 + j
				if err := s.Save(st); err != nil {
					t.Errorf("Save: %v", err)
				}
			}
		})
	}
	writers.Wait()
	close(stop)
	readers.Wait()
	st, notice, err := a.Load()
	if err != nil || notice != nil || st.Endpoint.Port < 10000 || st.Endpoint.Port >= 11600 {
		t.Errorf("final Load = port %d, %v, %v; want a port one writer saved", st.Endpoint.Port, notice, err)
	}
	assertOnlyFile(t, filepath.Dir(a.Path()), "settings.json")
}

func TestUpdateIsAtomic(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, _, err := s.Update(func(st *Settings) error {
				st.Endpoint.RateLimitPerMinute++
				return nil
			}); err != nil {
				t.Errorf("Update: %v", err)
			}
		})
	}
	wg.Wait()
	st, _, err := s.Load()
	if err != nil || st.Endpoint.RateLimitPerMinute != 20 {
		t.Errorf("after 20 increments: %d, %v; want 20, nil", st.Endpoint.RateLimitPerMinute, err)
	}
}

func TestUpdateErrorSavesNothing(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	boom := errors.New("boom")
	_, _, err := s.Update(func(st *Settings) error {
		st.Theme = ThemeDark
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("Update: got %v; want boom", err)
	}
	if _, err := os.Stat(s.Path()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("file written despite error: %v", err)
	}
	_, _, err = s.Update(func(st *Settings) error {
		st.Endpoint.Port = -1
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "endpoint.port") {
		t.Errorf("Update to invalid: got %v; want endpoint.port error", err)
	}
	if _, err := os.Stat(s.Path()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("invalid settings written: %v", err)
	}
	st, _, err := s.Update(func(st *Settings) error { st.Theme = ThemeLight; return nil })
	if err != nil || st.Theme != ThemeLight || st.Version != CurrentVersion {
		t.Errorf("Update = %+v, %v; want light theme at version %d", st, err, CurrentVersion)
	}
	if got := fmt.Sprint(readJSON(t, s.Path())["theme"]); got != ThemeLight {
		t.Errorf("saved theme %q; want light", got)
	}
}
