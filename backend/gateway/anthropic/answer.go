package anthropic

import (
	"io"

	"thinkcloud/backend/gateway"
)

// Source is where a provider's chat-completions answer comes from, event
// by event: a *gateway.Stream, or a *gateway.SSEReader in tests.
type Source interface {
	Next() (gateway.Event, error)
}

// Answer reads a provider's answer from a Source through gateway.Decoder
// (the one place that knows where providers put things) and translates it
// with a Stream.
type Answer struct {
	// Stream is the translation; its Message is the whole answer for a
	// non-streaming client.
	*Stream
	src      Source
	dec      gateway.Decoder
	provider string
	usage    *gateway.Usage
}

// NewAnswer translates the answer of provider read from src.
func NewAnswer(src Source, provider string, o StreamOptions) *Answer {
	return &Answer{Stream: NewStream(o), src: src, provider: provider}
}

// Next reads the provider's next event and returns its translation. done
// is true after [DONE], whose events end the message. An error ends the
// answer as a failure: the stream broke off, the provider sent an error
// event, or its answer cannot be followed.
func (a *Answer) Next() (events []Event, done bool, e *gateway.Error) {
	ev, err := a.src.Next()
	if err == io.EOF {
		content, reasoning := a.dec.End()
		events, err := a.Delta(gateway.Delta{Content: content, Reasoning: reasoning})
		if err != nil {
			return nil, true, gateway.StreamFailure(a.provider, err)
		}
		return append(events, a.End()...), true, nil
	}
	if err != nil {
		return nil, false, gateway.StreamFailure(a.provider, err)
	}
	if ev.Comment {
		return []Event{Ping()}, false, nil
	}
	d, ok := a.dec.Decode(ev.Data)
	if !ok {
		return nil, false, nil
	}
	if d.Err != nil {
		return nil, false, gateway.StreamFailure(a.provider, d.Err)
	}
	if d.Usage != nil {
		a.usage = d.Usage
	}
	events, err = a.Delta(d)
	if err != nil {
		return nil, false, gateway.StreamFailure(a.provider, err)
	}
	return events, false, nil
}

// ProviderUsage is the provider's last token count, nil before it sent one.
func (a *Answer) ProviderUsage() *gateway.Usage { return a.usage }
