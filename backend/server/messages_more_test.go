package server_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"thinkcloud/backend/internal/testrig"
)

// anError reads an Anthropic error body.
func anError(t *testing.T, body []byte) (typ, msg string) {
	t.Helper()
	var e struct {
		Type  string `json:"type"`
		Error struct{ Type, Message string }
	}
	if json.Unmarshal(body, &e) != nil || e.Type != "error" || e.Error.Type == "" {
		t.Fatalf("not an Anthropic error: %s", body)
	}
	return e.Error.Type, e.Error.Message
}

func TestMessagesErrors(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "openai", "deepseek")
	for _, tc := range []struct {
		name, body string
		hdr        map[string]string
		status     int
		typ, msg   string
	}{
		{"unknown block", msgBody("gpt-6-luna", `[{"type":"hologram"}]`, ""), nil, 400, "invalid_request_error", `"hologram" is not supported`},
		{"no max_tokens", `{"model":"gpt-6-luna","messages":[{"role":"user","content":"x"}]}`, nil, 400, "invalid_request_error", "max_tokens: Field required"},
		{"unknown model", msgBody("no-such-model", `"x"`, ""), nil, 404, "not_found_error", "no-such-model"},
		{"balance", msgBody("gpt-6-luna", `"trigger:402"`, ""), nil, 402, "billing_error", "Insufficient Balance"},
		{"overloaded", msgBody("gpt-6-luna", `"trigger:503"`, ""), nil, 503, "overloaded_error", ""},
		{"native provider error", msgBody("deepseek-flash", `"trigger:500"`, ""), nil, 500, "api_error", "Internal server error"},
		{"origin", msgBody("gpt-6-luna", `"x"`, ""), map[string]string{"Origin": "https://evil.example"}, 403, "permission_error", "Origin"},
	} {
		resp, body := s.post(t, "/v1/messages", tc.body, tc.hdr)
		typ, msg := anError(t, body)
		if resp.StatusCode != tc.status || typ != tc.typ || !strings.Contains(msg, tc.msg) {
			t.Errorf("%s: got %d %s %q; want %d %s containing %q", tc.name, resp.StatusCode, typ, msg, tc.status, tc.typ, tc.msg)
		}
	}
	// A provider that fails mid-stream ends the stream with an error
	// event, never with message_stop.
	_, body := s.post(t, "/v1/messages", msgBody("gpt-6-luna", `"trigger:miderror"`, `,"stream":true`), nil)
	evs := anEvents(t, body)
	if n := names(evs); !strings.HasSuffix(n, " error") || strings.Contains(n, "message_stop") {
		t.Errorf("mid-stream failure: %s", n)
	}
	_, body = s.post(t, "/v1/messages", msgBody("gpt-6-luna", `"trigger:cut"`, `,"stream":true`), nil)
	if n := names(anEvents(t, body)); !strings.HasSuffix(n, " error") {
		t.Errorf("cut stream: %s", n)
	}
	// The OpenAI door keeps its own envelope.
	_, body = s.do(t, "POST", "/v1/chat/completions", chatBody("no-such-model", "x", ""))
	if _, typ, _, _ := errorOf(t, body); typ != "invalid_request_error" {
		t.Errorf("chat error: %s", body)
	}
}

func TestMessagesToken(t *testing.T) {
	t.Parallel()
	s := newStackWith(t, testrig.Options{Fakes: []string{"openai"}, Env: map[string]string{"THINKCLOUD_ACCESS_TOKEN": "tc-secret"},
		Settings: `{"version":1,"endpoint":{"enabled":true,"host":"127.0.0.1","port":8000,"requireToken":true}}`})
	resp, body := s.post(t, "/v1/messages", msgBody("gpt-6-luna", `"hi"`, ""), nil)
	if typ, _ := anError(t, body); resp.StatusCode != 401 || typ != "authentication_error" {
		t.Errorf("wrong key: %d %s", resp.StatusCode, body)
	}
	for _, hdr := range []map[string]string{{"X-Api-Key": "tc-secret"}, {"Authorization": "Bearer tc-secret", "X-Api-Key": ""}} {
		if resp, body := s.post(t, "/v1/messages", msgBody("gpt-6-luna", `"hi"`, ""), hdr); resp.StatusCode != 200 {
			t.Errorf("%v: %d %s", hdr, resp.StatusCode, body)
		}
	}
}

