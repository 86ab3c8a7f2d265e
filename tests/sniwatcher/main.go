// Command sniwatcher is a StatusNotifierWatcher for the real-window test
// (tests/window/background.sh): it owns the watcher name on the session
// bus and prints "registered NAME" for each tray item that registers.
package main

import (
	"fmt"
	"os"

	"github.com/godbus/dbus/v5"

	"thinkcloud/backend/tray/traytest"
)

func main() {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		fmt.Fprintln(os.Stderr, "sniwatcher:", err)
		os.Exit(1)
	}
	w, err := traytest.Serve(conn)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sniwatcher:", err)
		os.Exit(1)
	}
	fmt.Println("ready")
	for name := range w.Registered() {
		fmt.Println("registered", name)
	}
}
