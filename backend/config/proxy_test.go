package config

import (
	"net/http"
	"testing"
)

func TestProxyFunc(t *testing.T) {
	t.Parallel()
	req, _ := http.NewRequest("GET", "https://api.example.test/v1", nil)
	for _, tc := range []struct {
		p       Proxy
		wantErr bool
		want    string // the proxy URL chosen; "" for a direct connection
	}{
		{Proxy{Mode: ProxyNone}, false, ""},
		{Proxy{Mode: ProxyCustom, URL: "socks5://127.0.0.1:1080"}, false, "socks5://127.0.0.1:1080"},
		{Proxy{Mode: ProxyCustom, URL: "http://proxy.lan:3128"}, false, "http://proxy.lan:3128"},
		{Proxy{Mode: ProxyCustom, URL: "ftp://proxy.lan"}, true, ""},
		{Proxy{Mode: ProxyCustom, URL: "no host"}, true, ""},
		{Proxy{Mode: "sometimes"}, true, ""},
	} {
		fn, err := tc.p.Func()
		if (err != nil) != tc.wantErr {
			t.Errorf("%+v: got error %v; want error %v", tc.p, err, tc.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		got := ""
		if fn != nil {
			u, _ := fn(req)
			if u != nil {
				got = u.String()
			}
		}
		if got != tc.want {
			t.Errorf("%+v: proxy %q; want %q", tc.p, got, tc.want)
		}
	}
}
