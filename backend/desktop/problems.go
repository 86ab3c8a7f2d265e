package desktop

import (
	"errors"
	"maps"
	"strconv"

	"thinkcloud/backend/config"
)

// Problem is an error the window words in its own language: a stable
// Code with the Params its sentence needs, and Message, the English, for
// logs and for a window that does not know the code. Bound methods return
// it (maybe wrapped); FormatError hands it to the window whole.
type Problem struct {
	Code   string            `json:"code"`
	Params map[string]string `json:"params,omitempty"`
	// Rule is the code of the settings rule the first bad field breaks
	// (config.Rules), for settings_invalid and for a settings file refused
	// at start (settings_moved, settings_held); its parameters are in Params.
	Rule    string `json:"rule,omitempty"`
	Message string `json:"message"`
	err     error
}

// Problem codes. Every one is in problemCodes, from which the window's
// ProblemCode type is generated; a window test fails when one has no
// English or Chinese sentence.
const (
	ProblemEmptyMessage       = "empty_message"
	ProblemUnknownModel       = "unknown_model"       // model
	ProblemNoClipboardTool    = "no_clipboard_tool"   //
	ProblemClipboardTooLarge  = "clipboard_too_large" // mb
	ProblemNoDialogs          = "no_dialogs"
	ProblemWindowNotReady     = "window_not_ready"
	ProblemHistoryClosed      = "history_closed"
	ProblemHistoryUnavailable = "history_unavailable" // error
	ProblemUpdateCheckOff     = "update_check_off"
	ProblemQuitUnavailable    = "quit_unavailable"
	ProblemLoginUnavailable   = "login_unavailable"
	ProblemLinkScheme         = "link_scheme"      // link
	ProblemNoLinkOpener       = "no_link_opener"   // program
	ProblemDiskFull           = "disk_full"        // path
	ProblemReadOnly           = "read_only"        // path
	ProblemNoPermission       = "no_permission"    // path, dir
	ProblemNoFolder           = "no_folder"        // path, dir
	ProblemImportTooLarge     = "import_too_large" // path, mb
	ProblemSettingsMoved      = "settings_moved"   // problem, movedTo
	ProblemSettingsHeld       = "settings_held"    // problem, path
	ProblemSettingsInvalid    = "settings_invalid" // field, more, and Rule's params
)

// problemCodes are every Problem code, for the window's contract.
var problemCodes = []string{ProblemEmptyMessage, ProblemUnknownModel, ProblemNoClipboardTool, ProblemClipboardTooLarge,
	ProblemNoDialogs, ProblemWindowNotReady, ProblemHistoryClosed, ProblemHistoryUnavailable, ProblemUpdateCheckOff,
	ProblemQuitUnavailable, ProblemLoginUnavailable, ProblemLinkScheme, ProblemNoLinkOpener, ProblemDiskFull,
	ProblemReadOnly, ProblemNoPermission, ProblemNoFolder, ProblemImportTooLarge, ProblemSettingsMoved, ProblemSettingsHeld, ProblemSettingsInvalid}

func (p *Problem) Error() string { return p.Message }

// Unwrap is the error the Problem words, so errors.Is still sees through
// it (a full disk is still syscall.ENOSPC).
func (p *Problem) Unwrap() error { return p.err }

// newProblem is err as a Problem of code; kv are the params as
// name, value pairs.
func newProblem(code string, err error, kv ...string) *Problem {
	p := &Problem{Code: code, Message: err.Error(), err: err}
	if len(kv) > 0 {
		p.Params = map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			p.Params[kv[i]] = kv[i+1]
		}
	}
	return p
}

// mb writes a byte count in MiB for a Problem's params.
func mb(n int) string { return strconv.Itoa(n >> 20) }

// FormatError is the window's ErrorFormatter (main.go): an error with a
// Problem in its chain reaches the window as the Problem, with the whole
// English message, so the window can word it; any other error as its text.
func FormatError(err error) any {
	var p *Problem
	if errors.As(err, &p) {
		return &Problem{Code: p.Code, Params: p.Params, Rule: p.Rule, Message: err.Error()}
	}
	if rule, params, ok := ruleParams(err); ok {
		// Settings, an assistant or a token that breaks a rule: the window
		// words the first bad field and says how many more there are.
		return &Problem{Code: ProblemSettingsInvalid, Rule: rule, Params: params, Message: err.Error()}
	}
	return err.Error()
}

// ruleParams is the rule the first config.FieldError in err breaks, and
// the params the window words it with: "field", the rule's own and
// "more", how many other fields are bad (when any).
func ruleParams(err error) (rule string, params map[string]string, ok bool) {
	var fe *config.FieldError
	if !errors.As(err, &fe) {
		return "", nil, false
	}
	params = map[string]string{"field": fe.Field}
	maps.Copy(params, fe.Params)
	if n := countFieldErrors(err); n > 1 {
		params["more"] = strconv.Itoa(n - 1)
	}
	return fe.Rule, params, true
}

// countFieldErrors counts the config.FieldErrors in err's tree (Validate
// joins one per bad field).
func countFieldErrors(err error) int {
	if _, ok := err.(*config.FieldError); ok {
		return 1
	}
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		n := 0
		for _, e := range u.Unwrap() {
			n += countFieldErrors(e)
		}
		return n
	case interface{ Unwrap() error }:
		if e := u.Unwrap(); e != nil {
			return countFieldErrors(e)
		}
	}
	return 0
}
