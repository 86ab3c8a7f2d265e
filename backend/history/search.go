package history

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MarkStart and MarkEnd surround each match in Hit.Snippet. They are the
// ASCII control characters STX and ETX, which chat text does not contain,
// so the window can split on them without escaping rules.
const (
	MarkStart = "\x02"
	MarkEnd   = "\x03"
)

// Search limits. SearchWindow is how many of the newest matching messages
// are ranked (see the package documentation); it keeps the cost of a term
// that occurs in most messages independent of the size of the history.
const (
	DefaultSearchLimit = 20
	MaxSearchLimit     = 200
	SearchWindow       = 500
)

// candidate is a matching message before ranking.
type candidate struct {
	hit     Hit
	seq     int64
	content string
	score   float64
}

// termKind is how one query term is looked up.
type termKind int

const (
	// trigramTerm: three or more characters, a substring in the trigram index.
	trigramTerm termKind = iota
	// wordTerm: one or two letters or digits, looked up in the word index;
	// CJK characters as a phrase, other words by prefix.
	wordTerm
	// symbolTerm: one or two characters that include punctuation, a symbol
	// or an emoji, one token of the symbol index.
	symbolTerm
)

// term is one white-space separated part of a query.
type term struct {
	text string
	kind termKind
	// wordStart means the term matches only at the start of a word (a short
	// term without CJK characters), for ranking and snippets as in the index.
	wordStart bool
	// match is the query for the term's index.
	match string
}

// termIndexes names the full-text table that serves each kind of term. When
// a query needs several and they match equally often (see rarest), the
// earlier one drives it.
var termIndexes = [...]struct {
	kind  termKind
	table string
}{
	{wordTerm, "messages_words"},
	{symbolTerm, "messages_symbols"},
	{trigramTerm, "messages_fts"},
}

// parseTerms classifies each white-space separated part of query.
func parseTerms(query string) []term {
	var out []term
	for _, text := range strings.Fields(query) {
		out = append(out, classify(text))
	}
	return out
}

func classify(text string) term {
	t := term{text: text, kind: trigramTerm}
	if utf8.RuneCountInString(text) >= 3 {
		t.match = ftsString(text)
		return t
	}
	if strings.IndexFunc(text, isSymbol) >= 0 {
		t.kind = symbolTerm
		t.match = `"` + symbolToken(text) + `"`
		return t
	}
	t.kind = wordTerm
	t.wordStart = !strings.ContainsFunc(text, isCJK)
	tokens := wordTokens(text)
	t.match = `"` + strings.Join(tokens, " ") + `"`
	if !isCJK([]rune(tokens[len(tokens)-1])[0]) {
		t.match += "*" // the last word may go on: "go" finds "golang"
	}
	return t
}

// Search finds messages whose content contains every white-space separated
// term of query, using the rule in the package documentation, and returns at
// most limit hits (DefaultSearchLimit when limit <= 0), best first. An empty
// query returns no hits.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]Hit, error) {
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	limit = min(limit, MaxSearchLimit)
	terms := parseTerms(query)
	if len(terms) == 0 {
		return []Hit{}, nil
	}
	cands, err := s.candidates(ctx, terms)
	if err != nil {
		return nil, wrap("search", err)
	}
	return rank(cands, terms, limit), nil
}

// probeLimit bounds how many matches of each index a query that needs more
// than one index counts to decide which index drives it.
const probeLimit = 1000

// lookup is one full-text index and the terms of a query it serves.
type lookup struct {
	table string
	terms []term
}

// match is the full-text query for all of the lookup's terms.
func (l *lookup) match() string {
	exprs := make([]string, len(l.terms))
	for i, t := range l.terms {
		exprs[i] = t.match
	}
	return strings.Join(exprs, " AND ")
}

