package core

import (
	"strings"

	"thinkcloud/backend/catalog"
)

// ClaudeModel maps a Claude model name, as Claude Code and other Anthropic
// clients send it ("claude-sonnet-4-5-20250929"), to the model that
// answers it: the user's choice for its tier in Settings, else the first
// of the catalog's suggestions whose provider can be called, else the
// first suggestion (whose call then says which key is missing). ok is
// false for a name that is not a Claude name.
func (c *Core) ClaudeModel(name string) (model string, ok bool) {
	tier := ClaudeTier(name)
	if tier == "" {
		return "", false
	}
	if m := c.Current().ClaudeModels.Tier(tier); m != "" {
		return m, true
	}
	suggested := c.catalog.ClaudeTier(tier)
	for _, m := range suggested {
		if got, err := c.catalog.Resolve(m); err == nil && c.HasKey(got.Provider) {
			return m, true
		}
	}
	if len(suggested) > 0 {
		return suggested[0], true
	}
	return "", false
}

// ClaudeTier returns the tier of a Claude model name ("opus", "sonnet" or
// "haiku"), or "" for a name that is not a Claude name. A Claude name of
// no known tier ("claude-2.1") is taken as sonnet, the middle one.
func ClaudeTier(name string) string {
	n := strings.ToLower(name)
	if !strings.HasPrefix(n, "claude") {
		return ""
	}
	for _, t := range []string{catalog.TierOpus, catalog.TierHaiku, catalog.TierSonnet} {
		if strings.Contains(n, t) {
			return t
		}
	}
	return catalog.TierSonnet
}
