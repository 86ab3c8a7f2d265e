package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"

	"thinkcloud/backend/gateway"
	"thinkcloud/backend/gateway/responses"
)

// responsesDoor serves POST /v1/responses. A provider that speaks the
// Responses API itself gets the request as sent (only the model
// rewritten) and its answer comes back byte for byte; for the others the
// request is translated to chat completions and the answer back, streamed
// or whole.
func (h *Handler) responsesDoor(w http.ResponseWriter, r *http.Request) {
	rec := w.(*recorder)
	body, e := readBody(w, r)
	if e != nil {
		writeError(w, e)
		return
	}
	model, stream, e := responses.Peek(body)
	if e != nil {
		writeError(w, e)
		return
	}
	target, e := h.opts.Router.Target(model)
	if e != nil {
		writeError(w, e)
		return
	}
	if !rec.resolved(model, target.Model) {
		return
	}
	if _, native := target.Serves(gateway.EndpointResponses); native {
		h.passThrough(rec, r, target, gateway.EndpointResponses, model, body, stream)
		return
	}
	req, e := responses.Parse(body)
	if e != nil {
		writeError(w, e)
		return
	}
	var history []responses.Item
	if req.PreviousResponseID != "" {
		if history, e = h.store.History(req.PreviousResponseID); e != nil {
			writeError(w, e)
			return
		}
	}
	plan, e := responses.Build(req, history, target, responses.Options{DropTools: h.opts.DropHostedTools, Sealer: h.sealer})
	if e != nil {
		writeError(w, e)
		return
	}
	opts := responses.Options{DropTools: h.opts.DropHostedTools, Sealer: h.sealer}
	call := target.Call(model, plan.Body, true, true)
	call.Rebuild = func(next gateway.Target) ([]byte, *gateway.Error) {
		p, e := responses.Build(req, history, next, opts)
		if e != nil {
			return nil, e
		}
		return p.Body, nil
	}
	strm, e := h.opts.Router.Open(r.Context(), call)
	if e != nil {
		writeError(w, e)
		return
	}
	defer strm.Close()
	if call.Model.Provider != target.Model.Provider || call.Model.Upstream != target.Model.Upstream { // a later model of the chain answered
		ran := target
		ran.Model = call.Model
		if plan, e = responses.Build(req, history, ran, opts); e != nil {
			writeError(w, e)
			return
		}
		rec.model, rec.provider = ran.Model.ID, ran.Model.Provider
	}
	rec.Header().Set(gateway.ModelHeader, call.Model.Provider+"/"+call.Model.Upstream)
	if req.Stream {
		h.streamResponse(rec, r, plan, strm)
	} else {
		h.wholeResponse(rec, plan, strm)
	}
}

// streamResponse sends the translated answer as server-sent events, each
// flushed unless the next provider event is already here.
func (h *Handler) streamResponse(rec *recorder, r *http.Request, plan *responses.Plan, strm *gateway.Stream) {
	hdr := rec.Header()
	hdr.Set("Content-Type", "text/event-stream")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("X-Accel-Buffering", "no")
	rec.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(rec)
	tr := responses.NewTranslator(plan, responses.TranslatorOptions{Sealer: h.sealer, Emit: func(ev responses.Event) error {
		rec.Write(eventPrefix)
		rec.Write([]byte(ev.Type))
		rec.Write(dataLine)
		rec.Write(ev.Data)
		_, err := rec.Write(eventEnd)
		return err
	}})
	comment := func() error {
		rec.Write(keepAlive)
		return rc.Flush()
	}
	if err := tr.Start(); err != nil || rc.Flush() != nil {
		return
	}
	fail, err := translate(strm, tr, plan.Target.Model.Provider, rc.Flush, comment)
	if stopping(r) {
		fail = streamFailure(r, plan.Target.Model.Provider, nil)
	} else if err != nil && r.Context().Err() == nil {
		fail = &gateway.Error{Status: 500, Type: "server_error", Message: "translating the answer: " + err.Error()}
	}
	if clientGone(r) {
		return // the client left; returning cancels the provider call
	}
	if fail != nil {
		rec.errText = fail.Message
		tr.Fail(fail)
		return
	}
	if resp, err := tr.Finish(); err == nil {
		h.keep(rec, plan, tr, resp)
	}
}

