// Package catalog knows which providers exist, which models each one serves
// and how a model name a user typed becomes a (provider, upstream model) pair.
//
// The built-in list is data (builtin.json), not code: model names drift
// upstream, and a wrong guess must be cheap to correct. Live lists fetched
// from each provider's /models endpoint are merged on top at run time.
package catalog

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

//go:embed builtin.json
var builtinJSON []byte

// Provider is one upstream service that speaks the OpenAI chat-completions
// dialect.
type Provider struct {
	// ID is the short lower-case name used in settings, env vars and
	// "provider/model" ids.
	ID string `json:"id"`
	// Name is what the window shows.
	Name string `json:"name"`
	// BaseURL is the default API root, ending in /v1 or the provider's
	// equivalent; "/chat/completions" and "/models" are appended to it.
	BaseURL string `json:"baseURL"`
	// Regions lists alternative base URLs for providers whose accounts are
	// per region (a China key gets 401 on the international host). Empty
	// when the provider has one platform.
	Regions []Region `json:"regions,omitempty"`
	// KeyEnv lists the environment variables that may hold the API key,
	// the first one preferred.
	KeyEnv []string `json:"keyEnv"`
	// Custom is true for providers the user added in settings.
	Custom bool `json:"custom,omitempty"`
	// Dialect is how this provider spells the controls the chat-completions
	// standard leaves open. The zero value is plain OpenAI chat completions.
	Dialect Dialect `json:"dialect,omitzero"`
	// Endpoints lists the APIs the provider serves besides chat
	// completions, by kind (EndpointResponses, EndpointEmbeddings,
	// EndpointCompletions), each as a path relative to BaseURL: appended
	// to it ("/embeddings"), or climbing out of it first
	// ("../beta/completions" from ".../v1"). A kind that is absent is not
	// served; nil serves none, which is what custom providers get.
	Endpoints map[string]string `json:"endpoints,omitempty"`
	// AnthropicBaseURL is the root of the provider's own
	// Anthropic-compatible API ("/v1/messages" is appended); "" when it
	// has none, and then /v1/messages is translated to chat completions.
	AnthropicBaseURL string `json:"anthropicBaseURL,omitempty"`
	// Balance is how to read the account's balance, where the provider
	// publishes it; nil when it does not.
	Balance *BalanceAPI `json:"balance,omitempty"`
}

// BalanceAPI describes a provider's balance endpoint (a GET with the key).
type BalanceAPI struct {
	// Path is relative to BaseURL, as in Endpoints ("../user/balance").
	Path string `json:"path"`
	// Format names the answer's shape: BalanceInfos (DeepSeek's
	// balance_infos list, one entry per currency, amounts as strings) or
	// BalanceAvailable (Kimi's data.available_balance, a number).
	Format string `json:"format"`
	// Currency is the currency of a format that does not name its own;
	// a Region's BalanceCurrency wins for that region's base URL.
	Currency string `json:"currency,omitempty"`
}

// Balance answer formats (BalanceAPI.Format).
const (
	BalanceInfos     = "balance_infos"
	BalanceAvailable = "available_balance"
)

// BalanceCurrency is the currency a balance read from baseURL is in, for
// formats that do not say.
func (p Provider) BalanceCurrency(baseURL string) string {
	for _, r := range p.Regions {
		if r.BalanceCurrency != "" && strings.TrimRight(r.BaseURL, "/") == strings.TrimRight(baseURL, "/") {
			return r.BalanceCurrency
		}
	}
	if p.Balance == nil {
		return ""
	}
	return p.Balance.Currency
}

// Kinds of API a provider may serve besides chat completions, as keys of
// Provider.Endpoints.
const (
	// EndpointResponses is the OpenAI Responses API, spoken natively:
	// requests pass through instead of being translated.
	EndpointResponses = "responses"
	// EndpointEmbeddings is the OpenAI embeddings API.
	EndpointEmbeddings = "embeddings"
	// EndpointCompletions is the legacy text completions API (DeepSeek's
	// fill-in-the-middle).
	EndpointCompletions = "completions"
)

// Region is one regional platform of a provider.
type Region struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	BaseURL string `json:"baseURL"`
	// AnthropicBaseURL is the region's Anthropic-compatible API root; ""
	// when the region has none.
	AnthropicBaseURL string `json:"anthropicBaseURL,omitempty"`
	// BalanceCurrency is the currency of this region's balance, when it
	// differs from the provider's (Kimi: CNY on .cn, USD on .ai).
	BalanceCurrency string `json:"balanceCurrency,omitempty"`
}

