package server_test

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/gateway"
	"thinkcloud/backend/server"
)

// TestStreamWaitingForProviderHeaders: while a provider keeps a
// streaming request waiting for its headers, the client gets the stream's
// headers and SSE comments, so it knows the request is alive; when the
// provider then answers, the events follow, and when it fails, the
// failure arrives as an error event (the status is already sent).
func TestStreamWaitingForProviderHeaders(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		answer  func(w http.ResponseWriter)
		wantErr string // "" means the events and [DONE]
	}{
		{"then the answer", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/event-stream")
			io.WriteString(w, "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"late\"}}]}\n\ndata: [DONE]\n\n")
		}, ""},
		{"then a failure", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			io.WriteString(w, `{"error":{"message":"context length exceeded","type":"invalid_request_error","code":"context_length_exceeded"}}`)
		}, "context length exceeded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			release := make(chan struct{})
			up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				select {
				case <-release:
				case <-r.Context().Done():
					return
				}
				tc.answer(w)
			}))
			defer up.Close()
			defer func() {
				select {
				case <-release:
				default:
					close(release)
				}
			}()
			url := waitEndpoint(t, up.URL, 20*time.Millisecond)

			type result struct {
				resp *http.Response
				err  error
			}
			got := make(chan result, 1)
			go func() {
				resp, err := http.Post(url+"/v1/chat/completions", "application/json",
					strings.NewReader(chatBody("gpt-6-luna", "hi", `,"stream":true`)))
				got <- result{resp, err}
			}()
			var res result
			select {
			case res = <-got:
			case <-time.After(liveness):
				t.Fatal("no response headers while the provider held back its own")
			}
			if res.err != nil {
				t.Fatal(res.err)
			}
			defer res.resp.Body.Close()
			if ct := res.resp.Header.Get("Content-Type"); res.resp.StatusCode != 200 || !strings.HasPrefix(ct, "text/event-stream") {
				t.Fatalf("got %d %q; want 200 text/event-stream", res.resp.StatusCode, ct)
			}
			br := bufio.NewReader(res.resp.Body)
			for comments := 0; comments < 2; { // one, then another while the wait lasts
				line, err := br.ReadString('\n')
				if err != nil || (line != "\n" && !strings.HasPrefix(line, ": waiting for ")) {
					t.Fatalf("got %q, %v; want SSE comments while waiting", line, err)
				}
				if line != "\n" {
					comments++
				}
			}
			close(release) // only now does the provider answer
			rest, _ := io.ReadAll(br)
			datas, done := events(t, rest)
			if tc.wantErr == "" {
				if !done || len(datas) != 1 || !strings.Contains(datas[0], `"late"`) {
					t.Fatalf("got %q done=%v; want the chunk and [DONE]", datas, done)
				}
				return
			}
			if done || len(datas) != 1 || !strings.Contains(datas[0], `"error"`) || !strings.Contains(datas[0], tc.wantErr) {
				t.Fatalf("got %q done=%v; want one error event with the provider's words and no [DONE]", datas, done)
			}
		})
	}
}

// waitEndpoint serves the endpoint in front of one provider at upURL
// (every model goes there) with the given wait notice.
func waitEndpoint(t *testing.T, upURL string, notice time.Duration) string {
	t.Helper()
	cat, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(server.New(server.Options{
		Catalog: cat, HasKey: func(string) bool { return true },
		Router: &gateway.Router{Catalog: cat, MaxRetries: -1, Upstream: func(string) (gateway.Upstream, error) {
			return gateway.Upstream{BaseURL: upURL + "/v1", Key: "k"}, nil
		}},
		WaitNotice: notice,
	}))
	t.Cleanup(func() {
		ts.CloseClientConnections()
		ts.Close()
	})
	return ts.URL
}
