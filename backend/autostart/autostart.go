// Package autostart makes ThinkCloud start, hidden, when the user logs in:
// an XDG autostart entry on Linux and the other freedesktop systems, the
// per-user Run key on Windows. macOS would use a LaunchAgent (see
// docs/PACKAGING.md); there Set returns ErrUnsupported.
package autostart

import (
	"errors"
	"strings"
)

// HiddenFlag is the flag the entry passes, so a login start keeps the
// window hidden and only the endpoint (and tray) come up.
const HiddenFlag = "--hidden"

// ErrUnsupported is returned where this platform has no implementation.
var ErrUnsupported = errors.New("start at login is not supported on this system yet")

// Entry is the login start of one executable.
type Entry struct {
	// Exe is the absolute path of the executable to start.
	Exe string
	// Dir is where the entry lives: the XDG autostart folder on Linux
	// ($XDG_CONFIG_HOME/autostart); unused on Windows.
	Dir string
}

// quoteArg quotes an argument for a desktop entry's Exec key and for a
// Windows command line alike: inside double quotes, with \ " ` $ escaped
// (the desktop entry spec's reserved characters).
func quoteArg(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", `$`, `\$`)
	return `"` + r.Replace(s) + `"`
}
