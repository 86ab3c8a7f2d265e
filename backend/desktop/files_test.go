package desktop

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFileName(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("天空", 40) // 240 bytes
	for _, tc := range []struct{ title, want string }{
		{"Physics chat", "Physics chat.md"},
		{"天空为什么是蓝的？", "天空为什么是蓝的？.md"},
		{"a/b\\c:d*e?f\"g<h>i|j", "a-b-c-d-e-f-g-h-i-j.md"},
		{"  line\nbreak\t and   tabs  ", "line break and tabs.md"},
		{"..hidden", "hidden.md"},
		{"/etc/passwd", "etc-passwd.md"},
		{"ends with dots...", "ends with dots.md"},
		{"zero\u200bwidth", "zerowidth.md"},
		{"bell\x07", "bell-.md"},
		{"bad \xff byte", "bad - byte.md"},
		{"", "conversation.md"},
		{" \t ", "conversation.md"},
		{"...", "conversation.md"},
		{"CON", "CON_.md"},
		{"nul.txt", "nul_.txt.md"},
		{"Console", "Console.md"},
		{long, strings.Repeat("天空", 19) + "天.md"}, // 117 + 3 bytes
	} {
		if got := fileName(tc.title, ".md"); got != tc.want {
			t.Errorf("fileName(%q) = %q; want %q", tc.title, got, tc.want)
		}
	}
}

// FuzzFileName checks what every proposed name must be, whatever the
// title: valid UTF-8, short enough, one path element, not hidden, with the
// extension.
func FuzzFileName(f *testing.F) {
	for _, s := range []string{"", "Physics chat", "天空", "../../x", "a\x00b", ". .", "CON", "\xff\xfe", strings.Repeat("é", 200)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		got := fileName(title, ".json")
		name := strings.TrimSuffix(got, ".json")
		switch {
		case !utf8.ValidString(got):
			t.Errorf("fileName(%q) = %q: not UTF-8", title, got)
		case len(got) > maxNameBytes:
			t.Errorf("fileName(%q) = %q: %d bytes", title, got, len(got))
		case !strings.HasSuffix(got, ".json") || name == "":
			t.Errorf("fileName(%q) = %q: no name before the extension", title, got)
		case strings.ContainsAny(got, "/\\:*?\"<>|\x00") || filepath.Base(got) != got:
			t.Errorf("fileName(%q) = %q: not a single path element", title, got)
		case strings.HasPrefix(got, ".") || strings.TrimSpace(name) != name:
			t.Errorf("fileName(%q) = %q: hidden or padded", title, got)
		}
	})
}

func TestScriptedDialogs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d := &ScriptedDialogs{Dir: dir}
	answer := func(s string) {
		if err := os.WriteFile(filepath.Join(dir, "answer"), []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	req := FileRequest{Title: "Export", DefaultName: "Sky.md", Filters: []FileFilter{{Name: "Markdown", Pattern: "*.md"}}}

	answer("/out/\n")
	if got, err := d.SaveFile(req); got != "/out/Sky.md" || err != nil {
		t.Errorf("folder answer: %q, %v; want /out/Sky.md", got, err)
	}
	var rec struct {
		Kind string `json:"kind"`
		FileRequest
	}
	b, _ := os.ReadFile(filepath.Join(dir, "request.json"))
	if err := json.Unmarshal(b, &rec); err != nil || rec.Kind != "save" || rec.DefaultName != "Sky.md" || rec.Filters[0].Pattern != "*.md" {
		t.Errorf("request.json = %s, %v; want the save request", b, err)
	}
	if _, err := d.SaveFile(req); err == nil || !strings.Contains(err.Error(), "no answer waiting") {
		t.Errorf("a dialog without an answer: %v; want an error (answers are used once)", err)
	}
	answer("")
	if got, err := d.OpenFile(req); got != "" || err != nil {
		t.Errorf("empty answer: %q, %v; want a cancel", got, err)
	}
	answer("/in/x.json")
	if got, err := d.OpenFile(req); got != "/in/x.json" || err != nil {
		t.Errorf("path answer: %q, %v", got, err)
	}
}
