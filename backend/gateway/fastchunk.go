package gateway

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// scanChunk is Decode's fast path: it reads the fields of wireChunk from a
// chunk in one pass, without reflection, and reports false whenever the
// chunk is anything but the plain shape providers send (an error event, a
// key spelled in another case, a value of an unexpected type, anything
// json.Unmarshal would reject or read differently), and Decode then falls
// back to json.Unmarshal. Parsing each chunk was most of what the
// translating doors cost per chunk beside passthrough (docs/BENCHMARKS.md).
// FuzzScanChunk holds it to json.Unmarshal: whenever it says true, c is
// what json.Unmarshal gives.
func scanChunk(data []byte, c *wireChunk) bool {
	s := chunkScanner{b: data}
	s.ws()
	ok := s.object(func(k []byte) bool {
		switch string(k) {
		case "choices":
			return s.choices(c)
		case "error":
			return false
		}
		return !foldsTo(k, "choices", "error") && s.skipValue(0)
	})
	s.ws()
	return ok && s.i == len(s.b)
}

type chunkScanner struct {
	b []byte
	i int
}

// foldsTo reports whether k matches one of names only when case is ignored:
// json.Unmarshal would take it for that field, so the fast path gives up.
func foldsTo(k []byte, names ...string) bool {
	for _, n := range names {
		if string(k) != n && bytes.EqualFold(k, []byte(n)) {
			return true
		}
	}
	return false
}

func (s *chunkScanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *chunkScanner) peek() byte {
	s.ws()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// literal consumes lit ("null", "true", "false").
func (s *chunkScanner) literal(lit string) bool {
	if !bytes.HasPrefix(s.b[s.i:], []byte(lit)) {
		return false
	}
	s.i += len(lit)
	return true
}

// object reads an object, calling field for each key with the scanner at
// the key's value, which field must consume.
func (s *chunkScanner) object(field func(k []byte) bool) bool {
	if s.peek() != '{' {
		return false
	}
	s.i++
	if s.peek() == '}' {
		s.i++
		return true
	}
	for {
		k, ok := s.key()
		if !ok || s.peek() != ':' {
			return false
		}
		s.i++
		s.ws()
		if !field(k) {
			return false
		}
		switch s.peek() {
		case ',':
			s.i++
		case '}':
			s.i++
			return true
		default:
			return false
		}
	}
}

// array reads an array, calling elem with the scanner at each element.
func (s *chunkScanner) array(elem func() bool) bool {
	if s.peek() != '[' {
		return false
	}
	s.i++
	if s.peek() == ']' {
		s.i++
		return true
	}
	for {
		s.ws()
		if !elem() {
			return false
		}
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			return true
		default:
			return false
		}
	}
}

// key reads an object key without escapes (a key with one gives up).
func (s *chunkScanner) key() ([]byte, bool) {
	if s.peek() != '"' {
		return nil, false
	}
	start := s.i + 1
	for j := start; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '"':
			s.i = j + 1
			return s.b[start:j], true
		case c == '\\' || c < 0x20:
			return nil, false
		}
	}
	return nil, false
}

// stringEnd returns the index just past the string token starting at
// s.i, whether it has escapes, and false if it is not a valid string.
func (s *chunkScanner) stringEnd() (end int, escaped, ok bool) {
	for j := s.i + 1; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '"':
			return j + 1, escaped, true
		case c < 0x20:
			return 0, false, false
		case c == '\\':
			escaped = true
			if j+1 >= len(s.b) {
				return 0, false, false
			}
			switch s.b[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j++
			case 'u':
				if j+5 >= len(s.b) {
					return 0, false, false
				}
				for _, h := range s.b[j+2 : j+6] {
					if !isHex(h) {
						return 0, false, false
					}
				}
				j += 5
			default:
				return 0, false, false
			}
		}
	}
	return 0, false, false
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// str reads a string or null into *dst (null leaves it, as json.Unmarshal
// does).
func (s *chunkScanner) str(dst *string) bool {
	switch s.peek() {
	case 'n':
		return s.literal("null")
	case '"':
	default:
		return false
	}
	end, escaped, ok := s.stringEnd()
	if !ok {
		return false
	}
	raw := s.b[s.i+1 : end-1]
	if escaped || !utf8.Valid(raw) {
		if json.Unmarshal(s.b[s.i:end], dst) != nil {
			return false
		}
	} else {
		*dst = string(raw)
	}
	s.i = end
	return true
}

