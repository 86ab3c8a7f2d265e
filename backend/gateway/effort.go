package gateway

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"

	"thinkcloud/backend/catalog"
)

// SpliceEffort is the endpoint's one convenience: a client's standard
// top-level "reasoning_effort" reaches the provider in the provider's own
// terms, written into the body bytes where the field stood (nothing else
// is re-encoded). Through Target.Thinking, an effort the model does not
// accept becomes its nearest level (DeepSeek: low → high), "none" becomes
// the provider's off switch where the model has one (Kimi, DashScope,
// DeepSeek), another level switches thinking on where the model takes no
// effort (Kimi K2.6, DashScope; a model that takes an effort gets no
// switch added, as the effort says "think" by itself), and a model the catalog says never
// thinks, or takes no effort and no switch, gets the field removed.
//
// The body is returned unchanged (the same bytes) when it has no
// reasoning_effort string, the value is not a canonical level, the
// catalog does not know how the model thinks (Model.Think is nil), or the
// value is already the provider's own. A switch the client sent itself
// ("thinking", "enable_thinking") is never overridden.
func (t Target) SpliceEffort(body []byte) ([]byte, error) {
	if t.Model.Think == nil {
		return body, nil
	}
	keyAt, start, end, err := topLevelMember(body, "reasoning_effort")
	if errors.Is(err, errNoField) {
		return body, nil
	}
	if err != nil {
		return nil, err
	}
	var want string
	if json.Unmarshal(body[start:end], &want) != nil || !slices.Contains(catalog.Efforts, want) {
		return body, nil // the provider answers what it makes of it
	}
	fields := t.Thinking(nil, want)
	_, effort := fields[t.Dialect.Effort]
	for _, k := range []string{"thinking", "enable_thinking"} {
		// An effort says "think" by itself: the switch is added only
		// where the model takes no effort, and never over the client's.
		if _, ok := fields[k]; ok && (effort || hasTopLevel(body, k)) {
			delete(fields, k)
		}
	}
	if len(fields) == 1 && t.Dialect.Effort == "reasoning_effort" && fields["reasoning_effort"] == want {
		return body, nil // already the provider's own
	}
	var member bytes.Buffer
	for _, k := range []string{"thinking", "enable_thinking", t.Dialect.Effort} {
		v, ok := fields[k]
		if !ok || k == "" {
			continue
		}
		if member.Len() > 0 {
			member.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		member.Write(kb)
		member.WriteByte(':')
		member.Write(vb)
	}
	if member.Len() == 0 {
		return removeMember(body, keyAt, end), nil
	}
	out := make([]byte, 0, len(body)+member.Len())
	out = append(out, body[:keyAt]...)
	out = append(out, member.Bytes()...)
	return append(out, body[end:]...), nil
}

// hasTopLevel reports whether the top-level object body has key.
func hasTopLevel(body []byte, key string) bool {
	_, _, err := topLevelValue(body, key)
	return err == nil
}

// removeMember cuts the member spanning body[keyAt:end] out of its object
// with one of the commas around it, leaving valid JSON.
func removeMember(body []byte, keyAt, end int) []byte {
	after := end
	for after < len(body) && isSpace(body[after]) {
		after++
	}
	if after < len(body) && body[after] == ',' {
		end = after + 1 // a member follows: take the comma after
	} else {
		before := keyAt - 1
		for before >= 0 && isSpace(body[before]) {
			before--
		}
		if before >= 0 && body[before] == ',' {
			keyAt = before // the last member: take the comma before
		}
	}
	out := make([]byte, 0, len(body)-(end-keyAt))
	out = append(out, body[:keyAt]...)
	return append(out, body[end:]...)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
