package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestOversizedStreamEventEndsTheStream: one SSE event larger than the
// cap (16 MiB) is not relayed; the stream ends with an error event and no
// [DONE], so no client mistakes it for a complete answer.
func TestOversizedStreamEventEndsTheStream(t *testing.T) {
	t.Parallel()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"start\"}}]}\n\n")
		io.WriteString(w, "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
		chunk := strings.Repeat("x", 1<<20)
		for range 17 {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
		io.WriteString(w, "\"}}]}\n\ndata: [DONE]\n\n")
	}))
	defer up.Close()
	s := newStack(t, map[string]string{"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": up.URL + "/v1"}, "deepseek")
	resp, body := s.do(t, "POST", "/v1/chat/completions", chatBody("gpt-6-luna", "hi", `,"stream":true`))
	if resp.StatusCode != 200 {
		t.Fatalf("got %d; want the stream", resp.StatusCode)
	}
	text := string(body)
	if strings.Contains(text, "data: [DONE]") {
		t.Errorf("the stream ended with [DONE] (%d bytes relayed); want an error event instead", len(body))
	}
	if !strings.Contains(text, `"start"`) || !strings.Contains(text, `"code":"stream_interrupted"`) || !strings.Contains(text, "16 MiB") {
		t.Errorf("got %.300s…; want the first event, then an error event naming the 16 MiB cap", text)
	}
	if len(body) > 1<<20 {
		t.Errorf("relayed %d bytes; the oversized event must not reach the client", len(body))
	}
}