// BaseURLEnv is the variable that overrides the provider's base URL, in the
// same spirit as OPENAI_BASE_URL for the OpenAI SDKs.
func (p Provider) BaseURLEnv() string { return envPrefix(p.ID) + "_BASE_URL" }

// AnthropicBaseURLEnv is the variable that overrides the provider's
// Anthropic-compatible API root (tests point it at a fake).
func (p Provider) AnthropicBaseURLEnv() string { return envPrefix(p.ID) + "_ANTHROPIC_BASE_URL" }

// RegionAnthropicURL returns region id's Anthropic-compatible API root,
// or false when the provider has no such region or the region has none.
func (p Provider) RegionAnthropicURL(id string) (string, bool) {
	for _, r := range p.Regions {
		if r.ID == id {
			return r.AnthropicBaseURL, r.AnthropicBaseURL != ""
		}
	}
	return "", false
}

// RegionURL returns the base URL of region id, or false when the provider
// has no such region.
func (p Provider) RegionURL(id string) (string, bool) {
	for _, r := range p.Regions {
		if r.ID == id {
			return r.BaseURL, true
		}
	}
	return "", false
}

// Model is one model a provider serves, under the name users type.
type Model struct {
	// ID is the public name ("qwen-3-7b").
	ID string `json:"id"`
	// Provider is the Provider.ID that serves it.
	Provider string `json:"provider"`
	// Upstream is the id the provider expects ("qwen3-8b"); equal to ID
	// for most models.
	Upstream string `json:"upstream"`
	// ContextWindow is in tokens; 0 when unknown.
	ContextWindow int `json:"contextWindow,omitempty"`
	// Reasoning marks models that emit thinking text. Where it arrives
	// (reasoning_content, reasoning or <think> in the content) is read
	// from every chunk, so it needs no entry here.
	Reasoning bool `json:"reasoning,omitempty"`
	// ThinkingToggle marks models whose thinking the user may switch on
	// and off (with the provider's Dialect.Thinking).
	ThinkingToggle bool `json:"thinkingToggle,omitempty"`
	// Vision marks models that accept image parts. Built-in entries
	// derive it from Input.
	Vision bool `json:"vision,omitempty"`
	// Input lists what a prompt may hold ("text", "image", "video");
	// empty when unknown.
	Input []string `json:"input,omitempty"`
	// Tools marks models that accept tool definitions.
	Tools bool `json:"tools,omitempty"`
	// Defaults are parameters the desktop chat starts from for this model
	// (a custom model that wants temperature 1.0). The endpoint never adds
	// them to a client's request.
	Defaults map[string]float64 `json:"defaults,omitempty"`
	// Name is the display name ("DeepSeek V4.1 Flash"); "" shows the id.
	Name string `json:"name,omitempty"`
	// MaxOutput is the most tokens one answer may have; 0 when unknown.
	MaxOutput int `json:"maxOutput,omitempty"`
	// Think is how the model reasons and the controls it accepts; nil when
	// the catalog does not know (a bare live-list id).
	Think *Thinking `json:"think,omitempty"`
	// Fixed lists body parameters the model fixes: sending one is an error
	// or is ignored ("temperature", "top_p"), so the chat never sends them
	// and shows their control disabled.
	Fixed []string `json:"fixed,omitempty"`
	// Prices is what the model costs, one entry per currency the provider
	// bills in, main currency first; empty when unknown.
	Prices []Price `json:"prices,omitempty"`
	// Released, Deprecated and Shutdown are dates (YYYY-MM-DD); "" when
	// unknown or not announced. A model past its Shutdown is retired.
	Released   string `json:"released,omitempty"`
	Deprecated string `json:"deprecated,omitempty"`
	Shutdown   string `json:"shutdown,omitempty"`
	// Successors name the models to use instead, best first.
	Successors []string `json:"successors,omitempty"`
	// Source says where the entry came from: "builtin", "live" or "custom".
	Source string `json:"source"`
	// Retired is true when the provider has shut the model down: its
	// Shutdown date has come, or (in builtin.json) the provider retired it
	// on a date nobody published. Resolve answers a retired model with a
	// *RetiredError naming its Successors. A live list that still has the
	// model overrides the built-in data (see SetLive).
	Retired bool `json:"retired,omitempty"`
	// Unavailable is true when the provider's live list, once fetched,
	// lacks the model. It stays routable (the provider has the last
	// word) and is not retired: lists lag, and some accounts see fewer
	// models than others.
	Unavailable bool `json:"unavailable,omitempty"`
	// Live is what the provider's /models published about the model; nil
	// when its list was not fetched or does not have it.
	Live *Published `json:"live,omitempty"`
	// Note explains a surprising mapping.
	Note string `json:"note,omitempty"`
	// Chain is, for a user's alias (Source "alias"), the models it tries
	// in order; the entry's other fields are its first model's.
	Chain []string `json:"chain,omitempty"`

	listed bool // the provider's live list has it
}

