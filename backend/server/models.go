package server

import (
	"net/http"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/gateway"
)

// modelObject is an OpenAI model entry plus what ThinkCloud knows about it.
// The extra fields are ignored by the SDKs and useful to people.
type modelObject struct {
	ID            string   `json:"id"`
	Object        string   `json:"object"`
	Created       int64    `json:"created"`
	OwnedBy       string   `json:"owned_by"`
	Provider      string   `json:"provider"`
	Upstream      string   `json:"upstream_id"`
	ContextWindow int      `json:"context_window,omitempty"`
	Capabilities  []string `json:"capabilities"`
	Source        string   `json:"source"`
	Retired       bool     `json:"retired,omitempty"`
	// Chain is, for a user's alias, the models it tries in order.
	Chain []string `json:"chain,omitempty"`
}

// catalogEpoch is the "created" stamp of models whose real date is not
// known; a fixed value keeps responses stable across restarts.
var catalogEpoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Unix()

func toModelObject(m catalog.Model) modelObject {
	caps := []string{"chat"}
	for _, c := range []struct {
		on   bool
		name string
	}{{m.Reasoning, "reasoning"}, {m.Vision, "vision"}, {m.Tools, "tools"}} {
		if c.on {
			caps = append(caps, c.name)
		}
	}
	return modelObject{ID: m.ID, Object: "model", Created: catalogEpoch, OwnedBy: m.Provider, Provider: m.Provider,
		Upstream: m.Upstream, ContextWindow: m.ContextWindow, Capabilities: caps, Source: m.Source, Retired: m.Retired, Chain: m.Chain}
}

func (h *Handler) available() []catalog.Model { return h.opts.Available() }

func (h *Handler) info(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, map[string]any{
		"name":    "ThinkCloud",
		"version": h.opts.Version,
		"api":     "OpenAI-compatible",
		"endpoints": map[string]string{
			"health": "/health", "models": "/v1/models", "chat_completions": "/v1/chat/completions",
			"responses": "/v1/responses", "embeddings": "/v1/embeddings", "completions": "/v1/completions",
			"messages": "/v1/messages", "count_tokens": "/v1/messages/count_tokens",
			"openapi": "/openapi.json", "docs": "/docs",
		},
		"base_url": "http://" + r.Host + "/v1",
	})
}

func (h *Handler) health(w http.ResponseWriter, r *http.Request) {
	providers := map[string]bool{}
	for _, p := range h.opts.Catalog.Providers() {
		providers[p.ID] = h.opts.HasKey(p.ID)
	}
	writeJSON(w, map[string]any{
		"status":         "healthy",
		"providers":      providers,
		"models_count":   len(h.available()),
		"uptime_seconds": int(time.Since(h.started).Seconds()),
	})
}

func (h *Handler) listModels(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Anthropic-Version") != "" {
		h.listAnthropicModels(w, r)
		return
	}
	data := []modelObject{}
	for _, m := range h.available() {
		data = append(data, toModelObject(m))
	}
	writeJSON(w, map[string]any{"object": "list", "data": data})
}

func (h *Handler) getModel(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	m, err := h.opts.Catalog.Resolve(id)
	if err != nil || !h.opts.HasKey(m.Provider) {
		writeError(w, &gateway.Error{Status: 404, Type: "invalid_request_error", Param: "model", Code: "model_not_found",
			Message: "The model " + `"` + id + `"` + " does not exist or its provider has no API key"})
		return
	}
	if r.Header.Get("Anthropic-Version") != "" {
		writeJSON(w, toAnthropicModel(m, id))
		return
	}
	obj := toModelObject(m)
	obj.ID = id
	writeJSON(w, obj)
}

// refreshModels starts a background fetch of every keyed provider's live
// model list (headless users have no settings screen for it) and answers
// at once: fetching never delays a request.
func (h *Handler) refreshModels(w http.ResponseWriter, r *http.Request) {
	if h.opts.RefreshModels == nil {
		writeError(w, &gateway.Error{Status: 501, Type: "server_error", Code: "not_supported", Message: "model refresh is not available here"})
		return
	}
	h.opts.RefreshModels()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	w.Write([]byte(`{"status":"refreshing"}`))
}
