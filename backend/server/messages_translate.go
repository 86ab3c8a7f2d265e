package server

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"

	"thinkcloud/backend/gateway"
	"thinkcloud/backend/gateway/anthropic"
)

// messagesTranslated answers a Messages request through the provider's
// chat completions: the translator writes the chat body for the target,
// the gateway sends it (always streaming), and each chunk, read through
// gateway.Decoder, becomes Anthropic events, or one message for a client
// that did not ask to stream.
func (h *Handler) messagesTranslated(rec *recorder, r *http.Request, req *anthropic.Request, t gateway.Target) {
	body, e := anthropic.ChatBody(req, t, h.opts.Router.SigningKey)
	if e != nil {
		writeError(rec, e)
		return
	}
	call := t.Call(req.Model, body, true, true)
	call.Rebuild = func(next gateway.Target) ([]byte, *gateway.Error) {
		return anthropic.ChatBody(req, next, h.opts.Router.SigningKey)
	}
	stream, e := h.opts.Router.Open(r.Context(), call)
	if e != nil {
		writeError(rec, e)
		return
	}
	// A chain may have answered from a later model: its provider signs.
	t.Model = call.Model
	provider := t.Model.Provider
	rec.model, rec.provider = t.Model.ID, provider
	rec.Header().Set(gateway.ModelHeader, provider+"/"+t.Model.Upstream)
	key, e := h.opts.Router.SigningKey(provider)
	if e != nil {
		stream.Close()
		writeError(rec, e)
		return
	}
	defer stream.Close()
	a := answer{rec: rec, r: r, stream: stream, Answer: anthropic.NewAnswer(stream, provider, anthropic.StreamOptions{
		ID: messageID(), Model: t.Model.ID, Provider: provider, Key: key, InputTokens: anthropic.CountTokens(req), Record: !req.Stream, OmitThinking: req.OmitThinking()})}
	if req.Stream {
		a.relay()
		return
	}
	a.gather()
}

// answer is one translated answer on its way to the client.
type answer struct {
	*anthropic.Answer
	rec    *recorder
	r      *http.Request
	stream *gateway.Stream
}

// next is Answer.Next, noting the provider's usage for the log line.
func (a *answer) next() ([]anthropic.Event, bool, *gateway.Error) {
	events, done, e := a.Next()
	if u := a.ProviderUsage(); u != nil {
		a.rec.usage = *u
	}
	return events, done, e
}

// relay streams the answer, each event flushed as it is made.
func (a *answer) relay() {
	startEventStream(a.rec, nil)
	rc := http.NewResponseController(a.rec)
	for _, ev := range a.Start() {
		writeNamedEvent(a.rec, ev)
	}
	rc.Flush()
	for {
		events, done, e := a.next()
		if e != nil {
			if !clientGone(a.r) {
				if stopping(a.r) {
					e = streamFailure(a.r, e.Provider, nil)
				}
				writeNamedEvent(a.rec, anthropic.ErrorEvent(e))
				rc.Flush()
				a.rec.errText = e.Message
			}
			return
		}
		for _, ev := range events {
			if writeNamedEvent(a.rec, ev) != nil {
				return // client gone: returning closes the upstream body
			}
		}
		if done {
			return
		}
		if len(events) > 0 && !a.stream.EventBuffered() && rc.Flush() != nil {
			return
		}
	}
}

// gather reads the whole answer and sends it as one message; a provider
// failure on the way is an error response, as nothing was sent yet.
func (a *answer) gather() {
	for {
		_, done, e := a.next()
		if e != nil {
			writeError(a.rec, e)
			return
		}
		if done {
			break
		}
	}
	msg, err := a.Message()
	if err != nil {
		writeError(a.rec, &gateway.Error{Status: 502, Type: "api_error", Message: err.Error()})
		return
	}
	a.rec.Header().Set("Content-Type", "application/json")
	a.rec.Write(msg)
}

// messageID is a fresh Anthropic-style message id.
func messageID() string {
	var b [12]byte
	rand.Read(b[:])
	return "msg_" + hex.EncodeToString(b[:])
}
