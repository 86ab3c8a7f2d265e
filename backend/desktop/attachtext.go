package desktop

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// codeLangs maps a code or data file's extension to the info string of
// the fenced block it is sent in. Any other extension whose content is
// text is attached as plain text: the content decides, the name only
// labels.
var codeLangs = map[string]string{
	".go": "go", ".py": "python", ".ts": "typescript", ".tsx": "tsx", ".js": "javascript",
	".jsx": "jsx", ".mjs": "javascript", ".cjs": "javascript", ".rs": "rust", ".java": "java",
	".kt": "kotlin", ".swift": "swift", ".c": "c", ".h": "c", ".cpp": "cpp", ".cc": "cpp",
	".hpp": "cpp", ".cs": "csharp", ".rb": "ruby", ".php": "php", ".lua": "lua", ".r": "r",
	".scala": "scala", ".dart": "dart", ".sh": "bash", ".bash": "bash", ".zsh": "zsh",
	".ps1": "powershell", ".sql": "sql", ".html": "html", ".htm": "html", ".css": "css",
	".scss": "scss", ".vue": "vue", ".svelte": "svelte", ".json": "json", ".yaml": "yaml",
	".yml": "yaml", ".toml": "toml", ".xml": "xml", ".ini": "ini", ".proto": "protobuf",
	".tf": "hcl", ".dockerfile": "dockerfile", ".makefile": "makefile", ".diff": "diff",
	".patch": "diff",
}

// textLangs are plain-text extensions, some with a fence label.
var textLangs = map[string]string{".md": "markdown", ".markdown": "markdown", ".csv": "csv",
	".tsv": "tsv", ".txt": "", ".log": "", ".rst": "", ".tex": "latex"}

// textKind says how a text file is labelled: "code" with its language
// for a known code or data extension (and Makefile, Dockerfile), else
// "text", with a label for Markdown and CSV.
func textKind(name string) (kind, lang string) {
	ext := strings.ToLower(filepath.Ext(name))
	if ext == "" {
		ext = "." + strings.ToLower(name) // Makefile, Dockerfile
	}
	if l, ok := codeLangs[ext]; ok {
		return "code", l
	}
	return "text", textLangs[ext]
}

// textPatterns are the open dialog's globs for text and code files.
func textPatterns() string {
	var globs []string
	for _, m := range []map[string]string{codeLangs, textLangs} {
		for ext := range m {
			if ext != ".dockerfile" && ext != ".makefile" {
				globs = append(globs, "*"+ext)
			}
		}
	}
	slices.Sort(globs)
	return strings.Join(globs, ";")
}

// decodeText returns data as UTF-8 text, or false when it is not text:
// it holds a NUL byte, or other control characters (beyond tab, newlines,
// form feed and escape) in more than 1% of its bytes, or is not valid
// UTF-8. UTF-16 with a byte-order mark
// (Windows Notepad) is converted; a UTF-8 mark is dropped.
func decodeText(data []byte) (string, bool) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		s, ok := utf16Text(data[2:], data[0] == 0xFF)
		if !ok {
			return "", false
		}
		data = []byte(s)
	}
	if !utf8.Valid(data) {
		return "", false
	}
	// A stray control character (an ANSI colour in a log) is fine; many
	// of them, or any NUL, mean the bytes only happen to be valid UTF-8.
	controls := 0
	for _, r := range string(data) {
		switch {
		case r == 0:
			return "", false
		case r < 0x20 && !strings.ContainsRune("\t\n\r\f\x1b", r), r == 0x7F:
			controls++
		}
	}
	if controls > len(data)/100 {
		return "", false
	}
	return strings.ReplaceAll(string(data), "\r\n", "\n"), true
}

func utf16Text(b []byte, little bool) (string, bool) {
	if len(b)%2 != 0 {
		return "", false
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		if little {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		} else {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
	}
	return string(utf16.Decode(u)), true
}
