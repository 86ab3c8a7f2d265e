//go:build windows

package autostart

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

const (
	runKey    = `Software\Microsoft\Windows\CurrentVersion\Run`
	valueName = "ThinkCloud"
)

// Set writes (on) or deletes (off) the HKCU Run value. Deleting a missing
// value is not an error.
func (e Entry) Set(on bool) error {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.SET_VALUE|registry.QUERY_VALUE)
	if err != nil {
		return fmt.Errorf("open the Run key: %w", err)
	}
	defer k.Close()
	if !on {
		if err := k.DeleteValue(valueName); err != nil && !errors.Is(err, registry.ErrNotExist) {
			return fmt.Errorf("delete the Run value: %w", err)
		}
		return nil
	}
	if err := k.SetStringValue(valueName, quoteArg(e.Exe)+" "+HiddenFlag); err != nil {
		return fmt.Errorf("set the Run value: %w", err)
	}
	return nil
}

// Enabled reports whether the Run value starts this executable.
func (e Entry) Enabled() bool {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	defer k.Close()
	v, _, err := k.GetStringValue(valueName)
	return err == nil && v == quoteArg(e.Exe)+" "+HiddenFlag
}
