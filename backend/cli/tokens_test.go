package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"thinkcloud/backend/internal/testrig"
)

func run(fn func([]string, Env) int, args ...string) (string, string, int) {
	var out, errb bytes.Buffer
	code := fn(args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Version: "test"})
	return out.String(), errb.String(), code
}

// TestTokensAndUsageCommands drives `thinkcloud tokens` and `thinkcloud
// usage` over fresh XDG directories.
func TestTokensAndUsageCommands(t *testing.T) {
	dir := t.TempDir()
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"} {
		t.Setenv(v, filepath.Join(dir, v))
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
	out, stderr, code := run(Tokens, "create", "ci", "--models", "deepseek,gpt-6-luna", "--budget", "5USD/month", "--rpm", "60")
	if code != 0 || !strings.Contains(out, "tc-") {
		t.Fatalf("create: %d %s %s", code, out, stderr)
	}
	secret := ""
	for _, f := range strings.Fields(out) {
		if strings.HasPrefix(f, "tc-") {
			secret = f
		}
	}
	settings, _ := os.ReadFile(filepath.Join(dir, "XDG_CONFIG_HOME", "thinkcloud", "settings.json"))
	if secret == "" || bytes.Contains(settings, []byte(secret)) {
		t.Fatalf("the secret %q is in settings.json or was not printed", secret)
	}
	if _, stderr, code := run(Tokens, "create", "bad", "--budget", "5"); code != 1 || !strings.Contains(stderr, "budget") {
		t.Errorf("bad budget: %d %s", code, stderr)
	}
	if _, _, code := run(Tokens, "rename", "ci", "build"); code != 0 {
		t.Fatal("rename failed")
	}
	out, _, _ = run(Tokens, "list")
	if !strings.Contains(out, "build") || !strings.Contains(out, "budget=5USD/month") || !strings.Contains(out, "rpm=60") || strings.Contains(out, secret) || !strings.Contains(out, secret[len(secret)-4:]) {
		t.Fatalf("list:\n%s", out)
	}
	if _, _, code := run(Tokens, "revoke", "build"); code != 0 {
		t.Fatal("revoke failed")
	}
	if out, _, _ := run(Tokens, "list"); !strings.Contains(out, "No tokens") {
		t.Fatalf("list after revoke:\n%s", out)
	}
	if _, stderr, code := run(Tokens, "revoke", "build"); code != 1 || !strings.Contains(stderr, "no token") {
		t.Errorf("second revoke: %d %s", code, stderr)
	}
	out, stderr, code = run(Usage, "--since", "7d", "--by", "provider", "--json")
	var v struct {
		By     string `json:"by"`
		Totals []any  `json:"totals"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || v.By != "provider" || v.Totals == nil {
		t.Fatalf("usage --json: %d %s %s", code, out, stderr)
	}
	if _, stderr, code := run(Usage, "--since", "yesterday"); code != 2 || !strings.Contains(stderr, "--since") {
		t.Errorf("bad --since: %d %s", code, stderr)
	}
}

// TestKeysListShowsBalances: keys list asks DeepSeek and Kimi for their
// balance and prints it beside the key.
func TestKeysListShowsBalances(t *testing.T) {
	t.Parallel()
	rig := testrig.New(t, testrig.Options{Fakes: []string{"deepseek", "kimi", "openai"}})
	var out bytes.Buffer
	keysList(rig.Core, Env{Stdout: &out})
	lines := map[string]string{}
	for _, l := range strings.Split(out.String(), "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			lines[f[0]] = l
		}
	}
	if !strings.Contains(lines["deepseek"], "110.00 CNY") || !strings.Contains(lines["kimi"], "49.59 CNY") || strings.Contains(lines["openai"], "CNY") {
		t.Fatalf("keys list:\n%s", out.String())
	}
}
