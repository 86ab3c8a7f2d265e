package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// BenchmarkStreamRelay measures one streamed 20-chunk answer through the
// whole endpoint (guards, validation, routing, relay, log line) against an
// in-process fake; `go test -bench StreamRelay -cpuprofile` shows where the
// endpoint's own time goes. Benchmarks never run in `go test ./...`.
func BenchmarkStreamRelay(b *testing.B) {
	t := &testing.T{}
	s := newStack(t, nil, "openai")
	body := chatBody("gpt-4o", "trigger:tokens=20", `,"stream":true`)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := client.Post(s.url+"/v1/chat/completions", "application/json", strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
