// Package secrets keeps ThinkCloud's API keys and the local access token in
// the operating system's keyring and never in a file.
//
// A provider's key is looked up in three layers, first match wins: the
// process environment (for example DEEPSEEK_API_KEY), a .env file parsed by
// ParseDotEnv, and finally the OS keyring (service "ThinkCloud", one entry
// per provider id). The layer that supplied a key is reported as a Source so
// the UI and the CLI can say where a key came from.
//
// Every keyring call runs in its own goroutine with a timeout, because a
// locked or wedged Secret Service can block a D-Bus call forever. When the
// keyring cannot be used, the error is an *UnavailableError that explains how
// to fix the machine; there is deliberately no fallback to a plaintext file.
package secrets

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// DefaultService is the keyring service name every ThinkCloud entry is
// stored under, so all of the app's secrets are grouped in keyring UIs such
// as Seahorse or KWalletManager.
const DefaultService = "ThinkCloud"

// AccessTokenUser is the keyring user name of the local endpoint's access
// token; it cannot clash with a provider id because provider ids never
// contain this exact name.
const AccessTokenUser = "local-access-token"

// ReasoningKeyUser is the keyring user name of the key that seals the
// reasoning /v1/responses hands to clients (base64 of 32 random bytes).
const ReasoningKeyUser = "responses-reasoning-key"

// DefaultTimeout bounds every keyring call when Options.Timeout is zero; it
// is long enough for an idle gnome-keyring and short enough that a hung
// Secret Service does not freeze the window.
const DefaultTimeout = 3 * time.Second

// MaxKeyBytes is the largest secret accepted by Set. It is the limit of the
// Windows Credential Manager, enforced on every platform so a key that works
// on one machine also works on another.
const MaxKeyBytes = 2560

// ErrNotFound reports that no secret exists for the requested name. Callers
// compare with errors.Is; it is never used for an unreachable keyring.
var ErrNotFound = errors.New("secret not found")

// ErrUnavailable is matched by errors.Is for every *UnavailableError, so
// callers that only need a yes/no answer do not have to use errors.As.
var ErrUnavailable = errors.New("keyring unavailable")

// ErrTimeout is wrapped inside the *UnavailableError returned when the
// keyring did not answer in time, so callers can tell a hang (often a
// locked keyring waiting on a password prompt) from a missing service.
var ErrTimeout = errors.New("keyring did not answer")

// ErrEmptyKey is returned by Set for a value that is empty after trimming;
// storing it would only hide the "no key configured" state.
var ErrEmptyKey = errors.New("key is empty")

// ErrKeyTooLong is returned by Set for values over MaxKeyBytes so the user
// sees a clear message instead of a platform-specific keyring failure.
var ErrKeyTooLong = fmt.Errorf("key is longer than %d bytes, the most the Windows Credential Manager can store", MaxKeyBytes)

// ErrInvalidKey is returned by Set for values containing line breaks or other
// control characters, which are always paste accidents and would break the
// HTTP Authorization header later.
var ErrInvalidKey = errors.New("key contains a line break or control character")

// UnavailableError reports that the OS keyring cannot be used at all: no
// D-Bus session bus, no Secret Service, a locked keyring or one that did not
// answer. Its message tells the user what to install or unlock, and that the
// <ID>_API_KEY environment variables work without any keyring.
type UnavailableError struct {
	// Reason says what is wrong, in a lower-case phrase such as
	// "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset)".
	Reason string
	// Err is the underlying cause, if any; it is exposed via Unwrap.
	Err error
}

// Error returns the reason followed by how to fix it.
func (e *UnavailableError) Error() string {
	return "keyring unavailable: " + e.Reason +
		"; install and unlock a Secret Service keyring (gnome-keyring or KWallet)" +
		" or set the provider's <ID>_API_KEY environment variable instead (for example DEEPSEEK_API_KEY)"
}

// Unwrap exposes the underlying cause to errors.Is and errors.As.
func (e *UnavailableError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrUnavailable) true for every UnavailableError.
func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }

// Source names where a provider's key was found. It is a string so it can be
// sent to the UI as JSON unchanged.
type Source string

// The possible key sources, in lookup order.
const (
	// SourceEnvironment means a process environment variable supplied the key.
	SourceEnvironment Source = "environment"
	// SourceDotEnv means a .env file supplied the key.
	SourceDotEnv Source = "dotenv"
	// SourceKeyring means the OS keyring supplied the key.
	SourceKeyring Source = "keyring"
	// SourceNone means no layer had a key.
	SourceNone Source = "none"
)

// KeyInfo describes a provider's key without revealing it, for settings
// screens and `thinkcloud keys list` style output.
type KeyInfo struct {
	// Provider is the provider id the information is about.
	Provider string `json:"provider"`
	// HasKey is true when any layer supplied a non-empty key.
	HasKey bool `json:"hasKey"`
	// Source is the layer that supplied the key, or SourceNone.
	Source Source `json:"source"`
	// Hint is Mask of the key, safe to display; empty without a key.
	Hint string `json:"hint"`
	// EnvVar is the variable that supplied the key for the environment and
	// dotenv sources; otherwise it is the preferred variable the user could
	// set, so the UI can suggest it.
	EnvVar string `json:"envVar,omitempty"`
	// Error is the keyring problem, if one prevented the lookup, as text
	// for the UI.
	Error string `json:"error,omitempty"`
}

// knownPrefixes are key prefixes that are not secret and help users tell
// keys apart. Longer prefixes come first so the longest match wins.
func knownPrefixes() []string {
	return []string{"sk-proj-", "sk-or-v1-", "sk-ant-", "csk-", "sk-", "tc-"}
}

// minMaskedLen is the shortest key whose last four characters are shown;
// shorter values are fully masked because four characters would reveal
// too large a share of them.
const minMaskedLen = 16

// Mask returns a display hint such as "sk-…a1b2": a well-known non-secret
// prefix when present, an ellipsis and the last four characters. Keys shorter
// than 16 characters are shown as "****" and an empty key as "". Use it for
// every log line and UI label that refers to a key.
func Mask(key string) string {
	key = strings.TrimSpace(key)
	if key == "" {
		return ""
	}
	n := utf8.RuneCountInString(key)
	if n < minMaskedLen {
		return "****"
	}
	prefix := ""
	for _, p := range knownPrefixes() {
		if strings.HasPrefix(key, p) {
			prefix = p
			break
		}
	}
	runes := []rune(key)
	return prefix + "…" + string(runes[n-4:])
}

// normalizeKey trims surrounding whitespace and enforces the rules Set
// documents.
func normalizeKey(value string) (string, error) {
	value = strings.TrimSpace(value)
	switch {
	case value == "":
		return "", ErrEmptyKey
	case len(value) > MaxKeyBytes:
		return "", ErrKeyTooLong
	case strings.IndexFunc(value, unicode.IsControl) >= 0:
		return "", ErrInvalidKey
	}
	return value, nil
}

// validKey reports whether a key read from the environment or a .env
// file can be sent: no control characters once surrounding whitespace is
// trimmed (they would make the Authorization header invalid).
func validKey(v string) bool {
	return strings.IndexFunc(strings.TrimSpace(v), unicode.IsControl) < 0
}

// validName rejects keyring user names that would be ambiguous or invisible
// in keyring UIs.
func validName(name string) error {
	if strings.TrimSpace(name) != name || name == "" || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return fmt.Errorf("invalid secret name %q", name)
	}
	return nil
}