// wholeResponse reads the whole translated answer and sends the Response
// object; a provider failure is an error status instead, since nothing
// was sent yet.
func (h *Handler) wholeResponse(rec *recorder, plan *responses.Plan, strm *gateway.Stream) {
	tr := responses.NewTranslator(plan, responses.TranslatorOptions{Sealer: h.sealer})
	fail, err := translate(strm, tr, plan.Target.Model.Provider, nil, nil)
	if err != nil {
		fail = &gateway.Error{Status: 500, Type: "server_error", Message: "translating the answer: " + err.Error()}
	}
	if fail != nil {
		writeError(rec, fail)
		return
	}
	resp, err := tr.Finish()
	if err != nil {
		writeError(rec, &gateway.Error{Status: 500, Type: "server_error", Message: "translating the answer: " + err.Error()})
		return
	}
	rec.Header().Set("Content-Type", "application/json")
	rec.Write(resp.JSON())
	h.keep(rec, plan, tr, resp)
}

// keep logs usage and stores the response for previous_response_id,
// unless the client said store: false.
func (h *Handler) keep(rec *recorder, plan *responses.Plan, tr *responses.Translator, resp *responses.Response) {
	if u := tr.Usage(); u != nil {
		rec.usage = *u
	}
	if plan.Request.Store {
		b := tr.ResponseJSON() // a streamed response was encoded for its last event
		if b == nil {
			b, _ = json.Marshal(resp)
		}
		h.store.Save(resp.ID, plan.Request.PreviousResponseID, plan.Request.Input, tr.Items(), b)
	}
}

// storedResponse answers GET and DELETE /v1/responses/{id} for the
// responses the Responses door translated and keeps. Responses a
// provider made itself (passed through) are not kept here: the 404 says
// so.
func (h *Handler) storedResponse(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if r.Method == http.MethodDelete {
		if e := h.store.Delete(id); e != nil {
			writeError(w, e)
			return
		}
		writeJSON(w, map[string]any{"id": id, "object": "response", "deleted": true})
		return
	}
	b, e := h.store.Response(id)
	if e != nil {
		writeError(w, e)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

// responseInputItems answers GET /v1/responses/{id}/input_items: the
// input items response id added, as a list, newest first unless
// order=asc, at most limit (1–100, default 20) after the item with id
// "after".
func (h *Handler) responseInputItems(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 20
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			writeError(w, &gateway.Error{Status: 400, Type: "invalid_request_error", Param: "limit", Message: "limit must be a whole number from 1 to 100"})
			return
		}
		limit = n
	}
	order := q.Get("order")
	if order != "" && order != "asc" && order != "desc" {
		writeError(w, &gateway.Error{Status: 400, Type: "invalid_request_error", Param: "order", Message: `order must be "asc" or "desc"`})
		return
	}
	items, e := h.store.InputItems(r.PathValue("id"))
	if e != nil {
		writeError(w, e)
		return
	}
	if order != "asc" {
		slices.Reverse(items)
	}
	if after := q.Get("after"); after != "" {
		i := slices.IndexFunc(items, func(it responses.Item) bool { return it.ID == after })
		if i < 0 {
			writeError(w, &gateway.Error{Status: 400, Type: "invalid_request_error", Param: "after", Message: fmt.Sprintf("no input item %q in this response", after)})
			return
		}
		items = items[i+1:]
	}
	more := len(items) > limit
	items = items[:min(limit, len(items))]
	out := map[string]any{"object": "list", "data": items, "has_more": more, "first_id": nil, "last_id": nil}
	if len(items) > 0 {
		out["first_id"], out["last_id"] = items[0].ID, items[len(items)-1].ID
	}
	writeJSON(w, out)
}

// translate reads the provider's stream into tr until it ends. It returns
// the provider's failure (a cut stream, its own error event), or err when
// tr could not go on (the client left). flush is called when no further
// provider event is waiting, keepAlive for the provider's keep-alives;
// both may be nil.
func translate(strm *gateway.Stream, tr *responses.Translator, provider string, flush, keepAlive func() error) (fail *gateway.Error, err error) {
	var d gateway.Decoder
	for {
		ev, err := strm.Next()
		if errors.Is(err, io.EOF) {
			c, r := d.End()
			return nil, tr.Feed(gateway.Delta{Content: c, Reasoning: r})
		}
		if err != nil {
			return gateway.StreamFailure(provider, err), nil
		}
		if ev.Comment {
			if keepAlive != nil {
				if err := keepAlive(); err != nil {
					return nil, err
				}
			}
			continue
		}
		delta, ok := d.Decode(ev.Data)
		if !ok {
			continue
		}
		if delta.Err != nil {
			return gateway.StreamFailure(provider, delta.Err), nil
		}
		if err := tr.Feed(delta); err != nil {
			return nil, err
		}
		if flush != nil && !strm.EventBuffered() {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
}

var dataLine = []byte("\ndata: ")
