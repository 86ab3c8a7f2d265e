package core_test

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"thinkcloud/backend/core"
	"thinkcloud/backend/secrets"
)

// TestStartsWhenSettingsFileUnusable: a directory named settings.json
// does not stop ThinkCloud from starting; it runs on defaults, says so
// once, and leaves the directory alone.
func TestStartsWhenSettingsFileUnusable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "settings.json")
	if err := os.Mkdir(file, 0o700); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	c, err := core.New(core.Options{
		SettingsFile: file, DotEnvFile: filepath.Join(dir, ".env"),
		LookupEnv: func(string) (string, bool) { return "", false },
		Keyring:   &secrets.MemoryKeyring{},
		Logger:    slog.New(slog.NewTextHandler(&logs, nil)),
	})
	if err != nil {
		t.Fatalf("New: %v; want a start on default settings", err)
	}
	if !strings.Contains(c.Notice(), "default settings") || !strings.Contains(c.Notice(), "left as it is") {
		t.Errorf("notice %q; want it to say defaults are used and the file is left alone", c.Notice())
	}
	if n := strings.Count(logs.String(), "default settings"); n != 1 {
		t.Errorf("the notice was logged %d times; want once:\n%s", n, logs.String())
	}
	if err := c.ApplySettings(c.Current()); err == nil {
		t.Error("ApplySettings saved over the unusable settings path; want a refusal")
	}
	if st, err := os.Stat(file); err != nil || !st.IsDir() {
		t.Errorf("settings.json is no longer the directory it was: %v", err)
	}
}
