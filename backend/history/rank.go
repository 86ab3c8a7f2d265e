package history

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"
)

// BM25 parameters, the usual defaults (and FTS5's).
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// rank orders candidates by a BM25 score and returns the best limit hits
// with snippets. Every candidate contains every term, so BM25's inverse
// document frequency is left out: it would cost a pass over each term's
// whole posting list and changes only how terms weigh against each other.
// Term frequency saturates (k1) and is normalised by the message length in
// characters relative to the candidates' average (b), so Chinese and English
// messages compare fairly. Equal scores go newest first.
func rank(cands []candidate, terms []string, limit int) []Hit {
	if len(cands) == 0 {
		return []Hit{}
	}
	folded := make([]string, len(terms))
	for i, t := range terms {
		folded[i] = strings.ToLower(t)
	}
	lengths := make([]float64, len(cands))
	total := 0.0
	for i, c := range cands {
		lengths[i] = float64(utf8.RuneCountInString(c.content))
		total += lengths[i]
	}
	avg := max(total/float64(len(cands)), 1)
	for i := range cands {
		content := strings.ToLower(cands[i].content)
		norm := bm25K1 * (1 - bm25B + bm25B*lengths[i]/avg)
		for _, t := range folded {
			tf := float64(strings.Count(content, t))
			cands[i].score += tf * (bm25K1 + 1) / (tf + norm)
		}
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(b.seq, a.seq))
	})
	hits := make([]Hit, 0, min(limit, len(cands)))
	for _, c := range cands[:min(limit, len(cands))] {
		c.hit.Snippet = markTerms(c.content, terms)
		hits = append(hits, c.hit)
	}
	return hits
}
