//go:build !windows && !darwin

package autostart

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEntryWritesAndRemoves(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "autostart")
	e := Entry{Exe: "/opt/Think Cloud/thinkcloud", Dir: dir}
	if e.Enabled() {
		t.Fatal("enabled before Set")
	}
	if err := e.Set(true); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "thinkcloud.desktop"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "Exec=\"/opt/Think Cloud/thinkcloud\" --hidden\n") || !strings.HasPrefix(string(b), "[Desktop Entry]\n") {
		t.Fatalf("got entry\n%s\nwant the quoted path with --hidden", b)
	}
	if !e.Enabled() {
		t.Fatal("not enabled after Set(true)")
	}
	if (Entry{Exe: "/elsewhere/thinkcloud", Dir: dir}).Enabled() {
		t.Error("an entry for another executable counts as this one's")
	}
	if err := e.Set(false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(e.Path()); !os.IsNotExist(err) {
		t.Fatalf("entry still there after Set(false): %v", err)
	}
	if err := e.Set(false); err != nil {
		t.Fatalf("removing a missing entry: %v", err)
	}
}

func TestEntryRefusesARelativePath(t *testing.T) {
	t.Parallel()
	e := Entry{Exe: "thinkcloud", Dir: t.TempDir()}
	if err := e.Set(true); err == nil {
		t.Fatal("a relative path was accepted")
	}
	if _, err := os.Stat(e.Path()); !os.IsNotExist(err) {
		t.Fatal("a refused entry left a file behind")
	}
}

func TestQuoteArg(t *testing.T) {
	t.Parallel()
	if got, want := quoteArg(`/a "b"/$c`), `"/a \"b\"/\$c"`; got != want {
		t.Errorf("got %s; want %s", got, want)
	}
}
