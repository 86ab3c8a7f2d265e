package config

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/secrets"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		modify func(*Settings)
		want   string // "" means valid
	}{
		{"defaults", func(*Settings) {}, ""},
		{"full", func(s *Settings) { *s = fullSettings() }, ""},
		{"empty theme and proxy mode mean system", func(s *Settings) {
			s.Theme = ""
			s.SetProvider("openai", ProviderSettings{Enabled: true})
		}, ""},
		{"ipv6 host and origins", func(s *Settings) {
			s.Endpoint.Host = "::1"
			s.Endpoint.AllowedOrigins = []string{"https://app.example.com", "tauri://localhost", "http://[::1]:3000"}
			s.Endpoint.AllowedHosts = []string{"localhost", "[::1]:8000", "*.example.com"}
		}, ""},
		{"port zero", func(s *Settings) { s.Endpoint.Port = 0 }, "endpoint.port: must be 1..65535"},
		{"port too big", func(s *Settings) { s.Endpoint.Port = 65536 }, "endpoint.port: must be 1..65535"},
		{"empty host", func(s *Settings) { s.Endpoint.Host = "" }, "endpoint.host: must be an IP address or host name"},
		{"host with scheme", func(s *Settings) { s.Endpoint.Host = "http://x" }, "endpoint.host:"},
		{"origin with path", func(s *Settings) { s.Endpoint.AllowedOrigins = []string{"http://a.com/x"} }, "endpoint.allowedOrigins[0]: must be an origin"},
		{"origin trailing slash", func(s *Settings) { s.Endpoint.AllowedOrigins = []string{"http://a.com/"} }, "endpoint.allowedOrigins[0]"},
		{"origin without scheme", func(s *Settings) { s.Endpoint.AllowedOrigins = []string{"a.com"} }, "endpoint.allowedOrigins[0]"},
		{"origin bad port", func(s *Settings) { s.Endpoint.AllowedOrigins = []string{"http://a.com:99999"} }, "endpoint.allowedOrigins[0]"},
		{"allowed host with path", func(s *Settings) { s.Endpoint.AllowedHosts = []string{"ok", "a.com/x"} }, "endpoint.allowedHosts[1]"},
		{"unknown hosted tool", func(s *Settings) { s.Endpoint.DropHostedTools = []string{"web_search", "websearch"} }, "endpoint.dropHostedTools[1]"},
		{"hosted tool twice", func(s *Settings) { s.Endpoint.DropHostedTools = []string{"*", "mcp", "*"} }, "endpoint.dropHostedTools[2]"},
		{"negative rate", func(s *Settings) { s.Endpoint.RateLimitPerMinute = -1 }, "endpoint.rateLimitPerMinute"},
		{"provider timeout too long", func(s *Settings) { s.ProviderTimeoutSeconds = 3601 }, "providerTimeoutSeconds"},
		{"negative provider timeout", func(s *Settings) { s.ProviderTimeoutSeconds = -1 }, "providerTimeoutSeconds"},
		{"aliases", func(s *Settings) {
			s.Aliases = []catalog.Alias{{Name: "fast", Models: []string{"cerebras/gpt-oss-120b"}}, {Name: "coder", Models: []string{"kimi/kimi-k2.7-code", "fast"}}}
			s.Routing = Routing{BreakerFailures: -1, BreakerCooldownSeconds: 30, KeyRestSeconds: 120}
		}, ""},
		{"alias with a slash", func(s *Settings) { s.Aliases = []catalog.Alias{{Name: "a/b", Models: []string{"x"}}} }, "aliases[0].name: must be"},
		{"alias twice", func(s *Settings) {
			s.Aliases = []catalog.Alias{{Name: "a", Models: []string{"x"}}, {Name: "a", Models: []string{"y"}}}
		}, `aliases[1].name: duplicate alias "a"`},
		{"alias of nothing", func(s *Settings) { s.Aliases = []catalog.Alias{{Name: "a"}} }, "aliases[0].models: must name"},
		{"alias blank model", func(s *Settings) { s.Aliases = []catalog.Alias{{Name: "a", Models: []string{" x"}}} }, "aliases[0].models[0]"},
		{"breaker threshold", func(s *Settings) { s.Routing.BreakerFailures = 101 }, "routing.breakerFailures"},
		{"breaker cooldown", func(s *Settings) { s.Routing.BreakerCooldownSeconds = -1 }, "routing.breakerCooldownSeconds"},
		{"key rest", func(s *Settings) { s.Routing.KeyRestSeconds = 3601 }, "routing.keyRestSeconds"},
		{"bad theme", func(s *Settings) { s.Theme = "blue" }, "theme: must be"},
		{"bad language", func(s *Settings) { s.Language = "fr" }, "language: must be"},
		{"negative version", func(s *Settings) { s.Version = -1 }, "version: must not be negative"},
		{"anthropic api modes", func(s *Settings) {
			s.SetProvider("deepseek", ProviderSettings{Enabled: true, AnthropicAPI: AnthropicTranslate})
			s.SetProvider("kimi", ProviderSettings{Enabled: true, AnthropicAPI: AnthropicNative})
			s.ClaudeModels = ClaudeModels{Opus: "deepseek-v4-pro", Haiku: "openai/gpt-5.6-luna"}
		}, ""},
		{"anthropic api bad mode", func(s *Settings) {
			s.SetProvider("deepseek", ProviderSettings{Enabled: true, AnthropicAPI: "passthrough"})
		}, `providers.deepseek.anthropicAPI: must be empty, "native" or "translate"`},
		{"claude tier with spaces", func(s *Settings) { s.ClaudeModels.Sonnet = " gpt-6-luna" }, "claudeModels.sonnet: must be a model id"},
		{"provider bad id", func(s *Settings) { s.SetProvider("Open AI", defaultProvider()) }, "providers.Open AI: invalid provider id"},
		{"provider bad baseURL", func(s *Settings) {
			s.SetProvider("openai", ProviderSettings{Enabled: true, BaseURL: "ftp://x"})
		}, "providers.openai.baseURL: must be an http:// or https:// URL"},
		{"proxy bad mode", func(s *Settings) {
			s.SetProvider("kimi", ProviderSettings{Proxy: Proxy{Mode: "auto"}})
		}, "providers.kimi.proxy.mode: must be"},
		{"custom proxy needs url", func(s *Settings) {
			s.SetProvider("kimi", ProviderSettings{Proxy: Proxy{Mode: ProxyCustom}})
		}, "providers.kimi.proxy.url: is required"},
		{"proxy bad scheme", func(s *Settings) {
			s.SetProvider("kimi", ProviderSettings{Proxy: Proxy{Mode: ProxyCustom, URL: "ftp://p:1"}})
		}, "providers.kimi.proxy.url: must be an http://, https://, socks5://"},
		{"custom id uppercase", func(s *Settings) { s.CustomProviders = []CustomProvider{customP("Custom-X")} }, "customProviders[0].id: may only contain"},
		{"custom id builtin", func(s *Settings) { s.CustomProviders = []CustomProvider{customP("deepseek")} }, `customProviders[0].id: "deepseek" is a built-in`},
		{"custom id duplicate", func(s *Settings) {
			s.CustomProviders = []CustomProvider{customP("custom-a"), customP("custom-a")}
		}, `customProviders[1].id: duplicate id "custom-a"`},
		{"custom missing name and url", func(s *Settings) {
			c := customP("custom-a")
			c.Name, c.BaseURL = " ", ""
			s.CustomProviders = []CustomProvider{c}
		}, "customProviders[0].name: must not be empty"},
		{"custom blank model", func(s *Settings) {
			c := customP("custom-a")
			c.Models = []string{"ok", ""}
			s.CustomProviders = []CustomProvider{c}
		}, "customProviders[0].models[1]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st := Defaults()
			tc.modify(&st)
			err := st.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Validate: got %v; want nil", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Validate: got %v; want error containing %q", err, tc.want)
			}
			var fe *FieldError
			if tc.want != "" && !errors.As(err, &fe) {
				t.Errorf("Validate: got %T; want a *FieldError inside", err)
			}
		})
	}
}

