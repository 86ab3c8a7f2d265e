package desktop

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fakeOpener writes a shell script standing in for xdg-open and returns a
// command function that runs it instead.
func fakeOpener(t *testing.T, script string) commandFunc {
	t.Helper()
	p := filepath.Join(t.TempDir(), "opener")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+script+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return func(ctx context.Context, _ string, args ...string) *exec.Cmd {
		return exec.CommandContext(ctx, p, args...)
	}
}

func TestOpenLink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	got := filepath.Join(dir, "url")
	ok := fakeOpener(t, `printf %s "$1" > `+got)
	if err := openLink(context.Background(), "https://example.com/a?b=c", ok); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(got); string(b) != "https://example.com/a?b=c" {
		t.Errorf("opened %q", b)
	}
	// xdg-open with no browser configured exits 3 and says so: the window hears it.
	fail := fakeOpener(t, `echo "xdg-open: no method available for opening '$1'" >&2; exit 3`)
	err := openLink(context.Background(), "https://example.com", fail)
	if err == nil || !strings.Contains(err.Error(), "no method available") {
		t.Errorf("got %v; want the opener's own words", err)
	}
	for _, bad := range []string{"javascript:alert(1)", "file:///etc/passwd", "ftp://x"} {
		if err := openLink(context.Background(), bad, ok); err == nil {
			t.Errorf("%s: opened; want refused", bad)
		}
	}
	missing := func(ctx context.Context, _ string, args ...string) *exec.Cmd {
		return exec.CommandContext(ctx, filepath.Join(dir, "no-such-opener"), args...)
	}
	if err := openLink(context.Background(), "https://example.com", missing); err == nil {
		t.Error("a missing opener said nothing")
	}
}
