//go:build e2e

package desktop

// e2eDialogsEnv names the folder through which the end-to-end tests answer
// file dialogs (see ScriptedDialogs).
const e2eDialogsEnv = "THINKCLOUD_E2E_DIALOGS"

// fileChooser, in a build for the end-to-end tests only, answers file
// dialogs from the folder in $THINKCLOUD_E2E_DIALOGS instead of showing
// them. A release build has no such switch (chooser_window.go), so no
// environment variable can make an export skip the dialog.
func fileChooser(window *WindowDialogs, getenv func(string) string) FileChooser {
	if dir := getenv(e2eDialogsEnv); dir != "" {
		return &ScriptedDialogs{Dir: dir}
	}
	return window
}
