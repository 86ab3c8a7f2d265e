package secrets

import (
	"fmt"
	"os"
	"strings"
)

// SessionBusAvailable reports whether a D-Bus session bus can be reached
// without autolaunching one. Callers use it before touching go-keyring,
// which otherwise runs dbus-launch and leaves a stray daemon on machines
// without a session (SSH logins, containers, CI).
//
// It is false when DBUS_SESSION_BUS_ADDRESS is "disabled:" (the documented
// way to turn the bus off), and false when the variable is unset, empty or
// "autolaunch:" unless /run/user/<uid>/bus or /run/user/<uid>/dbus-session
// exists, the two places godbus checks before falling back to dbus-launch.
func SessionBusAvailable() bool {
	return sessionBusAvailable(os.Getenv("DBUS_SESSION_BUS_ADDRESS"), os.Getuid(), fileExists)
}

func sessionBusAvailable(addr string, uid int, exists func(string) bool) bool {
	addr = strings.TrimSpace(addr)
	if strings.HasPrefix(addr, "disabled:") {
		return false
	}
	if addr != "" && addr != "autolaunch:" {
		return true
	}
	dir := fmt.Sprintf("/run/user/%d", uid)
	return exists(dir+"/bus") || exists(dir+"/dbus-session")
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
