package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"thinkcloud/backend/fakeupstream"
	"thinkcloud/backend/gateway"
	"thinkcloud/backend/internal/testrig"
)

// BenchmarkStreamRelay measures one streamed 20-chunk answer, one request
// at a time, through the whole endpoint (guards, validation, routing,
// relay, log line) and, as the baseline, through a bare
// httputil.ReverseProxy configured like the one `make bench` uses, both
// in front of the same in-process fake. The difference of the two is the
// endpoint's own cost per request; `-cpuprofile` shows where it goes.
// Benchmarks never run in `go test ./...`.
//
//	go test -run '^$' -bench StreamRelay -count 6 ./backend/server/
func BenchmarkStreamRelay(b *testing.B) {
	f := fakeupstream.NewFake("openai", "k", false)
	up := f.Start()
	defer up.Close()
	u, _ := url.Parse(up.URL + "/v1")
	rp := &httputil.ReverseProxy{
		Rewrite:       func(pr *httputil.ProxyRequest) { pr.SetURL(u) },
		Transport:     gateway.NewTransport(gateway.TransportOptions{}),
		FlushInterval: -1,
	}
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.NewResponseController(w).EnableFullDuplex()
		rp.ServeHTTP(w, r)
	}))
	defer proxy.Close()
	t := &testing.T{}
	s := newStack(t, map[string]string{"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": up.URL + "/v1"}, "deepseek")
	// With usage asked for, OpenAI (and its fake) put "usage": null on
	// every chunk.
	for _, mode := range []struct{ name, body string }{
		{"stream", chatBody("gpt-6-luna", "trigger:tokens=20", `,"stream":true`)},
		{"stream+usage", chatBody("gpt-6-luna", "trigger:tokens=20", `,"stream":true,"stream_options":{"include_usage":true}`)},
	} {
		benchRelay(b, mode.name, mode.body, proxy.URL, s.url)
	}
}

func benchRelay(b *testing.B, mode, body, proxyURL, serveURL string) {
	for _, target := range []struct{ name, url string }{{"proxy", proxyURL}, {"serve", serveURL}} {
		b.Run(mode+"/"+target.name, func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
			for b.Loop() {
				req, _ := http.NewRequest("POST", target.url+"/v1/chat/completions", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer k") // the fake's key; serve ignores it
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				n, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || n < 1000 {
					b.Fatalf("%s: status %d, %d bytes", target.name, resp.StatusCode, n)
				}
			}
		})
	}
}

// BenchmarkTranslatingDoors measures one streamed 20-chunk answer through
// /v1/messages and /v1/responses (both translated to chat completions)
// beside /v1/chat/completions passthrough, against the same in-process
// OpenAI fake, so that `-cpuprofile` shows what translation adds. The
// Responses door is asked for DeepSeek's provider, pointed at the OpenAI
// fake, since OpenAI itself would be passed through natively.
//
//	go test -run '^$' -bench TranslatingDoors -count 6 ./backend/server/
func BenchmarkTranslatingDoors(b *testing.B) {
	f := fakeupstream.NewFake("openai", "k", false)
	up := f.Start()
	defer up.Close()
	t := &testing.T{}
	s := newStackWith(t, testrig.Options{Fakes: []string{"kimi"}, Env: map[string]string{
		"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": up.URL + "/v1",
		"DEEPSEEK_API_KEY": "k", "DEEPSEEK_BASE_URL": up.URL + "/v1",
	}})
	for _, door := range []struct{ name, path, body string }{
		{"chat", "/v1/chat/completions", chatBody("gpt-6-luna", "trigger:tokens=20", `,"stream":true`)},
		{"messages", "/v1/messages", `{"model":"gpt-6-luna","max_tokens":256,"stream":true,"messages":[{"role":"user","content":"trigger:tokens=20"}]}`},
		{"responses", "/v1/responses", `{"model":"deepseek/gpt-6-luna","stream":true,"input":"trigger:tokens=20"}`},
	} {
		b.Run(door.name, func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
			for b.Loop() {
				req, _ := http.NewRequest("POST", s.url+door.path, strings.NewReader(door.body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer k")
				req.Header.Set("anthropic-version", "2023-06-01")
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				n, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || n < 1000 {
					b.Fatalf("%s: status %d, %d bytes", door.name, resp.StatusCode, n)
				}
			}
		})
	}
}
