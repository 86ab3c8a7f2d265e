package desktop

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"thinkcloud/backend/core"
	"thinkcloud/backend/secrets"
)

func testCore(t *testing.T) *core.Core {
	t.Helper()
	dir := t.TempDir()
	c, err := core.New(core.Options{
		SettingsFile: filepath.Join(dir, "settings.json"), DotEnvFile: filepath.Join(dir, ".env"),
		LookupEnv: func(string) (string, bool) { return "", false },
		Keyring:   &secrets.MemoryKeyring{}, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func noEnv(string) string { return "" }

// The page can call a service while the window's startup is still opening
// the core (Wails runs OnStartup on its own goroutine): the call waits for
// Start and then answers. Under -race this also proves the hand-over.
func TestServicesWaitForStart(t *testing.T) {
	t.Parallel()
	s := NewServices(context.Background(), NewHistory(nil, nil), func(string, any) {}, noEnv)
	type result struct {
		n   int
		err error
	}
	got := make(chan result, 1)
	go func() {
		ms, err := s.Models.List()
		got <- result{len(ms), err}
	}()
	select {
	case r := <-got:
		t.Fatalf("Models.List before Start = %d models, %v; want it to wait", r.n, r.err)
	case <-time.After(50 * time.Millisecond):
	}
	s.Start(context.Background(), testCore(t))
	select {
	case r := <-got:
		if r.err != nil || r.n == 0 {
			t.Fatalf("Models.List after Start = %d models, %v; want the catalog", r.n, r.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Models.List still waiting after Start")
	}
	if v, err := s.Settings.Get(); err != nil || v.Settings.Endpoint.Port == 0 {
		t.Errorf("Settings.Get after Start = %+v, %v", v, err)
	}
}

// A startup that failed answers every call with why, instead of leaving
// the window waiting; so does shutdown before startup ended.
func TestServicesFailOrShutDown(t *testing.T) {
	t.Parallel()
	s := NewServices(context.Background(), NewHistory(nil, nil), nil, noEnv)
	s.Fail(errors.New("load settings: permission denied"))
	if _, err := s.Chat.Send(SendRequest{Model: "deepseek-flash", Text: "hi"}); err == nil || !strings.Contains(err.Error(), "could not start: load settings: permission denied") {
		t.Errorf("Chat.Send after Fail = %v; want the startup error", err)
	}
	if err := s.Models.Refresh(); err == nil {
		t.Error("Models.Refresh after Fail succeeded")
	}

	base, cancel := context.WithCancel(context.Background())
	s = NewServices(base, NewHistory(nil, nil), nil, noEnv)
	cancel()
	if _, err := s.Settings.Providers(); !errors.Is(err, errShuttingDown) {
		t.Errorf("Settings.Providers after shutdown = %v; want %v", err, errShuttingDown)
	}
}

// DiagService is bound only when THINKCLOUD_DIAG_FILE names a file.
func TestServicesBindDiagOnRequest(t *testing.T) {
	t.Parallel()
	// Chat, Models, History, Settings, Usage, Background, Assistants, Attach.
	const services = 8
	without := NewServices(context.Background(), nil, nil, noEnv).Bind()
	if n := len(without); n != services {
		t.Errorf("without THINKCLOUD_DIAG_FILE %d services are bound; want %d", n, services)
	}
	for _, svc := range without {
		if _, ok := svc.(*DiagService); ok {
			t.Errorf("without THINKCLOUD_DIAG_FILE DiagService is bound")
		}
	}
	diag := func(k string) string { return map[string]string{"THINKCLOUD_DIAG_FILE": "d.jsonl"}[k] }
	bind := NewServices(context.Background(), nil, nil, diag).Bind()
	if _, ok := bind[len(bind)-1].(*DiagService); len(bind) != services+1 || !ok {
		t.Errorf("with THINKCLOUD_DIAG_FILE the bind list is %T; want DiagService last of %d", bind, services+1)
	}
}

// A history the window never got to open (its startup failed first)
// reports "opening" until then, and closes at once without hanging
// shutdown; a call waiting for it gets an error.
func TestHistoryNeverOpened(t *testing.T) {
	t.Parallel()
	h := NewHistory(nil, nil)
	if st := h.Status(); st.State != HistoryOpening {
		t.Errorf("Status before Open = %+v; want opening", st)
	}
	waiting := make(chan error, 1)
	go func() {
		_, err := h.Store(context.Background())
		waiting <- err
	}()
	closed := make(chan error, 1)
	go func() { closed <- h.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close of a history never opened hangs")
	}
	if err := <-waiting; err == nil {
		t.Error("Store of a history never opened returned no error")
	}
	h.Open(context.Background(), filepath.Join(t.TempDir(), "late.db")) // after Close: nothing
	if st := h.Status(); st.State != HistoryOpening || st.Path != "" {
		t.Errorf("Open after Close changed the status to %+v", st)
	}
}
