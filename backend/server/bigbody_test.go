package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestOversizedAnswerIsA502: a non-streaming answer past the cap (64 MiB)
// is a 502 that says so, never a 200 with the JSON cut off.
func TestOversizedAnswerIsA502(t *testing.T) {
	t.Parallel()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"`)
		chunk := strings.Repeat("x", 1<<20)
		for range 65 {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
		io.WriteString(w, `"},"finish_reason":"stop"}]}`)
	}))
	defer up.Close()
	s := newStack(t, map[string]string{"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": up.URL + "/v1"}, "deepseek")
	resp, body := s.do(t, "POST", "/v1/chat/completions", chatBody("gpt-6-luna", "hi", ""))
	if resp.StatusCode != 502 || len(body) > 1<<10 {
		t.Fatalf("got %d with %d bytes; want a short 502", resp.StatusCode, len(body))
	}
	if msg, _, code, _ := errorOf(t, body); code != "upstream_answer_too_large" || !strings.Contains(msg, "64 MiB") {
		t.Errorf("got %q %q; want upstream_answer_too_large naming the 64 MiB cap", code, msg)
	}
}
