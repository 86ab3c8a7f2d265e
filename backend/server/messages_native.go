package server

import (
	"bytes"
	"errors"
	"io"
	"net/http"

	"thinkcloud/backend/gateway"
	"thinkcloud/backend/gateway/anthropic"
)

// messagesNative sends the body to the provider's own Anthropic API as it
// came, only the model field rewritten, and relays the answer the same
// way. anthropic-version and anthropic-beta go along (DeepSeek ignores
// the beta header; passing it costs nothing).
func (h *Handler) messagesNative(rec *recorder, r *http.Request, req *anthropic.Request, t gateway.Target, body []byte) {
	out, e := gateway.ForwardBody(body, req.Model, t.Model.Upstream)
	if e != nil {
		writeError(rec, e)
		return
	}
	call := t.Call(req.Model, out, req.Stream, false)
	call.Base, call.Path, call.Header = gateway.BaseAnthropic, "/v1/messages", http.Header{}
	for _, k := range []string{"Anthropic-Version", "Anthropic-Beta"} {
		if vs := r.Header.Values(k); len(vs) > 0 {
			call.Header[k] = vs
		}
	}
	if call.Header.Get("Anthropic-Version") == "" {
		call.Header.Set("Anthropic-Version", "2023-06-01")
	}
	up := gateway.NewCallContext(r.Context())
	resp, e := h.opts.Router.Send(up.Context(), call)
	if e != nil {
		up.Release()
		writeError(rec, e)
		return
	}
	t.Model = call.Model // the chain's model that answered
	rec.model, rec.provider = t.Model.ID, t.Model.Provider
	if req.Stream && isEventStream(resp.Header) {
		h.relayAnthropic(rec, r, t.Model.Provider, resp, up)
		return
	}
	defer up.Release()
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		writeError(rec, &gateway.Error{Status: 502, Type: "api_error", Message: "reading the provider's answer failed: " + err.Error()})
		return
	}
	b = bytes.TrimLeft(b, " \r\n\t")
	if in, outTok, ok := anthropic.EventUsage(b); ok {
		rec.usage = gateway.Usage{PromptTokens: in, CompletionTokens: outTok}
	}
	rec.Header().Set("Content-Type", "application/json")
	copyHeaders(rec.Header(), resp.Header)
	rec.WriteHeader(resp.StatusCode)
	rec.Write(b)
}

// relayAnthropic forwards an Anthropic-dialect stream event by event,
// names included. The dialect has no [DONE]: the stream is complete after
// message_stop, and one that breaks off before it ends with an error
// event, never silently.
func (h *Handler) relayAnthropic(rec *recorder, r *http.Request, provider string, resp *http.Response, up *gateway.CallContext) {
	startEventStream(rec, resp.Header)
	rc := http.NewResponseController(rec)
	stream := h.opts.Router.OpenStream(resp.Body, up)
	defer stream.Close()
	stopped, failed := false, false
	for {
		ev, err := stream.Next()
		if err != nil {
			if (err == io.EOF || errors.Is(err, gateway.ErrStreamCut)) && stopped {
				return
			}
			if !clientGone(r) && !failed {
				e := streamFailure(r, provider, err)
				writeNamedEvent(rec, anthropic.ErrorEvent(e))
				rc.Flush()
				rec.errText = e.Message
			}
			return
		}
		if ev.Comment {
			rec.Write(keepAlive)
			rc.Flush()
			continue
		}
		name := string(ev.Name)
		stopped = stopped || name == "message_stop"
		failed = failed || name == "error"
		if name == "message_start" || name == "message_delta" {
			if in, out, ok := anthropic.EventUsage(ev.Data); ok {
				rec.usage.PromptTokens, rec.usage.CompletionTokens = max(in, rec.usage.PromptTokens), max(out, rec.usage.CompletionTokens)
			}
		}
		if writeNamedEvent(rec, anthropic.Event{Name: name, Data: ev.Data}) != nil {
			return
		}
		if !stream.EventBuffered() && rc.Flush() != nil {
			return
		}
	}
}

// startEventStream writes the headers of an SSE answer (see relayStream).
func startEventStream(rec *recorder, upstream http.Header) {
	hdr := rec.Header()
	hdr.Set("Content-Type", "text/event-stream")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("X-Accel-Buffering", "no")
	hdr.Set("Transfer-Encoding", "chunked")
	copyHeaders(hdr, upstream)
	rec.WriteHeader(http.StatusOK)
}

var (
	eventPrefix = []byte("event: ")
	newline     = []byte("\n")
)

// writeNamedEvent writes one event of the Anthropic dialect.
func writeNamedEvent(w io.Writer, ev anthropic.Event) error {
	if ev.Name != "" {
		w.Write(eventPrefix)
		io.WriteString(w, ev.Name)
		w.Write(newline)
	}
	return writeEvent(w, ev.Data)
}
