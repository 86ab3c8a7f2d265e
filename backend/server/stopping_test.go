package server_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"thinkcloud/backend/fakeupstream"
	"thinkcloud/backend/internal/testrig"
	"thinkcloud/backend/server"
)

// Stopping the endpoint (Quit, the tray's switch) under a running stream
// ends it with an error event and a cleanly ended body, at once, instead
// of a connection reset after the shutdown grace period.
func TestStopEndsStreamsWithAnErrorEvent(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, path, body, want string }{
		{"chat", "/v1/chat/completions", chatBody("kimi-k2.6", "trigger:endless", `,"stream":true`), `"code":"endpoint_stopping"`},
		{"responses", "/v1/responses", `{"model":"kimi-k2.6","stream":true,"input":"trigger:endless"}`, "endpoint_stopping"},
		{"messages", "/v1/messages", `{"model":"gpt-oss-120b","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"trigger:endless"}]}`, "event: error"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rig := testrig.New(t, testrig.Options{Fakes: fakeupstream.Kinds})
			h, err := rig.Core.Handler()
			if err != nil {
				t.Fatal(err)
			}
			var ep server.Endpoint
			if err := ep.Start("127.0.0.1", 0, h); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ep.Stop(context.Background()) })
			req, _ := http.NewRequest("POST", "http://"+ep.Status().Addr+c.path, strings.NewReader(c.body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("anthropic-version", "2023-06-01")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			br := bufio.NewReader(resp.Body)
			// Read a few events, so the stream is mid-answer.
			for n := 0; n < 3; {
				line, err := br.ReadString('\n')
				if err != nil {
					t.Fatalf("the stream ended before Stop: %v", err)
				}
				if strings.HasPrefix(line, "data: ") {
					n++
				}
			}
			stopped := make(chan error, 1)
			// A minute's grace: the stream must end by itself well before
			// that; a reset after the grace is what this test catches.
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				stopped <- ep.Stop(ctx)
			}()
			rest, err := io.ReadAll(br)
			if err != nil {
				t.Fatalf("the stream did not end cleanly: %v (after %q)", err, tail(rest))
			}
			if !strings.Contains(string(rest), c.want) {
				t.Fatalf("the stream ended without an error event %s: …%q", c.want, tail(rest))
			}
			if err := <-stopped; err != nil {
				t.Errorf("Stop: %v; want the server shut down within its grace", err)
			}
		})
	}
}

func tail(b []byte) string {
	if len(b) > 400 {
		b = b[len(b)-400:]
	}
	return string(b)
}
