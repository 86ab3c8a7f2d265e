//go:build !e2e

package main

import "thinkcloud/backend/desktop"

// fileChooser is what asks where an export goes and which file to import:
// the window's native dialogs.
func fileChooser(window *desktop.WindowDialogs) desktop.FileChooser { return window }
