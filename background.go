package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/adrg/xdg"
	"github.com/godbus/dbus/v5"
	"github.com/wailsapp/wails/v2/pkg/options"
	wailsruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"thinkcloud/backend/autostart"
	"thinkcloud/backend/cli"
	"thinkcloud/backend/desktop"
	"thinkcloud/backend/secrets"
	"thinkcloud/backend/server"
	"thinkcloud/backend/tray"
	"thinkcloud/backend/update"
)

// The app's life beside its window: one instance, hiding on close, the
// tray, the login entry and the update check. app.go calls these.

// singleInstanceID names the instance lock (a D-Bus name on Linux, a
// mutex on Windows); it must never change between versions.
const singleInstanceID = "thinkcloud.desktop.7f3c1b2a"

// singleInstance is Wails' instance lock, where it can work: on Linux it
// lives on the session bus, and without one godbus would start a stray
// dbus-launch, so there is no lock then.
func singleInstance(app *App) *options.SingleInstanceLock {
	if runtime.GOOS == "linux" && !secrets.SessionBusAvailable() {
		return nil
	}
	app.locked.Store(true)
	return &options.SingleInstanceLock{UniqueId: singleInstanceID, OnSecondInstanceLaunch: app.secondInstance}
}

// handOver passes this launch to a running instance before any GTK or
// settings work, and reports whether one took it. Wails' lock does the
// same but only after the window and startup ran (the second process
// then opens the settings and history and tries the port before it
// exits); this asks first, by the name Wails' lock owns on Linux
// (internal/frontend/desktop/linux/single_instance.go in v2.16; the
// window test tests/window/background.sh fails if that changes).
func handOver(args []string) bool {
	if runtime.GOOS != "linux" || !secrets.SessionBusAvailable() {
		return false
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return false
	}
	defer conn.Close()
	id := "wails_app_" + strings.NewReplacer("-", "_", ".", "_").Replace(singleInstanceID)
	name, path := "org."+id+".SingleInstance", dbus.ObjectPath("/org/"+id+"/SingleInstance")
	var has bool
	if conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&has) != nil || !has {
		return false
	}
	wd, _ := os.Getwd()
	msg, err := json.Marshal(options.SecondInstanceData{Args: args, WorkingDirectory: wd})
	if err != nil {
		return false
	}
	return conn.Object(name, path).Call(name+".SendMessage", 0, string(msg)).Err == nil
}

// windowStatePath is window.json beside the settings.
func windowStatePath() string {
	return filepath.Join(filepath.Dir(cli.DefaultPaths().SettingsFile), "window.json")
}

// configureBackground gives the background service its parts. No I/O
// beyond finding the executable and, under /usr, asking the package
// manager whether it owns it.
func (a *App) configureBackground() {
	exe, _ := os.Executable()
	if real, err := filepath.EvalSymlinks(exe); err == nil {
		exe = real
	}
	xdg.Reload()
	checker := &update.Checker{
		Current: version, Platform: runtime.GOOS + "-" + runtime.GOARCH,
		Managed:   update.DetectManaged(exe, update.SystemOwner),
		StateFile: filepath.Join(cli.DefaultPaths().CacheDir, "update.json"),
	}
	a.services.ConfigureBackground(autostart.Entry{Exe: exe, Dir: filepath.Join(xdg.ConfigHome, "autostart")},
		checker, windowStatePath(), a.quitNow)
}

// checkUpdates runs the daily check now and every few hours while the app
// runs; each run is a no-op (no network) unless the user turned checks
// on and a day has passed.
func (a *App) checkUpdates() {
	a.services.CheckUpdatesDaily()
	t := time.NewTicker(6 * time.Hour)
	defer t.Stop()
	for {
		select {
		case <-a.base.Done():
			return
		case <-t.C:
			a.services.CheckUpdatesDaily()
		}
	}
}

