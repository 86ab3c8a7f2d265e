package core

import (
	"fmt"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/config"
	"thinkcloud/backend/gateway"
	"thinkcloud/backend/secrets"
)

// applyRouting hands the settings' aliases to the catalog and the
// routing tunables to the router. Aliases are checked leniently here
// (a bare id may come from a live list not fetched yet); ApplySettings
// checks them strictly before saving.
func (c *Core) applyRouting(s config.Settings) error {
	r := s.Routing
	// The router's breaker and clock are set once in New; requests may be
	// running, so only the tunables change here.
	c.router.Breaker.Tune(r.BreakerFailures, time.Duration(r.BreakerCooldownSeconds)*time.Second)
	c.router.SetKeyRest(time.Duration(r.KeyRestSeconds) * time.Second)
	return c.catalog.SetAliases(s.Aliases)
}

// checkAliases refuses aliases the catalog cannot route: a cycle, an
// unknown provider, a bare model no provider serves.
func (c *Core) checkAliases(as []catalog.Alias) error {
	if _, err := c.catalog.CheckAliases(as, true); err != nil {
		return fmt.Errorf("aliases: %w", err)
	}
	return nil
}

// aliasModels are the aliases as listing entries, available when any
// model of the chain is.
func (c *Core) aliasModels(keyed func(string) bool) []Model {
	var out []Model
	for _, m := range c.catalog.AliasModels() {
		chain, _ := c.catalog.Chain(m.ID)
		avail := false
		for _, l := range chain {
			avail = avail || keyed(l.Provider)
		}
		out = append(out, Model{Model: m, ProviderName: "ThinkCloud", Available: avail})
	}
	return out
}

// KeyState is one of a provider's keys as Settings and `keys list` show
// it: never the key itself.
type KeyState struct {
	// Label names the key ("default", "work"); for a key from the
	// environment, the variable's name.
	Label string
	// Hint is the masked key.
	Hint string
	// Source is where it is kept (keyring, environment, .env).
	Source string
	// State is "ok", "resting" or "invalid", as this process saw the
	// provider answer it.
	State string
	// Until is when a resting key is used again.
	Until time.Time
	// Reason is the provider's words behind the state.
	Reason string
}

// providerKeys returns the keys requests to provider rotate over: a key
// from the environment or .env alone (it wins, as it always did), else
// every key in the keyring.
func (c *Core) providerKeys(provider string) ([]gateway.Key, []KeyState) {
	key, info := c.Key(provider)
	if key == "" {
		return nil, nil
	}
	if info.Source != secrets.SourceKeyring {
		return []gateway.Key{{Label: info.EnvVar, Value: key}},
			[]KeyState{{Label: info.EnvVar, Hint: info.Hint, Source: string(info.Source)}}
	}
	ks, err := c.secrets.KeyringKeys(provider)
	if err != nil && len(ks) == 0 {
		return []gateway.Key{{Label: secrets.DefaultLabel, Value: key}},
			[]KeyState{{Label: secrets.DefaultLabel, Hint: info.Hint, Source: string(info.Source)}}
	}
	keys := make([]gateway.Key, 0, len(ks))
	states := make([]KeyState, 0, len(ks))
	for _, k := range ks {
		keys = append(keys, gateway.Key{Label: k.Label, Value: k.Value})
		states = append(states, KeyState{Label: k.Label, Hint: secrets.Mask(k.Value), Source: string(secrets.SourceKeyring)})
	}
	return keys, states
}

// Keys returns provider's keys with what this process learned of each.
func (c *Core) Keys(provider string) []KeyState {
	_, states := c.providerKeys(provider)
	labels := make([]string, len(states))
	for i, s := range states {
		labels[i] = s.Label
	}
	for i, h := range c.router.KeyHealth(provider, labels) {
		states[i].State, states[i].Until, states[i].Reason = h.State, h.Until, h.Reason
	}
	return states
}

// AddKey stores key under label for provider (secrets.DefaultLabel is
// the key `keys set` and Settings always saved).
func (c *Core) AddKey(provider, label, key string) error {
	if _, ok := c.catalog.Provider(provider); !ok {
		return fmt.Errorf("unknown provider %q", provider)
	}
	return c.secrets.SetLabeled(provider, label, key)
}

// DeleteLabeledKey removes provider's key of label from the keyring.
func (c *Core) DeleteLabeledKey(provider, label string) error {
	return c.secrets.DeleteLabeled(provider, label)
}

// ProviderHealth returns the breaker's view of provider: closed with no
// failures when it never failed.
func (c *Core) ProviderHealth(provider string) gateway.ProviderHealth {
	for _, h := range c.router.ProviderHealth() {
		if h.Provider == provider {
			return h
		}
	}
	return gateway.ProviderHealth{Provider: provider, State: gateway.CircuitClosed}
}
