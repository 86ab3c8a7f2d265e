// Package config loads and saves ThinkCloud's settings.json: which
// providers are enabled and how to reach them, the local OpenAI-compatible
// endpoint, and UI preferences. API keys are never stored here; they live in
// the OS keyring (see package secrets).
//
// The file is versioned and migrated forward on load, validated, written
// atomically with mode 0600, and forward compatible: fields written by a
// newer ThinkCloud are kept through a load/save round trip, and a newer
// version number is never downgraded. A file that cannot be parsed or fails
// validation is moved aside and reported as a Notice instead of stopping
// the app.
package config

import "thinkcloud/backend/catalog"

// CurrentVersion is the settings schema version this binary writes. Bump it
// and add a migration in migrate.go whenever the meaning of a field changes.
const CurrentVersion = 1

// BuiltinProviderIDs returns the ids of the providers ThinkCloud ships with,
// as the catalog declares them. Custom providers may not reuse them. It
// returns a new slice each time so callers cannot change the list for
// everyone.
func BuiltinProviderIDs() []string { return catalog.BuiltinProviderIDs() }

// reservedIDs may not be used by custom providers because other parts of
// the app already use them as keyring entry names; they are
// secrets.AccessTokenUser and secrets.ReasoningKeyUser.
func reservedIDs() []string { return []string{"local-access-token", "responses-reasoning-key"} }

// Theme values accepted in Settings.Theme; "" is treated as ThemeSystem.
const (
	// ThemeSystem follows the operating system's light/dark preference.
	ThemeSystem = "system"
	// ThemeLight forces the light theme.
	ThemeLight = "light"
	// ThemeDark forces the dark theme.
	ThemeDark = "dark"
)

// Language values accepted in Settings.Language.
const (
	// LanguageSystem follows the operating system's language.
	LanguageSystem = ""
	// LanguageEnglish forces English.
	LanguageEnglish = "en"
	// LanguageChinese forces Simplified Chinese.
	LanguageChinese = "zh-CN"
)

// Proxy modes accepted in Proxy.Mode; "" is treated as ProxySystem.
const (
	// ProxySystem uses the proxy from the environment and OS settings.
	ProxySystem = "system"
	// ProxyNone connects directly.
	ProxyNone = "none"
	// ProxyCustom uses Proxy.URL.
	ProxyCustom = "custom"
)

// Settings is the whole settings.json document. The zero value is not
// valid; start from Defaults or Store.Load.
type Settings struct {
	// Version is the schema version of the file; see CurrentVersion.
	Version int `json:"version"`
	// Providers holds per-provider overrides keyed by built-in provider
	// id. A missing entry means defaults; use Provider to read one.
	Providers map[string]ProviderSettings `json:"providers,omitempty"`
	// CustomProviders are user-added OpenAI-compatible providers.
	CustomProviders []CustomProvider `json:"customProviders,omitempty"`
	// Endpoint configures the local OpenAI-compatible HTTP endpoint.
	Endpoint Endpoint `json:"endpoint"`
	// DefaultModel is the model new chats start with, as "provider/model"
	// or whatever id the catalog uses; empty means the catalog's choice.
	DefaultModel string `json:"defaultModel,omitempty"`
	// LastModel is the model used most recently, restored on start.
	LastModel string `json:"lastModel,omitempty"`
	// Theme is ThemeSystem, ThemeLight or ThemeDark.
	Theme string `json:"theme"`
	// Language is LanguageSystem, LanguageEnglish or LanguageChinese.
	Language string `json:"language"`
	// ClaudeModels maps the Claude model names Anthropic clients send
	// (Claude Code's "claude-sonnet-…") to models of any provider; a tier
	// left empty takes the catalog's suggestion.
	ClaudeModels ClaudeModels `json:"claudeModels,omitzero"`
	// ProviderTimeoutSeconds bounds the wait for a provider to start
	// answering (its status and headers) before the request fails with a
	// 504; 1..3600, and 0 means 300, as long as a reasoning model may
	// think before a non-streaming answer. Streams are not cut by it once
	// they started; their idle time is bounded separately.
	ProviderTimeoutSeconds int `json:"providerTimeoutSeconds,omitempty"`
	// Aliases are the user's names for models and fallback chains
	// ("fast" → cerebras/gpt-oss-120b; "coder" → three models in order),
	// usable wherever a model name is. An alias wins over a model id of
	// the same name.
	Aliases []catalog.Alias `json:"aliases,omitempty"`
	// Routing tunes the circuit breaker and resting keys; zero values
	// take the defaults.
	Routing Routing `json:"routing,omitzero"`
	// Usage configures the request log.
	Usage Usage `json:"usage,omitzero"`
	// Background says what closing the window does and whether the app
	// starts at login.
	Background Background `json:"background"`
	// Updates configures the check for a new version; off until the
	// user answers the first-run question.
	Updates Updates `json:"updates,omitzero"`
	// Assistants are the user's chat presets and saved prompts.
	Assistants Assistants `json:"assistants,omitzero"`
	// Titles says whether a model names new conversations, and which.
	Titles Titles `json:"titles,omitzero"`

	extra extraFields // unknown top-level fields, written back on save
}

