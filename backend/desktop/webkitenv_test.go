package desktop

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// forgetQuieted empties what QuietWebKit recorded, now and after the test.
func forgetQuieted(t *testing.T) {
	t.Helper()
	reset := func() { quieted.Lock(); quieted.names = nil; quieted.Unlock() }
	reset()
	t.Cleanup(reset)
}

func mapEnv(env map[string]string) (func(string) (string, bool), func(string, string) error) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		func(k, v string) error { env[k] = v; return nil }
}

func TestQuietWebKitSetsEachVariable(t *testing.T) {
	forgetQuieted(t)
	env := map[string]string{}
	if err := QuietWebKit(mapEnv(env)); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR": "1",
		"WEBKIT_DISABLE_COMPOSITING_MODE":        "1",
		"WEBKIT_DISABLE_DMABUF_RENDERER":         "1",
		"GDK_GL":                                 "disable",
	}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("%s = %q, want %q (env %v)", k, env[k], v, env)
		}
	}
}

func TestQuietWebKitKeepsWhatTheUserSet(t *testing.T) {
	forgetQuieted(t)
	env := map[string]string{"WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR": "0", "GDK_GL": "always"}
	if err := QuietWebKit(mapEnv(env)); err != nil {
		t.Fatal(err)
	}
	if env["WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR"] != "0" || env["GDK_GL"] != "always" {
		t.Fatalf("the user's values were replaced: %v", env)
	}
	if env["WEBKIT_DISABLE_COMPOSITING_MODE"] != "1" {
		t.Fatalf("the ones the user left unset were not set: %v", env)
	}
}

func TestQuietWebKitReportsASetFailure(t *testing.T) {
	forgetQuieted(t)
	boom := errors.New("no setenv")
	err := QuietWebKit(func(string) (string, bool) { return "", false },
		func(string, string) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
}

func TestChildEnvDropsOnlyWhatTheWindowSet(t *testing.T) {
	forgetQuieted(t)
	if got := childEnv([]string{"GDK_GL=disable", "PATH=/bin"}); len(got) != 2 {
		t.Fatalf("before QuietWebKit ran, childEnv dropped something: %v", got)
	}
	env := map[string]string{"GDK_GL": "always"}
	if err := QuietWebKit(mapEnv(env)); err != nil {
		t.Fatal(err)
	}
	environ := []string{"PATH=/bin", "GDK_GL=always", "WEBKIT_DISABLE_COMPOSITING_MODE=1",
		"WEBKIT_DISABLE_DMABUF_RENDERER=1", "WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR=1", "WEBKIT_X=1"}
	got := childEnv(environ)
	want := []string{"PATH=/bin", "GDK_GL=always", "WEBKIT_X=1"}
	if !slices.Equal(got, want) {
		t.Fatalf("childEnv = %v, want %v", got, want)
	}
	if len(environ) != 6 || environ[2] != "WEBKIT_DISABLE_COMPOSITING_MODE=1" {
		t.Fatalf("childEnv changed its argument: %v", environ)
	}
}

// A browser opened from an answer runs without the window's WebKit and
// GTK settings, and with the user's.
func TestOpenLinkLeavesOutTheWindowsOwnSettings(t *testing.T) {
	forgetQuieted(t)
	t.Setenv("GDK_GL", "always") // the user's: kept
	for _, kv := range webkitEnv {
		if kv[0] != "GDK_GL" {
			t.Setenv(kv[0], "") // restored after the test
			os.Unsetenv(kv[0])
		}
	}
	if err := QuietWebKit(os.LookupEnv, os.Setenv); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("WEBKIT_DISABLE_COMPOSITING_MODE") != "1" {
		t.Fatal("QuietWebKit did not set the process environment")
	}
	out := filepath.Join(t.TempDir(), "env")
	if err := openLink(context.Background(), "https://example.com", fakeOpener(t, "env > "+out)); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	for _, kv := range webkitEnv {
		for _, l := range lines {
			if strings.HasPrefix(l, kv[0]+"=") && l != "GDK_GL=always" {
				t.Errorf("the opener inherited %s", l)
			}
		}
	}
	if !slices.Contains(lines, "GDK_GL=always") {
		t.Errorf("the user's GDK_GL did not reach the opener:\n%s", b)
	}
}