// Sources of a Model entry.
const (
	SourceBuiltin = "builtin"
	SourceLive    = "live"
	SourceCustom  = "custom"
	SourceAlias   = "alias"
)

// ErrUnknownModel is returned by Resolve for a name no provider serves.
var ErrUnknownModel = errors.New("unknown model")

// ErrUnknownProvider is returned for a provider id that does not exist.
var ErrUnknownProvider = errors.New("unknown provider")

// Catalog is the merged, concurrency-safe view of providers and models.
// The zero value is not usable; call New or Builtin.
type Catalog struct {
	mu        sync.RWMutex
	providers []Provider
	builtin   []Model
	live      map[string][]Model // provider id -> models from its /models
	custom    []Model
	index     map[string]Model // every resolvable bare name -> winner
	listed    []Model          // what Models returns, in order
	tiers     map[string][]string
	now       func() time.Time // the clock retirement dates are read by
	// aliases are the user's names for models and chains (alias.go).
	aliases    map[string]Alias
	aliasOrder []string
}

// BuiltinProviderIDs returns the ids of the built-in providers, in
// resolution order, as a new slice.
func BuiltinProviderIDs() []string {
	var data struct {
		Providers []struct {
			ID string `json:"id"`
		} `json:"providers"`
	}
	json.Unmarshal(builtinJSON, &data) // Builtin's own test proves it parses
	ids := make([]string, len(data.Providers))
	for i, p := range data.Providers {
		ids[i] = p.ID
	}
	return ids
}

// Builtin returns a catalog of the five launch providers and the built-in
// models from builtin.json.
func Builtin() (*Catalog, error) {
	var data struct {
		Providers   []Provider          `json:"providers"`
		Models      []Model             `json:"models"`
		ClaudeTiers map[string][]string `json:"claudeTiers"`
	}
	if err := json.Unmarshal(builtinJSON, &data); err != nil {
		return nil, fmt.Errorf("parse built-in catalog: %w", err)
	}
	for i := range data.Models {
		data.Models[i].Source = SourceBuiltin
		if err := checkBuiltin(data.Models[i]); err != nil {
			return nil, fmt.Errorf("built-in catalog: %w", err)
		}
	}
	for _, p := range data.Providers {
		switch p.Dialect.Thinking {
		case "", ThinkingEnableFlag, ThinkingTypeObject:
		default:
			return nil, fmt.Errorf("built-in catalog: provider %s: unknown thinking switch %q", p.ID, p.Dialect.Thinking)
		}
		if b := p.Balance; b != nil && (b.Path == "" || (b.Format != BalanceInfos && b.Format != BalanceAvailable)) {
			return nil, fmt.Errorf("built-in catalog: provider %s: balance needs a path and the format %s or %s", p.ID, BalanceInfos, BalanceAvailable)
		}
		for kind := range p.Endpoints {
			switch kind {
			case EndpointResponses, EndpointEmbeddings, EndpointCompletions:
			default:
				return nil, fmt.Errorf("built-in catalog: provider %s: unknown endpoint kind %q", p.ID, kind)
			}
		}
	}
	c, err := New(data.Providers, data.Models)
	if err != nil {
		return nil, err
	}
	c.tiers = data.ClaudeTiers
	return c, nil
}

// Claude model tiers: Claude Code and other Anthropic clients name models
// "claude-opus-…", "claude-sonnet-…" or "claude-haiku-…", and each tier
// maps to a model the user picked, else to the first of the catalog's
// suggestions whose provider can be called.
const (
	TierOpus   = "opus"
	TierSonnet = "sonnet"
	TierHaiku  = "haiku"
)

// ClaudeTier returns the catalog's suggested models for a Claude tier,
// best first.
func (c *Catalog) ClaudeTier(tier string) []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return slices.Clone(c.tiers[tier])
}

