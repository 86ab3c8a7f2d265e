package config

import (
	"fmt"
	"net/http"
	"net/url"
)

// Func returns the proxy selector the transport uses for p. An empty mode
// means system, the behaviour people expect from other apps.
func (p Proxy) Func() (func(*http.Request) (*url.URL, error), error) {
	switch p.Mode {
	case "", ProxySystem:
		return http.ProxyFromEnvironment, nil
	case ProxyNone:
		return nil, nil
	case ProxyCustom:
		u, err := url.Parse(p.URL)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("proxy URL %q: want scheme://host:port", p.URL)
		}
		switch u.Scheme {
		case "http", "https", "socks5", "socks5h":
		default:
			return nil, fmt.Errorf("proxy URL %q: scheme must be http, https or socks5", p.URL)
		}
		return http.ProxyURL(u), nil
	default:
		return nil, fmt.Errorf("proxy mode %q: want system, none or custom", p.Mode)
	}
}
