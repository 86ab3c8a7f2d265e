// Package cli holds the window-less commands: `serve` and `keys`. They are
// plain functions over io.Writers so tests drive them without a process.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/adrg/xdg"

	"thinkcloud/backend/core"
	"thinkcloud/backend/logbuf"
	"thinkcloud/backend/secrets"
	"thinkcloud/backend/server"
)

// RunningInstance asks addr's /health whether ThinkCloud (the window's
// endpoint or another serve) is what holds the port, and returns a
// sentence saying so; "" when something else holds it or nothing answers
// within two seconds.
func RunningInstance(ctx context.Context, client *http.Client, addr string) string {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/health", nil)
	if err != nil {
		return ""
	}
	resp, err := client.Do(req)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	var h struct {
		Status    string          `json:"status"`
		Providers map[string]bool `json:"providers"`
	}
	if json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&h) != nil || h.Status != "healthy" || h.Providers == nil {
		return ""
	}
	return fmt.Sprintf("ThinkCloud is already running and serving http://%s/v1 (the window's endpoint, or another `thinkcloud serve`): use that one, or pick another port with --port", addr)
}

// Overrides are per-run flag values; zero means "use the settings".
type Overrides struct {
	Host string
	Port int
}

// Env is the outside world of a command.
type Env struct {
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
	Version string
}

// Paths are where ThinkCloud keeps its files, per the XDG base directory
// spec (adrg/xdg maps them to the usual places on macOS and Windows).
type Paths struct {
	SettingsFile string
	CacheDir     string
	DataDir      string
}

// DefaultPaths reads the XDG variables now (not at package init), so a
// process that sets them before calling sees them.
func DefaultPaths() Paths {
	xdg.Reload()
	return Paths{
		SettingsFile: filepath.Join(xdg.ConfigHome, "thinkcloud", "settings.json"),
		CacheDir:     filepath.Join(xdg.CacheHome, "thinkcloud"),
		DataDir:      filepath.Join(xdg.DataHome, "thinkcloud"),
	}
}

// NewCore builds the core for a command, logging to stderr.
func NewCore(ov Overrides, env Env, logger *slog.Logger) (*core.Core, error) {
	p := DefaultPaths()
	return core.New(core.Options{
		SettingsFile: p.SettingsFile, CacheDir: p.CacheDir, Logger: logger, UsageFile: filepath.Join(p.DataDir, "usage.db"),
		Version: env.Version, Host: ov.Host, Port: ov.Port,
	})
}

// Serve runs the endpoint without a window until SIGINT or SIGTERM. It
// never touches GTK, so it runs on machines without a display.
func Serve(ov Overrides, env Env) int {
	// The access log writes a line per request: batched, not a write(2)
	// on each request's goroutine (logbuf). Everything for stderr goes
	// through it, so lines keep their order; it is written out on return.
	errw := logbuf.New(env.Stderr)
	defer errw.Close()
	env.Stderr = errw
	logger := slog.New(slog.NewTextHandler(errw, nil))
	if !secrets.SessionBusAvailable() {
		fmt.Fprintln(env.Stderr, "thinkcloud: no D-Bus session bus, so no OS keyring: provider keys come from <PROVIDER>_API_KEY environment variables and .env only")
	}
	c, err := NewCore(ov, env, logger)
	if err != nil {
		fmt.Fprintln(env.Stderr, "thinkcloud:", err)
		return 1
	}
	// A settings notice is already in the log (stderr): said once.
	if err := c.StartEndpoint(); err != nil {
		if errors.Is(err, server.ErrPortInUse) {
			if who := RunningInstance(context.Background(), http.DefaultClient, c.EndpointStatus().Addr); who != "" {
				err = errors.New(who)
			}
		}
		fmt.Fprintln(env.Stderr, "thinkcloud:", err)
		c.Close(context.Background())
		return 1
	}
	st := c.EndpointStatus()
	if st.State != "listening" {
		fmt.Fprintln(env.Stderr, "thinkcloud: the endpoint is switched off in settings; nothing to serve (use --port to force it on)")
		return 1
	}
	printBanner(env.Stdout, c, st.Addr, env.Version)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go c.RefreshModels(ctx, nil)
	<-ctx.Done()
	fmt.Fprintln(env.Stdout, "Shutting down…")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Close(shutdownCtx); err != nil {
		fmt.Fprintln(env.Stderr, "thinkcloud: shutdown:", err)
	}
	return 0
}

func printBanner(w io.Writer, c *core.Core, addr, version string) {
	var keyed []string
	providers := c.Providers()
	for _, p := range providers {
		if p.Settings.Enabled && p.Key.HasKey {
			keyed = append(keyed, p.ID)
		}
	}
	models := 0
	for _, m := range c.Models() {
		if m.Available {
			models++
		}
	}
	base := "http://" + addr
	have := "none — set <PROVIDER>_API_KEY or run `thinkcloud keys set <provider>`"
	if len(keyed) > 0 {
		have = strings.Join(keyed, ", ")
	}
	fmt.Fprintf(w, `ThinkCloud %s — OpenAI-compatible endpoint
  Base URL   %s/v1
  Docs       %s/docs
  Health     %s/health
  Providers  %s (%d of %d have a key)
  Models     %d
Press Ctrl+C to stop.
`, version, base, base, base, have, len(keyed), len(providers), models)
}
