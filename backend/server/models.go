package server

import (
	"errors"
	"net/http"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/gateway"
)

// modelObject is an OpenAI model entry plus what ThinkCloud knows about it.
// The extra fields are ignored by the SDKs and useful to people; each is
// left out when the catalog does not know it.
type modelObject struct {
	ID            string   `json:"id"`
	Object        string   `json:"object"`
	Created       int64    `json:"created"`
	OwnedBy       string   `json:"owned_by"`
	Provider      string   `json:"provider"`
	Upstream      string   `json:"upstream_id"`
	Name          string   `json:"name,omitempty"`
	ContextWindow int      `json:"context_window,omitempty"`
	MaxOutput     int      `json:"max_output_tokens,omitempty"`
	Input         []string `json:"input_modalities,omitempty"`
	Capabilities  []string `json:"capabilities"`
	// Reasoning is "none", "optional" or "always", with the efforts the
	// model takes; absent when unknown.
	Reasoning *reasoningObject `json:"reasoning,omitempty"`
	// FixedParams are body fields the model fixes: sending one is an
	// error or is ignored.
	FixedParams []string      `json:"fixed_params,omitempty"`
	Pricing     []priceObject `json:"pricing,omitempty"`
	Released    string        `json:"released,omitempty"`
	Deprecated  string        `json:"deprecated,omitempty"`
	// ShutdownDate is spelled as OpenAI spells it in its own list.
	ShutdownDate string   `json:"shutdown_date,omitempty"`
	Successors   []string `json:"successors,omitempty"`
	// Status is "live", "deprecated" (a shutdown date is announced),
	// "unavailable" (the provider's live list lacks it) or "retired".
	Status string `json:"status"`
	// InLiveList is true when the provider's own /models listed it.
	InLiveList bool   `json:"in_live_list,omitempty"`
	Source     string `json:"source"`
	Retired    bool   `json:"retired,omitempty"`
	// Chain is, for a user's alias, the models it tries in order.
	Chain []string `json:"chain,omitempty"`
}

type reasoningObject struct {
	Mode      string   `json:"mode"`
	Efforts   []string `json:"efforts,omitempty"`
	Default   string   `json:"default_effort,omitempty"`
	BudgetMax int      `json:"budget_max,omitempty"`
}

// priceObject is a price per million tokens in one currency.
type priceObject struct {
	Currency    string        `json:"currency"`
	Input       float64       `json:"input"`
	CachedInput float64       `json:"cached_input,omitempty"`
	Output      float64       `json:"output"`
	OffPeak     *catalog.Rate `json:"off_peak,omitempty"`
	PeakHours   []string      `json:"peak_hours_utc,omitempty"`
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
	created := catalogEpoch
	if t, err := time.Parse(time.DateOnly, m.Released); err == nil {
		created = t.Unix()
	}
	o := modelObject{ID: m.ID, Object: "model", Created: created, OwnedBy: m.Provider, Provider: m.Provider,
		Upstream: m.Upstream, Name: m.Name, ContextWindow: m.ContextWindow, MaxOutput: m.MaxOutput, Input: m.Input,
		Capabilities: caps, FixedParams: m.Fixed, Released: m.Released, Deprecated: m.Deprecated, ShutdownDate: m.Shutdown,
		Successors: m.Successors, Status: m.Status(), InLiveList: m.Live != nil, Source: m.Source, Retired: m.Retired, Chain: m.Chain}
	if t := m.Think; t != nil {
		o.Reasoning = &reasoningObject{Mode: t.Mode, Efforts: t.Efforts, Default: t.Default, BudgetMax: t.BudgetMax}
	}
	for _, p := range m.Prices {
		o.Pricing = append(o.Pricing, priceObject{Currency: p.Currency, Input: p.Input, CachedInput: p.CachedInput,
			Output: p.Output, OffPeak: p.OffPeak, PeakHours: p.PeakHours})
	}
	return o
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
	if re, ok := errors.AsType[*catalog.RetiredError](err); ok {
		writeError(w, gateway.ModelRetired(re))
		return
	}
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
