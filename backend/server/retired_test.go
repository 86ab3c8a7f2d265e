package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestRetiredOnEveryDoor: a retired seed id answers 404 model_retired in
// each door's own error envelope, naming the date and the successors, and
// never reaches a provider.
func TestRetiredOnEveryDoor(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "openai", "deepseek", "kimi")
	const turbo = "gpt-4-turbo was shut down by OpenAI on 2026-10-23; use gpt-6.1-sol or gpt-6.2-sol"
	for _, tc := range []struct {
		door, method, path, body string
		anthropic                bool
		want                     string
	}{
		{"chat", "POST", "/v1/chat/completions", chatBody("gpt-4-turbo", "hi", ""), false, turbo},
		{"chat stream", "POST", "/v1/chat/completions", chatBody("gpt-4-turbo", "hi", `,"stream":true`), false, turbo},
		{"responses", "POST", "/v1/responses", `{"model":"gpt-4-turbo","input":"hi"}`, false, turbo},
		{"embeddings", "POST", "/v1/embeddings", `{"model":"openai/gpt-4-turbo","input":"hi"}`, false, "openai/" + turbo},
		{"completions", "POST", "/v1/completions", `{"model":"deepseek-chat","prompt":"def f(","suffix":"return 1"}`, false,
			"deepseek-chat was shut down by DeepSeek on 2026-07-24; use deepseek-flash"},
		{"messages", "POST", "/v1/messages", `{"model":"kimi-k2-thinking","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}`, true,
			"kimi-k2-thinking was shut down by Kimi (Moonshot) on 2026-05-25; use kimi-k2.6 or kimi-k3"},
		{"model info", "GET", "/v1/models/gpt-4-turbo", "", false, turbo},
	} {
		t.Run(tc.door, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, s.url+tc.path, strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/json")
			if tc.anthropic {
				req.Header.Set("Anthropic-Version", "2023-06-01")
				req.Header.Set("X-Api-Key", "anything")
			} else {
				req.Header.Set("Authorization", "Bearer anything")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var env struct {
				Type  string `json:"type"`
				Error struct {
					Message, Type, Code string
					Param               *string
				} `json:"error"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != 404 || env.Error.Message != tc.want {
				t.Fatalf("got %d %+v; want 404 %q", resp.StatusCode, env, tc.want)
			}
			if tc.anthropic {
				// Anthropic's envelope has no code: the type says not found.
				if env.Type != "error" || env.Error.Type != "not_found_error" {
					t.Errorf("anthropic envelope: %+v", env)
				}
			} else if env.Error.Code != "model_retired" || env.Error.Param == nil || *env.Error.Param != "model" {
				t.Errorf("openai envelope: %+v", env)
			}
		})
	}
	for kind, f := range s.fakes {
		if n := len(f.Requests()); n != 0 {
			t.Errorf("%s received %d requests for retired models", kind, n)
		}
	}
	// The list leaves retired models out; their successors are there.
	_, body := s.do(t, "GET", "/v1/models", "")
	if strings.Contains(string(body), `"id":"gpt-4-turbo"`) || !strings.Contains(string(body), `"id":"gpt-6.1-sol"`) {
		t.Errorf("/v1/models: retired listed or successor missing")
	}
}
