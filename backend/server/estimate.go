package server

import (
	"bytes"
	"strings"

	"thinkcloud/backend/usage"
)

// The token estimate for a provider that reports no usage (the log's
// Estimated rows): the input is the request body as read (bodyTracker:
// JSON, tools and system prompt included, as a provider would count
// them, give or take the punctuation); the output is the text of the
// answer as written to the client, found by a byte scan for the string
// values of the keys that carry text in the doors' formats. Nothing is
// decoded: usage.Counter counts UTF-8 bytes.

var quoteColon = []byte(`":`)

// countText adds the answer text in p to rec.out.
func (rec *recorder) countText(p []byte) {
	if rec.textKeys == nil {
		rec.textKeys = answerKeys
		if rec.door == usage.DoorResponses && strings.HasPrefix(rec.Header().Get("Content-Type"), "text/event-stream") {
			// A Responses stream repeats the text in its .done and
			// completed events: count only the deltas.
			rec.textKeys = deltaKey
		}
	}
	for {
		i := bytes.Index(p, quoteColon)
		if i < 0 {
			return
		}
		key := p[bytes.LastIndexByte(p[:i], '"')+1 : i]
		j := i + 2
		for j < len(p) && (p[j] == ' ' || p[j] == '\t') {
			j++
		}
		if j >= len(p) || p[j] != '"' {
			p = p[j:]
			continue
		}
		// Skip the string value (counting it when its key carries text),
		// so that a `":` inside it is not taken for a key.
		k := j + 1
		for k < len(p) && p[k] != '"' {
			if p[k] == '\\' {
				k++
			}
			k++
		}
		k = min(k, len(p))
		if rec.textKeys(key) {
			rec.out.Add(p[j+1 : k])
		}
		p = p[min(k+1, len(p)):]
	}
}

// answerKeys are the keys whose string values are answer text in the
// chat, completions and Messages formats and in a whole Responses answer.
func answerKeys(k []byte) bool {
	switch string(k) {
	case "content", "reasoning_content", "reasoning", "text", "thinking", "partial_json", "arguments", "refusal":
		return true
	}
	return false
}

func deltaKey(k []byte) bool { return string(k) == "delta" }
