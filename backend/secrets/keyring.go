package secrets

import (
	"errors"
	"strings"

	"github.com/zalando/go-keyring"
)

// Keyring is the storage backend behind a Store. It exists so tests and
// other platforms can inject a fake; the default is the OS keyring through
// github.com/zalando/go-keyring. Get and Delete return an error matching
// ErrNotFound (or go-keyring's own ErrNotFound) for a missing entry.
type Keyring interface {
	// Get returns the secret stored for service and user.
	Get(service, user string) (string, error)
	// Set stores password for service and user, replacing any old value.
	Set(service, user, password string) error
	// Delete removes the secret stored for service and user.
	Delete(service, user string) error
}

// systemKeyring is the default Keyring: go-keyring guarded by a session bus
// check, so a machine without D-Bus fails fast instead of making go-keyring
// spawn dbus-launch, which leaves stray daemons behind.
type systemKeyring struct {
	// busAvailable is SessionBusAvailable in production; tests that use
	// keyring.MockInit replace it because the mock needs no bus.
	busAvailable func() bool
}

func newSystemKeyring() systemKeyring {
	return systemKeyring{busAvailable: SessionBusAvailable}
}

func (k systemKeyring) check() error {
	if !k.busAvailable() {
		return &UnavailableError{Reason: "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset or disabled)"}
	}
	return nil
}

func (k systemKeyring) Get(service, user string) (string, error) {
	if err := k.check(); err != nil {
		return "", err
	}
	v, err := keyring.Get(service, user)
	return v, classify(err)
}

func (k systemKeyring) Set(service, user, password string) error {
	if err := k.check(); err != nil {
		return err
	}
	return classify(keyring.Set(service, user, password))
}

func (k systemKeyring) Delete(service, user string) error {
	if err := k.check(); err != nil {
		return err
	}
	return classify(keyring.Delete(service, user))
}

// classify maps go-keyring and D-Bus errors onto this package's errors.
// Anything that is not "not found" or "too big" means the keyring cannot be
// used, so it becomes an UnavailableError with the most helpful reason the
// error text allows (go-keyring does not export typed D-Bus errors).
func classify(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return ErrNotFound
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return ErrKeyTooLong
	case errors.Is(err, keyring.ErrUnsupportedPlatform):
		return &UnavailableError{Reason: "this platform has no supported keyring", Err: err}
	}
	msg := err.Error()
	reason := "the keyring returned an error: " + msg
	switch {
	case strings.Contains(msg, "ServiceUnknown"), strings.Contains(msg, "not provided by any .service files"):
		reason = "no Secret Service (org.freedesktop.secrets) is running"
	case strings.Contains(msg, "failed to unlock"), strings.Contains(msg, "IsLocked"):
		reason = "the keyring is locked and could not be unlocked"
	case strings.HasPrefix(msg, "dbus:"), strings.Contains(msg, "connection refused"), strings.Contains(msg, "no such file or directory"):
		reason = "cannot connect to the D-Bus session bus: " + msg
	}
	return &UnavailableError{Reason: reason, Err: err}
}
