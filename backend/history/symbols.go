package history

import (
	"cmp"
	"database/sql/driver"
	"slices"
	"strconv"
	"unicode"
	"unicode/utf8"

	"modernc.org/sqlite"
)

// symbolsFunc is the SQL name of symbolGrams. Like splitCJKFunc, the symbol
// index's triggers and content view call it, so it is registered with the
// driver before any connection opens.
const symbolsFunc = "thinkcloud_symbols"

func init() {
	sqlite.MustRegisterDeterministicScalarFunction(symbolsFunc, 1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			switch v := args[0].(type) {
			case string:
				return symbolGrams(v), nil
			case []byte:
				return symbolGrams(string(v)), nil
			default:
				return v, nil
			}
		})
}

// isSymbol reports whether r is a character that only the symbol index
// holds: anything but white space and the word index's word characters
// (see isWordRune). That is punctuation, symbols (emoji among them, and
// their skin-tone modifiers), and format and control characters such as
// the zero-width joiner inside emoji sequences.
func isSymbol(r rune) bool {
	return !isWordRune(r) && !unicode.IsSpace(r)
}

// gram is one token of the symbol index: a symbol (b < 0), or two
// characters next to each other of which at least one is a symbol.
type gram struct{ a, b rune }

// symbolGrams returns the symbol index's tokens for text, separated by
// spaces, each once: every symbol, and every pair of neighbouring characters
// that includes a symbol and no white space. Those are exactly the query
// terms of one or two characters that contain a symbol, so each such term
// is one token lookup (see symbolToken). Letters are lower-cased, as in the
// other indexes. Text with only letters, digits and spaces yields "".
func symbolGrams(text string) string {
	i := 0
	for ; i < len(text); i++ {
		c := text[i]
		if c >= utf8.RuneSelf || isSymbol(rune(c)) {
			break
		}
	}
	if i == len(text) {
		return "" // fast path: ASCII words and spaces
	}
	var grams []gram
	prev, prevSymbol := rune(-1), false
	for _, r := range text {
		if unicode.IsSpace(r) {
			prev = -1
			continue
		}
		r = unicode.ToLower(r)
		symbol := isSymbol(r)
		if symbol {
			grams = append(grams, gram{r, -1})
		}
		if prev >= 0 && (symbol || prevSymbol) {
			grams = append(grams, gram{prev, r})
		}
		prev, prevSymbol = r, symbol
	}
	slices.SortFunc(grams, func(x, y gram) int { return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b)) })
	grams = slices.Compact(grams)
	buf := make([]byte, 0, len(grams)*12)
	for k, g := range grams {
		if k > 0 {
			buf = append(buf, ' ')
		}
		buf = appendGram(buf, g)
	}
	return string(buf)
}

// appendGram writes g as the tokenizer sees it: "s" and the hexadecimal code
// point of each character, so "%" is s25 and "c:" is s63s3a. The index uses
// SQLite's ascii tokenizer, which keeps such runs of letters and digits
// whole; Go, not SQLite's Unicode tables, decides what a symbol is.
func appendGram(buf []byte, g gram) []byte {
	buf = strconv.AppendUint(append(buf, 's'), uint64(g.a), 16)
	if g.b >= 0 {
		buf = strconv.AppendUint(append(buf, 's'), uint64(g.b), 16)
	}
	return buf
}

// symbolToken returns the symbol index token for a query term of one or two
// characters, lower-cased like the indexed text.
func symbolToken(text string) string {
	g := gram{-1, -1}
	for _, r := range text {
		if g.a < 0 {
			g.a = unicode.ToLower(r)
		} else {
			g.b = unicode.ToLower(r)
		}
	}
	return string(appendGram(nil, g))
}