// beforeClose decides what closing the window does: with "keep the
// endpoint running" on, the window hides and the app goes on; Quit (the
// tray, Ctrl+Q) sets quitting first and really ends it.
func (a *App) beforeClose(ctx context.Context) (prevent bool) {
	w, h := wailsruntime.WindowGetSize(ctx)
	x, y := wailsruntime.WindowGetPosition(ctx)
	if err := a.services.SaveGeometry(w, h, x, y); err != nil {
		a.logger.Warn("window size not saved", "error", err)
	}
	if a.quitting.Load() || a.core == nil || !a.core.Current().Background.KeepRunning {
		return false
	}
	if !a.locked.Load() && a.tray.Load() == nil {
		// Neither a relaunch nor a tray could bring a hidden window
		// back, so closing quits as it would with the setting off.
		a.logger.Info("closing quits: without a session bus nothing could show a hidden window again")
		return false
	}
	wailsruntime.WindowHide(ctx)
	a.logger.Info("window hidden; the endpoint keeps running (Quit from the tray or relaunch to show it)")
	return true
}

// quitNow really quits: streams end (what arrived is saved), then the
// endpoint and the history close (shutdown).
func (a *App) quitNow() {
	a.quitting.Store(true)
	if ctx := a.ctx.Load(); ctx != nil {
		wailsruntime.Quit(*ctx)
	}
}

// show brings the window to the front.
func (a *App) show() {
	if ctx := a.ctx.Load(); ctx != nil {
		wailsruntime.WindowShow(*ctx)
		wailsruntime.WindowUnminimise(*ctx)
	}
}

// secondInstance runs when the app is launched again: the new process
// exits and this one shows its window (unless the launch was a login
// start, which wants it hidden).
func (a *App) secondInstance(data options.SecondInstanceData) {
	if slices.Contains(data.Args, autostart.HiddenFlag) {
		return
	}
	a.logger.Info("launched again: showing the window")
	a.show()
}

// domReady puts the window back where it was.
func (a *App) domReady(ctx context.Context) {
	if ws := desktop.LoadWindowState(windowStatePath()); ws.Placed {
		wailsruntime.WindowSetPosition(ctx, ws.X, ws.Y)
	}
}

// startTray shows the tray item where a tray host exists (on Linux over
// the session bus, on Windows in the notification area); otherwise the
// app runs as without a tray, and says so once.
func (a *App) startTray() {
	icon, _ := appIcon.ReadFile("build/appicon.png")
	labels := tray.LabelsFor(a.core.Current().Language, localeEnv())
	opts := tray.Options{Icon: icon, Labels: labels, Actions: tray.Actions{
		Open:   a.show,
		Toggle: a.toggleEndpoint,
		Quit:   a.quitNow,
	}}
	if runtime.GOOS != "windows" {
		if !secrets.SessionBusAvailable() {
			a.logger.Info("no system tray: no D-Bus session bus")
			return
		}
		conn, err := dbus.ConnectSessionBus()
		if err != nil {
			a.logger.Info("no system tray: no D-Bus session bus", "error", err)
			return
		}
		opts.Conn = conn
	}
	t, err := tray.Start(opts)
	if err != nil {
		if opts.Conn != nil {
			opts.Conn.Close()
		}
		if errors.Is(err, tray.ErrNoHost) {
			a.logger.Info("no system tray host; running without a tray icon")
		} else {
			a.logger.Warn("no system tray", "error", err)
		}
		return
	}
	a.tray.Store(t)
	st := a.core.EndpointStatus()
	t.SetEndpoint(st.Addr, st.State, st.State == server.StateListening)
	a.logger.Info("tray icon registered", "name", t.Name())
}

// endpointChanged tells the window and the tray the endpoint's state.
func (a *App) endpointChanged(st server.Status) {
	desktop.Topics.EndpointStatus.Emit(a.emit, st)
	if t := a.tray.Load(); t != nil {
		t.SetEndpoint(st.Addr, st.State, st.State == server.StateListening)
	}
}

// toggleEndpoint is the tray's switch: stop a running endpoint, start a
// stopped one.
func (a *App) toggleEndpoint() {
	if a.core.EndpointStatus().State == server.StateListening {
		if err := a.core.StopEndpoint(a.base); err != nil {
			a.logger.Warn("endpoint not stopped", "error", err)
		}
		return
	}
	if err := a.core.StartEndpoint(); err != nil {
		a.logger.Error("local endpoint not started", "error", err)
	}
}

// localeEnv is the locale the environment asks for messages in.
func localeEnv() string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return ""
}
