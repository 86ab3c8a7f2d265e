package gateway

import (
	"net"
	"net/http"
	"net/url"
	"time"
)

// TransportOptions configure the HTTP transport to providers. A proxy
// sees many concurrent long-lived streams to a few hosts, which Go's
// defaults (two idle connections per host) serve badly.
type TransportOptions struct {
	// DialTimeout bounds connecting (TCP and TLS each); zero means 10s.
	DialTimeout time.Duration
	// ResponseHeaderTimeout bounds the wait for the provider's status
	// line after the request was sent; zero means 5 minutes, since
	// non-streaming reasoning answers can take that long.
	ResponseHeaderTimeout time.Duration
	// Proxy picks the proxy per request; nil means a direct connection.
	Proxy func(*http.Request) (*url.URL, error)
}

// NewTransport returns a transport for upstream calls. There is
// deliberately no overall timeout: it would also cap reading a stream.
// Idle time between chunks is bounded by the Stream reader instead. It
// never returns a 3xx answer, so no client over it follows a redirect
// (see RedirectError).
func NewTransport(o TransportOptions) http.RoundTripper {
	dial := o.DialTimeout
	if dial == 0 {
		dial = 10 * time.Second
	}
	header := o.ResponseHeaderTimeout
	if header == 0 {
		header = 5 * time.Minute
	}
	return noRedirects{&http.Transport{
		Proxy:                 o.Proxy,
		DialContext:           (&net.Dialer{Timeout: dial, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   dial,
		ResponseHeaderTimeout: header,
		ExpectContinueTimeout: time.Second,
		MaxIdleConns:          1024,
		MaxIdleConnsPerHost:   256,
		IdleConnTimeout:       90 * time.Second,
		// Compressed streams would be buffered by the decompressor;
		// asking for identity keeps every event flowing as it comes.
		DisableCompression: true,
	}}
}
