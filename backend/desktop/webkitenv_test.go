package desktop

import (
	"errors"
	"testing"
)

func TestQuietWebKitSetsTheMonitorOff(t *testing.T) {
	env := map[string]string{}
	err := QuietWebKit(func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		func(k, v string) error { env[k] = v; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if got := env["WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR"]; got != "1" {
		t.Fatalf("WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR = %q, want 1 (env %v)", got, env)
	}
}

func TestQuietWebKitKeepsWhatTheUserSet(t *testing.T) {
	env := map[string]string{"WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR": "0"}
	err := QuietWebKit(func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		func(k, v string) error { env[k] = v; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if got := env["WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR"]; got != "0" {
		t.Fatalf("the user's value was replaced: %q", got)
	}
}

func TestQuietWebKitReportsASetFailure(t *testing.T) {
	boom := errors.New("no setenv")
	err := QuietWebKit(func(string) (string, bool) { return "", false },
		func(string, string) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
}
