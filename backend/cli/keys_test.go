package cli

import (
	"bytes"
	"strings"
	"testing"

	"thinkcloud/backend/internal/testrig"
)

func runKeys(t *testing.T, rig *testrig.Rig, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := keysWith(rig.Core, args, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb})
	return out.String(), errb.String(), code
}

// lineWith finds the keys list line of provider and label.
func lineWith(out, provider, label string) string {
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		if len(f) > 1 && f[0] == provider && f[1] == label {
			return l
		}
	}
	return ""
}

func TestKeysLabels(t *testing.T) {
	t.Parallel()
	rig := testrig.New(t, testrig.Options{})
	// A key from before labels: the keyring entry named after the provider.
	if out, errOut, code := runKeys(t, rig, "sk-default-0001\n", "set", "deepseek"); code != 0 {
		t.Fatalf("keys set: %d %s %s", code, out, errOut)
	}
	out, errOut, code := runKeys(t, rig, "sk-work-00000002\n", "add", "deepseek", "--label", "work")
	if code != 0 || strings.Contains(out, "sk-work-00000002") {
		t.Fatalf("keys add: %d %s %s", code, out, errOut)
	}
	out, _, _ = runKeys(t, rig, "", "list")
	def, work := lineWith(out, "deepseek", "default"), lineWith(out, "deepseek", "work")
	if def == "" || work == "" || !strings.Contains(work, "keyring") || !strings.Contains(work, "ok") || strings.Contains(out, "sk-work-00000002") {
		t.Fatalf("keys list:\n%s", out)
	}
	if lineWith(out, "kimi", "-") == "" || !strings.Contains(lineWith(out, "kimi", "-"), "none") {
		t.Fatalf("a provider without keys has no 'none' line:\n%s", out)
	}
	if _, _, code := runKeys(t, rig, "", "delete", "deepseek", "--label", "work"); code != 0 {
		t.Fatal("keys delete --label failed")
	}
	out, _, _ = runKeys(t, rig, "", "list")
	if lineWith(out, "deepseek", "work") != "" || lineWith(out, "deepseek", "default") == "" {
		t.Fatalf("after deleting work:\n%s", out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"add", "deepseek"}, "--label"},
		{[]string{"add", "deepseek", "--label", "a b"}, "invalid key label"},
		{[]string{"add", "deepseek", "--label"}, "needs a value"},
		{[]string{"add", "nope", "--label", "x"}, "unknown provider"},
	} {
		if _, errOut, code := runKeys(t, rig, "sk-x-00000000\n", tc.args...); code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: %d %q; want exit 2 with %q", tc.args, code, errOut, tc.want)
		}
	}
}