func TestMessagesCancel(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "openai", "deepseek")
	for _, model := range []string{"gpt-6-luna", "deepseek-flash"} { // translated, native
		req, _ := http.NewRequest("POST", s.url+"/v1/messages", strings.NewReader(msgBody(model, `"trigger:slow"`, `,"stream":true`)))
		req.Header.Set("Anthropic-Version", "2023-06-01")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(resp.Body).ReadString('\n')
		if line != "event: message_start\n" {
			t.Fatalf("%s: first line %q", model, line)
		}
		kind := map[string]string{"gpt-6-luna": "openai", "deepseek-flash": "deepseek"}[model]
		resp.Body.Close()
		deadline := time.Now().Add(10 * time.Second)
		for s.fakes[kind].Cancelled() == 0 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if s.fakes[kind].Cancelled() != 1 {
			t.Errorf("%s: the provider call was not cancelled when the client left", model)
		}
	}
}

func TestCountTokens(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "openai")
	count := func(body string) float64 {
		resp, b := s.post(t, "/v1/messages/count_tokens", body, nil)
		var out map[string]float64
		if resp.StatusCode != 200 || json.Unmarshal(b, &out) != nil {
			t.Fatalf("count_tokens: %d %s", resp.StatusCode, b)
		}
		return out["input_tokens"]
	}
	plain := count(`{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hello there, how are you today?"}]}`)
	withSystem := count(`{"model":"claude-sonnet-4-5","system":"You are a pirate. Answer like one, always, whatever happens.","messages":[{"role":"user","content":"Hello there, how are you today?"}]}`)
	withTools := count(`{"model":"claude-sonnet-4-5","tools":[{"name":"read_file","description":"Reads a file from the disk","input_schema":{"type":"object","properties":{"path":{"type":"string"}}}}],"messages":[{"role":"user","content":"Hello there, how are you today?"}]}`)
	withImage := count(`{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://x/y.png"}},{"type":"text","text":"Hello there, how are you today?"}]}]}`)
	if !(plain > 5 && plain < 30 && withSystem > plain && withTools > withSystem && withImage >= plain+1000) {
		t.Errorf("estimates: plain %v, system %v, tools %v, image %v", plain, withSystem, withTools, withImage)
	}
	resp, body := s.post(t, "/v1/messages/count_tokens", `{"model":"x"}`, nil)
	if typ, _ := anError(t, body); resp.StatusCode != 400 || typ != "invalid_request_error" {
		t.Errorf("no messages: %d %s", resp.StatusCode, body)
	}
}

func TestModelsAnthropicShape(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "openai", "deepseek")
	get := func(path string) map[string]any {
		req, _ := http.NewRequest("GET", s.url+path, nil)
		req.Header.Set("Anthropic-Version", "2023-06-01")
		req.Header.Set("X-Api-Key", "x")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return out
	}
	all := get("/v1/models?limit=1000")
	data := all["data"].([]any)
	first := data[0].(map[string]any)
	if all["has_more"] != false || first["type"] != "model" || first["display_name"] == nil || first["created_at"] != "2026-09-10T00:00:00Z" /* deepseek-flash's release */ ||
		all["first_id"] != first["id"] || all["last_id"] != data[len(data)-1].(map[string]any)["id"] {
		t.Fatalf("list: %v", all)
	}
	page := get("/v1/models?limit=2")
	if page["has_more"] != true || len(page["data"].([]any)) != 2 {
		t.Errorf("limit=2: %v", page)
	}
	next := get("/v1/models?limit=2&after_id=" + page["last_id"].(string))
	if next["first_id"] != data[2].(map[string]any)["id"] {
		t.Errorf("after_id: %v", next)
	}
	if one := get("/v1/models/gpt-6-luna"); one["type"] != "model" || one["id"] != "gpt-6-luna" {
		t.Errorf("one model: %v", one)
	}
}

// TestMessagesAdvertised: the door is in the spec and in GET /.
func TestMessagesAdvertised(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "openai")
	_, spec := s.do(t, "GET", "/openapi.json", "")
	var doc struct {
		Paths map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(spec, &doc); err != nil {
		t.Fatal(err)
	}
	_, info := s.do(t, "GET", "/", "")
	for _, p := range []string{"/v1/messages", "/v1/messages/count_tokens"} {
		if doc.Paths[p] == nil {
			t.Errorf("openapi.json lacks %s", p)
		}
		if !strings.Contains(string(info), `"`+p+`"`) {
			t.Errorf("GET / does not list %s: %s", p, info)
		}
	}
}
