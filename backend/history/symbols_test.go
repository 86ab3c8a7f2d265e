package history

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestSymbolGrams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want string
	}{
		{"", ""},
		{"plain words 42", ""},
		{"Ärger und Москва 世界", ""},
		{"100%", "s30s25 s25"},
		{"C: drive", "s63s3a s3a"}, // lower case; no pair with the space
		{"a->b", "s61s2d s2d s2ds3e s3e s3es62"},
		{"x % y", "s25"},
		{"%%", "s25 s25s25"},
		{"界。", "s754cs3002 s3002"},
		{"🚀", "s1f680"},
		{"👍🏽", "s1f3fd s1f44d s1f44ds1f3fd"},
		{"❤️", "s2764 s2764sfe0f"}, // the variation selector is a mark, a word character
		{"👩‍💻", "s200d s1f469 s1f469s200d s1f4bb s200ds1f4bb"},
		{"🇯🇵", "s1f1ef s1f1efs1f1f5 s1f1f5"},
		{"Ⓐ", "s24d0"}, // a circled letter is a symbol with a lower case
	}
	for _, tt := range tests {
		// The order of the tokens does not matter to the index.
		got := strings.Fields(symbolGrams(tt.text))
		want := strings.Fields(tt.want)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("symbolGrams(%q) = %q; want %q", tt.text, got, want)
		}
	}
}

// TestSymbolCaseFolding checks that lower-casing never turns a word
// character into a symbol or back, so that the indexed text and the query
// agree on which characters are symbols.
func TestSymbolCaseFolding(t *testing.T) {
	t.Parallel()
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if isSymbol(r) != isSymbol(unicode.ToLower(r)) {
			t.Errorf("isSymbol(%U) = %v but isSymbol(ToLower) = %v", r, isSymbol(r), !isSymbol(r))
		}
	}
}

// FuzzSymbolGrams checks the property search relies on: every term of one
// or two characters with a symbol that occurs in the text, ignoring case, is
// one of the text's tokens.
func FuzzSymbolGrams(f *testing.F) {
	for _, s := range []string{"100% sure_thing, C:\\path", "launch 🚀 now", "👍🏽👨‍👩‍👧 ❤️ 🇯🇵",
		"a->b => c", "你好，世界！", "ÄRGER: Ⓐ", "\x00\x01 tab\there"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		tokens := map[string]bool{}
		for _, tok := range strings.Fields(symbolGrams(text)) {
			tokens[tok] = true
		}
		runes := []rune(text)
		for i := range runes {
			for n := 1; n <= 2 && i+n <= len(runes); n++ {
				term := string(runes[i : i+n])
				if strings.IndexFunc(term, unicode.IsSpace) >= 0 || classify(term).kind != symbolTerm {
					continue
				}
				if tok := symbolToken(term); !tokens[tok] {
					t.Fatalf("symbolGrams(%q) = %q lacks %s for %q", text, symbolGrams(text), tok, term)
				}
			}
		}
	})
}

// TestSearchSymbols covers query terms of one or two characters that
// contain punctuation, a symbol or an emoji, alone and mixed with terms of
// the other indexes.
func TestSearchSymbols(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	c := mustConversation(t, s, Conversation{Title: "symbols"})
	odd := mustMessage(t, s, c.ID, RoleUser, `100% sure_thing, C:\path`).ID
	drive := mustMessage(t, s, c.ID, RoleUser, "Copy it to C: drive, then ./build.sh -> done").ID
	abc := mustMessage(t, s, c.ID, RoleUser, "ABC:DEF and x→y").ID
	rocket := mustMessage(t, s, c.ID, RoleUser, "launch 🚀 now").ID
	thumbs := mustMessage(t, s, c.ID, RoleUser, "Thumbs up 👍🏽 then 👍 again").ID
	family := mustMessage(t, s, c.ID, RoleUser, "family 👨‍👩‍👧 and coder 👩‍💻").ID
	flags := mustMessage(t, s, c.ID, RoleUser, "flags 🇯🇵 ❤️ and a radical ⺀").ID
	price := mustMessage(t, s, c.ID, RoleUser, "price ¥5 or #tag").ID
	hello := mustMessage(t, s, c.ID, RoleUser, "你好，世界！").ID
	mustMessage(t, s, c.ID, RoleUser, "no symbols in here at all")

	// want is in order: equal counts rank the shorter message first.
	tests := []searchCase{
		{"%", []string{odd}, "%"},
		{"100%", []string{odd}, "100%"}, // three or more characters: the trigram index
		{"C:", []string{abc, odd, drive}, "C:"},
		{"c:", []string{abc, odd, drive}, "C:"}, // any case, also inside a word
		{"C: drive", []string{drive}, "C:"},
		{"drive C:", []string{drive}, "drive"},
		{"C: DEF", []string{abc}, "DEF"},
		{"C: zebra", []string{}, ""},
		{"->", []string{drive}, "->"},
		{"then ->", []string{drive}, "->"}, // the word index and the symbol index
		{"-> ./", []string{drive}, "./"},   // two symbol terms
		{"-> %", []string{}, ""},
		{"=>", []string{}, ""},
		{"X→", []string{abc}, "x→"},
		{"🚀", []string{rocket}, "🚀"},
		{"🚀 launch", []string{rocket}, "launch"},
		{"🚀🚀", []string{}, ""},
		{"👍🏽", []string{thumbs}, "👍🏽"}, // emoji with a skin tone
		{"👍", []string{thumbs}, "👍"},
		{"🏽", []string{thumbs}, "🏽"},
		{"👍🏿", []string{}, ""},
		{"👩‍💻", []string{family}, "👩‍💻"}, // ZWJ sequences are three or more characters
		{"👨‍👩‍👧", []string{family}, "👨‍👩‍👧"},
		{"\u200d", []string{family}, "\u200d"}, // the joiner itself
		{"🇯🇵", []string{flags}, "🇯🇵"},
		{"🇯🇵 ❤️", []string{flags}, "❤️"},
		{"❤", []string{flags}, "❤"},
		{"⺀", []string{flags}, "⺀"},
		{"¥", []string{price}, "¥"},
		{"¥5", []string{price}, "¥5"},
		{"#", []string{price}, "#"},
		{"，", []string{hello}, "，"},
		{"好，", []string{hello}, "好，"},
		{"世界 ！", []string{hello}, "！"},
		{"界，", []string{}, ""},
	}
	checkSearches(t, s, tests, nil)
	checkIntegrity(t, s)
}

