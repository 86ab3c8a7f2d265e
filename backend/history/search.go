package history

import (
	"context"
	"strings"
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

// Search finds messages whose content contains every white-space separated
// term of query, using the rule in the package documentation, and returns at
// most limit hits (DefaultSearchLimit when limit <= 0), best first. An empty
// query returns no hits.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]Hit, error) {
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	limit = min(limit, MaxSearchLimit)
	terms := strings.Fields(query)
	if len(terms) == 0 {
		return []Hit{}, nil
	}
	cands, err := s.candidates(ctx, terms)
	if err != nil {
		return nil, wrap("search", err)
	}
	return rank(cands, terms, limit), nil
}

// candidates returns the newest SearchWindow messages containing every term.
// Terms of three or more characters are looked up in the trigram index; the
// others filter with LIKE, and when there are only short terms the query
// walks the messages newest first instead.
func (s *Store) candidates(ctx context.Context, terms []string) ([]candidate, error) {
	var long, short []string
	for _, t := range terms {
		if utf8.RuneCountInString(t) >= 3 {
			long = append(long, t)
		} else {
			short = append(short, t)
		}
	}
	const columns = `SELECT m.seq, m.conversation_id, c.title, m.id, m.role, m.created_at, m.content`
	likes, args := likeFilters(short)
	var q string
	if len(long) > 0 {
		q = columns + ` FROM messages_fts
			JOIN messages m ON m.seq = messages_fts.rowid
			JOIN conversations c ON c.id = m.conversation_id
			WHERE messages_fts MATCH ?` + likes + `
			ORDER BY messages_fts.rowid DESC LIMIT ?`
		args = append([]any{ftsQuery(long)}, args...)
	} else {
		q = columns + ` FROM messages m JOIN conversations c ON c.id = m.conversation_id
			WHERE true` + likes + ` ORDER BY m.seq DESC LIMIT ?`
	}
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

// ftsQuery quotes each term as an FTS5 string, so operators and punctuation
// in what the user typed are matched literally, and ANDs them.
func ftsQuery(terms []string) string {
	quoted := make([]string, len(terms))
	for i, t := range terms {
		quoted[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
	}
	return strings.Join(quoted, " AND ")
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
