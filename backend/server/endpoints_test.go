package server_test

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"thinkcloud/backend/catalog"
	"time"
)

func TestInfoHealthModels(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil)
	resp, body := s.do(t, "GET", "/", "")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"name":"ThinkCloud"`) {
		t.Fatalf("GET /: got %d %s", resp.StatusCode, body)
	}
	if resp.Header.Get("X-Request-ID") == "" {
		t.Error("no X-Request-ID header")
	}

	_, body = s.do(t, "GET", "/health", "")
	var h struct {
		Status      string          `json:"status"`
		Providers   map[string]bool `json:"providers"`
		ModelsCount int             `json:"models_count"`
	}
	json.Unmarshal(body, &h)
	if h.Status != "healthy" || len(h.Providers) != 5 {
		t.Fatalf("GET /health: got %s", body)
	}
	for p, ok := range h.Providers {
		if !ok {
			t.Errorf("provider %s: got no key; want a key", p)
		}
	}

	_, body = s.do(t, "GET", "/v1/models", "")
	var raw struct {
		Object string            `json:"object"`
		Data   []json.RawMessage `json:"data"`
	}
	json.Unmarshal(body, &raw)
	if raw.Object != "list" || len(raw.Data) != h.ModelsCount {
		t.Fatalf("got object %q with %d models; want list of %d", raw.Object, len(raw.Data), h.ModelsCount)
	}
	seen := map[string]bool{}
	for _, d := range raw.Data {
		var m struct {
			ID      string `json:"id"`
			Object  string `json:"object"`
			Created int64  `json:"created"`
			OwnedBy string `json:"owned_by"`
		}
		json.Unmarshal(d, &m)
		if m.Object != "model" || m.Created == 0 || m.OwnedBy == "" {
			t.Errorf("model entry %s lacks OpenAI fields", d)
		}
		if seen[m.ID] {
			t.Errorf("model %s listed twice", m.ID)
		}
		seen[m.ID] = true
	}
	builtin, _ := os.ReadFile("../catalog/builtin.json")
	var cat struct {
		Models []struct {
			ID string `json:"id"`
		} `json:"models"`
	}
	json.Unmarshal(builtin, &cat)
	if len(cat.Models) < 35 {
		t.Fatalf("built-in catalog has %d models; want the 35 seeds and more", len(cat.Models))
	}
	for _, m := range cat.Models {
		_, err := s.core.Resolve(m.ID)
		if retired := errors.Is(err, catalog.ErrRetired); seen[m.ID] == retired {
			t.Errorf("built-in model %s: listed=%v retired=%v; /v1/models lists exactly the models not retired", m.ID, seen[m.ID], retired)
		}
	}
	if strings.Contains(string(body), "test-key") {
		t.Error("a key leaked into /v1/models")
	}
}

func TestModelsOnlyForKeyedProviders(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "deepseek")
	_, body := s.do(t, "GET", "/health", "")
	if !strings.Contains(string(body), `"deepseek":true`) || !strings.Contains(string(body), `"openai":false`) {
		t.Fatalf("got %s", body)
	}
	_, body = s.do(t, "GET", "/v1/models", "")
	if strings.Contains(string(body), "gpt-6-luna") || !strings.Contains(string(body), "deepseek-v4-pro") {
		t.Fatalf("got %s; want only DeepSeek models", body)
	}
	resp, body := s.do(t, "POST", "/v1/chat/completions", chatBody("gpt-6-luna", "hi", ""))
	if resp.StatusCode != 401 {
		t.Fatalf("model of a provider without key: got %d %s; want 401", resp.StatusCode, body)
	}
	if msg, _, code, _ := errorOf(t, body); code != "missing_provider_key" || !strings.Contains(msg, "OPENAI_API_KEY") {
		t.Errorf("got %q %q; want a message naming OPENAI_API_KEY", code, msg)
	}
}

func TestRouteErrors(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "deepseek")
	for _, tc := range []struct {
		method, path, body string
		status             int
		code               string
	}{
		{"GET", "/v1/models/deepseek/deepseek-flash", "", 200, ""},
		{"GET", "/v1/models/deepseek-v4-pro", "", 200, ""},
		{"GET", "/v1/models/deepseek/brand-new-model", "", 200, ""},
		{"GET", "/v1/models/nope", "", 404, "model_not_found"},
		{"DELETE", "/v1/models", "", 405, "method_not_allowed"},
		{"GET", "/v1/chat/completions", "", 405, "method_not_allowed"},
		{"GET", "/v2/anything", "", 404, "unknown_url"},
		{"POST", "/v1/chat/completions", `{"model":`, 400, ""},
		{"POST", "/v1/chat/completions", chatBody("nope", "hi", ""), 404, "model_not_found"},
		{"POST", "/v1/chat/completions", chatBody("deepseek-flash", "hi", `,"temperature":3`), 400, "invalid_value"},
		{"POST", "/v1/chat/completions", `{"model":"deepseek-flash","messages":[]}`, 400, "invalid_value"},
		{"POST", "/v1/chat/completions", strings.Repeat(" ", 33<<20), 413, "request_too_large"},
	} {
		resp, body := s.do(t, tc.method, tc.path, tc.body)
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s: got %d %s; want %d", tc.method, tc.path, resp.StatusCode, body, tc.status)
			continue
		}
		if tc.status >= 400 {
			if _, _, code, _ := errorOf(t, body); code != tc.code {
				t.Errorf("%s %s: got code %q; want %q", tc.method, tc.path, code, tc.code)
			}
		}
	}
	if got := len(s.fakes["deepseek"].Requests()); got != 0 {
		t.Errorf("invalid requests reached the provider %d times; want 0", got)
	}
}

func TestGetModelKeepsSlashID(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "deepseek")
	_, body := s.do(t, "GET", "/v1/models/deepseek/deepseek-flash", "")
	var m struct{ ID, Object, OwnedBy string }
	json.Unmarshal(body, &m)
	if m.ID != "deepseek/deepseek-flash" || m.Object != "model" {
		t.Fatalf("got %s", body)
	}
}

func TestRefreshModelsOnDemand(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "kimi", "openai")
	_, body := s.do(t, "GET", "/v1/models", "")
	if strings.Contains(string(body), "gpt-5.5") || strings.Contains(string(body), "in_live_list") {
		t.Fatal("live model listed before any refresh")
	}
	resp, body := s.do(t, "POST", "/v1/models/refresh", "")
	if resp.StatusCode != 202 {
		t.Fatalf("got %d %s; want 202", resp.StatusCode, body)
	}
	for i := 0; ; i++ {
		_, body = s.do(t, "GET", "/v1/models", "")
		// The two providers refresh independently: wait for both.
		var list struct {
			Data []struct {
				ID         string `json:"id"`
				InLiveList bool   `json:"in_live_list"`
			} `json:"data"`
		}
		json.Unmarshal(body, &list)
		confirmed := map[string]bool{}
		for _, m := range list.Data {
			confirmed[m.ID] = m.InLiveList
		}
		// gpt-5.5 is only in OpenAI's live list; kimi-k3 is built in and
		// confirmed by Kimi's.
		if confirmed["gpt-5.5"] && confirmed["kimi-k3"] {
			break
		}
		if i > 500 {
			t.Fatalf("the live models of kimi and openai never both appeared: %s", body)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// OpenAI's list is filtered to chat models.
	if strings.Contains(string(body), "whisper-1") || strings.Contains(string(body), "text-embedding") {
		t.Errorf("OpenAI live list not filtered to chat models: %s", body)
	}
}
