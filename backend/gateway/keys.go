package gateway

import (
	"fmt"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"
)

// readFields are the top-level fields ParseRequest reads, by the names
// in chatFields' tags.
var readFields = func() map[string]string {
	out := map[string]string{}
	t := reflect.TypeFor[chatFields]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		out[fold(name)] = name
	}
	return out
}()

// checkKeys refuses a body whose top-level keys the gateway and the
// provider could read differently. encoding/json matches keys without
// regard to case (Unicode simple folding: "ſtream" is "stream") and keeps
// the last of duplicates; providers' parsers are case-sensitive and some
// keep the first. So {"model":"gpt-4o","Model":"deepseek-chat"} was
// routed as one model and sent as another. Refused: a key that appears
// twice under any spelling, and a field the gateway reads spelled other
// than exactly. body has already been parsed as JSON.
func checkKeys(body []byte) *Error {
	s := scanner{b: body}
	s.space()
	if !s.eat('{') {
		return nil
	}
	seen := map[string]string{} // folded -> as first written
	for {
		s.space()
		if s.eat('}') {
			return nil
		}
		ks := s.i
		if !s.skipString() {
			return nil
		}
		k := string(body[ks+1 : s.i-1])
		if strings.IndexByte(k, '\\') >= 0 {
			k = unescapedKey(body[ks:s.i])
		}
		fk := fold(k)
		field, read := readFields[fk]
		if first, dup := seen[fk]; dup {
			param := first
			if read {
				param = field
			}
			return &Error{Status: 400, Type: "invalid_request_error", Param: param, Code: "duplicate_key",
				Message: fmt.Sprintf("the body has the key %q more than once (as %q and %q); JSON parsers disagree on which one counts, so send it once", param, first, k)}
		}
		if read && k != field {
			return &Error{Status: 400, Type: "invalid_request_error", Param: k, Code: "invalid_key",
				Message: fmt.Sprintf("%q is not a field; keys are case-sensitive: write %q", k, field)}
		}
		seen[fk] = k
		s.space()
		if !s.eat(':') {
			return nil
		}
		s.space()
		if !s.skipValue() {
			return nil
		}
		s.space()
		if !s.eat(',') {
			return nil
		}
	}
}

// fold maps keys that encoding/json treats as equal to one string: each
// rune to the smallest of its simple case folds (so ASCII to upper case),
// as encoding/json's foldName does.
func fold(k string) string {
	var b strings.Builder
	for _, r := range k {
		if r < utf8.RuneSelf {
			if 'a' <= r && r <= 'z' {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
			continue
		}
		for {
			r2 := unicode.SimpleFold(r)
			if r2 <= r {
				r = r2
				break
			}
			r = r2
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ForwardBody prepares a client's body to be forwarded as bytes to a
// provider that speaks the client's dialect: refused when its top-level
// keys could be read two ways (see checkKeys), and with only the model
// field rewritten when the upstream id differs from the name asked.
// Every passthrough door (Anthropic, Responses, embeddings, completions)
// uses it; the chat door checks the keys while parsing.
func ForwardBody(body []byte, asked, upstream string) ([]byte, *Error) {
	if e := checkKeys(body); e != nil {
		return nil, e
	}
	if upstream == asked {
		return body, nil
	}
	out, err := ReplaceModel(body, upstream)
	if err != nil {
		return nil, InvalidRequest("", "could not rewrite the model field: "+err.Error())
	}
	return out, nil
}
