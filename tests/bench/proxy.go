package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"thinkcloud/backend/gateway"
)

// ---- the bare reverse proxy (a child process) ----

// runProxy serves a plain httputil.ReverseProxy to target, configured as
// fairly as serve: flush every write, the same upstream transport
// (gateway.NewTransport: 256 idle connections per host, no compression)
// and the same http.Server limits. It prints its address and serves until
// SIGTERM or stdin closes.
func runProxy(target string) {
	u, err := url.Parse(target)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	rp := &httputil.ReverseProxy{
		Rewrite:       func(pr *httputil.ProxyRequest) { pr.SetURL(u) },
		Transport:     gateway.NewTransport(gateway.TransportOptions{}),
		FlushInterval: -1,
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	// Full duplex: without it net/http consumes and closes the request
	// body when the first response bytes are flushed, racing the
	// transport that is still copying that body upstream; the loser gets
	// "invalid Read on closed Body", the transport drops the upstream
	// connection mid-answer and the client sees a cut stream (about 1 in
	// 40 requests here at c=1). serve reads the whole body first, so it
	// does not have the problem.
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.NewResponseController(w).EnableFullDuplex()
		rp.ServeHTTP(w, r)
	})
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 1 << 20}
	go srv.Serve(ln)
	fmt.Println(ln.Addr().String())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	go func() { io.Copy(io.Discard, os.Stdin); sig <- syscall.SIGTERM }()
	<-sig
}
