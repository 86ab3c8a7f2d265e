package gateway

import (
	"bytes"

	"thinkcloud/backend/secrets"
)

// redact removes from a provider's text the key the request carried (a
// provider may quote it back: "Incorrect API key provided: sk-…") and,
// through Router.Redact, every other key the app knows.
func (r *Router) redact(text, key string) string {
	text = secrets.Redact(text, key)
	if r.Redact != nil {
		text = r.Redact(text)
	}
	return text
}

// redactEvent masks keys in an error event inside a provider's stream,
// through Router.Redact. Every other event, the answer itself, passes
// byte for byte, at the cost of one prefix check.
func (s *Stream) redactEvent(ev Event) Event {
	if s.redact == nil || !bytes.HasPrefix(bytes.TrimLeft(ev.Data, " \t\r\n"), []byte(`{"error"`)) {
		return ev
	}
	ev.Data = []byte(s.redact(string(ev.Data)))
	return ev
}