// Routing tunes how requests survive failing providers and keys.
type Routing struct {
	// BreakerFailures is how many failed requests in a row make a
	// provider rest; 0 means 5, -1 turns the breaker off, at most 100.
	BreakerFailures int `json:"breakerFailures,omitempty"`
	// BreakerCooldownSeconds is how long it rests; 0 means 60, at most
	// 3600.
	BreakerCooldownSeconds int `json:"breakerCooldownSeconds,omitempty"`
	// KeyRestSeconds is how long a key that hit a rate limit rests when
	// the provider names no longer wait; 0 means 60, at most 3600.
	KeyRestSeconds int `json:"keyRestSeconds,omitempty"`
}

// ClaudeModels names the model that answers each Claude tier, as
// "provider/model" or any id the catalog resolves; "" means the
// catalog's suggestion.
type ClaudeModels struct {
	Opus   string `json:"opus,omitempty"`
	Sonnet string `json:"sonnet,omitempty"`
	Haiku  string `json:"haiku,omitempty"`
}

// Tier returns the model set for tier ("opus", "sonnet" or "haiku").
func (c ClaudeModels) Tier(tier string) string {
	switch tier {
	case "opus":
		return c.Opus
	case "sonnet":
		return c.Sonnet
	case "haiku":
		return c.Haiku
	}
	return ""
}

// How a provider's /v1/messages requests travel (ProviderSettings.AnthropicAPI).
const (
	// AnthropicNative sends them as they are to the provider's own
	// Anthropic-compatible API when it has one, else translates; it is
	// what "" means.
	AnthropicNative = "native"
	// AnthropicTranslate always translates them to chat completions.
	AnthropicTranslate = "translate"
)

// ProviderSettings holds the user's overrides for one built-in provider.
type ProviderSettings struct {
	// Enabled hides the provider's models when false. Default true.
	Enabled bool `json:"enabled"`
	// BaseURL replaces the catalog's URL when non-empty, for gateways
	// and self-hosted mirrors.
	BaseURL string `json:"baseURL,omitempty"`
	// Region selects one of the catalog's regional presets such as
	// "cn", "intl" or "us"; the catalog owns the URLs, so config only
	// stores the string.
	Region string `json:"region,omitempty"`
	// Proxy says how to reach the provider.
	Proxy Proxy `json:"proxy"`
	// AnthropicAPI is how /v1/messages requests reach the provider:
	// AnthropicNative ("" too) or AnthropicTranslate.
	AnthropicAPI string `json:"anthropicAPI,omitempty"`

	extra extraFields
}

// Proxy says how outgoing requests reach a provider.
type Proxy struct {
	// Mode is ProxySystem, ProxyNone or ProxyCustom.
	Mode string `json:"mode"`
	// URL is the proxy for ProxyCustom: an http, https, socks5 or socks5h
	// URL. It is kept for other modes so switching back restores it.
	URL string `json:"url,omitempty"`

	extra extraFields
}

