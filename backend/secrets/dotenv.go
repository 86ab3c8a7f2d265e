package secrets

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// maxDotEnvBytes caps how much of a .env file is read; real files are a few
// hundred bytes and anything larger is not a .env file.
const maxDotEnvBytes = 1 << 20

// LoadDotEnv parses the .env file at path, as the original ThinkCloud server
// did with the .env in its working directory. A missing file is not an
// error: it yields an empty map, because most users never create one.
func LoadDotEnv(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open .env: %w", err)
	}
	defer f.Close()
	m, err := ParseDotEnv(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// ParseDotEnv parses the KEY=VALUE lines of a .env file so keys kept there
// keep working. It supports blank lines, # comments (whole-line, or after
// whitespace following an unquoted value), an optional "export " prefix,
// single quotes (taken literally) and double quotes (with \n, \t, \r, \",
// \\ and \$ escapes), and quoted values spanning several lines. Variables
// are not expanded. A later assignment of the same key wins. Malformed
// lines are errors naming the line number, so a typo is not silently
// ignored.
func ParseDotEnv(r io.Reader) (map[string]string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxDotEnvBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read .env: %w", err)
	}
	if len(data) > maxDotEnvBytes {
		return nil, fmt.Errorf("parse .env: larger than %d bytes", maxDotEnvBytes)
	}
	text := strings.TrimPrefix(string(data), "\uFEFF")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(text, "\n")
	out := make(map[string]string)
	for i := 0; i < len(lines); i++ {
		n := i + 1
		line := strings.TrimLeft(lines[i], " \t")
		if strings.TrimSpace(line) == "" || line[0] == '#' {
			continue
		}
		for _, p := range []string{"export ", "export\t"} {
			if rest, ok := strings.CutPrefix(line, p); ok {
				line = strings.TrimLeft(rest, " \t")
				break
			}
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("parse .env line %d: expected KEY=VALUE", n)
		}
		key = strings.TrimSpace(key)
		if !validEnvKey(key) {
			return nil, fmt.Errorf("parse .env line %d: invalid variable name %q", n, key)
		}
		val = strings.TrimLeft(val, " \t")
		if val == "" || (val[0] != '"' && val[0] != '\'') {
			out[key] = unquotedValue(val)
			continue
		}
		q, body := val[0], val[1:]
		for {
			end := closingQuote(body, q)
			if end >= 0 {
				tail := strings.TrimSpace(body[end+1:])
				if tail != "" && tail[0] != '#' {
					return nil, fmt.Errorf("parse .env line %d: unexpected text after closing quote", i+1)
				}
				body = body[:end]
				break
			}
			i++
			if i >= len(lines) {
				return nil, fmt.Errorf("parse .env line %d: unterminated quoted value", n)
			}
			body += "\n" + lines[i]
		}
		if q == '"' {
			body = unescape(body)
		}
		out[key] = body
	}
	return out, nil
}

func validEnvKey(k string) bool {
	if k == "" || (k[0] >= '0' && k[0] <= '9') {
		return false
	}
	for _, r := range k {
		if r != '_' && (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// unquotedValue cuts a trailing comment (a # after whitespace) and trims.
func unquotedValue(v string) string {
	for i := 1; i < len(v); i++ {
		if v[i] == '#' && (v[i-1] == ' ' || v[i-1] == '\t') {
			v = v[:i]
			break
		}
	}
	return strings.TrimSpace(v)
}

// closingQuote returns the index of the quote ending s, skipping
// backslash-escaped double quotes, or -1.
func closingQuote(s string, q byte) int {
	for i := 0; i < len(s); i++ {
		switch {
		case q == '"' && s[i] == '\\':
			i++
		case s[i] == q:
			return i
		}
	}
	return -1
}

func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '"', '\\', '$':
			b.WriteByte(s[i])
		default:
			b.WriteByte('\\')
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
