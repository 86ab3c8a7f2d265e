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
