package secrets

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseDotEnv(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in string
		want     map[string]string
	}{
		{"basic", "A=1\nB = two \n", map[string]string{"A": "1", "B": "two"}},
		{"comments and blanks", "# hi\n\n  # indented\nA=1 # trailing\nB=x#y\n", map[string]string{"A": "1", "B": "x#y"}},
		{"export", "export DEEPSEEK_API_KEY=sk-1\nexport\tB=2\n", map[string]string{"DEEPSEEK_API_KEY": "sk-1", "B": "2"}},
		{"single quotes literal", `A='a \n # b' # c`, map[string]string{"A": `a \n # b`}},
		{"double quotes escapes", `A="x\"y\\z\n$"`, map[string]string{"A": "x\"y\\z\n$"}},
		{"empty values", "A=\nB=''\nC=\"\"", map[string]string{"A": "", "B": "", "C": ""}},
		{"crlf and bom", "\uFEFFA=1\r\nB='2'\r\n", map[string]string{"A": "1", "B": "2"}},
		{"multi-line double", "A=\"line1\nline2\"\nB=3", map[string]string{"A": "line1\nline2", "B": "3"}},
		{"later wins", "A=1\nA=2", map[string]string{"A": "2"}},
		{"equals in value", "A=b=c", map[string]string{"A": "b=c"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseDotEnv(strings.NewReader(tc.in))
			if err != nil {
				t.Fatalf("ParseDotEnv: %v", err)
			}
			if !maps.Equal(got, tc.want) {
				t.Errorf("got %q; want %q", got, tc.want)
			}
		})
	}
}

func TestParseDotEnvErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, want string }{
		{"no equals", "A=1\nJUSTTEXT\n", "line 2: expected KEY=VALUE"},
		{"bad name", "1A=x", `line 1: invalid variable name "1A"`},
		{"dash in name", "MY-KEY=x", "invalid variable name"},
		{"unterminated", "A=1\nB=\"abc\nC=2", "line 2: unterminated quoted value"},
		{"junk after quote", "A='x' y", "line 1: unexpected text after closing quote"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseDotEnv(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v; want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestLoadDotEnv(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	got, err := LoadDotEnv(filepath.Join(dir, "missing.env"))
	if err != nil || len(got) != 0 {
		t.Errorf("missing file: got %v, %v; want empty map, nil", got, err)
	}
	path := filepath.Join(dir, ".env")
	if err := os.WriteFile(path, []byte("KIMI_API_KEY='sk-k'\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err = LoadDotEnv(path)
	if err != nil || got["KIMI_API_KEY"] != "sk-k" {
		t.Errorf("got %v, %v; want KIMI_API_KEY=sk-k", got, err)
	}
	if err := os.WriteFile(path, []byte("oops\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadDotEnv(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("bad file: err = %v; want it to name %s", err, path)
	}
}
