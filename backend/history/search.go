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
	// likeTerm: one or two characters that include punctuation or symbols,
	// which neither index holds, matched with LIKE.
	likeTerm
)

// term is one white-space separated part of a query.
type term struct {
	text string
	kind termKind
	// wordStart means the term matches only at the start of a word (a short
	// term without CJK characters), for ranking and snippets as in the index.
	wordStart bool
	// match is the word index query for a wordTerm.
	match string
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
		return t
	}
	cjk := false
	for _, r := range text {
		if !isWordRune(r) && !isCJK(r) {
			t.kind = likeTerm
			return t
		}
		cjk = cjk || isCJK(r)
	}
	t.kind = wordTerm
	t.wordStart = !cjk
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

// probeLimit bounds how many matches of each index a query with long and
// short terms counts to decide which index drives it.
const probeLimit = 1000

// candidates returns the newest SearchWindow messages containing every term.
// Long terms are looked up in the trigram index and short ones in the word
// index. When a query has both, it counts (up to probeLimit) the matches of
// each index, walks the rarer one's newest first and joins each match to its
// message, which must also contain the other index's terms (see
// contentCheck); that stays fast whichever side is common. Terms that neither
// index holds filter with LIKE, and when there are only such terms the query
// walks the messages newest first.
func (s *Store) candidates(ctx context.Context, terms []term) ([]candidate, error) {
	var long, words []term
	var like []string
	var longExpr, wordExpr []string
	for _, t := range terms {
		switch t.kind {
		case trigramTerm:
			long = append(long, t)
			longExpr = append(longExpr, ftsString(t.text))
		case wordTerm:
			words = append(words, t)
			wordExpr = append(wordExpr, t.match)
		case likeTerm:
			like = append(like, t.text)
		}
	}
	driveWords := len(words) > 0
	if len(long) > 0 && len(words) > 0 {
		var err error
		if driveWords, err = s.wordsRarer(ctx, strings.Join(longExpr, " AND "), strings.Join(wordExpr, " AND ")); err != nil {
			return nil, err
		}
	}
	const columns = `SELECT m.seq, m.conversation_id, c.title, m.id, m.role, m.created_at, m.content`
	// driven walks one index and checks the other terms on the content.
	driven := func(table string, expr []string, others []term) (string, []any, string) {
		args := []any{strings.Join(expr, " AND ")}
		var checks strings.Builder
		for _, t := range others {
			clause, arg := contentCheck(t)
			checks.WriteString(clause)
			args = append(args, arg...)
		}
		q := columns + ` FROM ` + table + `
			JOIN messages m ON m.seq = ` + table + `.rowid
			JOIN conversations c ON c.id = m.conversation_id
			WHERE ` + table + ` MATCH ?` + checks.String()
		return q, args, table + ".rowid"
	}
	var q, order string
	var args []any
	switch {
	case driveWords:
		q, args, order = driven("messages_words", wordExpr, long)
	case len(long) > 0:
		q, args, order = driven("messages_fts", longExpr, words)
	default:
		q = columns + ` FROM messages m JOIN conversations c ON c.id = m.conversation_id
			WHERE true`
		order = "m.seq"
	}
	likes, likeArgs := likeFilters(like)
	q += likes + ` ORDER BY ` + order + ` DESC LIMIT ?`
	args = append(append(args, likeArgs...), SearchWindow)
	rows, err := s.db.QueryContext(ctx, q, args...)
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

// wordsRarer reports whether the word index has fewer matches for words than
// the trigram index has for long, counting at most probeLimit of each.
func (s *Store) wordsRarer(ctx context.Context, long, words string) (bool, error) {
	var nLong, nWords int
	err := s.db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM (SELECT 1 FROM messages_fts WHERE messages_fts MATCH ? LIMIT ?)),
		(SELECT count(*) FROM (SELECT 1 FROM messages_words WHERE messages_words MATCH ? LIMIT ?))`,
		long, probeLimit, words, probeLimit).Scan(&nLong, &nWords)
	return nWords <= nLong, err
}

// contentCheck returns an SQL condition on m.content, with its arguments,
// that holds when the message contains t by the rule of t's index. It uses
// SQLite's own instr for text without upper and lower case (such as CJK),
// LIKE for ASCII (whose case LIKE ignores), and hasTerm, a call into Go that
// costs more per row, for the rest and for word prefixes.
func contentCheck(t term) (string, []any) {
	switch {
	case t.wordStart:
	case caseless(t.text):
		return ` AND instr(m.content, ?) > 0`, []any{t.text}
	case isASCII(t.text):
		clause, args := likeFilters([]string{t.text})
		return clause, args
	}
	return ` AND ` + hasTermFunc + `(m.content, ?, ?)`, []any{t.text, t.wordStart}
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

// likeFilters returns one "AND m.content LIKE ?" clause per term with the
// term's LIKE wildcards escaped.
func likeFilters(terms []string) (string, []any) {
	var sb strings.Builder
	args := make([]any, 0, len(terms))
	escaper := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	for _, t := range terms {
		sb.WriteString(` AND m.content LIKE ? ESCAPE '\'`)
		args = append(args, "%"+escaper.Replace(t)+"%")
	}
	return sb.String(), args
}
