//go:build keyring_integration

// These tests use the real OS keyring through go-keyring. Run them inside a
// throwaway gnome-keyring with
//
//	scripts/keyring-test.sh go test -race -tags keyring_integration ./backend/secrets/
//
// Each test uses its own random service name so runs never see each other's
// entries or the user's real ThinkCloud keys.

package secrets

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	dbus "github.com/godbus/dbus/v5"
	"github.com/google/uuid"
	ss "github.com/zalando/go-keyring/secret_service"
)

func realStore(t *testing.T, opts Options) *Store {
	t.Helper()
	if !SessionBusAvailable() {
		t.Fatal("no D-Bus session bus; run through scripts/keyring-test.sh")
	}
	if opts.Service == "" {
		opts.Service = "ThinkCloudTest-" + uuid.NewString()
	}
	if opts.LookupEnv == nil {
		opts.LookupEnv = noEnv
	}
	return NewStore(opts)
}

// secretTool reads an entry with libsecret's CLI, an independent client,
// to prove the value really is in the Secret Service and not in a mock.
func secretTool(t *testing.T, service, user string) (string, bool) {
	t.Helper()
	out, err := exec.Command("secret-tool", "lookup", "service", service, "username", user).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && len(out) == 0 {
			return "", false
		}
		t.Fatalf("secret-tool lookup: %v", err)
	}
	return string(out), true
}

func TestIntegrationSetGetDelete(t *testing.T) {
	s := realStore(t, Options{})
	if _, err := s.Get("deepseek"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get before Set: got %v; want ErrNotFound", err)
	}
	if err := s.Set("deepseek", " sk-integration-0123456789\n"); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if got, ok := secretTool(t, s.service, "deepseek"); !ok || got != "sk-integration-0123456789" {
		t.Errorf("secret-tool sees %q (found %v); want sk-integration-0123456789", got, ok)
	}
	fresh := realStore(t, Options{Service: s.service}) // no cache
	if got, err := fresh.Get("deepseek"); err != nil || got != "sk-integration-0123456789" {
		t.Errorf("fresh Get = %q, %v; want sk-integration-0123456789, nil", got, err)
	}
	if err := s.Set("deepseek", "sk-replaced-0123456789"); err != nil {
		t.Fatalf("second Set: %v", err)
	}
	if got, _ := secretTool(t, s.service, "deepseek"); got != "sk-replaced-0123456789" {
		t.Errorf("after replace secret-tool sees %q; want sk-replaced-0123456789", got)
	}
	if err := s.Delete("deepseek"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if got, ok := secretTool(t, s.service, "deepseek"); ok {
		t.Errorf("secret-tool still sees %q after Delete", got)
	}
	if _, err := realStore(t, Options{Service: s.service}).Get("deepseek"); !errors.Is(err, ErrNotFound) {
		t.Errorf("fresh Get after Delete: got %v; want ErrNotFound", err)
	}
	if err := s.Delete("deepseek"); err != nil {
		t.Errorf("Delete of missing entry: got %v; want nil", err)
	}
}

func TestIntegrationProviderKeySources(t *testing.T) {
	env := map[string]string{"OPENAI_API_KEY": "sk-from-env-0123456789"}
	dot := map[string]string{"KIMI_API_KEY": "sk-from-dotenv-0123456789"}
	s := realStore(t, Options{LookupEnv: envOf(env), DotEnv: dot})
	for _, p := range []string{"openai", "kimi", "deepseek"} {
		if err := s.Set(p, "sk-from-ring-"+p+"-0123456789"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Delete(p) })
	}
	for _, tc := range []struct {
		provider string
		wantKey  string
		wantSrc  Source
		wantErr  error
	}{
		{"openai", "sk-from-env-0123456789", SourceEnvironment, nil},
		{"kimi", "sk-from-dotenv-0123456789", SourceDotEnv, nil},
		{"deepseek", "sk-from-ring-deepseek-0123456789", SourceKeyring, nil},
		{"cerebras", "", SourceNone, ErrNotFound},
	} {
		key, info, err := realStore(t, Options{Service: s.service, LookupEnv: envOf(env), DotEnv: dot}).ProviderKey(tc.provider, nil)
		if key != tc.wantKey || info.Source != tc.wantSrc || !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
			t.Errorf("ProviderKey(%q) = %q, %+v, %v; want %q, source %q, err %v", tc.provider, key, info, err, tc.wantKey, tc.wantSrc, tc.wantErr)
		}
	}
}

