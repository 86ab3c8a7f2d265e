package gateway

import (
	"fmt"
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

// Proxy modes a provider can use.
const (
	ProxySystem = "system" // HTTP(S)_PROXY / NO_PROXY from the environment
	ProxyNone   = "none"
	ProxyCustom = "custom" // an http://, https:// or socks5:// URL
)

// ProxyFunc returns the proxy selector for a mode. An empty mode means
// system, the behaviour people expect from other apps.
func ProxyFunc(mode, rawURL string) (func(*http.Request) (*url.URL, error), error) {
	switch mode {
	case "", ProxySystem:
		return http.ProxyFromEnvironment, nil
	case ProxyNone:
		return nil, nil
	case ProxyCustom:
		u, err := url.Parse(rawURL)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("proxy URL %q: want scheme://host:port", rawURL)
		}
		switch u.Scheme {
		case "http", "https", "socks5", "socks5h":
		default:
			return nil, fmt.Errorf("proxy URL %q: scheme must be http, https or socks5", rawURL)
		}
		return http.ProxyURL(u), nil
	default:
		return nil, fmt.Errorf("proxy mode %q: want system, none or custom", mode)
	}
}