// New builds a catalog from providers (in resolution order) and models.
func New(providers []Provider, models []Model) (*Catalog, error) {
	c := &Catalog{live: map[string][]Model{}, now: time.Now}
	c.providers = slices.Clone(providers)
	for _, m := range models {
		if _, ok := c.provider(m.Provider); !ok {
			return nil, fmt.Errorf("model %s: %w %q", m.ID, ErrUnknownProvider, m.Provider)
		}
		if m.Upstream == "" {
			m.Upstream = m.ID
		}
		c.builtin = append(c.builtin, derive(m))
	}
	c.rebuild()
	return c, nil
}

func (c *Catalog) provider(id string) (Provider, bool) {
	for _, p := range c.providers {
		if p.ID == id {
			return p, true
		}
	}
	return Provider{}, false
}

// Providers returns every provider, built-in first, in resolution order.
func (c *Catalog) Providers() []Provider {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return slices.Clone(c.providers)
}

// Provider returns the provider with the given id.
func (c *Catalog) Provider(id string) (Provider, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.provider(id)
}

// SetCustom replaces the user-defined providers and their models. Built-in
// provider ids cannot be replaced.
func (c *Catalog) SetCustom(providers []Provider, models []Model) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	kept := slices.DeleteFunc(slices.Clone(c.providers), func(p Provider) bool { return p.Custom })
	for _, p := range providers {
		if slices.ContainsFunc(kept, func(q Provider) bool { return q.ID == p.ID }) {
			return fmt.Errorf("custom provider %q: id already taken", p.ID)
		}
		p.Custom = true
		kept = append(kept, p)
	}
	c.providers = kept
	c.custom = c.custom[:0]
	for _, m := range models {
		if m.Upstream == "" {
			m.Upstream = m.ID
		}
		m.Source = SourceCustom
		c.custom = append(c.custom, derive(m))
	}
	c.rebuild()
	return nil
}

// SetLive merges a provider's live model list over the catalog's data.
//
// The rule: the live list is the authority on what exists and on every
// field it states; the catalog fills what it leaves out.
//   - Present: a model the list has exists. Built-in or custom entries
//     take each field the list published (context window, image input,
//     reasoning, shutdown date) over their own, so a contradiction is won
//     by the list; fields it left out keep the catalog's value. A model
//     the catalog retired is live again, unless the list itself states a
//     shutdown date that has passed. Models only the list has are added.
//   - Absent: a built-in or custom model the list lacks is marked
//     Unavailable, neither deleted nor retired, and stays routable.
//
// An empty list is ignored, since it more likely means a broken answer
// than a provider with no models.
func (c *Catalog) SetLive(provider string, models []Model) {
	if len(models) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range models {
		models[i].Provider = provider
		models[i].Source = SourceLive
		if models[i].Upstream == "" {
			models[i].Upstream = models[i].ID
		}
	}
	c.live[provider] = models
	c.rebuild()
}

// Models returns every listed model: each bare id once (the one Resolve
// picks), then models shadowed by that rule under "provider/id". Retired
// models are included, with Retired set.
func (c *Catalog) Models() []Model {
	c.mu.RLock()
	defer c.mu.RUnlock()
	today := c.today()
	out := slices.Clone(c.listed)
	for i := range out {
		out[i].Retired = out[i].retiredOn(today)
	}
	return out
}

// SetClock replaces the clock retirement dates are compared with (tests
// pin it); nil restores time.Now.
func (c *Catalog) SetClock(now func() time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if now == nil {
		now = time.Now
	}
	c.now = now
}

// today is the UTC date retirement is judged on. Callers hold c.mu.
func (c *Catalog) today() string { return c.now().UTC().Format(time.DateOnly) }

// Count returns how many models Models would return.
func (c *Catalog) Count() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.listed)
}

// Resolve turns a name into the model to call, in two steps: Lookup finds
// the entry, then a retired entry becomes a *RetiredError (errors.Is
// ErrRetired) returned beside it, so a caller can still show what it was.
// User aliases belong between the two steps: an alias must win over
// retirement.
func (c *Catalog) Resolve(name string) (Model, error) {
	if chain, ok := c.aliasChain(name); ok {
		return chain[0], nil
	}
	if _, ok := c.Alias(name); ok {
		return Model{}, fmt.Errorf("alias %q: none of its models resolves: %w", name, ErrUnknownModel)
	}
	return c.resolveModel(name)
}

