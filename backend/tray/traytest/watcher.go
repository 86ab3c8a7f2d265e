// Package traytest is a small StatusNotifierWatcher and a private session
// bus, for tests of the tray: the unit tests and the real-window test
// (tests/sniwatcher) use the same watcher.
package traytest

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/prop"
)

const (
	watcherName  = "org.kde.StatusNotifierWatcher"
	watcherPath  = "/StatusNotifierWatcher"
	watcherIface = "org.kde.StatusNotifierWatcher"
)

// Watcher owns org.kde.StatusNotifierWatcher and records the items that
// register, as a tray host would.
type Watcher struct {
	mu         sync.Mutex
	items      []string
	registered chan string
}

// Serve makes conn the watcher. Registered items arrive on Registered.
func Serve(conn *dbus.Conn) (*Watcher, error) {
	w := &Watcher{registered: make(chan string, 16)}
	if err := conn.ExportMethodTable(map[string]any{
		"RegisterStatusNotifierItem": func(sender dbus.Sender, service string) *dbus.Error {
			// The spec allows an object path instead of a bus name; the
			// item is then the sender's.
			if strings.HasPrefix(service, "/") {
				service = string(sender)
			}
			w.mu.Lock()
			w.items = append(w.items, service)
			w.mu.Unlock()
			w.registered <- service
			return nil
		},
		"RegisterStatusNotifierHost": func(service string) *dbus.Error { return nil },
	}, watcherPath, watcherIface); err != nil {
		return nil, err
	}
	if _, err := prop.Export(conn, watcherPath, prop.Map{watcherIface: {
		"RegisteredStatusNotifierItems":  {Value: []string{}, Emit: prop.EmitFalse},
		"IsStatusNotifierHostRegistered": {Value: true, Emit: prop.EmitFalse},
		"ProtocolVersion":                {Value: int32(0), Emit: prop.EmitFalse},
	}}); err != nil {
		return nil, err
	}
	reply, err := conn.RequestName(watcherName, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		return nil, fmt.Errorf("own %s: %v (reply %v)", watcherName, err, reply)
	}
	return w, nil
}

// Registered delivers each registered item's bus name.
func (w *Watcher) Registered() <-chan string { return w.registered }

// Bus starts a private session bus for one test (no service activation,
// so nothing else starts on it) and returns its address.
func Bus(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	conf := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir=`+dir+`</listen>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>`), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start dbus-daemon: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("read the bus address: %v", err)
	}
	return strings.TrimSpace(addr)
}

// Conn connects to the bus at addr, closed when the test ends.
func Conn(t testing.TB, addr string) *dbus.Conn {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatalf("connect to the test bus: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}