// integer reads an integer or null into *dst.
func (s *chunkScanner) integer(dst *int) bool {
	if s.peek() == 'n' {
		return s.literal("null")
	}
	start := s.i
	if s.i < len(s.b) && s.b[s.i] == '-' {
		s.i++
	}
	digits := s.i
	for s.i < len(s.b) && '0' <= s.b[s.i] && s.b[s.i] <= '9' {
		s.i++
	}
	tok := s.b[start:s.i]
	if s.i == digits || (s.b[digits] == '0' && s.i-digits > 1) {
		return false
	}
	if s.i < len(s.b) && (s.b[s.i] == '.' || s.b[s.i] == 'e' || s.b[s.i] == 'E') {
		return false // a fraction or an exponent: json.Unmarshal refuses it for an int
	}
	n, err := strconv.Atoi(string(tok))
	if err != nil {
		return false
	}
	*dst = n
	return true
}

// skipValue consumes any valid value.
func (s *chunkScanner) skipValue(depth int) bool {
	if depth > 64 {
		return false
	}
	switch c := s.peek(); {
	case c == '"':
		end, _, ok := s.stringEnd()
		s.i = end
		return ok
	case c == '{':
		return s.object(func([]byte) bool { return s.skipValue(depth + 1) })
	case c == '[':
		return s.array(func() bool { return s.skipValue(depth + 1) })
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		return s.number()
	}
	return false
}

// number consumes a JSON number.
func (s *chunkScanner) number() bool {
	digits := func() int {
		n := 0
		for s.i < len(s.b) && '0' <= s.b[s.i] && s.b[s.i] <= '9' {
			s.i, n = s.i+1, n+1
		}
		return n
	}
	if s.b[s.i] == '-' {
		s.i++
	}
	if s.i < len(s.b) && s.b[s.i] == '0' {
		s.i++
	} else if digits() == 0 {
		return false
	}
	if s.i < len(s.b) && s.b[s.i] == '.' {
		s.i++
		if digits() == 0 {
			return false
		}
	}
	if s.i < len(s.b) && (s.b[s.i] == 'e' || s.b[s.i] == 'E') {
		s.i++
		if s.i < len(s.b) && (s.b[s.i] == '+' || s.b[s.i] == '-') {
			s.i++
		}
		if digits() == 0 {
			return false
		}
	}
	return true
}

func (s *chunkScanner) choices(c *wireChunk) bool {
	if s.peek() == 'n' {
		c.Choices = nil
		return s.literal("null")
	}
	c.Choices = c.Choices[:0]
	return s.array(func() bool {
		c.Choices = append(c.Choices, struct {
			Delta        wireText `json:"delta"`
			Message      wireText `json:"message"`
			FinishReason string   `json:"finish_reason"`
		}{})
		ch := &c.Choices[len(c.Choices)-1]
		if s.peek() == 'n' {
			return s.literal("null")
		}
		return s.object(func(k []byte) bool {
			switch string(k) {
			case "delta":
				return s.text(&ch.Delta)
			case "message":
				return s.text(&ch.Message)
			case "finish_reason":
				return s.str(&ch.FinishReason)
			}
			return !foldsTo(k, "delta", "message", "finish_reason") && s.skipValue(0)
		})
	})
}

func (s *chunkScanner) text(t *wireText) bool {
	if s.peek() == 'n' {
		return s.literal("null")
	}
	return s.object(func(k []byte) bool {
		switch string(k) {
		case "content":
			return s.str(&t.Content)
		case "reasoning_content":
			return s.str(&t.ReasoningContent)
		case "reasoning":
			return s.str(&t.Reasoning)
		case "tool_calls":
			return s.toolCalls(t)
		}
		return !foldsTo(k, "content", "reasoning_content", "reasoning", "tool_calls") && s.skipValue(0)
	})
}

func (s *chunkScanner) toolCalls(t *wireText) bool {
	if s.peek() == 'n' {
		t.ToolCalls = nil
		return s.literal("null")
	}
	t.ToolCalls = t.ToolCalls[:0]
	return s.array(func() bool {
		t.ToolCalls = append(t.ToolCalls, wireToolCall{})
		tc := &t.ToolCalls[len(t.ToolCalls)-1]
		if s.peek() == 'n' {
			return s.literal("null")
		}
		return s.object(func(k []byte) bool {
			switch string(k) {
			case "index":
				return s.integer(&tc.Index)
			case "id":
				return s.str(&tc.ID)
			case "function":
				if s.peek() == 'n' {
					return s.literal("null")
				}
				return s.object(func(k []byte) bool {
					switch string(k) {
					case "name":
						return s.str(&tc.Function.Name)
					case "arguments":
						return s.str(&tc.Function.Arguments)
					}
					return !foldsTo(k, "name", "arguments") && s.skipValue(0)
				})
			}
			return !foldsTo(k, "index", "id", "function") && s.skipValue(0)
		})
	})
}