// resolveModel is Resolve without aliases: Lookup, then Retirement.
func (c *Catalog) resolveModel(name string) (Model, error) {
	m, err := c.Lookup(name)
	if err != nil {
		return Model{}, err
	}
	if err := c.Retirement(name, m); err != nil {
		return m, err
	}
	return m, nil
}

// Retirement returns a *RetiredError when m, which name resolved to, has
// been shut down by its provider, and nil otherwise.
func (c *Catalog) Retirement(name string, m Model) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if !m.retiredOn(c.today()) {
		return nil
	}
	p, _ := c.provider(m.Provider)
	pname := p.Name
	if pname == "" {
		pname = m.Provider
	}
	return &RetiredError{Name: name, Model: m, ProviderName: pname}
}

// Lookup finds the entry a name stands for, retired or not.
//
// The rule, in order:
//  1. "provider/model" with a known provider goes to that provider with
//     upstream id "model", even when the catalog does not know the model
//     (a model released today works today). Catalog data is attached when
//     it does know it.
//  2. A bare id matches a public id; when several providers have it, the
//     built-in entry wins over custom, custom over live-discovered, and
//     within one kind the provider order (cerebras, deepseek, openai,
//     dashscope, kimi, then custom providers in settings order) decides.
//  3. Otherwise a bare id matches an upstream id ("qwen3-8b") by the
//     same order.
func (c *Catalog) Lookup(name string) (Model, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	today := c.today()
	if m, ok := c.index[name]; ok {
		m.Retired = m.retiredOn(today)
		return m, nil
	}
	if pid, rest, ok := strings.Cut(name, "/"); ok && rest != "" {
		if _, known := c.provider(pid); known {
			// The provider's own entries in precedence order (built-in,
			// custom, live), without building all() on every request.
			for _, group := range [3][]Model{c.builtin, c.custom, c.live[pid]} {
				for i := range group {
					if m := &group[i]; m.Provider == pid && (m.ID == rest || m.Upstream == rest) {
						found := *m
						if merged, ok := c.index[m.Provider+"/"+m.ID]; ok {
							found = merged
						}
						found.Retired = found.retiredOn(today)
						return found, nil
					}
				}
			}
			return Model{ID: name, Provider: pid, Upstream: rest, Source: SourceLive}, nil
		}
	}
	return Model{}, fmt.Errorf("%w %q", ErrUnknownModel, name)
}

// all returns every entry in precedence order: built-in, custom, live, and
// within each kind in provider order.
func (c *Catalog) all() []Model {
	var out []Model
	for _, group := range [][]Model{c.builtin, c.custom} {
		for _, p := range c.providers {
			for _, m := range group {
				if m.Provider == p.ID {
					out = append(out, m)
				}
			}
		}
	}
	for _, p := range c.providers {
		out = append(out, c.live[p.ID]...)
	}
	return out
}

// rebuild recomputes the name index and the listing, merging live lists
// over built-in and custom entries by SetLive's rule. Callers hold c.mu.
func (c *Catalog) rebuild() {
	liveBy := map[string]Model{} // provider/upstream -> live entry
	for pid, ms := range c.live {
		for _, m := range ms {
			liveBy[pid+"/"+m.Upstream] = m
		}
	}
	index := map[string]Model{}
	var listed, shadowed []Model
	known := map[string]bool{} // provider/upstream pairs already listed
	for _, m := range c.all() {
		key := m.Provider + "/" + m.Upstream
		if m.Source == SourceLive && (known[key] || known[m.Provider+"/"+m.ID]) {
			continue // a live entry for a model the catalog already has
		}
		known[key], known[m.Provider+"/"+m.ID] = true, true
		if m.Source != SourceLive && c.live[m.Provider] != nil {
			if l, ok := liveBy[key]; ok {
				m = overLive(m, l)
			} else {
				m.Unavailable = true
			}
		}
		index[m.Provider+"/"+m.ID] = m
		if _, taken := index[m.ID]; taken {
			m.ID = m.Provider + "/" + m.ID
			shadowed = append(shadowed, m)
			continue
		}
		index[m.ID] = m
		listed = append(listed, m)
	}
	for _, m := range c.all() {
		full, ok := index[m.Provider+"/"+m.ID]
		if _, taken := index[m.Upstream]; ok && !taken {
			index[m.Upstream] = full
		}
	}
	c.index = index
	c.listed = append(listed, shadowed...)
}

// envPrefix turns a provider id into the upper-case prefix of its env vars
// ("custom-groq" -> "CUSTOM_GROQ").
func envPrefix(id string) string {
	return strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(id))
}
