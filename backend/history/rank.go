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
func rank(cands []candidate, terms []term, limit int) []Hit {
	if len(cands) == 0 {
		return []Hit{}
	}
	folded := make([]term, len(terms))
	for i, t := range terms {
		folded[i] = t
		folded[i].text = strings.ToLower(t.text)
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
			tf := float64(countTerm(content, t))
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

// countTerm counts the occurrences of t in content, both already lower
// case; a wordStart term counts only where a word begins, as the word index
// matches it.
func countTerm(content string, t term) int {
	if !t.wordStart {
		return strings.Count(content, t.text)
	}
	n := 0
	for i := 0; ; {
		j := strings.Index(content[i:], t.text)
		if j < 0 {
			return n
		}
		if atWordStart(content, i+j) {
			n++
		}
		i += j + len(t.text)
	}
}

// atWordStart reports whether a word of the word index begins at byte
// offset i of text: the rune before it is no word rune or a CJK character.
func atWordStart(text string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return !isWordRune(r) || isCJK(r)
}
