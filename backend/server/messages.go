package server

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"thinkcloud/backend/gateway"
	"thinkcloud/backend/gateway/anthropic"
)

// messages serves POST /v1/messages (Claude Code adds ?beta=true): the
// Anthropic Messages API. A provider with its own Anthropic-compatible API
// gets the body as bytes, only the model rewritten (messagesNative);
// every other one gets it translated to chat completions and back
// (messagesTranslated).
func (h *Handler) messages(w http.ResponseWriter, r *http.Request) {
	rec := w.(*recorder)
	body, e := readBody(w, r)
	if e != nil {
		writeError(w, e)
		return
	}
	req, e := anthropic.Parse(body, true)
	if e != nil {
		writeError(w, e)
		return
	}
	target, e := h.target(req.Model)
	if e != nil {
		writeError(w, e)
		return
	}
	if !rec.resolved(req.Model, target.Model) {
		return
	}
	native, e := h.opts.Router.HasBase(target.Model.Provider, gateway.BaseAnthropic)
	if e != nil {
		if len(target.Fallbacks) == 0 {
			writeError(w, e)
			return
		}
		// The chain's first provider cannot be called (no key, switched
		// off): translation reaches whichever model of the chain answers.
		native = false
	}
	if native {
		h.messagesNative(rec, r, req, target, body)
		return
	}
	h.messagesTranslated(rec, r, req, target)
}

// target resolves a model name as /v1/chat/completions does; a Claude
// name no provider serves ("claude-sonnet-4-5") goes to its tier's model.
func (h *Handler) target(name string) (gateway.Target, *gateway.Error) {
	t, e := h.opts.Router.Target(name)
	if e != nil && h.opts.ClaudeModel != nil {
		if m, ok := h.opts.ClaudeModel(name); ok {
			return h.opts.Router.Target(m)
		}
	}
	return t, e
}

// countTokens serves POST /v1/messages/count_tokens with an estimate that
// counts tools, system, images and thinking (anthropic.CountTokens).
func (h *Handler) countTokens(w http.ResponseWriter, r *http.Request) {
	body, e := readBody(w, r)
	if e != nil {
		writeError(w, e)
		return
	}
	req, e := anthropic.Parse(body, false)
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, map[string]int{"input_tokens": anthropic.CountTokens(req)})
}

// readBody reads a request body of at most MaxBodyBytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, *gateway.Error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &gateway.Error{Status: 413, Type: "invalid_request_error", Code: "request_too_large", Message: "Request body is larger than 32 MiB"}
		}
		return nil, gateway.InvalidRequest("", "could not read the request body: "+err.Error())
	}
	return body, nil
}

// anthropicRequest reports whether r speaks the Anthropic dialect, so
// its errors (guards included) go out in Anthropic's shape: the Messages
// door, and any request with an anthropic-version header outside the
// OpenAI doors (Claude Code's GET /v1/models).
func anthropicRequest(r *http.Request) bool {
	p := r.URL.Path
	if strings.HasPrefix(p, "/v1/messages") {
		return true
	}
	return r.Header.Get("Anthropic-Version") != "" && !strings.HasPrefix(p, "/v1/chat/") && !strings.HasPrefix(p, "/v1/responses")
}
