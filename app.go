package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	wailsruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"thinkcloud/backend/cli"
	"thinkcloud/backend/core"
	"thinkcloud/backend/desktop"
	"thinkcloud/backend/server"
)

// App owns the window's lifecycle and the services bound to it.
type App struct {
	ctx    atomic.Pointer[context.Context] // Wails' context, set at startup; nil before
	base   context.Context                 // cancelled at shutdown: ends every stream
	cancel context.CancelFunc
	core   *core.Core
	hist   *desktop.HistoryHandle
	chat   *desktop.ChatService
	// dialogs are the native file dialogs; they need the window's context.
	dialogs *desktop.WindowDialogs
}

// window opens the app window; the endpoint runs in process.
func window(ov cli.Overrides, stderr io.Writer) int {
	if bindingsBuild {
		// `wails generate` runs the binary to learn the bound methods: no
		// files, no keyring, no network.
		_, services := newServices(context.Background(), nil, nil, nil, nil, &desktop.DiagService{})
		return runWails(&App{}, services, stderr)
	}
	if !windowBuild {
		fmt.Fprintln(stderr, "thinkcloud: this is the headless build, without a window: `thinkcloud serve` runs the endpoint and `thinkcloud keys` manages keys; the desktop build (`make build`) has the window")
		return 2
	}
	if runtime.GOOS == "linux" && !hasDisplay() {
		fmt.Fprintln(stderr, "thinkcloud: no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open; run `thinkcloud serve` for the endpoint without a window")
		return 1
	}
	if _, err := fs.Stat(assets, "frontend/dist/index.html"); err != nil {
		fmt.Fprintln(stderr, "thinkcloud: this binary was built without its frontend (frontend/dist/index.html is missing); build it with `make build`")
		return 1
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	c, err := cli.NewCore(ov, cli.Env{Stderr: stderr, Version: version}, logger)
	if err != nil {
		fmt.Fprintln(stderr, "thinkcloud:", err)
		return 1
	}
	dataDir := cli.DefaultPaths().DataDir
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		fmt.Fprintln(stderr, "thinkcloud: create data dir:", err)
		return 1
	}
	base, cancel := context.WithCancel(context.Background())
	app := &App{base: base, cancel: cancel, core: c, dialogs: &desktop.WindowDialogs{}}
	// The history opens (and, after an update, upgrades) while the window
	// comes up; if it cannot be opened the window says why, and settings
	// and the endpoint still work.
	dbPath := filepath.Join(dataDir, "thinkcloud.db")
	app.hist = desktop.OpenHistory(base, dbPath, app.emit, logger)
	// DiagService (frame timing for the window benchmark) only on request.
	chat, services := newServices(base, c, app.hist, fileChooser(app.dialogs), app.emit, desktop.DiagFromEnv(os.Getenv))
	app.chat = chat
	return runWails(app, services, stderr)
}

// newServices builds the services bound to the window (window.go.desktop.*
// in the frontend) and returns the chat service again for shutdown; diag
// is bound when not nil. The bindings build passes nil dependencies, since
// Wails only lists their methods; contract_test.go walks this same list.
func newServices(base context.Context, c *core.Core, hist *desktop.HistoryHandle, files desktop.FileChooser, emit desktop.Emit, diag *desktop.DiagService) (*desktop.ChatService, []any) {
	chat := desktop.NewChatService(base, c, hist, emit)
	services := []any{
		chat,
		desktop.NewModelsService(base, c, emit),
		desktop.NewHistoryService(base, hist, files),
		desktop.NewSettingsService(base, c, emit),
	}
	if diag != nil {
		services = append(services, diag)
	}
	return chat, services
}

func runWails(app *App, bind []any, stderr io.Writer) int {
	err := wails.Run(&options.App{
		Title:            "ThinkCloud",
		Width:            1200,
		Height:           800,
		MinWidth:         720,
		MinHeight:        480,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 246, G: 247, B: 249, A: 1},
		OnStartup:        app.startup,
		OnShutdown:       app.shutdown,
		Bind:             bind,
		Linux:            &linux.Options{ProgramName: "thinkcloud", WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
	})
	if err != nil {
		fmt.Fprintln(stderr, "thinkcloud:", err)
		return 1
	}
	return 0
}

// startup runs once the window exists: the endpoint starts (a taken port
// is shown in the window, the chat keeps working) and model lists refresh
// in the background.
func (a *App) startup(ctx context.Context) {
	a.ctx.Store(&ctx)
	if a.core == nil {
		return // bindings build
	}
	a.dialogs.Attach(ctx)
	a.core.OnEndpointStatus(func(st server.Status) { desktop.Topics.EndpointStatus.Emit(a.emit, st) })
	if err := a.core.StartEndpoint(); err != nil {
		a.core.Logger().Error("local endpoint not started", "error", err)
	}
	go a.core.RefreshModels(a.base, func(ev core.ModelEvent) { desktop.Topics.ModelsChanged.Emit(a.emit, ev) })
}

// shutdown ends streams (saving what arrived), the endpoint and history.
func (a *App) shutdown(ctx context.Context) {
	if a.core == nil {
		return
	}
	a.cancel()
	a.chat.Wait()
	a.core.Close(ctx)
	a.hist.Close()
}

// emit sends an event to the window; before startup there is no window.
func (a *App) emit(name string, payload any) {
	// The history opens on its own goroutine and may report before startup.
	if ctx := a.ctx.Load(); ctx != nil {
		wailsruntime.EventsEmit(*ctx, name, payload)
	}
}
