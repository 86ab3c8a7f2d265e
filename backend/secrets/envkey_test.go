package secrets

import (
	"errors"
	"strings"
	"testing"
)

// TestKeyWithControlCharacterRefused: a key from the environment or a
// .env file with a control character inside (a pasted line break, an
// escape sequence) can only fail every call; it is refused where it is
// read, naming the variable to fix.
func TestKeyWithControlCharacterRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		env    map[string]string
		dotEnv map[string]string
		want   string // the variable named; "" means the key is accepted
	}{
		{"line break inside, environment", map[string]string{"DEEPSEEK_API_KEY": "sk-abc\ndef0123456789"}, nil, "DEEPSEEK_API_KEY"},
		{"escape sequence, environment", map[string]string{"DEEPSEEK_API_KEY": "sk-abc\x1b[0mdef0123456789"}, nil, "DEEPSEEK_API_KEY"},
		{"tab inside, .env", nil, map[string]string{"DEEPSEEK_API_KEY": "sk-abc\tdef0123456789"}, "DEEPSEEK_API_KEY"},
		{"NUL, .env", nil, map[string]string{"DEEPSEEK_API_KEY": "sk-abc\x00def0123456789"}, "DEEPSEEK_API_KEY"},
		{"trailing newline is trimmed", map[string]string{"DEEPSEEK_API_KEY": "sk-abcdef0123456789\n"}, nil, ""},
	} {
		s := NewStore(Options{Keyring: &MemoryKeyring{}, DotEnv: tc.dotEnv,
			LookupEnv: func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }})
		key, info, err := s.ProviderKey("deepseek", nil)
		if tc.want == "" {
			if err != nil || key != "sk-abcdef0123456789" {
				t.Errorf("%s: got %q, %v; want the trimmed key", tc.name, key, err)
			}
			continue
		}
		if key != "" || info.HasKey || !errors.Is(err, ErrInvalidKey) {
			t.Errorf("%s: got %q (has key %v), %v; want no key and ErrInvalidKey", tc.name, key, info.HasKey, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) || !strings.Contains(info.Error, tc.want) || info.EnvVar != tc.want {
			t.Errorf("%s: error %q, info %+v; want both to name %s", tc.name, err, info, tc.want)
		}
	}
}
