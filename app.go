package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"

	wailsruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"thinkcloud/backend/cli"
	"thinkcloud/backend/core"
	"thinkcloud/backend/desktop"
	"thinkcloud/backend/logbuf"
	"thinkcloud/backend/tray"
)

// App is the window's lifecycle: it owns the services bound to the window,
// opens what they work with at startup and closes it at shutdown.
type App struct {
	ov     cli.Overrides
	stderr io.Writer
	logOut *logbuf.Writer // what stderr and logger write through
	logger *slog.Logger

	base     context.Context // cancelled at shutdown: ends every stream
	cancel   context.CancelFunc
	hist     *desktop.HistoryHandle
	services *desktop.Services

	ctx     atomic.Pointer[context.Context] // Wails' context, set at startup; nil before
	started chan struct{}                   // closed when startup has returned
	core    *core.Core                      // set by startup, read after started
	failed  atomic.Bool                     // startup could not open the core

	quitting atomic.Bool               // Quit was asked: closing must not just hide
	tray     atomic.Pointer[tray.Tray] // nil without a tray host
	locked   atomic.Bool               // the single-instance lock is on: a relaunch shows the window
}

// newApp builds the app and the services Wails binds, without I/O: a
// bindings build (which lists the bound methods and never starts) runs
// exactly this far.
func newApp(ov cli.Overrides, stderr io.Writer) *App {
	base, cancel := context.WithCancel(context.Background())
	// Batched (logbuf): the endpoint's access log writes a line per
	// request; shutdown writes out what waits.
	logOut := logbuf.New(stderr)
	a := &App{ov: ov, stderr: logOut, logOut: logOut, logger: slog.New(slog.NewTextHandler(logOut, nil)),
		base: base, cancel: cancel, started: make(chan struct{})}
	a.hist = desktop.NewHistory(a.emit, a.logger)
	// DiagService (frame timing for the window benchmark) only on request.
	a.services = desktop.NewServices(base, a.hist, a.emit, os.Getenv)
	return a
}

// startup runs once the window exists, on its own goroutine while the
// page loads (bound calls wait for services.Start). It opens the settings
// and keys; the history opens in the background (the window says how that
// goes); the endpoint starts (a taken port is shown in the window, the
// chat keeps working) and model lists refresh in the background.
func (a *App) startup(ctx context.Context) {
	defer close(a.started)
	a.ctx.Store(&ctx)
	c, err := a.open()
	if err != nil {
		fmt.Fprintln(a.stderr, "thinkcloud:", err)
		a.failed.Store(true)
		a.services.Fail(err)
		go a.quit(ctx, err)
		return
	}
	a.core = c
	a.configureBackground()
	a.services.Start(ctx, c)
	c.OnEndpointStatus(a.endpointChanged)
	if err := c.StartEndpoint(); err != nil {
		c.Logger().Error("local endpoint not started", "error", err)
	}
	a.startTray()
	go a.checkUpdates()
	go c.RefreshModels(a.base, func(ev core.ModelEvent) { desktop.Topics.ModelsChanged.Emit(a.emit, ev) })
}

// open creates the data directory, starts opening the history in it and
// opens the core (settings, keys, cached model lists).
func (a *App) open() (*core.Core, error) {
	dataDir := cli.DefaultPaths().DataDir
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	c, err := cli.NewCore(a.ov, cli.Env{Stderr: a.stderr, Version: version}, a.logger)
	if err != nil {
		return nil, err
	}
	a.hist.Open(a.base, filepath.Join(dataDir, "thinkcloud.db"))
	return c, nil
}

// quit says in a dialog why the window cannot work, then closes it; the
// process exits with status 1 (see exitCode).
func (a *App) quit(ctx context.Context, err error) {
	wailsruntime.MessageDialog(ctx, wailsruntime.MessageDialogOptions{
		Type: wailsruntime.ErrorDialog, Title: "ThinkCloud could not start", Message: err.Error(),
	})
	wailsruntime.Quit(ctx)
}

// shutdown ends streams (saving what arrived), the endpoint and history.
func (a *App) shutdown(ctx context.Context) {
	<-a.started // what startup opens, shutdown closes
	a.cancel()
	a.services.Wait()
	if a.core != nil {
		a.core.Close(ctx)
	}
	a.hist.Close()
	if t := a.tray.Load(); t != nil {
		t.Close()
	}
	a.logOut.Close()
}

// exitCode is the process's exit status once the window has closed.
func (a *App) exitCode() int {
	if a.failed.Load() {
		return 1
	}
	return 0
}

// emit sends an event to the window; before startup there is no window.
func (a *App) emit(name string, payload any) {
	if ctx := a.ctx.Load(); ctx != nil {
		wailsruntime.EventsEmit(*ctx, name, payload)
	}
}
