package desktop

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"thinkcloud/backend/internal/atomicfile"
)

// WindowState is what the window remembers between runs: its size and
// place, and the view it showed. It lives in a small file beside the
// settings (window.json), since it changes on every close and is no
// setting a person edits.
type WindowState struct {
	Width  int `json:"width"`
	Height int `json:"height"`
	X      int `json:"x"`
	Y      int `json:"y"`
	// Placed is true once X and Y were saved (0,0 is a real place).
	Placed bool `json:"placed"`
	// View is the last view: "chat", "settings" or "usage".
	View string `json:"view"`
}

// Window size bounds; a saved size outside them (a damaged file, a
// screen since removed) falls back to the default.
const (
	MinWidth, MinHeight         = 720, 480
	DefaultWidth, DefaultHeight = 1200, 800
	maxSide                     = 16384
)

// LoadWindowState reads path; a missing or damaged file gives the
// defaults, since losing a window size costs nothing.
func LoadWindowState(path string) WindowState {
	ws := WindowState{Width: DefaultWidth, Height: DefaultHeight, View: "chat"}
	b, err := os.ReadFile(path)
	if err != nil {
		return ws
	}
	var got WindowState
	if json.Unmarshal(b, &got) != nil {
		return ws
	}
	if got.Width >= MinWidth && got.Width <= maxSide && got.Height >= MinHeight && got.Height <= maxSide {
		ws.Width, ws.Height = got.Width, got.Height
	}
	if got.Placed && got.X > -maxSide && got.X < maxSide && got.Y > -maxSide && got.Y < maxSide {
		ws.X, ws.Y, ws.Placed = got.X, got.Y, true
	}
	if got.View == "chat" || got.View == "settings" || got.View == "usage" {
		ws.View = got.View
	}
	return ws
}

// SaveWindowState writes ws to path atomically.
func SaveWindowState(path string, ws WindowState) error {
	b, err := json.MarshalIndent(ws, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("save window state: %w", err)
	}
	if err := atomicfile.Write(atomicfile.OS(), path, b, 0o600); err != nil {
		return fmt.Errorf("save window state: %w", err)
	}
	return nil
}
