package history

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Snippet size in characters: context kept before the first match, and the
// whole snippet.
const (
	snippetBefore = 16
	snippetRunes  = 64
)

// markTerms cuts a snippet of text around the first occurrence of any term
// and wraps every occurrence inside it in MarkStart/MarkEnd. Matching ignores
// case in every script, like both indexes, and a wordStart term matches only
// where a word begins.
func markTerms(text string, terms []term) string {
	first := 0
	for i := 0; i < len(text); i += runeSize(text, i) {
		if longestMatch(text[i:], i, text, terms) > 0 {
			first = i
			break
		}
	}
	start := backRunes(text, first, snippetBefore)
	end := forwardRunes(text, start, snippetRunes)
	var sb strings.Builder
	if start > 0 {
		sb.WriteString("…")
	}
	window := text[start:end]
	for i := 0; i < len(window); {
		if n := longestMatch(window[i:], start+i, text, terms); n > 0 {
			sb.WriteString(MarkStart + window[i:i+n] + MarkEnd)
			i += n
			continue
		}
		n := runeSize(window, i)
		sb.WriteString(window[i : i+n])
		i += n
	}
	if end < len(text) {
		sb.WriteString("…")
	}
	return sb.String()
}

// longestMatch returns the byte length of the longest term that occurs at
// the start of s, which begins at byte offset i of the whole text, ignoring
// case, or 0.
func longestMatch(s string, i int, text string, terms []term) int {
	best := 0
	for _, t := range terms {
		if t.wordStart && !atWordStart(text, i) {
			continue
		}
		if n := matchFold(s, t.text); n > best {
			best = n
		}
	}
	return best
}

// matchFold reports how many bytes of s match term at its start, comparing
// runes case-insensitively, or 0 if term is not a prefix of s.
func matchFold(s, term string) int {
	n := 0
	for _, want := range term {
		got, size := utf8.DecodeRuneInString(s[n:])
		if size == 0 || (got != want && unicode.ToLower(got) != unicode.ToLower(want)) {
			return 0
		}
		n += size
	}
	return n
}

func runeSize(s string, i int) int {
	_, size := utf8.DecodeRuneInString(s[i:])
	return size
}

// backRunes returns the byte offset n runes before offset i (or 0).
func backRunes(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

// forwardRunes returns the byte offset n runes after offset i (or len(s)).
func forwardRunes(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		i += runeSize(s, i)
	}
	return i
}
