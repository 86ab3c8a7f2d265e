package secrets

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
)

// minRedactLen is the shortest value Redact treats as a key. Shorter
// values are not real keys, and replacing them everywhere would garble
// the text ("k" in every word).
const minRedactLen = 8

// minEcho is how many characters after a key's well-known prefix ("sk-")
// make an echo of its start a leak: providers quote keys cut short
// ("Incorrect API key provided: sk-abc123def***").
const minEcho = 6

// Redact returns text with every occurrence of each key, and of any
// start of it that reaches minEcho characters past its well-known prefix,
// replaced by Mask(key). Use it on any text a provider wrote before it
// reaches a client, a log line or the window.
func Redact(text string, keys ...string) string {
	for _, key := range keys {
		key = strings.TrimSpace(key)
		if len(key) < minRedactLen {
			continue
		}
		text = redactOne(text, key, min(len(key), len(knownPrefix(key))+minEcho))
	}
	return text
}

func redactOne(text, key string, echo int) string {
	head := key[:echo]
	if !strings.Contains(text, head) {
		return text
	}
	var b strings.Builder
	for {
		i := strings.Index(text, head)
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		n := echo
		for i+n < len(text) && n < len(key) && text[i+n] == key[n] {
			n++
		}
		b.WriteString(text[:i])
		b.WriteString(Mask(key))
		text = text[i+n:]
	}
}

func knownPrefix(key string) string {
	for _, p := range knownPrefixes() {
		if strings.HasPrefix(key, p) {
			return p
		}
	}
	return ""
}

// keySet is every key a Store has handed out or stored in this process:
// the ones that can have been sent anywhere, and so echoed back. The zero
// value is empty and ready.
type keySet struct {
	mu   sync.Mutex
	keys map[string]struct{}
}

func (k *keySet) add(key string) {
	if len(key) < minRedactLen {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.keys == nil {
		k.keys = map[string]struct{}{}
	}
	k.keys[key] = struct{}{}
}

func (k *keySet) list() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make([]string, 0, len(k.keys))
	for key := range k.keys {
		out = append(out, key)
	}
	return out
}

// Redact removes from text every key this Store has read or written,
// provider keys and the local access token alike (see the package
// function Redact).
func (s *Store) Redact(text string) string {
	return Redact(text, s.keys.list()...)
}

// RedactingHandler wraps a slog handler so that no record it passes on
// carries a key: the message and every string, error or Stringer value
// go through redact first. Logging a provider's words is then safe
// wherever they come from.
func RedactingHandler(h slog.Handler, redact func(string) string) slog.Handler {
	return redactingHandler{inner: h, redact: redact}
}

type redactingHandler struct {
	inner  slog.Handler
	redact func(string) string
}

func (h redactingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.inner.Enabled(ctx, l)
}

func (h redactingHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, h.redact(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.inner.Handle(ctx, out)
}

func (h redactingHandler) WithAttrs(as []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(as))
	for i, a := range as {
		clean[i] = h.attr(a)
	}
	return redactingHandler{inner: h.inner.WithAttrs(clean), redact: h.redact}
}

func (h redactingHandler) WithGroup(name string) slog.Handler {
	return redactingHandler{inner: h.inner.WithGroup(name), redact: h.redact}
}

func (h redactingHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.redact(v.String()))
	case slog.KindGroup:
		group := v.Group()
		clean := make([]any, len(group))
		for i, g := range group {
			clean[i] = h.attr(g)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, h.redact(x.Error()))
		case fmt.Stringer:
			return slog.String(a.Key, h.redact(x.String()))
		case string:
			return slog.String(a.Key, h.redact(x))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
