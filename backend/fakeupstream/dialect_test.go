package fakeupstream

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestFakeDialects: each fake refuses what its provider refuses (with the
// provider's words), takes what it takes, and records what arrived.
func TestFakeDialects(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		kind, body string
		status     int
		message    string // a part of the error message; "" for success
	}{
		{Kimi, `{"model":"kimi-k3","temperature":0.3}`, 400, "invalid temperature: only 1 is allowed for this model"},
		{Kimi, `{"model":"kimi-k3","temperature":1}`, 200, ""},
		{Kimi, `{"model":"kimi-k2.6","thinking":{"type":"disabled"},"temperature":1}`, 400, "invalid temperature: only 0.6 is allowed for this model"},
		{Kimi, `{"model":"kimi-k2.6","top_p":0.5}`, 400, "invalid top_p: only 0.95 is allowed"},
		{Kimi, `{"model":"kimi-k3","reasoning_effort":"medium"}`, 400, `Invalid value for reasoning_effort: "medium"`},
		{Kimi, `{"model":"kimi-k3","reasoning_effort":"max"}`, 200, ""},
		{Kimi, `{"model":"moonshot-v1-8k","temperature":0.3}`, 200, ""},
		{DeepSeek, `{"model":"deepseek-v4-pro","reasoning_effort":"low"}`, 200, ""},
		{DeepSeek, `{"model":"deepseek-v4-pro","reasoning_effort":"none"}`, 400, `Invalid value for reasoning_effort: "none"`},
		{DeepSeek, `{"model":"deepseek-v4-pro","thinking":{"type":"auto"}}`, 400, `invalid thinking.type "auto"`},
		{Cerebras, `{"model":"gpt-oss-120b","reasoning_effort":"max"}`, 400, `Invalid value for reasoning_effort: "max"`},
		{OpenAI, `{"model":"gpt-4o","reasoning_effort":"low"}`, 400, "'reasoning_effort' is not supported with this model"},
		{OpenAI, `{"model":"gpt-6.1-terra","reasoning_effort":"none"}`, 200, ""},
		{DashScope, `{"model":"qwen3.6-plus","stream":true,"enable_thinking":true,"thinking_budget":0}`, 400, "thinking_budget must be a positive integer"},
		{DashScope, `{"model":"qwen3.6-plus","stream":true,"enable_thinking":true,"thinking_budget":2048}`, 200, ""},
	} {
		f := NewFake(tc.kind, "k", true)
		ts := f.Start()
		body := strings.Replace(tc.body, "{", `{"messages":[{"role":"user","content":"hi"}],`, 1)
		req, _ := http.NewRequest("POST", ts.URL+"/v1/chat/completions", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer k")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		ts.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s: got %d %s; want %d", tc.kind, tc.body, resp.StatusCode, got, tc.status)
			continue
		}
		if tc.message != "" {
			var env struct {
				Error struct {
					Message string `json:"message"`
					Type    string `json:"type"`
				} `json:"error"`
			}
			if json.Unmarshal(got, &env) != nil || !strings.Contains(env.Error.Message, tc.message) || env.Error.Type != "invalid_request_error" {
				t.Errorf("%s %s: got %s; want a message with %q", tc.kind, tc.body, got, tc.message)
			}
		}
		if string(f.Last()) != body {
			t.Errorf("%s: recorded %s; want what was sent", tc.kind, f.Last())
		}
	}
}
