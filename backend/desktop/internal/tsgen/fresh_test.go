package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"thinkcloud/backend/desktop"
)

// TestTypesTSIsFresh fails when frontend/src/api/types.ts is not what the
// Go types say today: the TypeScript side is never edited by hand.
func TestTypesTSIsFresh(t *testing.T) {
	t.Parallel()
	want, err := generate(desktop.WindowContract(), ".")
	if err != nil {
		t.Fatal(err)
	}
	root, _, err := module(".")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(root, "frontend", "src", "api", "types.ts")
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v; run go generate ./backend/desktop/...", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	i := 0
	for i < len(g) && i < len(w) && g[i] == w[i] {
		i++
	}
	line := func(l []string) string {
		if i < len(l) {
			return l[i]
		}
		return "(end of file)"
	}
	t.Fatalf("frontend/src/api/types.ts is not what the Go types say; run go generate ./backend/desktop/...\n"+
		"first difference at line %d:\n  file:      %s\n  generated: %s", i+1, line(g), line(w))
}
