package gateway

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Request is what the gateway needs to know about a chat-completions body.
// The body itself is kept as bytes: fields nobody here knows (tools,
// enable_thinking, thinking, …) must reach the provider exactly as sent.
type Request struct {
	// Model is the name the client asked for.
	Model string
	// Stream is the client's "stream" field.
	Stream bool
	// IncludeUsage is stream_options.include_usage: only a client that
	// asked gets the usage-only chunk with empty choices.
	IncludeUsage bool
	// Body is the request body as received.
	Body []byte
}

// chatFields are the fields validated before any upstream call. Pointers
// tell "absent" from zero; messages are decoded only as far as the role.
type chatFields struct {
	Model            *string    `json:"model"`
	Messages         *[]message `json:"messages"`
	Stream           *bool      `json:"stream"`
	Temperature      *float64   `json:"temperature"`
	TopP             *float64   `json:"top_p"`
	FrequencyPenalty *float64   `json:"frequency_penalty"`
	PresencePenalty  *float64   `json:"presence_penalty"`
	MaxTokens        *int64     `json:"max_tokens"`
	MaxCompletion    *int64     `json:"max_completion_tokens"`
	StreamOptions    *struct {
		IncludeUsage *bool `json:"include_usage"`
	} `json:"stream_options"`
}

var validRoles = map[string]bool{"system": true, "user": true, "assistant": true, "tool": true, "function": true, "developer": true}

// ParseRequest validates a chat-completions body and returns what routing
// needs. Every failure is a 400 naming the offending param, so a client
// learns what to fix without a provider round trip.
func ParseRequest(body []byte) (Request, *Error) {
	var f chatFields
	if err := json.Unmarshal(body, &f); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && strings.HasPrefix(typeErr.Field, "messages") {
			return Request{}, InvalidParam("messages", "messages must be an array of message objects, each with a string role")
		}
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return Request{}, InvalidParam(typeErr.Field, fmt.Sprintf("%s: expected %s, got JSON %s", typeErr.Field, typeErr.Type, typeErr.Value))
		}
		return Request{}, InvalidRequest("", "could not parse the JSON body of your request ("+err.Error()+"); send valid JSON")
	}
	if e := checkKeys(body); e != nil {
		return Request{}, e
	}
	if f.Model == nil || *f.Model == "" {
		return Request{}, InvalidParam("model", "you must provide a model parameter")
	}
	if e := checkMessages(f.Messages); e != nil {
		return Request{}, e
	}
	if e := checkRanges(f.Temperature, f.TopP, f.FrequencyPenalty, f.PresencePenalty); e != nil {
		return Request{}, e
	}
	for name, v := range map[string]*int64{"max_tokens": f.MaxTokens, "max_completion_tokens": f.MaxCompletion} {
		if e := checkAtLeastOne(name, v); e != nil {
			return Request{}, e
		}
	}
	req := Request{Model: *f.Model, Body: body}
	req.Stream = f.Stream != nil && *f.Stream
	req.IncludeUsage = req.Stream && f.StreamOptions != nil && f.StreamOptions.IncludeUsage != nil && *f.StreamOptions.IncludeUsage
	return req, nil
}

// checkRanges refuses sampling parameters outside the ranges every
// provider accepts; both doors use it.
func checkRanges(temperature, topP, frequencyPenalty, presencePenalty *float64) *Error {
	for _, r := range []struct {
		name     string
		v        *float64
		min, max float64
	}{
		{"temperature", temperature, 0, 2},
		{"top_p", topP, 0, 1},
		{"frequency_penalty", frequencyPenalty, -2, 2},
		{"presence_penalty", presencePenalty, -2, 2},
	} {
		if r.v != nil && (*r.v < r.min || *r.v > r.max) {
			return InvalidParam(r.name, fmt.Sprintf("%s must be between %g and %g; got %g", r.name, r.min, r.max, *r.v))
		}
	}
	return nil
}

func checkAtLeastOne(name string, v *int64) *Error {
	if v != nil && *v < 1 {
		return InvalidParam(name, fmt.Sprintf("%s must be at least 1; got %d", name, *v))
	}
	return nil
}

// message is the part of a chat message checked before routing: its role.
// Contents are skipped by the decoder, never copied.
type message struct {
	Role *string `json:"role"`
}

