//go:build darwin

package autostart

// Set is not implemented on macOS yet; docs/PACKAGING.md plans a
// LaunchAgent.
func (e Entry) Set(on bool) error {
	if !on {
		return nil
	}
	return ErrUnsupported
}

// Enabled is always false on macOS for now.
func (e Entry) Enabled() bool { return false }
