package server

import (
	"net/http"
	"strconv"
	"time"

	"thinkcloud/backend/catalog"
)

// anthropicModel is a model as Anthropic's GET /v1/models lists it; Claude
// Code reads this shape (and only when the request carried
// anthropic-version does it get it).
type anthropicModel struct {
	Type        string `json:"type"`
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
	CreatedAt   string `json:"created_at"`
}

func toAnthropicModel(m catalog.Model, id string) anthropicModel {
	name := m.Name
	if name == "" {
		name = id
	}
	return anthropicModel{Type: "model", ID: id, DisplayName: name + " (" + m.Provider + ")",
		CreatedAt: time.Unix(toModelObject(m).Created, 0).UTC().Format(time.RFC3339)}
}

// listAnthropicModels answers GET /v1/models for Anthropic clients, with
// Anthropic's paging: limit (default 20, at most 1000), after_id and
// before_id.
func (h *Handler) listAnthropicModels(w http.ResponseWriter, r *http.Request) {
	all := h.available()
	q := r.URL.Query()
	limit := 20
	if v, err := strconv.Atoi(q.Get("limit")); err == nil && v >= 1 {
		limit = min(v, 1000)
	}
	start, end := 0, len(all)
	for i, m := range all {
		if m.ID == q.Get("after_id") {
			start = i + 1
		}
		if m.ID == q.Get("before_id") {
			end = i
		}
	}
	if start > end {
		start = end
	}
	page := all[start:end]
	more := len(page) > limit
	if more {
		if q.Get("before_id") != "" {
			page = page[len(page)-limit:]
		} else {
			page = page[:limit]
		}
	}
	data := []anthropicModel{}
	for _, m := range page {
		data = append(data, toAnthropicModel(m, m.ID))
	}
	var first, last any
	if len(data) > 0 {
		first, last = data[0].ID, data[len(data)-1].ID
	}
	writeJSON(w, map[string]any{"data": data, "has_more": more, "first_id": first, "last_id": last})
}
