//go:build e2e

package main

import (
	"os"

	"thinkcloud/backend/desktop"
)

// e2eDialogsEnv names the folder through which the end-to-end tests answer
// file dialogs (see desktop.ScriptedDialogs).
const e2eDialogsEnv = "THINKCLOUD_E2E_DIALOGS"

// fileChooser, in a build for the end-to-end tests only, answers file
// dialogs from the folder in $THINKCLOUD_E2E_DIALOGS instead of showing
// them. A release build has no such switch (dialogs_window.go), so no
// environment variable can make an export skip the dialog.
func fileChooser(window *desktop.WindowDialogs) desktop.FileChooser {
	if dir := os.Getenv(e2eDialogsEnv); dir != "" {
		return &desktop.ScriptedDialogs{Dir: dir}
	}
	return window
}
