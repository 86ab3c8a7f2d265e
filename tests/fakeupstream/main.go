// Command fakeupstream runs the five fake providers of
// backend/fakeupstream on loopback, for tests and benchmarks written in
// other languages (the openai npm compatibility test, `make bench`).
//
// Fakes of providers with an Anthropic-compatible API also list its root
// as "anthropicBaseURL"; GET <root>/_last_messages returns the last
// request to it as {"body":…,"headers":…}; GET <root>/_requests returns
// every request the fake got, as [{"path","headers","body"}].
//
// It prints one JSON line, {"cerebras":{"baseURL":…,"key":…,"stats":…},…},
// and serves until stdin closes or it gets SIGINT/SIGTERM. GET <baseURL
// without /v1>/_stats returns {"cancelled":N,"completed":N,"requests":N};
// /_last the last chat request's body (?path=/embeddings: another API's);
// /_requests?path=/chat/completions every such body, oldest first.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"thinkcloud/backend/fakeupstream"
)

func main() {
	record := flag.Bool("record", true, "keep received requests (off for benchmarks)")
	flag.Parse()
	out := map[string]map[string]string{}
	for _, kind := range fakeupstream.Kinds {
		f := fakeupstream.NewFake(kind, "test-key-"+kind, *record)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Fprintln(os.Stderr, "fakeupstream:", err)
			os.Exit(1)
		}
		mux := http.NewServeMux()
		mux.HandleFunc("/_stats", func(w http.ResponseWriter, r *http.Request) {
			json.NewEncoder(w).Encode(map[string]int{"cancelled": f.Cancelled(), "completed": f.Completed(), "requests": len(f.Requests())})
		})
		// ?path=/responses picks the last request to another API.
		mux.HandleFunc("/_last", func(w http.ResponseWriter, r *http.Request) {
			if p := r.URL.Query().Get("path"); p != "" {
				w.Write(f.LastAt(p))
				return
			}
			w.Write(f.Last())
		})
		// Every request, oldest first: path, headers and body (as text);
		// ?path=/chat/completions keeps those whose path ends so.
		mux.HandleFunc("/_requests", func(w http.ResponseWriter, r *http.Request) {
			all := []map[string]any{}
			for _, rec := range f.Requests() {
				if strings.HasSuffix(rec.Path, r.URL.Query().Get("path")) {
					all = append(all, map[string]any{"path": rec.Path, "headers": rec.Header, "body": string(rec.Body)})
				}
			}
			json.NewEncoder(w).Encode(all)
		})
		mux.HandleFunc("/_last_messages", func(w http.ResponseWriter, r *http.Request) {
			rec, _ := f.LastMessages()
			json.NewEncoder(w).Encode(map[string]any{"body": json.RawMessage(orNull(rec.Body)), "headers": rec.Header})
		})
		mux.Handle("/", f)
		go http.Serve(ln, mux)
		root := "http://" + ln.Addr().String()
		out[kind] = map[string]string{"baseURL": root + "/v1", "key": f.Key, "root": root}
		if p := fakeupstream.AnthropicPath(kind); p != "" {
			out[kind]["anthropicBaseURL"] = root + p
		}
	}
	json.NewEncoder(os.Stdout).Encode(out)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	stdinClosed := make(chan struct{})
	go func() { io.Copy(io.Discard, os.Stdin); close(stdinClosed) }()
	select {
	case <-sig:
	case <-stdinClosed:
	}
}

func orNull(b []byte) []byte {
	if len(b) == 0 {
		return []byte("null")
	}
	return b
}