// CustomProvider is a user-added OpenAI-compatible provider.
type CustomProvider struct {
	// ID is the provider id, also its keyring entry name; see
	// ValidateCustomProviderID.
	ID string `json:"id"`
	// Name is shown in the UI.
	Name string `json:"name"`
	// BaseURL is the OpenAI-compatible API root, e.g.
	// https://openrouter.ai/api/v1.
	BaseURL string `json:"baseURL"`
	// Models lists model ids offered when FetchModels is false, or in
	// addition to the fetched ones.
	Models []string `json:"models,omitempty"`
	// FetchModels asks the provider's /models endpoint for its models.
	FetchModels bool `json:"fetchModels"`
	// Proxy says how to reach the provider.
	Proxy Proxy `json:"proxy"`
	// Enabled hides the provider's models when false. Default true.
	Enabled bool `json:"enabled"`

	extra extraFields
}

// Endpoint configures the local OpenAI-compatible HTTP endpoint.
type Endpoint struct {
	// Enabled starts the endpoint with the app. Default true.
	Enabled bool `json:"enabled"`
	// Host is the listen address. Default 127.0.0.1, so only this
	// machine can connect.
	Host string `json:"host"`
	// Port is the listen port, 1..65535. Default 8000.
	Port int `json:"port"`
	// RequireToken makes clients send the local access token. Default
	// false, because only local processes can connect by default.
	RequireToken bool `json:"requireToken"`
	// AllowedOrigins are browser origins (scheme://host[:port]) allowed
	// to call the endpoint through CORS.
	AllowedOrigins []string `json:"allowedOrigins,omitempty"`
	// AllowedHosts are extra Host header values accepted besides the
	// listen address, guarding against DNS rebinding.
	AllowedHosts []string `json:"allowedHosts,omitempty"`
	// RateLimitPerMinute caps requests per minute; 0 turns it off.
	RateLimitPerMinute int `json:"rateLimitPerMinute"`
	// DropHostedTools lists tool types that only OpenAI runs
	// ("web_search", …) which /v1/responses leaves out of requests to
	// other providers, instead of refusing them with a 400; "*" drops
	// every one. Empty (the default) refuses them all, so nobody is
	// surprised by a tool silently missing.
	DropHostedTools []string `json:"dropHostedTools,omitempty"`
	// KeepReasoningEffort turns off the endpoint's one convenience: with
	// it false (the default), a client's standard reasoning_effort on
	// /v1/chat/completions reaches each provider in that provider's own
	// terms (its thinking switch, or the nearest level it accepts); with
	// it true, every provider gets the field exactly as sent. It applies
	// at once, without restarting the endpoint.
	KeepReasoningEffort bool `json:"keepReasoningEffort,omitempty"`
	// Tokens are the named access tokens of local tools (see
	// AccessToken). A request carrying one is attributed to it and held
	// to its limits, whether or not RequireToken is on.
	Tokens []AccessToken `json:"tokens,omitempty"`

	extra extraFields
}

// Defaults returns the settings used when there is no settings file, with
// fresh maps so callers may modify the result.
func Defaults() Settings {
	return Settings{
		Version:    CurrentVersion,
		Providers:  map[string]ProviderSettings{},
		Endpoint:   defaultEndpoint(),
		Theme:      ThemeSystem,
		Language:   LanguageSystem,
		Background: defaultBackground(),
	}
}

func defaultEndpoint() Endpoint {
	return Endpoint{Enabled: true, Host: "127.0.0.1", Port: 8000}
}

func defaultProvider() ProviderSettings {
	return ProviderSettings{Enabled: true, Proxy: Proxy{Mode: ProxySystem}}
}

func defaultCustomProvider() CustomProvider {
	return CustomProvider{Enabled: true, Proxy: Proxy{Mode: ProxySystem}}
}

// Provider returns the settings of built-in provider id, or the defaults
// (enabled, system proxy) when the file has no entry for it.
func (s Settings) Provider(id string) ProviderSettings {
	if p, ok := s.Providers[id]; ok {
		return p
	}
	return defaultProvider()
}

// SetProvider stores p as the settings of provider id, creating the map if
// needed, so callers need not handle a nil map.
func (s *Settings) SetProvider(id string, p ProviderSettings) {
	if s.Providers == nil {
		s.Providers = map[string]ProviderSettings{}
	}
	s.Providers[id] = p
}

// EffectiveMode returns Mode with "" read as ProxySystem, so callers do not
// repeat that rule.
func (p Proxy) EffectiveMode() string {
	if p.Mode == "" {
		return ProxySystem
	}
	return p.Mode
}
