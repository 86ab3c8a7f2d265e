//go:build !windows && !darwin

package autostart

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"thinkcloud/backend/internal/atomicfile"
)

// fileName is the entry's name; one per user, whatever the install path.
const fileName = "thinkcloud.desktop"

// Path is the entry's file.
func (e Entry) Path() string { return filepath.Join(e.Dir, fileName) }

// Set writes the entry (on) or removes it (off). Removing a missing entry
// is not an error.
func (e Entry) Set(on bool) error {
	if e.Dir == "" {
		return errors.New("start at login: no autostart folder")
	}
	if !on {
		if err := os.Remove(e.Path()); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove autostart entry: %w", err)
		}
		return nil
	}
	if !filepath.IsAbs(e.Exe) || strings.ContainsAny(e.Exe, "\n\r") {
		return fmt.Errorf("start at login: %q is not an absolute executable path", e.Exe)
	}
	if err := os.MkdirAll(e.Dir, 0o700); err != nil {
		return fmt.Errorf("create autostart folder: %w", err)
	}
	body := "[Desktop Entry]\nType=Application\nName=ThinkCloud\n" +
		"Comment=Local gateway to your cloud LLMs, started at login\n" +
		"Exec=" + quoteArg(e.Exe) + " " + HiddenFlag + "\n" +
		"Icon=thinkcloud\nTerminal=false\nX-GNOME-Autostart-enabled=true\n"
	if err := atomicfile.Write(atomicfile.OS(), e.Path(), []byte(body), 0o644); err != nil {
		return fmt.Errorf("write autostart entry: %w", err)
	}
	return nil
}

// Enabled reports whether the entry exists and starts this executable.
func (e Entry) Enabled() bool {
	b, err := os.ReadFile(e.Path())
	return err == nil && strings.Contains(string(b), "Exec="+quoteArg(e.Exe)+" ")
}
