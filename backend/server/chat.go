package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"thinkcloud/backend/gateway"
)

// chat serves POST /v1/chat/completions: validate, resolve, send, then
// relay the answer as it arrives.
func (h *Handler) chat(w http.ResponseWriter, r *http.Request) {
	rec := w.(*recorder)
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, &gateway.Error{Status: 413, Type: "invalid_request_error", Code: "request_too_large",
				Message: "Request body is larger than 32 MiB"})
			return
		}
		writeError(w, gateway.InvalidRequest("", "could not read the request body: "+err.Error()))
		return
	}
	call, e := h.opts.Router.Prepare(body)
	if e != nil {
		writeError(w, e)
		return
	}
	rec.model, rec.provider = call.Model.ID, call.Model.Provider
	resp, e := h.opts.Router.Send(r.Context(), call)
	if e != nil {
		writeError(w, e)
		return
	}
	defer resp.Body.Close()
	if call.Stream && isEventStream(resp.Header) {
		h.relayStream(rec, r, call, resp)
		return
	}
	h.relayBody(rec, resp)
}

func isEventStream(h http.Header) bool {
	return bytes.HasPrefix([]byte(h.Get("Content-Type")), []byte("text/event-stream"))
}

// relayBody forwards a non-streaming answer. The body is small, so it is
// read whole: that lets us drop the blank keep-alive lines DeepSeek sends
// ahead of the JSON while it queues, and log usage.
func (h *Handler) relayBody(rec *recorder, resp *http.Response) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		writeError(rec, &gateway.Error{Status: 502, Type: "server_error", Code: "upstream_read_failed",
			Message: "reading the provider's answer failed: " + err.Error()})
		return
	}
	body = bytes.TrimLeft(body, " \r\n\t")
	if info := gateway.InspectChunk(body); info.Usage != nil {
		rec.usage = [2]int{info.Usage.PromptTokens, info.Usage.CompletionTokens}
	}
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		ct = "application/json"
	}
	rec.Header().Set("Content-Type", ct)
	copyHeaders(rec.Header(), resp.Header)
	rec.WriteHeader(resp.StatusCode)
	rec.Write(body)
}

// copyHeaders passes on provider headers a client may use (rate limits,
// the provider's request id) and nothing that describes the connection.
func copyHeaders(dst, src http.Header) {
	for k, vs := range src { // keys of a received Header are canonical
		switch {
		case k == "X-Request-Id":
			dst["X-Upstream-Request-Id"] = vs
		case strings.HasPrefix(k, "X-Ratelimit-"):
			dst[k] = vs
		}
	}
}

var (
	dataPrefix = []byte("data: ")
	eventEnd   = []byte("\n\n")
	doneEvent  = []byte("data: [DONE]\n\n")
	keepAlive  = []byte(": keep-alive\n\n")
)

// relayStream forwards each upstream event the moment it arrives, flushed
// on its own. It holds one event in memory at a time.
func (h *Handler) relayStream(rec *recorder, r *http.Request, call *gateway.Call, resp *http.Response) {
	hdr := rec.Header()
	hdr.Set("Content-Type", "text/event-stream")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("X-Accel-Buffering", "no")
	copyHeaders(hdr, resp.Header)
	rec.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(rec)
	rc.Flush()

	stream := h.opts.Router.OpenStream(resp.Body)
	defer stream.Close()
	// Providers put stream usage in odd places (Kimi inside choices[0],
	// Cerebras on the final chunk). A client that asked for usage gets the
	// standard chunk with empty choices, built from the last usage seen.
	var lastUsage *gateway.ChunkInfo
	sawUsageChunk := false
	sawError := false // the provider already sent its own error event
	for {
		ev, err := stream.Next()
		if err == io.EOF {
			if call.IncludeUsage && !sawUsageChunk && lastUsage != nil {
				writeEvent(rec, usageChunk(lastUsage))
			}
			rec.Write(doneEvent)
			rc.Flush()
			return
		}
		if err != nil {
			if r.Context().Err() == nil && !sawError {
				writeEvent(rec, streamError(call, err))
				rc.Flush()
				rec.errText = err.Error()
			}
			return
		}
		if ev.Comment {
			rec.Write(keepAlive)
			rc.Flush()
			continue
		}
		sawError = sawError || bytes.HasPrefix(ev.Data, []byte(`{"error"`))
		info := gateway.InspectChunk(ev.Data)
		if info.Usage != nil {
			rec.usage = [2]int{info.Usage.PromptTokens, info.Usage.CompletionTokens}
			lastUsage = &info
			sawUsageChunk = sawUsageChunk || info.NoChoices
			if info.NoChoices && !call.IncludeUsage {
				continue // a client that did not ask may index choices[0]
			}
		}
		if err := writeEvent(rec, ev.Data); err != nil {
			return // client gone: returning closes the upstream body
		}
		if stream.EventBuffered() {
			continue // the next event is already here: flush once for both
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

// writeEvent writes one SSE event; the server's buffered writer makes the
// three writes one.
func writeEvent(w io.Writer, data []byte) error {
	w.Write(dataPrefix)
	w.Write(data)
	_, err := w.Write(eventEnd)
	return err
}

// usageChunk builds the standard usage-only chunk for providers that put
// stream usage elsewhere.
func usageChunk(info *gateway.ChunkInfo) []byte {
	b, _ := json.Marshal(map[string]any{
		"id": info.ID, "object": "chat.completion.chunk", "created": info.Created, "model": info.Model,
		"choices": []any{}, "usage": info.UsageRaw,
	})
	return b
}

// streamError is the error event that ends a broken stream, so a client
// never mistakes a cut answer for a complete one.
func streamError(call *gateway.Call, err error) []byte {
	e := &gateway.Error{Status: 502, Type: "server_error", Code: "stream_interrupted",
		Message: call.Model.Provider + " stream broke off before it finished: " + err.Error()}
	if errors.Is(err, gateway.ErrIdle) {
		e.Status, e.Code = 504, "upstream_timeout"
		e.Message = call.Model.Provider + " sent nothing for too long; the answer is incomplete"
	}
	return e.Envelope()
}
