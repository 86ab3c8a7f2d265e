package server

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"thinkcloud/backend/gateway"
)

// chat serves POST /v1/chat/completions: validate, resolve, send, then
// relay the answer as it arrives.
func (h *Handler) chat(w http.ResponseWriter, r *http.Request) {
	rec := w.(*recorder)
	body, e := h.readBody(w, r)
	if e != nil {
		writeError(w, e)
		return
	}
	call, e := h.opts.Router.Prepare(body)
	if e != nil {
		writeError(w, e)
		return
	}
	if !rec.resolved(call.Request.Model, call.Model) {
		return
	}
	// Ends with the client, except after a complete stream (see
	// gateway.CallContext).
	up := gateway.NewCallContext(r.Context())
	var wait *waitNotice
	if call.Stream {
		wait = h.noticeWait(rec, call)
	}
	resp, e := h.opts.Router.Send(up.Context(), call)
	started := wait.stop()
	if e != nil {
		up.Release()
		if started { // the 200 is sent: the failure can only be an event
			writeEvent(rec, e.Envelope())
			rec.errText = e.Message
			return
		}
		writeError(w, e)
		return
	}
	rec.model, rec.provider = call.Model.ID, call.Model.Provider // the chain's model that answered
	if call.Stream && isEventStream(resp.Header) {
		h.relayStream(rec, r, call, resp, up) // its Stream closes the body and releases up
		return
	}
	defer up.Release()
	defer resp.Body.Close()
	h.relayBody(rec, resp)
}

func isEventStream(h http.Header) bool {
	return bytes.HasPrefix([]byte(h.Get("Content-Type")), []byte("text/event-stream"))
}

// MaxAnswerBytes caps a non-streaming answer, which is read whole.
const MaxAnswerBytes = 64 << 20

// relayBody forwards a non-streaming answer. The body is small, so it is
// read whole: that lets us drop the blank keep-alive lines DeepSeek sends
// ahead of the JSON while it queues, and log usage.
func (h *Handler) relayBody(rec *recorder, resp *http.Response) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswerBytes+1))
	if err != nil {
		writeError(rec, &gateway.Error{Status: 502, Type: "server_error", Code: "upstream_read_failed",
			Message: "reading the provider's answer failed: " + err.Error()})
		return
	}
	if len(body) > MaxAnswerBytes {
		// Cut short it would be a 200 with invalid JSON.
		writeError(rec, &gateway.Error{Status: 502, Type: "server_error", Code: "upstream_answer_too_large",
			Message: "the provider's answer is larger than " + strconv.Itoa(MaxAnswerBytes>>20) + " MiB; ThinkCloud does not relay an answer it would have to cut"})
		return
	}
	body = bytes.TrimLeft(body, " \r\n\t")
	if info := gateway.InspectChunk(body); info.Usage != nil {
		rec.usage = *info.Usage
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
		case strings.HasPrefix(k, "X-Ratelimit-"), k == "X-Thinkcloud-Model": // gateway.ModelHeader
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
func (h *Handler) relayStream(rec *recorder, r *http.Request, call *gateway.Call, resp *http.Response, up *gateway.CallContext) {
	if rec.status == 0 { // else a waitNotice sent them
		streamHeaders(rec.Header())
		copyHeaders(rec.Header(), resp.Header)
		rec.WriteHeader(http.StatusOK)
	}
	rc := http.NewResponseController(rec)

	stream := h.opts.Router.OpenStream(resp.Body, up)
	defer stream.Close()
	early := flushHeadersAfter(rc, headerDelay)
	defer early.stop() // before net/http finishes the response
	// Providers put stream usage in odd places (Kimi inside choices[0],
	// Cerebras on the final chunk). A client that asked for usage gets the
	// standard chunk with empty choices, built from the last usage seen.
	var lastUsage *gateway.ChunkInfo
	sawUsageChunk := false
	sawError := false // the provider already sent its own error event
	for first := true; ; first = false {
		ev, err := stream.Next()
		if first {
			early.stop()
		}
		if err == io.EOF {
			if call.IncludeUsage && !sawUsageChunk && lastUsage != nil {
				writeEvent(rec, usageChunk(lastUsage))
			}
			// No flush: net/http sends [DONE] and the end of the chunked
			// body in one write when the handler returns.
			rec.Write(doneEvent)
			return
		}
		if err != nil {
			if !clientGone(r) && !sawError {
				fail := streamFailure(r, call.Model.Provider, err)
				writeEvent(rec, fail.Envelope())
				rc.Flush()
				rec.errText, rec.errKind = err.Error(), fail.Code
			}
			return
		}
		if ev.Comment {
			rec.Write(keepAlive)
			rc.Flush()
			continue
		}
		sawError = sawError || bytes.HasPrefix(ev.Data, []byte(`{"error"`))
		if info := gateway.InspectChunk(ev.Data); info.Usage != nil {
			rec.usage = *info.Usage
			kept := info // a copy, so only chunks with usage cost an allocation
			lastUsage = &kept
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

// headerDelay is how long a stream's headers wait for its first event.
const headerDelay = 50 * time.Millisecond

// earlyFlush sends a stream's headers on their own if the first event
// takes longer than a delay. Usually the first event comes at once and
// the headers ride with it, as in httputil.ReverseProxy: one write and
// one wake-up of the client fewer per stream. When the provider is slow
// to start (queueing, a long prompt), the client still learns within the
// delay that its request was accepted. The timer flushes from its own
// goroutine, so a mutex orders it with the handler, like the reverse
// proxy's maxLatencyWriter.
type earlyFlush struct {
	mu    sync.Mutex
	done  bool
	timer *time.Timer
}

func flushHeadersAfter(rc *http.ResponseController, d time.Duration) *earlyFlush {
	e := &earlyFlush{}
	e.timer = time.AfterFunc(d, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if !e.done {
			e.done = true
			rc.Flush()
		}
	})
	return e
}

// stop ends the timer's part: after it returns, the timer never touches
// the response again. The handler calls it before its first write.
func (e *earlyFlush) stop() {
	e.timer.Stop()
	e.mu.Lock()
	e.done = true
	e.mu.Unlock()
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