func customP(id string) CustomProvider {
	c := defaultCustomProvider()
	c.ID, c.Name, c.BaseURL = id, "Custom", "https://llm.example.com/v1"
	return c
}

func TestValidateCustomProviderID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		id string
		ok bool
	}{
		{"custom-openrouter", true},
		{"my-llm-2", true},
		{"9router", true},
		{"", false},
		{"-x", false},
		{"a_b", false},
		{"ABC", false},
		{"a.b", false},
		{strings.Repeat("a", 65), false},
		{"openai", false},
		{"kimi", false},
		{"local-access-token", false},
	} {
		if err := ValidateCustomProviderID(tc.id); (err == nil) != tc.ok {
			t.Errorf("ValidateCustomProviderID(%q) = %v; want ok %v", tc.id, err, tc.ok)
		}
	}
}

// TestReservedIDsMatchSecrets keeps the reserved id list in step with the
// keyring entry names package secrets uses.
func TestReservedIDsMatchSecrets(t *testing.T) {
	t.Parallel()
	if !slices.Contains(reservedIDs(), secrets.AccessTokenUser) {
		t.Errorf("reservedIDs() = %q; want it to contain %q", reservedIDs(), secrets.AccessTokenUser)
	}
}

func TestBuiltinProviderIDsIsACopy(t *testing.T) {
	t.Parallel()
	ids := BuiltinProviderIDs()
	ids[0] = "changed"
	if got := BuiltinProviderIDs(); got[0] == "changed" {
		t.Errorf("BuiltinProviderIDs() = %q; want the original list", got)
	}
}

func TestProviderDefaults(t *testing.T) {
	t.Parallel()
	var st Settings // nil map: Provider and SetProvider must cope
	if p := st.Provider("openai"); !p.Enabled || p.Proxy.EffectiveMode() != ProxySystem {
		t.Errorf("Provider of missing entry = %+v; want enabled with system proxy", p)
	}
	st.SetProvider("openai", ProviderSettings{Region: "us"})
	if p := st.Provider("openai"); p.Enabled || p.Region != "us" || p.Proxy.EffectiveMode() != ProxySystem {
		t.Errorf("Provider after SetProvider = %+v; want the stored entry", p)
	}
}
