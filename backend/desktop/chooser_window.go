//go:build !e2e

package desktop

// fileChooser is what asks where an export goes and which file to import:
// the window's native dialogs.
func fileChooser(window *WindowDialogs, _ func(string) string) FileChooser { return window }