// candidates returns the newest SearchWindow messages containing every term.
// Long terms are looked up in the trigram index, short ones in the word or
// the symbol index. When a query needs more than one index, it counts (up
// to probeLimit) the matches of each, walks the rarest one's newest first
// and joins each match to its message, which must also contain the other
// terms (see contentCheck); that stays fast whichever side is common.
func (s *Store) candidates(ctx context.Context, terms []term) ([]candidate, error) {
	var used []*lookup
	for _, ix := range termIndexes {
		l := &lookup{table: ix.table}
		for _, t := range terms {
			if t.kind == ix.kind {
				l.terms = append(l.terms, t)
			}
		}
		if len(l.terms) > 0 {
			used = append(used, l)
		}
	}
	drive := used[0]
	if len(used) > 1 {
		var err error
		if drive, err = s.rarest(ctx, used); err != nil {
			return nil, err
		}
	}
	args := []any{drive.match()}
	var checks strings.Builder
	for _, l := range used {
		if l == drive {
			continue
		}
		for _, t := range l.terms {
			clause, arg := contentCheck(t)
			checks.WriteString(clause)
			args = append(args, arg...)
		}
	}
	q := `SELECT m.seq, m.conversation_id, c.title, m.id, m.role, m.created_at, ` + messageText + `
		FROM ` + drive.table + `
		JOIN messages m ON m.seq = ` + drive.table + `.rowid
		JOIN conversations c ON c.id = m.conversation_id
		WHERE ` + drive.table + ` MATCH ?` + checks.String() + ` AND m.deleted_op = ''

		ORDER BY ` + drive.table + `.rowid DESC LIMIT ?`
	rows, err := s.db.QueryContext(ctx, q, append(args, SearchWindow)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []candidate
	for rows.Next() {
		var c candidate
		var created int64
		if err := rows.Scan(&c.seq, &c.hit.ConversationID, &c.hit.ConversationTitle,
			&c.hit.MessageID, &c.hit.Role, &created, &c.content); err != nil {
			return nil, err
		}
		c.hit.CreatedAt = fromMillis(created)
		out = append(out, c)
	}
	return out, rows.Err()
}

// rarest returns the lookup with the fewest matches, counting at most
// probeLimit of each, in one query.
func (s *Store) rarest(ctx context.Context, used []*lookup) (*lookup, error) {
	var q strings.Builder
	q.WriteString("SELECT ")
	var args []any
	for i, l := range used {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(`(SELECT count(*) FROM (SELECT 1 FROM ` + l.table + ` WHERE ` + l.table + ` MATCH ? LIMIT ?))`)
		args = append(args, l.match(), probeLimit)
	}
	counts := make([]int, len(used))
	dest := make([]any, len(used))
	for i := range counts {
		dest[i] = &counts[i]
	}
	if err := s.db.QueryRowContext(ctx, q.String(), args...).Scan(dest...); err != nil {
		return nil, err
	}
	best := 0
	for i, n := range counts {
		if n < counts[best] {
			best = i
		}
	}
	return used[best], nil
}

// messageText is the search text of the message m (searchText): its
// content and its attached files.
var messageText = searchText("m.content", "m.images")

// contentCheck returns an SQL condition on m's search text, with its arguments,
// that holds when the message contains t by the rule of t's index. It uses
// SQLite's own instr for text without upper and lower case (such as CJK),
// LIKE for ASCII (whose case LIKE ignores), and hasTerm, a call into Go that
// costs more per row, for the rest and for word prefixes.
func contentCheck(t term) (string, []any) {
	switch {
	case t.wordStart:
	case caseless(t.text):
		return ` AND instr(` + messageText + `, ?) > 0`, []any{t.text}
	case isASCII(t.text):
		escaper := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
		return ` AND ` + messageText + ` LIKE ? ESCAPE '\'`, []any{"%" + escaper.Replace(t.text) + "%"}
	}
	return ` AND ` + hasTermFunc + `(` + messageText + `, ?, ?)`, []any{t.text, t.wordStart}
}

// caseless reports whether no character of s has another case.
func caseless(s string) bool {
	for _, r := range s {
		if unicode.ToLower(r) != r || unicode.ToUpper(r) != r || unicode.ToTitle(r) != r {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// ftsString quotes a term as an FTS5 string, so operators and punctuation in
// what the user typed are matched literally.
func ftsString(t string) string {
	return `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
}
