// Package testrig is the one test rig of the backend: a real core wired
// to fake providers on loopback, an in-memory keyring and files in a
// temporary directory, so tests of every layer start the same way.
package testrig

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/core"
	"thinkcloud/backend/fakeupstream"
	"thinkcloud/backend/history"
	"thinkcloud/backend/secrets"
)

// Options say what a Rig starts. The zero value is a core with no fake
// provider and default settings.
type Options struct {
	// Fakes are the fake providers to start (fakeupstream kinds); each
	// gets its key and base URLs (its Anthropic API's too, where it has
	// one) in the environment. Nil starts none.
	Fakes []string
	// Env adds environment variables (and wins over the fakes' ones).
	Env map[string]string
	// Settings, when set, is written as settings.json before the core
	// loads it.
	Settings string
	// Port is the core's --port override; zero means none.
	Port int
	// Keyring replaces the rig's own in-memory keyring (two rigs sharing
	// one are one install restarted); nil means a fresh one.
	Keyring secrets.Keyring
	// WrapTransport wraps every provider client's transport; nil leaves
	// them alone.
	WrapTransport func(http.RoundTripper) http.RoundTripper
	// Catalog replaces the built-in catalog, for models of the test's
	// own; nil means the built-in one.
	Catalog *catalog.Catalog
	// Usage turns the request log on, as usage.db in Dir.
	Usage bool
}

// Rig is a core with its fakes and files.
type Rig struct {
	// Core is the core under test; it is closed at the end of the test.
	Core *core.Core
	// Fakes are the fake providers by kind.
	Fakes map[string]*fakeupstream.Fake
	// Dir holds settings.json, the cache and the history.
	Dir string
	// Logs collects the core's log lines.
	Logs *Buffer
	// Keyring is the in-memory keyring behind the core.
	Keyring *secrets.MemoryKeyring
}

// New starts a rig for t.
func New(t testing.TB, opts Options) *Rig {
	t.Helper()
	env := map[string]string{}
	r := &Rig{Fakes: map[string]*fakeupstream.Fake{}, Dir: t.TempDir(), Logs: &Buffer{}, Keyring: &secrets.MemoryKeyring{}}
	for _, kind := range opts.Fakes {
		f := fakeupstream.NewFake(kind, "test-key-"+kind, true)
		ts := f.Start()
		t.Cleanup(ts.Close)
		r.Fakes[kind] = f
		env[strings.ToUpper(kind)+"_API_KEY"] = f.Key
		env[strings.ToUpper(kind)+"_BASE_URL"] = ts.URL + "/v1"
		if p := fakeupstream.AnthropicPath(kind); p != "" {
			env[strings.ToUpper(kind)+"_ANTHROPIC_BASE_URL"] = ts.URL + p
		}
	}
	for k, v := range opts.Env {
		env[k] = v
	}
	settings := filepath.Join(r.Dir, "settings.json")
	if opts.Settings != "" {
		if err := os.WriteFile(settings, []byte(opts.Settings), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	usageFile := ""
	if opts.Usage {
		usageFile = filepath.Join(r.Dir, "usage.db")
	}
	c, err := core.New(core.Options{
		UsageFile:     usageFile,
		SettingsFile:  settings,
		CacheDir:      filepath.Join(r.Dir, "cache"),
		DotEnvFile:    filepath.Join(r.Dir, ".env"),
		LookupEnv:     func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		Keyring:       keyring(opts.Keyring, r.Keyring),
		Logger:        slog.New(slog.NewTextHandler(r.Logs, nil)),
		Version:       "test",
		Port:          opts.Port,
		Backoff:       time.Millisecond, // retries stay fast
		WrapTransport: opts.WrapTransport,
		Catalog:       opts.Catalog,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	r.Core = c
	return r
}

func keyring(given secrets.Keyring, own *secrets.MemoryKeyring) secrets.Keyring {
	if given != nil {
		return given
	}
	return own
}

// History opens a real SQLite history in the rig's directory, closed at
// the end of the test.
func (r *Rig) History(t testing.TB) *history.Store {
	t.Helper()
	h, err := history.Open(context.Background(), filepath.Join(r.Dir, "thinkcloud.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// FreePort returns a loopback port that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Buffer collects log output from concurrent goroutines.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns everything written so far.
func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
