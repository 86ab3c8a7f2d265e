package core

import (
	"net/http"
	"strings"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/config"
	"thinkcloud/backend/gateway"
	"thinkcloud/backend/secrets"
)

// BaseURL returns where provider p is reached, in order of precedence:
// the <ID>_BASE_URL environment variable, the settings' base URL, the
// settings' region preset, the catalog default.
func (c *Core) BaseURL(p catalog.Provider) string {
	if v, ok := c.opts.LookupEnv(p.BaseURLEnv()); ok && strings.TrimSpace(v) != "" {
		return strings.TrimSpace(v)
	}
	ps := c.ProviderSettings(p.ID)
	if ps.BaseURL != "" {
		return ps.BaseURL
	}
	if u, ok := p.RegionURL(ps.Region); ok {
		return u
	}
	return p.BaseURL
}

// AnthropicBaseURL returns the root of provider p's own Anthropic-compatible
// API that /v1/messages requests go to as they are, or "" when they are
// translated to chat completions instead. In order: the user's choice to
// translate, the <ID>_ANTHROPIC_BASE_URL environment variable, then none
// when the OpenAI-compatible URL was moved (a mirror or gateway must not
// be bypassed behind the user's back), the region's, the catalog's.
func (c *Core) AnthropicBaseURL(p catalog.Provider) string {
	ps := c.ProviderSettings(p.ID)
	if ps.AnthropicAPI == config.AnthropicTranslate {
		return ""
	}
	if v, ok := c.opts.LookupEnv(p.AnthropicBaseURLEnv()); ok && strings.TrimSpace(v) != "" {
		return strings.TrimSpace(v)
	}
	if v, ok := c.opts.LookupEnv(p.BaseURLEnv()); (ok && strings.TrimSpace(v) != "") || ps.BaseURL != "" {
		return ""
	}
	if _, ok := p.RegionURL(ps.Region); ok {
		u, _ := p.RegionAnthropicURL(ps.Region)
		return u
	}
	return p.AnthropicBaseURL
}

// ProviderSettings returns a provider's settings in force: a custom
// provider's own entry, else the built-in provider's (with config's
// defaults when the file has none).
func (c *Core) ProviderSettings(id string) config.ProviderSettings {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, cp := range c.current.CustomProviders {
		if cp.ID == id {
			return config.ProviderSettings{Enabled: cp.Enabled, BaseURL: cp.BaseURL, Proxy: cp.Proxy}
		}
	}
	return c.current.Provider(id)
}

// Enabled reports whether the user left provider switched on.
func (c *Core) Enabled(provider string) bool {
	return c.ProviderSettings(provider).Enabled
}

// Key returns provider's key and where it came from. A locked or missing
// keyring is not an error here: the info says what is wrong.
func (c *Core) Key(provider string) (string, secrets.KeyInfo) {
	p, ok := c.catalog.Provider(provider)
	if !ok {
		return "", secrets.KeyInfo{Provider: provider, Source: secrets.SourceNone}
	}
	key, info, err := c.secrets.ProviderKey(p.ID, p.KeyEnv)
	if err != nil && info.Error == "" {
		info.Error = err.Error()
	}
	return key, info
}

// HasKey reports whether provider is enabled and has a key, i.e. whether
// its models are offered.
func (c *Core) HasKey(provider string) bool {
	if !c.Enabled(provider) {
		return false
	}
	key, _ := c.Key(provider)
	return key != ""
}

// upstream is the router's view of a provider.
func (c *Core) upstream(provider string) (gateway.Upstream, error) {
	p, ok := c.catalog.Provider(provider)
	if !ok {
		return gateway.Upstream{}, &gateway.Error{Status: 404, Code: "model_not_found", Message: "unknown provider " + provider}
	}
	if !c.Enabled(provider) {
		return gateway.Upstream{}, &gateway.Error{Status: 403, Type: "permission_error", Code: "provider_disabled", Provider: provider,
			Message: p.Name + " is switched off in Settings → Providers"}
	}
	key, info := c.Key(provider)
	if key == "" {
		msg := "No API key for " + p.Name + ": add it in Settings, run `thinkcloud keys set " + p.ID + "`, or set " + strings.Join(p.KeyEnv, " or ")
		if info.Error != "" {
			msg += " (" + info.Error + ")"
		}
		return gateway.Upstream{}, &gateway.Error{Status: 401, Type: "authentication_error", Code: "missing_provider_key", Provider: provider, Message: msg}
	}
	client, err := c.client(c.ProviderSettings(provider).Proxy)
	if err != nil {
		return gateway.Upstream{}, &gateway.Error{Status: 500, Code: "bad_proxy", Provider: provider, Message: p.Name + " proxy setting: " + err.Error()}
	}
	up := gateway.Upstream{BaseURL: c.BaseURL(p), Key: key, Client: client}
	up.Keys, _ = c.providerKeys(provider)
	if u := c.AnthropicBaseURL(p); u != "" {
		up.Bases = map[string]string{gateway.BaseAnthropic: u}
	}
	return up, nil
}

// client returns one shared client per proxy setting (and provider
// timeout), so connections are pooled across requests and providers that
// share a route.
func (c *Core) client(px config.Proxy) (*http.Client, error) {
	c.mu.RLock()
	wait := time.Duration(c.current.ProviderTimeoutSeconds) * time.Second
	id := px.Mode + "|" + px.URL + "|" + wait.String()
	cl := c.clients[id]
	c.mu.RUnlock()
	if cl != nil {
		return cl, nil
	}
	fn, err := px.Func()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if cl = c.clients[id]; cl == nil {
		var rt http.RoundTripper = gateway.NewTransport(gateway.TransportOptions{Proxy: fn, ResponseHeaderTimeout: wait})
		if c.opts.WrapTransport != nil {
			rt = c.opts.WrapTransport(rt)
		}
		cl = &http.Client{Transport: rt}
		c.clients[id] = cl
	}
	return cl, nil
}

// applyCustom registers the user's custom providers and their models.
func (c *Core) applyCustom(s config.Settings) error {
	var ps []catalog.Provider
	var ms []catalog.Model
	for _, cp := range s.CustomProviders {
		ps = append(ps, catalog.Provider{ID: cp.ID, Name: cp.Name, BaseURL: cp.BaseURL, KeyEnv: secrets.EnvVarNames(cp.ID), Custom: true})
		for _, m := range cp.Models {
			ms = append(ms, catalog.Model{ID: m, Provider: cp.ID, Upstream: m})
		}
	}
	return c.catalog.SetCustom(ps, ms)
}
