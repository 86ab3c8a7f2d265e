package gateway

import "thinkcloud/backend/secrets"

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
