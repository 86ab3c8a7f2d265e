//go:build !keyring_integration

// These tests replace go-keyring's global provider with its mock, which
// cannot be undone, so they are left out of the integration build where the
// real provider must stay in place. They do not call t.Parallel because
// the mock is shared, unsynchronized package state in go-keyring.

package secrets

import (
	"errors"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

func TestSystemKeyringWithMock(t *testing.T) {
	keyring.MockInit()
	s := NewStore(Options{Keyring: systemKeyring{busAvailable: func() bool { return true }}, LookupEnv: noEnv})
	if _, err := s.Get("openai"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get on empty mock: got %v; want ErrNotFound", err)
	}
	if err := s.Set("openai", "sk-mock"); err != nil {
		t.Fatal(err)
	}
	if v, err := keyring.Get(DefaultService, "openai"); err != nil || v != "sk-mock" {
		t.Errorf("go-keyring holds %q, %v; want sk-mock", v, err)
	}
	if err := s.Delete("openai"); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get(DefaultService, "openai"); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("go-keyring after Delete: got %v; want ErrNotFound", err)
	}
}

func TestSystemKeyringMockErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		reason string
	}{
		{"no secret service", errors.New("The name org.freedesktop.secrets was not provided by any .service files"), "no Secret Service"},
		{"locked", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), "locked"},
		{"no bus", errors.New("dbus: couldn't determine address of session bus"), "cannot connect to the D-Bus session bus"},
		{"other", errors.New("boom"), "boom"},
		{"unsupported", keyring.ErrUnsupportedPlatform, "no supported keyring"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			keyring.MockInitWithError(tc.err)
			s := NewStore(Options{Keyring: systemKeyring{busAvailable: func() bool { return true }}, LookupEnv: noEnv})
			_, err := s.Get("openai")
			var ue *UnavailableError
			if !errors.As(err, &ue) || !strings.Contains(ue.Reason, tc.reason) || !errors.Is(err, tc.err) {
				t.Errorf("got %v; want UnavailableError with reason containing %q wrapping %v", err, tc.reason, tc.err)
			}
		})
	}
	keyring.MockInitWithError(keyring.ErrSetDataTooBig)
	err := NewStore(Options{Keyring: systemKeyring{busAvailable: func() bool { return true }}}).Set("openai", "sk-x")
	if !errors.Is(err, ErrKeyTooLong) {
		t.Errorf("Set with ErrSetDataTooBig: got %v; want ErrKeyTooLong", err)
	}
}

// TestDefaultStoreWithoutBus checks that the zero-Options Store reports an
// unavailable keyring at once, without calling go-keyring, when the session
// bus is disabled. The mock returns a sentinel so a call would be visible;
// an answer that came through the Store's timeout would wrap ErrTimeout.
func TestDefaultStoreWithoutBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
	sentinel := errors.New("go-keyring was called")
	keyring.MockInitWithError(sentinel)
	s := NewStore(Options{})
	for _, op := range []func() error{
		func() error { _, err := s.Get("openai"); return err },
		func() error { return s.Set("openai", "sk-x") },
		func() error { return s.Delete("openai") },
	} {
		err := op()
		if !errors.Is(err, ErrUnavailable) || errors.Is(err, sentinel) || errors.Is(err, ErrTimeout) {
			t.Errorf("got %v; want ErrUnavailable at once, without calling go-keyring", err)
		}
		if err != nil && !strings.Contains(err.Error(), "DBUS_SESSION_BUS_ADDRESS") {
			t.Errorf("error %q; want it to mention DBUS_SESSION_BUS_ADDRESS", err)
		}
	}
}