// TestSearchSymbolsMatchScan searches for every one- and two-character
// piece with a symbol of a set of messages, alone and next to a longer term,
// and checks that search finds exactly the messages that contain it
// ignoring case, which includes every message a LIKE scan finds.
func TestSearchSymbolsMatchScan(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	c := mustConversation(t, s, Conversation{Title: "scan"})
	texts := []string{
		`100% sure_thing, C:\path`, "see c:/tmp and D:\\x", "a->b => c <- d", "x = y; z != w",
		"launch 🚀🚀 now!", "👍🏽 👍🏿 👍", "👨‍👩‍👧 👩‍💻 🧑🏾‍🚀", "🇯🇵🇨🇳 ❤️ ❤ ♥", "1️⃣ #️⃣ #tag",
		"ÄRGER: ärger; Straße.", "ΣΊΣΥΦΟΣ, σίσυφος!", "Ⓐⓑ ⒸⓒI", "你好，世界！（测试）", "コーヒー・紅茶。",
		"**bold** _it_ `code` [link](url)", "¥5 €3 £2 $1 ₿", "math: ∑x² ≤ ∞ ± √2", "⺀⺁ radicals",
		"e\u0301 café ︎☺︎", "tab\tsep\u00a0nbsp\u3000ideographic",
	}
	ids := map[string]string{}
	for _, text := range texts {
		ids[mustMessage(t, s, c.ID, RoleUser, text).ID] = text
	}
	seen := map[string]bool{}
	var queries [][]term
	for _, text := range texts {
		words := strings.Fields(text)
		for _, w := range words {
			runes := []rune(w)
			for i := range runes {
				for n := 1; n <= 2 && i+n <= len(runes); n++ {
					piece := string(runes[i : i+n])
					if classify(piece).kind != symbolTerm || seen[piece] {
						continue
					}
					seen[piece] = true
					queries = append(queries, []term{classify(piece)})
					// Mixed with a long term, and with a different case.
					queries = append(queries, []term{classify(piece), classify(words[0])})
					queries = append(queries, []term{classify(strings.ToUpper(piece))})
				}
			}
		}
	}
	if len(queries) < 300 {
		t.Fatalf("only %d queries; the corpus lost its symbols", len(queries))
	}
	for _, q := range queries {
		texts := make([]string, len(q))
		for i, tm := range q {
			texts[i] = tm.text
		}
		query := strings.Join(texts, " ")
		hits, err := s.Search(ctx, query, MaxSearchLimit)
		if err != nil {
			t.Fatalf("Search(%q): %v", query, err)
		}
		got := hitIDs(hits)
		slices.Sort(got)
		var want []string
		for id, text := range ids {
			if !slices.ContainsFunc(q, func(tm term) bool { return !hasTerm(text, tm) }) {
				want = append(want, id)
			}
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("Search(%q) = %d hits %v; want %d %v", query, len(got), got, len(want), want)
		}
		for _, id := range likeScan(t, s, texts) {
			if !slices.Contains(got, id) {
				t.Errorf("Search(%q) misses %q, which LIKE finds", query, ids[id])
			}
		}
	}
}

// likeScan returns the ids of the messages whose content matches every
// term with LIKE, which is how terms with symbols were matched before the
// symbol index.
func likeScan(t *testing.T, s *Store, terms []string) []string {
	t.Helper()
	q := `SELECT id FROM messages WHERE true`
	var args []any
	escaper := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	for _, tm := range terms {
		q += ` AND content LIKE ? ESCAPE '\'`
		args = append(args, "%"+escaper.Replace(tm)+"%")
	}
	rows, err := s.db.Query(q, args...)
	if err != nil {
		t.Fatalf("LIKE scan: %v", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}