func TestIntegrationAccessToken(t *testing.T) {
	s := realStore(t, Options{})
	t.Cleanup(func() { _ = s.Delete(AccessTokenUser) })
	if _, err := s.AccessToken(false); !errors.Is(err, ErrNotFound) {
		t.Fatalf("AccessToken(false) before creation: got %v; want ErrNotFound", err)
	}
	tok, err := s.AccessToken(true)
	if err != nil || !strings.HasPrefix(tok, "tc-") {
		t.Fatalf("AccessToken(true) = %q, %v; want a tc- token", tok, err)
	}
	if got, err := realStore(t, Options{Service: s.service}).AccessToken(false); err != nil || got != tok {
		t.Errorf("fresh AccessToken(false) = %q, %v; want %q", got, err, tok)
	}
	next, err := s.RegenerateAccessToken()
	if err != nil || next == tok {
		t.Fatalf("RegenerateAccessToken = %q, %v; want a new token", next, err)
	}
	if got, _ := secretTool(t, s.service, AccessTokenUser); got != next {
		t.Errorf("secret-tool sees %q; want regenerated %q", Mask(got), Mask(next))
	}
}

// With the bus disabled the Store answers at once, from its bus check: not
// through its timeout (which would wrap ErrTimeout) and not by trying the
// bus (which would say it could not connect).
func TestIntegrationDisabledBusIsUnavailableFast(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
	s := NewStore(Options{Service: "ThinkCloudTest-" + uuid.NewString(), LookupEnv: noEnv})
	_, err := s.Get("deepseek")
	var ue *UnavailableError
	if !errors.As(err, &ue) || errors.Is(err, ErrTimeout) {
		t.Fatalf("Get: got %v; want *UnavailableError, not a timeout", err)
	}
	for _, want := range []string{"no D-Bus session bus", "DBUS_SESSION_BUS_ADDRESS", "gnome-keyring", "_API_KEY"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q; want it to contain %q", err, want)
		}
	}
	_, info, err := s.ProviderKey("deepseek", nil)
	if !errors.Is(err, ErrUnavailable) || info.Error == "" || info.Source != SourceNone {
		t.Errorf("ProviderKey = %+v, %v; want unavailable with info.Error set", info, err)
	}
}

// TestIntegrationLockedKeyring locks the login collection, checks that the
// Store reports it as unavailable quickly (gnome-keyring's prompter cannot
// open a display here, so the unlock prompt fails at once), then unlocks it
// again with the password scripts/keyring-test.sh fed to the daemon.
func TestIntegrationLockedKeyring(t *testing.T) {
	password, ok := os.LookupEnv("KEYRING_TEST_PASSWORD")
	if !ok {
		t.Fatal("KEYRING_TEST_PASSWORD is unset; run through scripts/keyring-test.sh")
	}
	s := realStore(t, Options{})
	if err := s.Set("openai", "sk-locked-0123456789"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Delete("openai") })

	svc, err := ss.NewSecretService()
	if err != nil {
		t.Fatal(err)
	}
	login := dbus.ObjectPath("/org/freedesktop/secrets/collection/login")
	service := svc.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	if err := service.Call("org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{login}).Err; err != nil {
		t.Fatalf("lock login collection: %v", err)
	}
	t.Cleanup(func() {
		session, err := svc.OpenSession()
		if err != nil {
			t.Fatalf("open session to unlock: %v", err)
		}
		defer svc.Close(session)
		// gnome-keyring-daemon --unlock keeps the trailing newline of
		// the password it read from stdin.
		err = service.Call("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface.UnlockWithMasterPassword",
			0, login, ss.NewSecret(session.Path(), password+"\n")).Err
		if err != nil {
			t.Fatalf("unlock login collection: %v", err)
		}
	})

	// The answer is the keyring's own refusal, not the Store giving up on
	// a prompt nobody can see: its timeout is long here (it bounds a hang
	// only), and a timeout would wrap ErrTimeout.
	_, err = realStore(t, Options{Service: s.service, Timeout: time.Minute}).Get("openai")
	if !errors.Is(err, ErrUnavailable) || errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "could not be unlocked") {
		t.Errorf("Get on locked keyring: got %v; want ErrUnavailable saying it is locked and could not be unlocked", err)
	}
	if got, err := s.Get("openai"); err != nil || got != "sk-locked-0123456789" {
		t.Errorf("cached Get while locked = %q, %v; want the cached key", got, err)
	}
}
