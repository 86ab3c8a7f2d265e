package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"sync/atomic"
	"time"

	"thinkcloud/backend/gateway"
)

// embeddings serves POST /v1/embeddings for providers that offer them.
func (h *Handler) embeddings(w http.ResponseWriter, r *http.Request) {
	h.passThroughDoor(w, r, gateway.EndpointEmbeddings)
}

// completions serves POST /v1/completions (legacy text completions, such
// as DeepSeek's fill-in-the-middle) for providers that still serve them.
func (h *Handler) completions(w http.ResponseWriter, r *http.Request) {
	h.passThroughDoor(w, r, gateway.EndpointCompletions)
}

// passThroughDoor reads the model (and stream) of an OpenAI-dialect body
// and forwards it to the API of kind at the model's provider.
func (h *Handler) passThroughDoor(w http.ResponseWriter, r *http.Request, kind string) {
	rec := w.(*recorder)
	body, e := readBody(w, r)
	if e != nil {
		writeError(w, e)
		return
	}
	var f struct {
		Model  *string `json:"model"`
		Stream *bool   `json:"stream"`
	}
	if err := json.Unmarshal(body, &f); err != nil {
		writeError(w, gateway.InvalidRequest("", "could not parse the JSON body of your request ("+err.Error()+"); send valid JSON"))
		return
	}
	if f.Model == nil || *f.Model == "" {
		writeError(w, gateway.InvalidParam("model", "you must provide a model parameter"))
		return
	}
	target, e := h.opts.Router.Target(*f.Model)
	if e != nil {
		writeError(w, e)
		return
	}
	if !rec.resolved(*f.Model, target.Model) {
		return
	}
	h.passThrough(rec, r, target, kind, *f.Model, body, f.Stream != nil && *f.Stream)
}

// passThrough sends body, with only its model rewritten to the upstream
// id, to the provider's API of kind, and relays the answer as it comes:
// a stream event by event with every byte kept (Responses streams have
// event: lines and no [DONE]), a body whole.
func (h *Handler) passThrough(rec *recorder, r *http.Request, target gateway.Target, kind, name string, body []byte, stream bool) {
	out, e := gateway.ForwardBody(body, name, target.Model.Upstream)
	if e != nil {
		writeError(rec, e)
		return
	}
	call, e := target.PassThrough(kind, name, out, stream)
	if e != nil {
		writeError(rec, e)
		return
	}
	up := gateway.NewCallContext(r.Context())
	defer up.Release()
	resp, e := h.opts.Router.Send(up.Context(), call)
	if e != nil {
		writeError(rec, e)
		return
	}
	rec.model, rec.provider = call.Model.ID, call.Model.Provider // the chain's model that answered
	defer resp.Body.Close()
	if stream && isEventStream(resp.Header) {
		h.relayRaw(rec, resp)
		return
	}
	h.relayBody(rec, resp)
}

// relayRaw forwards a provider's event stream line by line, flushing at
// the end of each event unless more is already buffered. It stops at the
// first failed write (the client left; the deferred close cancels the
// provider call) and when the provider goes quiet for the router's idle
// timeout.
func (h *Handler) relayRaw(rec *recorder, resp *http.Response) {
	hdr := rec.Header()
	hdr.Set("Content-Type", resp.Header.Get("Content-Type"))
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("X-Accel-Buffering", "no")
	copyHeaders(hdr, resp.Header)
	rec.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(rec)
	idle := h.opts.Router.IdleTimeout
	if idle == 0 {
		idle = 2 * time.Minute
	}
	var quiet atomic.Bool
	timer := time.AfterFunc(idle, func() { quiet.Store(true); resp.Body.Close() })
	defer timer.Stop()
	br := bufio.NewReaderSize(resp.Body, 16<<10)
	for {
		line, err := br.ReadBytes('\n')
		timer.Reset(idle)
		if len(line) > 0 {
			h.noteUsage(rec, line)
			if _, werr := rec.Write(line); werr != nil {
				return
			}
		}
		if err != nil {
			if quiet.Load() {
				rec.errText = "the provider sent nothing for too long"
			}
			rc.Flush()
			return
		}
		if len(bytes.TrimRight(line, "\r\n")) == 0 && br.Buffered() == 0 {
			if rc.Flush() != nil {
				return
			}
		}
	}
}

// noteUsage logs the usage a passed-through stream reports: in a chunk
// (completions) or in response.completed (Responses).
func (h *Handler) noteUsage(rec *recorder, line []byte) {
	data, ok := bytes.CutPrefix(bytes.TrimRight(line, "\r\n"), []byte("data:"))
	if !ok || !bytes.Contains(data, []byte(`"usage"`)) {
		return
	}
	if info := gateway.InspectChunk(bytes.TrimSpace(data)); info.Usage != nil {
		rec.usage = *info.Usage
		return
	}
	var ev struct {
		Response struct {
			Usage *struct {
				Input  int `json:"input_tokens"`
				Output int `json:"output_tokens"`
			} `json:"usage"`
		} `json:"response"`
	}
	if json.Unmarshal(data, &ev) == nil && ev.Response.Usage != nil {
		rec.usage = gateway.Usage{PromptTokens: ev.Response.Usage.Input, CompletionTokens: ev.Response.Usage.Output}
	}
}
