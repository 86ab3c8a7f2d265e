package desktop

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"thinkcloud/backend/history"
)

// statusLog collects "history:status" events.
type statusLog struct {
	mu  sync.Mutex
	got []HistoryStatus
}

func (l *statusLog) emit(name string, payload any) {
	if st, ok := payload.(HistoryStatus); ok && name == "history:status" {
		l.mu.Lock()
		l.got = append(l.got, st)
		l.mu.Unlock()
	}
}

func (l *statusLog) states() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, st := range l.got {
		out = append(out, st.State)
	}
	return out
}

func waitReady(t *testing.T, h *HistoryHandle) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	h.Store(ctx)
	if ctx.Err() != nil {
		t.Fatal("the history did not finish opening within 20s")
	}
}

func TestOpenHistoryReady(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "thinkcloud.db")
	var log statusLog
	h := OpenHistory(context.Background(), path, log.emit, nil)
	defer h.Close()
	svc := NewHistoryService(context.Background(), h, nil)
	// The first call waits for the open instead of failing.
	if cs, err := svc.List(50, 0); err != nil || len(cs) != 0 {
		t.Fatalf("List on a new history = %v, %v; want empty, nil", cs, err)
	}
	if st := svc.Status(); st.State != HistoryReady || st.Path != path || st.Error != "" {
		t.Errorf("Status = %+v; want ready at %s", st, path)
	}
	if got := log.states(); len(got) != 1 || got[0] != HistoryReady {
		t.Errorf("events = %v; want [ready] (a new file needs no upgrade)", got)
	}
}

// A history that cannot be opened is an error the window can show, every
// history call returns it, and the file is left exactly as it was.
func TestOpenHistoryFailureKeepsTheFile(t *testing.T) {
	t.Parallel()
	newer := func(t *testing.T, path string) {
		st, err := history.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		st.Close()
		// A build from the future left it at a schema this one does not know.
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		// user_version is the 4-byte big-endian integer at offset 60.
		copy(raw[60:64], []byte{0, 0, 0, 99})
		if err := os.WriteFile(path, raw, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name  string
		make  func(t *testing.T, path string)
		isErr string
	}{
		{"not a database", func(t *testing.T, path string) {
			os.WriteFile(path, bytes.Repeat([]byte("garbage!"), 4096), 0o600)
		}, "not a database"},
		{"newer schema", newer, "v99"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "thinkcloud.db")
			tc.make(t, path)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var log statusLog
			h := OpenHistory(context.Background(), path, log.emit, nil)
			waitReady(t, h)
			svc := NewHistoryService(context.Background(), h, nil)
			st := svc.Status()
			if st.State != HistoryFailed || st.Path != path || !strings.Contains(st.Error, tc.isErr) {
				t.Errorf("Status = %+v; want error at %s mentioning %q", st, path, tc.isErr)
			}
			if got := log.states(); len(got) != 1 || got[0] != HistoryFailed {
				t.Errorf("events = %v; want [error]", got)
			}
			if _, err := svc.List(50, 0); err == nil || !strings.Contains(err.Error(), "chat history unavailable") {
				t.Errorf("List = %v; want the history's error", err)
			}
			if _, err := svc.Search("x"); err == nil {
				t.Error("Search succeeded on an unavailable history")
			}
			if err := h.Close(); err != nil {
				t.Errorf("Close of a failed history = %v; want nil", err)
			}
			after, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(before, after) {
				t.Errorf("the file changed (%d → %d bytes, %v); it must be left as it was", len(before), len(after), err)
			}
			if m, _ := filepath.Glob(path + ".bak*"); len(m) != 0 {
				t.Errorf("backups %v written for a file that was not opened", m)
			}
		})
	}
}

// Shutting down while the history opens does not hang a caller.
func TestHistoryStoreHonoursContext(t *testing.T) {
	t.Parallel()
	h := &HistoryHandle{ready: make(chan struct{}), status: HistoryStatus{State: HistoryOpening}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if st, err := h.Store(ctx); st != nil || err == nil {
		t.Fatalf("Store with a cancelled context = %v, %v; want an error", st, err)
	}
}
