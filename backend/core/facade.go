package core

import (
	"context"
	"errors"
	"net"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/config"
	"thinkcloud/backend/gateway"
	"thinkcloud/backend/gateway/responses"
	"thinkcloud/backend/secrets"
	"thinkcloud/backend/server"
)

// The types the window's services hand on, named here so that the window
// depends on core alone, not on the packages behind it.
type (
	// Settings is the whole settings document.
	Settings = config.Settings
	// Proxy is a provider's proxy setting.
	Proxy = config.Proxy
	// Region is one regional platform of a provider.
	Region = catalog.Region
	// KeyInfo says where a provider key comes from, never the key.
	KeyInfo = secrets.KeyInfo
	// EndpointStatus is the local endpoint's state.
	EndpointStatus = server.Status
)

// The fixed words the types above may hold, for the window's contract.
var (
	ModelSources   = []string{catalog.SourceBuiltin, catalog.SourceLive, catalog.SourceCustom, catalog.SourceAlias}
	ModelEvents    = []string{ModelsRefreshing, ModelsDone, ModelsError}
	EndpointStates = []string{server.StateListening, server.StatePortInUse, server.StateOff, server.StateError}
	ProxyModes     = []string{config.ProxySystem, config.ProxyNone, config.ProxyCustom}
	Themes         = []string{config.ThemeSystem, config.ThemeLight, config.ThemeDark}
	Languages      = []string{config.LanguageSystem, config.LanguageEnglish, config.LanguageChinese}
	CircuitStates  = []string{gateway.CircuitClosed, gateway.CircuitOpen, gateway.CircuitHalfOpen}
	KeyStates      = []string{gateway.KeyOK, gateway.KeyResting, gateway.KeyInvalid}
	KeySources     = []string{string(secrets.SourceEnvironment), string(secrets.SourceDotEnv), string(secrets.SourceKeyring), string(secrets.SourceNone)}
)

// Model is a listed model with what every listing shows beside it.
type Model struct {
	catalog.Model
	// ProviderName is the provider's display name.
	ProviderName string
	// Available is true when the provider is switched on and has a key.
	Available bool
}

// Models returns every listed model with its availability, asking for
// each provider's key once.
func (c *Core) Models() []Model {
	names := map[string]string{}
	for _, p := range c.catalog.Providers() {
		names[p.ID] = p.Name
	}
	keyed := map[string]bool{}
	ms := c.catalog.Models()
	out := make([]Model, 0, len(ms))
	for _, m := range ms {
		has, seen := keyed[m.Provider]
		if !seen {
			has = c.HasKey(m.Provider)
			keyed[m.Provider] = has
		}
		out = append(out, Model{Model: m, ProviderName: names[m.Provider], Available: has})
	}
	return append(out, c.aliasModels(func(p string) bool {
		has, seen := keyed[p]
		if !seen {
			has = c.HasKey(p)
			keyed[p] = has
		}
		return has
	})...)
}

// availableModels is Models without the ones no key can call and the
// retired ones (they answer model_retired), for the endpoint's /v1/models.
func (c *Core) availableModels() []catalog.Model {
	var out []catalog.Model
	for _, m := range c.Models() {
		if m.Available && !m.Retired {
			out = append(out, m.Model)
		}
	}
	return out
}

// ProviderState is one provider as the settings screen and `keys list`
// show it.
type ProviderState struct {
	catalog.Provider
	// Settings are the user's settings for it.
	Settings config.ProviderSettings
	// URL is where it is reached now (see BaseURL).
	URL string
	// Key says where its key comes from.
	Key KeyInfo
	// ModelCount is how many listed models it serves.
	ModelCount int
	// AnthropicAPI is true when the provider, in the region chosen, has
	// its own Anthropic-compatible API (whether or not it is used).
	AnthropicAPI bool
	// AnthropicURL is where /v1/messages requests go as they are; "" when
	// they are translated (see AnthropicBaseURL).
	AnthropicURL string
	// Health is the circuit breaker's view: resting after repeated
	// failures, and until when.
	Health gateway.ProviderHealth
	// Keys are its keys, each with its state.
	Keys []KeyState
}

// Providers returns every provider, built-in first, with its state.
func (c *Core) Providers() []ProviderState {
	count := map[string]int{}
	for _, m := range c.catalog.Models() {
		count[m.Provider]++
	}
	var out []ProviderState
	for _, p := range c.catalog.Providers() {
		_, info := c.Key(p.ID)
		ps := c.ProviderSettings(p.ID)
		native := p.AnthropicBaseURL != ""
		if _, ok := p.RegionURL(ps.Region); ok {
			_, native = p.RegionAnthropicURL(ps.Region)
		}
		out = append(out, ProviderState{Provider: p, Settings: ps, URL: c.BaseURL(p), Key: info, ModelCount: count[p.ID],
			AnthropicAPI: native, AnthropicURL: c.AnthropicBaseURL(p), Health: c.ProviderHealth(p.ID), Keys: c.Keys(p.ID)})
	}
	return out
}

