//go:build !linux

package secrets

// SessionBusAvailable reports whether a D-Bus session bus can be reached.
// Outside Linux the keyring does not use D-Bus, so it is always true and
// callers can use the same code path on every platform.
func SessionBusAvailable() bool { return true }
