package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestProviderErrorNeverEchoesAKey: a provider whose error quotes the key
// back, whole or cut short, or quotes another provider's key, has its
// words relayed and logged with every key masked.
func TestProviderErrorNeverEchoesAKey(t *testing.T) {
	t.Parallel()
	const openaiKey = "sk-openai-0123456789abcdefghij"
	const deepseekKey = "test-key-deepseek" // what newStack gives the fake
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(401)
		io.WriteString(w, `{"error":{"message":"Incorrect API key provided: `+openaiKey+
			` (also tried sk-openai-0123456789ab***, and `+deepseekKey+`)","type":"invalid_request_error","code":"invalid_api_key"}}`)
	}))
	defer up.Close()
	s := newStack(t, map[string]string{"OPENAI_API_KEY": openaiKey, "OPENAI_BASE_URL": up.URL + "/v1"}, "deepseek")
	// Use DeepSeek first, as a user would have: its key is then loaded.
	if resp, body := s.do(t, "POST", "/v1/chat/completions", chatBody("deepseek-flash", "hi", "")); resp.StatusCode != 200 {
		t.Fatalf("deepseek: got %d %s", resp.StatusCode, body)
	}
	resp, body := s.do(t, "POST", "/v1/chat/completions", chatBody("gpt-6-luna", "hi", ""))
	if resp.StatusCode != 401 || !strings.Contains(string(body), "Incorrect API key provided") {
		t.Fatalf("got %d %s; want the provider's 401 and words", resp.StatusCode, body)
	}
	for where, text := range map[string]string{"answer": string(body), "log": s.logs.String()} {
		for _, secret := range []string{openaiKey, "sk-openai-0123456789ab", deepseekKey} {
			if strings.Contains(text, secret) {
				t.Errorf("the %s contains %q:\n%s", where, secret, text)
			}
		}
	}
}

// TestStreamErrorEventNeverEchoesAKey: an error event inside a provider's
// stream is relayed with every key masked too.
func TestStreamErrorEventNeverEchoesAKey(t *testing.T) {
	t.Parallel()
	const key = "sk-openai-0123456789abcdefghij"
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\n")
		io.WriteString(w, `data: {"error":{"message":"key `+key+` was revoked mid-stream","type":"invalid_request_error"}}`+"\n\n")
	}))
	defer up.Close()
	s := newStack(t, map[string]string{"OPENAI_API_KEY": key, "OPENAI_BASE_URL": up.URL + "/v1"}, "deepseek")
	_, body := s.do(t, "POST", "/v1/chat/completions", chatBody("gpt-6-luna", "hi", `,"stream":true`))
	if !strings.Contains(string(body), "revoked mid-stream") {
		t.Fatalf("got %s; want the provider's error event relayed", body)
	}
	for where, text := range map[string]string{"stream": string(body), "log": s.logs.String()} {
		if strings.Contains(text, "0123456789") {
			t.Errorf("the %s contains the key:\n%s", where, text)
		}
	}
}
