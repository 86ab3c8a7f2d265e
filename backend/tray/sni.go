//go:build !windows

// The tray on Linux (and other Unix desktops): a StatusNotifierItem (the
// freedesktop/KDE protocol that GNOME's AppIndicator extension, KDE, Xfce
// and others host) with a com.canonical.dbusmenu menu, over the D-Bus
// session bus in pure Go. It needs no GTK main loop, so it cannot fight
// the one Wails runs. Where no StatusNotifierWatcher owns its name, Start
// returns ErrNoHost.
package tray

import (
	"fmt"
	"os"
	"sync"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/prop"
)

// The protocol's well-known names and paths.
const (
	WatcherName  = "org.kde.StatusNotifierWatcher"
	WatcherPath  = "/StatusNotifierWatcher"
	itemIface    = "org.kde.StatusNotifierItem"
	itemPath     = "/StatusNotifierItem"
	menuIface    = "com.canonical.dbusmenu"
	MenuPath     = "/MenuBar"
	registerItem = WatcherName + ".RegisterStatusNotifierItem"
)

// Tray is a registered tray item.
type Tray struct {
	conn    *dbus.Conn
	name    string
	actions Actions
	labels  Labels

	mu       sync.Mutex
	revision uint32
	addr     string
	state    string
	running  bool
}

// Start exports the item and its menu on opts.Conn and registers them
// with the watcher. On error the connection is left open for the caller
// to close.
func Start(opts Options) (*Tray, error) {
	conn := opts.Conn
	var has bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, WatcherName).Store(&has); err != nil {
		return nil, fmt.Errorf("ask the session bus for a tray: %w", err)
	}
	if !has {
		return nil, ErrNoHost
	}
	t := &Tray{conn: conn, actions: opts.Actions, labels: opts.Labels, revision: 1, state: "stopped"}
	if t.labels == (Labels{}) {
		t.labels = EnglishLabels
	}
	t.name = fmt.Sprintf("org.kde.StatusNotifierItem-%d-1", os.Getpid())
	if err := t.export(opts.Icon); err != nil {
		return nil, err
	}
	if reply, err := conn.RequestName(t.name, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		return nil, fmt.Errorf("own the tray item name %s: %v (reply %v)", t.name, err, reply)
	}
	if err := conn.Object(WatcherName, WatcherPath).Call(registerItem, 0, t.name).Err; err != nil {
		return nil, fmt.Errorf("register the tray item: %w", err)
	}
	return t, nil
}

func (t *Tray) export(icon []byte) error {
	if err := t.conn.ExportMethodTable(map[string]any{
		"Activate":          func(x, y int32) *dbus.Error { t.run(t.actions.Open); return nil },
		"SecondaryActivate": func(x, y int32) *dbus.Error { return nil },
		"ContextMenu":       func(x, y int32) *dbus.Error { return nil },
		"Scroll":            func(delta int32, orientation string) *dbus.Error { return nil },
	}, itemPath, itemIface); err != nil {
		return fmt.Errorf("export the tray item: %w", err)
	}
	ro := func(v any) *prop.Prop { return &prop.Prop{Value: v, Emit: prop.EmitFalse} }
	if _, err := prop.Export(t.conn, itemPath, prop.Map{itemIface: {
		"Category":   ro("ApplicationStatus"),
		"Id":         ro("thinkcloud"),
		"Title":      ro("ThinkCloud"),
		"Status":     ro("Active"),
		"IconName":   ro("thinkcloud"),
		"IconPixmap": ro(pixmaps(icon)),
		"ToolTip":    ro(toolTip{Title: "ThinkCloud", Icon: []pixmap{}}),
		"ItemIsMenu": ro(false),
		"Menu":       ro(dbus.ObjectPath(MenuPath)),
		"WindowId":   ro(int32(0)),
	}}); err != nil {
		return fmt.Errorf("export the tray item's properties: %w", err)
	}
	if err := t.conn.Export(menu{t}, MenuPath, menuIface); err != nil {
		return fmt.Errorf("export the tray menu: %w", err)
	}
	if _, err := prop.Export(t.conn, MenuPath, prop.Map{menuIface: {
		"Version":       ro(uint32(3)),
		"TextDirection": ro("ltr"),
		"Status":        ro("normal"),
		"IconThemePath": ro([]string{}),
	}}); err != nil {
		return fmt.Errorf("export the tray menu's properties: %w", err)
	}
	return nil
}

// Name is the item's bus name, as registered with the watcher.
func (t *Tray) Name() string { return t.name }

// SetEndpoint shows the endpoint's address and state in the menu;
// running picks the switch's label.
func (t *Tray) SetEndpoint(addr, state string, running bool) {
	t.mu.Lock()
	if t.addr == addr && t.state == state && t.running == running {
		t.mu.Unlock()
		return
	}
	t.addr, t.state, t.running = addr, state, running
	t.revision++
	rev := t.revision
	t.mu.Unlock()
	t.conn.Emit(MenuPath, menuIface+".LayoutUpdated", rev, int32(0))
}

// Close unregisters the item by closing its connection.
func (t *Tray) Close() error { return t.conn.Close() }

// run calls fn off the D-Bus goroutine, so a slow action (stopping the
// endpoint) does not hold up the bus.
func (t *Tray) run(fn func()) {
	if fn != nil {
		go fn()
	}
}