func checkMessages(msgs *[]message) *Error {
	if msgs == nil {
		return InvalidParam("messages", "you must provide a messages parameter")
	}
	if len(*msgs) == 0 {
		return InvalidParam("messages", "messages must not be empty")
	}
	for i, m := range *msgs {
		param := "messages[" + strconv.Itoa(i) + "].role"
		if m.Role == nil {
			return InvalidParam(param, param+" is required")
		}
		if !validRoles[*m.Role] {
			return InvalidParam(param, fmt.Sprintf("%s: %q is not one of system, user, assistant, tool, developer", param, *m.Role))
		}
	}
	return nil
}

// ReplaceModel returns body with the top-level "model" value replaced by
// model, every other byte unchanged. Re-encoding through a struct or a
// map would drop or reorder fields the provider needs.
func ReplaceModel(body []byte, model string) ([]byte, error) {
	start, end, err := topLevelValue(body, "model")
	if err != nil {
		return nil, err
	}
	quoted, _ := json.Marshal(model)
	out := make([]byte, 0, len(body)-(end-start)+len(quoted))
	out = append(out, body[:start]...)
	out = append(out, quoted...)
	return append(out, body[end:]...), nil
}

// errNoField is returned by topLevelValue when the key is absent.
var errNoField = errors.New("field not found")

// topLevelValue finds the byte span of the value of key in the top-level
// JSON object body. It scans without allocating; nested values are skipped
// by bracket counting with string awareness. When a key repeats, the last
// one wins, as in encoding/json.
func topLevelValue(body []byte, key string) (int, int, error) {
	_, start, end, err := topLevelMember(body, key)
	return start, end, err
}

// topLevelMember is topLevelValue that also returns where the member's
// key starts, so that a whole member can be replaced or removed.
func topLevelMember(body []byte, key string) (int, int, int, error) {
	s := scanner{b: body}
	s.space()
	if !s.eat('{') {
		return 0, 0, 0, errors.New("body is not a JSON object")
	}
	keyAt, start, end := -1, -1, -1
	for {
		s.space()
		if s.eat('}') {
			break
		}
		ks := s.i
		if !s.skipString() {
			return 0, 0, 0, errors.New("malformed object key")
		}
		k, quoted := body[ks+1:s.i-1], body[ks:s.i]
		s.space()
		if !s.eat(':') {
			return 0, 0, 0, errors.New("missing colon after key")
		}
		s.space()
		vs := s.i
		if !s.skipValue() {
			return 0, 0, 0, errors.New("malformed value")
		}
		if string(k) == key || (bytes.IndexByte(k, '\\') >= 0 && unescapedKey(quoted) == key) {
			keyAt, start, end = ks, vs, s.i
		}
		s.space()
		if s.eat(',') {
			continue
		}
		if s.eat('}') {
			break
		}
		return 0, 0, 0, errors.New("expected , or } in object")
	}
	if start < 0 {
		return 0, 0, 0, errNoField
	}
	return keyAt, start, end, nil
}

type scanner struct {
	b []byte
	i int
}

func (s *scanner) space() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\n' || s.b[s.i] == '\r' || s.b[s.i] == '\t') {
		s.i++
	}
}

func (s *scanner) eat(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

func (s *scanner) skipString() bool {
	if !s.eat('"') {
		return false
	}
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '\\':
			s.i += 2
		case '"':
			s.i++
			return true
		default:
			s.i++
		}
	}
	return false
}

// skipValue moves past one JSON value. It checks structure (balanced
// brackets, terminated strings) but not the spelling of literals: the
// body was already accepted by encoding/json in ParseRequest.
func (s *scanner) skipValue() bool {
	if s.i >= len(s.b) {
		return false
	}
	switch s.b[s.i] {
	case '"':
		return s.skipString()
	case '{', '[':
		depth := 0
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case '"':
				if !s.skipString() {
					return false
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.i++
					return true
				}
			}
			s.i++
		}
		return false
	default:
		start := s.i
		for s.i < len(s.b) && !isDelim(s.b[s.i]) {
			s.i++
		}
		return s.i > start
	}
}

func isDelim(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}

// unescapedKey decodes a key written with escapes ("mod\u0065l"), which
// JSON parsers, and so providers, read as the plain name.
func unescapedKey(quoted []byte) string {
	var k string
	json.Unmarshal(quoted, &k)
	return k
}