// HostedTools are the tool types only OpenAI runs, which the Responses
// door refuses unless endpoint.dropHostedTools lists them.
func HostedTools() []string { return responses.HostedTools() }

// Provider returns the provider with id.
func (c *Core) Provider(id string) (catalog.Provider, bool) { return c.catalog.Provider(id) }

// Resolve turns a model name into the model that answers it.
func (c *Core) Resolve(name string) (catalog.Model, error) { return c.catalog.Resolve(name) }

// Lookup finds the catalog entry a name stands for, retired or not, to
// price answers a model gave before it was retired.
func (c *Core) Lookup(name string) (catalog.Model, error) { return c.catalog.Lookup(name) }

// OpenTurn sends a conversation to its model and returns the answer's
// stream; the provider call ends with ctx (see gateway.Router.Open).
func (c *Core) OpenTurn(ctx context.Context, t gateway.Turn) (*gateway.Stream, *gateway.Error) {
	s, _, e := c.OpenTurnAs(ctx, t)
	return s, e
}

// OpenTurnAs is OpenTurn that also says which model answered: with an
// alias's chain, maybe not the first.
func (c *Core) OpenTurnAs(ctx context.Context, t gateway.Turn) (*gateway.Stream, catalog.Model, *gateway.Error) {
	call, e := c.router.PrepareTurn(t)
	if e != nil {
		return nil, catalog.Model{}, e
	}
	s, e := c.router.Open(ctx, call)
	return s, call.Model, e
}

// ThinkingLabel says how t asks its model to think, in the words shown
// under the answer ("off", "high", "on, 8192 tokens"); "" for nothing.
func (c *Core) ThinkingLabel(t gateway.Turn) string { return c.router.ThinkingLabel(t) }

// FixedParams lists the body fields the model name resolves to fixes,
// which the window shows disabled and never sends.
func (c *Core) FixedParams(name string) []string {
	t, e := c.router.Target(name)
	if e != nil {
		return nil
	}
	return t.FixedParams()
}

// SetKey stores a provider key in the keyring. With a progress func, the
// model lists are then refreshed in the background (the new key may open
// a provider's list) and progress hears how it goes; a command that ends
// at once passes nil.
func (c *Core) SetKey(ctx context.Context, provider, key string, progress func(ModelEvent)) (KeyInfo, error) {
	if err := c.secrets.Set(provider, key); err != nil {
		return KeyInfo{}, err
	}
	_, info := c.Key(provider)
	if progress != nil {
		go c.RefreshModels(ctx, progress)
	}
	return info, nil
}

// DeleteKey removes a provider key from the keyring.
func (c *Core) DeleteKey(provider string) (KeyInfo, error) {
	if err := c.secrets.Delete(provider); err != nil {
		return KeyInfo{}, err
	}
	_, info := c.Key(provider)
	return info, nil
}

// KeyTest is what a provider's /models said to its key.
type KeyTest struct {
	// Took is how long the provider took to answer.
	Took time.Duration
	// Models is how many models it listed.
	Models int
	// Err is why the test failed; nil when it passed.
	Err error
}

// Kind is what went wrong, in gateway's Kind words (FailureKind): ""
// when the test passed.
func (kt KeyTest) Kind() string { return FailureKind(kt.Err) }

// FailureKind is what went wrong in asking a provider something outside
// a chat (its model list, a key test), in gateway's Kind words, so the
// window words it in its language beside the provider's own text: a
// non-2xx answer goes through the one classifier the chat's errors use;
// timeouts and refused connections are named; "" for no error.
func FailureKind(err error) string {
	var ge *gateway.Error
	var fe *catalog.FetchError
	var ne net.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ge):
		return ge.Kind()
	case errors.As(err, &fe):
		return (&gateway.Error{Status: fe.Status, Message: fe.Body}).Kind()
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return gateway.KindTimeout
	case errors.As(err, &ne):
		return gateway.KindUnreachable
	}
	return gateway.KindOther
}

// TestKey calls provider's /models with its key.
func (c *Core) TestKey(ctx context.Context, provider string) KeyTest {
	start := time.Now()
	ms, err := c.FetchModels(ctx, provider)
	return KeyTest{Took: time.Since(start), Models: len(ms), Err: err}
}

// AccessToken returns the local endpoint's token (the environment's, else
// the keyring's), creating one in the keyring when create is set.
func (c *Core) AccessToken(create bool) (string, error) { return c.accessToken(create) }

// RegenerateAccessToken replaces the keyring's local token.
func (c *Core) RegenerateAccessToken() (string, error) { return c.secrets.RegenerateAccessToken() }

// Notice is a problem met while loading settings (a corrupt file moved
// aside), for the window or the log; "" when all was well.
func (c *Core) Notice() string { return c.notice }

// SettingsNotice is the problem Notice describes, with its parts; nil
// when the settings loaded cleanly.
func (c *Core) SettingsNotice() *config.Notice { return c.noticeOf }

// SettingsPath is the settings file in use.
func (c *Core) SettingsPath() string { return c.settings.Path() }
