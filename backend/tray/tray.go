// Package tray shows ThinkCloud in the system tray: a StatusNotifierItem
// over D-Bus on Linux (sni.go), an icon in the notification area on
// Windows (tray_windows.go). Both show the same menu (Model): Open, the
// endpoint's address and state, a switch for it, Quit. Where no tray host
// exists, Start returns ErrNoHost and the app goes on without a tray.
package tray

import (
	"errors"
	"fmt"
	"strings"

	"github.com/godbus/dbus/v5"
)

// ErrNoHost means nothing shows tray items (on Linux: no
// StatusNotifierWatcher on the session bus).
var ErrNoHost = errors.New("no system tray host")

// Actions are what the menu's entries do. Each runs on the D-Bus
// goroutine and should return quickly.
type Actions struct {
	// Open shows the window (also the item's primary click).
	Open func()
	// Toggle starts the endpoint when it is stopped, else stops it.
	Toggle func()
	// Quit ends the app.
	Quit func()
}

// Labels are the menu's texts, in the user's language. Endpoint gets
// the address and state, e.g. "Endpoint: %s (%s)".
type Labels struct {
	Open, Endpoint, Start, Stop, Quit string
}

// EnglishLabels are the labels used when the caller gives none.
var EnglishLabels = Labels{Open: "Open ThinkCloud", Endpoint: "Endpoint: %s (%s)", Start: "Start the endpoint", Stop: "Stop the endpoint", Quit: "Quit"}

// ChineseLabels are the labels in Simplified Chinese.
var ChineseLabels = Labels{Open: "打开 ThinkCloud", Endpoint: "本地接口：%s（%s）", Start: "启动本地接口", Stop: "停止本地接口", Quit: "退出"}

// LabelsFor picks the labels for a language setting ("" follows the
// LANG/LC_ALL/LC_MESSAGES value given as env).
func LabelsFor(language, env string) Labels {
	if language == "zh-CN" || (language == "" && strings.HasPrefix(env, "zh")) {
		return ChineseLabels
	}
	return EnglishLabels
}

// Options configure a tray item.
type Options struct {
	// Conn is a session bus connection the tray may own; Close closes it.
	// Linux only; the Windows tray needs none.
	Conn *dbus.Conn
	// Actions are run by the menu.
	Actions Actions
	// Labels are the menu texts; zero means EnglishLabels.
	Labels Labels
	// Icon is a PNG shown when the host cannot find the themed icon
	// "thinkcloud"; nil means the themed icon only.
	Icon []byte
}

// Menu item ids, the same on every platform (dbusmenu ids on Linux,
// command ids on Windows).
const (
	idRoot int32 = iota
	idOpen
	idEndpoint
	idToggle
	idSeparator
	idQuit
)

// Item is one entry of the tray menu.
type Item struct {
	ID        int32
	Label     string
	Enabled   bool // false: shown greyed, not clickable
	Separator bool
}

// Model is the tray menu for an endpoint at addr in state (running picks
// the switch's label): Open, the endpoint line (information only), the
// switch, a separator, Quit.
func Model(l Labels, addr, state string, running bool) []Item {
	toggle := l.Start
	if running {
		toggle = l.Stop
	}
	if addr == "" {
		addr = "—"
	}
	return []Item{
		{ID: idOpen, Label: l.Open, Enabled: true},
		{ID: idEndpoint, Label: fmt.Sprintf(l.Endpoint, addr, state)},
		{ID: idToggle, Label: toggle, Enabled: true},
		{ID: idSeparator, Separator: true},
		{ID: idQuit, Label: l.Quit, Enabled: true},
	}
}

// action is what clicking item id does; nil for items that do nothing.
func (a Actions) action(id int32) func() {
	switch id {
	case idOpen:
		return a.Open
	case idToggle:
		return a.Toggle
	case idQuit:
		return a.Quit
	}
	return nil
}
