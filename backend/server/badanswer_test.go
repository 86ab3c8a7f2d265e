package server_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestAnswerNotWhatWasAskedIsA502: a 200 that is not what the request
// asked for (HTML or plain text, JSON to a streaming request, a stream to
// a plain one, a compressed body nobody asked for) is a 502 quoting the
// provider's first bytes, cut short and with the key masked, never a
// success.
func TestAnswerNotWhatWasAskedIsA502(t *testing.T) {
	t.Parallel()
	const key = "sk-openai-0123456789abcdef"
	page := "<html><head><title>Welcome to Hotel WiFi</title></head><body>" + strings.Repeat("Please log in. ", 100) + "key " + key + "</body></html>"
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	io.WriteString(zw, `{"id":"c1","object":"chat.completion","choices":[]}`)
	zw.Close()
	for _, tc := range []struct {
		name, contentType, encoding, body, extra, quote string
	}{
		{"HTML to a streaming request", "text/html; charset=utf-8", "", page, `,"stream":true`, "Welcome to Hotel WiFi"},
		{"plain text to a streaming request", "text/plain", "", "upstream connect error or disconnect/reset before headers", `,"stream":true`, "upstream connect error"},
		{"JSON to a streaming request", "application/json", "", `{"id":"c1","object":"chat.completion","choices":[]}`, `,"stream":true`, "chat.completion"},
		{"HTML to a plain request", "text/html", "", page, "", "Welcome to Hotel WiFi"},
		{"a stream to a plain request", "text/event-stream", "", "data: {}\n\n", "", "data: {}"},
		{"unrequested gzip", "application/json", "gzip", zipped.String(), "", "gzip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", tc.contentType)
				if tc.encoding != "" {
					w.Header().Set("Content-Encoding", tc.encoding)
				}
				io.WriteString(w, tc.body)
			}))
			defer up.Close()
			s := newStack(t, map[string]string{"OPENAI_API_KEY": key, "OPENAI_BASE_URL": up.URL + "/v1"}, "deepseek")
			resp, body := s.do(t, "POST", "/v1/chat/completions", chatBody("gpt-6-luna", "hi", tc.extra))
			if resp.StatusCode != 502 {
				t.Fatalf("got %d %.200s; want 502", resp.StatusCode, body)
			}
			msg, _, code, _ := errorOf(t, body)
			if code != "upstream_bad_answer" || !strings.Contains(msg, tc.quote) {
				t.Errorf("got %q %q; want upstream_bad_answer quoting %q", code, msg, tc.quote)
			}
			if len(msg) > 600 || strings.Contains(msg, key) {
				t.Errorf("message is %d bytes or holds the key: %q", len(msg), msg)
			}
			if resp.Header.Get("X-Should-Retry") != "false" {
				t.Errorf("got x-should-retry %q; want false", resp.Header.Get("X-Should-Retry"))
			}
		})
	}
}

// TestJSONUnderAnotherLabelIsRelayed: what decides for a plain request
// is whether the body is JSON; a server that labels it text/plain (or not
// at all) still gets its answer through, leading blank lines and all.
func TestJSONUnderAnotherLabelIsRelayed(t *testing.T) {
	t.Parallel()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "\n\n"+`{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"fine"}}]}`)
	}))
	defer up.Close()
	s := newStack(t, map[string]string{"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": up.URL + "/v1"}, "deepseek")
	resp, body := s.do(t, "POST", "/v1/chat/completions", chatBody("gpt-6-luna", "hi", ""))
	if resp.StatusCode != 200 || !strings.HasPrefix(string(body), `{"id":"c1"`) {
		t.Fatalf("got %d %s; want the JSON relayed", resp.StatusCode, body)
	}
}
