package secrets

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	t.Parallel()
	const key = "sk-live-0123456789abcdefXYZW"
	for _, tc := range []struct {
		name, in, want string
		keys           []string
	}{
		{"whole key", "Incorrect API key provided: " + key + ".", "Incorrect API key provided: sk-…XYZW.", []string{key}},
		{"key cut short", "bad key sk-live-0123456789ab***", "bad key sk-…XYZW***", []string{key}},
		{"just past the prefix", "bad key sk-live-0", "bad key sk-…XYZW", []string{key}},
		{"only the public prefix", "keys look like sk-live-…", "keys look like sk-live-…", []string{key}},
		{"twice", key + " and " + key, "sk-…XYZW and sk-…XYZW", []string{key}},
		{"every key", "a=" + key + " b=csk-another-secret-key-9876", "a=sk-…XYZW b=csk-…9876", []string{key, "csk-another-secret-key-9876"}},
		{"no prefix", "token abcdefgh1234 rejected", "token **** rejected", []string{"abcdefgh1234"}},
		{"too short to be a key", "use model k2", "use model k2", []string{"k2"}},
		{"nothing to hide", "quota exceeded", "quota exceeded", []string{key}},
	} {
		if got := Redact(tc.in, tc.keys...); got != tc.want {
			t.Errorf("%s: Redact(%q) = %q; want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestStoreRedactsKeysItHandedOut(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DEEPSEEK_API_KEY": "sk-from-the-environment-1234"}
	s := NewStore(Options{Keyring: &MemoryKeyring{}, LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }})
	if err := s.Set("kimi", "sk-kimi-in-the-keyring-5678"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ProviderKey("deepseek", nil); err != nil {
		t.Fatal(err)
	}
	got := s.Redact("keys sk-from-the-environment-1234 and sk-kimi-in-the-keyring-5678")
	if strings.Contains(got, "environment") || strings.Contains(got, "keyring") {
		t.Errorf("got %q; want both keys masked", got)
	}
}

func TestRedactingHandler(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	redact := func(s string) string { return Redact(s, "sk-secret-value-42") }
	log := slog.New(RedactingHandler(slog.NewTextHandler(&buf, nil), redact))
	log.With("pre", "sk-secret-value-42").WithGroup("g").Warn("provider said sk-secret-value-42",
		"error", errors.New("401: sk-secret-value-42 is wrong"), "text", "sk-secret-val", "n", 3)
	out := buf.String()
	if strings.Contains(out, "secret-val") {
		t.Fatalf("a key reached the log: %s", out)
	}
	if !strings.Contains(out, "sk-…e-42") || !strings.Contains(out, "g.n=3") {
		t.Errorf("log lost its content: %s", out)
	}
}
