package history

import (
	"database/sql/driver"
	"strings"
	"unicode"
	"unicode/utf8"

	"modernc.org/sqlite"
)

// splitCJKFunc is the SQL name of splitCJK. The word index's triggers and
// content view call it, so every connection needs it: it is registered with
// the driver before any connection opens.
const splitCJKFunc = "thinkcloud_split_cjk"

// hasTermFunc is the SQL name of hasTerm, with the arguments content, term
// text and wordStart (0 or 1).
const hasTermFunc = "thinkcloud_has_term"

func init() {
	sqlite.MustRegisterDeterministicScalarFunction(splitCJKFunc, 1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			switch v := args[0].(type) {
			case string:
				return splitCJK(v), nil
			case []byte:
				return splitCJK(string(v)), nil
			default:
				return v, nil
			}
		})
	sqlite.MustRegisterDeterministicScalarFunction(hasTermFunc, 3,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			content, _ := args[0].(string)
			text, _ := args[1].(string)
			wordStart, _ := args[2].(int64)
			return hasTerm(content, term{text: text, wordStart: wordStart != 0}), nil
		})
}

// hasTerm reports whether content contains t, ignoring case, by the rule
// the term's index applies: anywhere, or for a wordStart term where a word
// begins. Search uses it to check the terms of the index that does not drive
// a query that needs both indexes.
func hasTerm(content string, t term) bool {
	t.text = strings.ToLower(t.text)
	content = strings.ToLower(content)
	if !t.wordStart {
		return strings.Contains(content, t.text)
	}
	for i := 0; ; {
		j := strings.Index(content[i:], t.text)
		if j < 0 {
			return false
		}
		if atWordStart(content, i+j) {
			return true
		}
		i += j + len(t.text)
	}
}

// isCJK reports whether r is written without spaces between words in
// Chinese, Japanese or Korean text, so that the word index must treat each
// such character as a word of its own. It covers the Unicode scripts Han
// (CJK Unified Ideographs U+4E00–9FFF and extensions A–H, compatibility
// ideographs, radicals, 々 and 〇), Hiragana (U+3040–309F), Katakana
// (U+30A0–30FF, U+31F0–31FF, half-width U+FF66–FF9D) and Hangul (syllables
// U+AC00–D7AF, jamo, half-width jamo), plus the prolonged sound marks ー
// (U+30FC) and ｰ (U+FF70), which belong to no script but occur only inside
// Japanese words.
func isCJK(r rune) bool {
	if r < 0x1100 {
		return false // fast path: Latin, Greek, Cyrillic and the rest
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		r == 0x30FC || r == 0xFF70
}

// isWordRune reports whether r is part of a word for the word index. It
// mirrors the index's tokenizer, unicode61 with categories L*, N*, M* and Co:
// everything else (spaces, punctuation, symbols, emoji) separates words.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.In(r, unicode.L, unicode.N, unicode.M, unicode.Co)
}

// splitCJK returns text with a space on each side of every CJK character
// (see isCJK), so that the word index's tokenizer sees each one as a word
// while other words stay whole: "用Go写代码" becomes " 用 Go 写 代 码 ".
// Text without CJK characters is returned unchanged and unallocated.
func splitCJK(text string) string {
	i := 0
	for ; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			break
		}
	}
	first := -1
	for j, r := range text[i:] {
		if isCJK(r) {
			first = i + j
			break
		}
	}
	if first < 0 {
		return text
	}
	var sb strings.Builder
	sb.Grow(len(text) + len(text)/2)
	sb.WriteString(text[:first])
	prevCJK := false
	for _, r := range text[first:] {
		if isCJK(r) {
			if !prevCJK {
				sb.WriteByte(' ')
			}
			sb.WriteRune(r)
			sb.WriteByte(' ')
			prevCJK = true
			continue
		}
		sb.WriteRune(r)
		prevCJK = false
	}
	return sb.String()
}

// wordTokens splits text the way the word index does: CJK characters one
// by one, other words as runs of word runes.
func wordTokens(text string) []string {
	var out []string
	start := -1
	for i, r := range text {
		switch {
		case isCJK(r):
			if start >= 0 {
				out = append(out, text[start:i])
				start = -1
			}
			out = append(out, string(r))
		case isWordRune(r):
			if start < 0 {
				start = i
			}
		default:
			if start >= 0 {
				out = append(out, text[start:i])
				start = -1
			}
		}
	}
	if start >= 0 {
		out = append(out, text[start:])
	}
	return out
}
