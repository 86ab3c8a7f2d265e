package catalog

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Alias is a name the user gave to one model or to an ordered fallback
// chain of models ("coder" → kimi/kimi-k2.7-code, deepseek/deepseek-v4-pro).
// Resolution reads aliases before anything else, so an alias may take over
// a model id (a retired one, say); the model itself stays reachable as
// "provider/id".
type Alias struct {
	// Name is what clients send as "model"; no spaces, no "/".
	Name string `json:"name"`
	// Models are the chain, first choice first: "provider/model" names,
	// bare model ids, or other aliases (expanded in place).
	Models []string `json:"models"`
}

// MaxChain bounds a chain after expansion: every link may cost one
// provider round trip before the client hears anything.
const MaxChain = 8

// ErrBadAlias wraps every alias validation failure.
var ErrBadAlias = errors.New("invalid alias")

// CheckAliases validates aliases and returns them with nested aliases
// expanded and repeated links dropped. It refuses an empty or malformed
// name, a name used twice, an empty chain, a "provider/model" link whose
// provider does not exist, a cycle, and (with strict) a bare link that is
// neither an alias nor a model the catalog knows now. Strict is for a
// user saving settings; loading stays lenient because a bare id may come
// from a live list that is not fetched yet.
func (c *Catalog) CheckAliases(aliases []Alias, strict bool) ([]Alias, error) {
	byName := map[string]Alias{}
	for _, a := range aliases {
		if err := aliasName(a.Name); err != nil {
			return nil, fmt.Errorf("%w %q: %v", ErrBadAlias, a.Name, err)
		}
		if _, dup := byName[a.Name]; dup {
			return nil, fmt.Errorf("%w %q: defined twice", ErrBadAlias, a.Name)
		}
		if len(a.Models) == 0 {
			return nil, fmt.Errorf("%w %q: names no model", ErrBadAlias, a.Name)
		}
		byName[a.Name] = a
	}
	out := make([]Alias, 0, len(aliases))
	for _, a := range aliases {
		links, err := c.expand(a.Name, byName, []string{a.Name}, strict)
		if err != nil {
			return nil, fmt.Errorf("%w %q: %v", ErrBadAlias, a.Name, err)
		}
		if len(links) > MaxChain {
			return nil, fmt.Errorf("%w %q: %d models after expansion; at most %d", ErrBadAlias, a.Name, len(links), MaxChain)
		}
		out = append(out, Alias{Name: a.Name, Models: links})
	}
	return out, nil
}

// expand flattens alias name into model names; path is the aliases being
// expanded, to name a cycle. It takes c.mu itself, through Provider and
// Lookup.
func (c *Catalog) expand(name string, byName map[string]Alias, path []string, strict bool) ([]string, error) {
	var out []string
	for _, link := range byName[name].Models {
		if strings.TrimSpace(link) != link || link == "" {
			return nil, fmt.Errorf("model %q: must be a non-empty name without surrounding spaces", link)
		}
		if _, isAlias := byName[link]; isAlias {
			if slices.Contains(path, link) {
				return nil, fmt.Errorf("cycle %s → %s; to reach a model an alias hides, write provider/model", strings.Join(path, " → "), link)
			}
			sub, err := c.expand(link, byName, append(slices.Clone(path), link), strict)
			if err != nil {
				return nil, err
			}
			out = append(out, sub...)
			continue
		}
		if pid, rest, ok := strings.Cut(link, "/"); ok {
			if _, known := c.Provider(pid); !known || rest == "" {
				return nil, fmt.Errorf("model %q: unknown provider %q", link, pid)
			}
		} else if _, err := c.Lookup(link); strict && err != nil {
			return nil, fmt.Errorf("model %q: no provider serves it; write provider/model", link)
		}
		out = append(out, link)
	}
	return uniq(out), nil
}

func uniq(s []string) []string {
	seen := map[string]bool{}
	return slices.DeleteFunc(s, func(v string) bool {
		if seen[v] {
			return true
		}
		seen[v] = true
		return false
	})
}

func aliasName(n string) error {
	switch {
	case n == "":
		return errors.New("the name is empty")
	case strings.ContainsAny(n, "/ \t\r\n"):
		return errors.New("the name may not contain spaces or \"/\" (that form means provider/model)")
	case len(n) > 128:
		return errors.New("the name is longer than 128 characters")
	}
	return nil
}

// SetAliases replaces the user's aliases after checking them leniently
// (see CheckAliases).
func (c *Catalog) SetAliases(aliases []Alias) error {
	checked, err := c.CheckAliases(aliases, false)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.aliases = map[string]Alias{}
	c.aliasOrder = c.aliasOrder[:0]
	for _, a := range checked {
		c.aliases[a.Name] = a
		c.aliasOrder = append(c.aliasOrder, a.Name)
	}
	return nil
}

// Aliases returns the user's aliases, expanded, in settings order.
func (c *Catalog) Aliases() []Alias {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]Alias, 0, len(c.aliasOrder))
	for _, n := range c.aliasOrder {
		a := c.aliases[n]
		out = append(out, Alias{Name: a.Name, Models: slices.Clone(a.Models)})
	}
	return out
}

// Alias returns the alias called name, expanded.
func (c *Catalog) Alias(name string) (Alias, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	a, ok := c.aliases[name]
	a.Models = slices.Clone(a.Models)
	return a, ok
}

// Chain resolves name to the models to try, in order: an alias's links
// that resolve (a link no provider serves any more, or a retired one, is
// left out), or the one model name resolves to (its error, a retirement
// included, as Resolve gives it). It is the one place aliases are read,
// so every door and the window route them alike; aliases come before
// retirement, so an alias may map a retired id to its successor.
func (c *Catalog) Chain(name string) ([]Model, error) {
	if chain, ok := c.aliasChain(name); ok {
		return chain, nil
	}
	if _, ok := c.Alias(name); ok {
		return nil, fmt.Errorf("alias %q: none of its models resolves: %w", name, ErrUnknownModel)
	}
	m, err := c.resolveModel(name)
	if err != nil {
		return nil, err
	}
	return []Model{m}, nil
}

// aliasChain resolves alias name's links; ok is false when name is no
// alias or none of its links resolves.
func (c *Catalog) aliasChain(name string) ([]Model, bool) {
	a, isAlias := c.Alias(name)
	if !isAlias {
		return nil, false
	}
	var out []Model
	for _, link := range a.Models {
		if m, err := c.resolveModel(link); err == nil {
			out = append(out, m)
		}
	}
	return out, len(out) > 0
}

// AliasModels returns one listing entry per alias whose chain resolves:
// the first model's data under the alias's name, with Chain set.
func (c *Catalog) AliasModels() []Model {
	var out []Model
	for _, a := range c.Aliases() {
		chain, err := c.Chain(a.Name)
		if err != nil {
			continue
		}
		m := chain[0]
		m.ID, m.Name, m.Source, m.Retired = a.Name, "", SourceAlias, false
		for _, l := range chain {
			m.Chain = append(m.Chain, l.Provider+"/"+l.Upstream)
		}
		out = append(out, m)
	}
	return out
}
