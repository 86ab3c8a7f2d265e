package gateway

import "strings"

// thinkSplitter separates "<think>…</think>" at the start of an answer
// (Qwen3 with raw reasoning output) from the answer itself, across chunk
// boundaries that may split a tag. A tag later in the answer is left
// alone: a model may well be writing about the tag.
type thinkSplitter struct {
	inThink bool
	started bool   // non-space answer text was seen
	closed  bool   // a think block already ended
	pending string // a possible partial tag held back
}

const (
	openTag  = "<think>"
	closeTag = "</think>"
)

// feed takes the next piece of content and returns the answer text and
// the thinking text it holds.
func (t *thinkSplitter) feed(s string) (content, reasoning string) {
	s = t.pending + s
	t.pending = ""
	var c, r strings.Builder
	for s != "" {
		if t.inThink {
			if i := strings.Index(s, closeTag); i >= 0 {
				r.WriteString(s[:i])
				s = strings.TrimLeft(s[i+len(closeTag):], "\r\n")
				t.inThink, t.closed = false, true
				continue
			}
			k := partialSuffix(s, closeTag)
			r.WriteString(s[:len(s)-k])
			t.pending = s[len(s)-k:]
			break
		}
		if t.started || t.closed {
			c.WriteString(s)
			break
		}
		trimmed := strings.TrimLeft(s, " \t\r\n")
		if strings.HasPrefix(trimmed, openTag) {
			s = trimmed[len(openTag):]
			t.inThink = true
			continue
		}
		if trimmed == "" || strings.HasPrefix(openTag, trimmed) {
			t.pending = s // whitespace or the start of "<think>": wait
			break
		}
		t.started = true
		c.WriteString(s)
		break
	}
	return c.String(), r.String()
}

// flush releases held-back text at the end of a batch window if it can no
// longer be a tag, and everything at the end of the stream.
func (t *thinkSplitter) flush() (content, reasoning string) {
	if t.pending == "" {
		return "", ""
	}
	if !t.inThink && !t.started && strings.TrimSpace(t.pending) == "" {
		return "", "" // leading whitespace: keep waiting
	}
	p := t.pending
	if !t.inThink && strings.HasPrefix(openTag, strings.TrimLeft(p, " \t\r\n")) {
		return "", "" // may still become "<think>"
	}
	t.pending = ""
	if t.inThink {
		if partialSuffix(p, closeTag) == len(p) {
			t.pending = p
			return "", ""
		}
		return "", p
	}
	t.started = true
	return p, ""
}

// end releases everything at the end of the stream.
func (t *thinkSplitter) end() (content, reasoning string) {
	p := t.pending
	t.pending = ""
	if t.inThink {
		return "", p
	}
	return p, ""
}

// partialSuffix is the length of the longest suffix of s that is a proper
// prefix of tag.
func partialSuffix(s, tag string) int {
	for k := min(len(tag)-1, len(s)); k > 0; k-- {
		if strings.HasSuffix(s, tag[:k]) {
			return k
		}
	}
	return 0
}
