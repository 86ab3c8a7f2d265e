package core

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"time"

	"thinkcloud/backend/config"
	"thinkcloud/backend/tokens"
	"thinkcloud/backend/usage"
)

// AccessToken is a named token of a local tool, without its secret.
type AccessToken = config.AccessToken

// TokenLimits are what a token may do; see config.AccessToken.
type TokenLimits struct {
	// Models is the allow-list; empty allows every model.
	Models []string `json:"models"`
	// RPM caps requests per minute; 0 means none.
	RPM int `json:"rpm"`
	// Budget is "5USD/month" or "20CNY/day"; "" means none.
	Budget string `json:"budget"`
}

// TokenInfo is a token as the token list shows it.
type TokenInfo struct {
	AccessToken
	// BudgetText is Budget as "5USD/month".
	BudgetText string `json:"budgetText"`
	// Stats come from the request log (zero when it is off).
	Stats usage.TokenStats `json:"stats"`
	// SpentThisPeriod is what the budget has counted so far in its period.
	SpentThisPeriod float64 `json:"spentThisPeriod"`
}

func (l TokenLimits) apply(t *config.AccessToken) error {
	t.Models, t.RPM, t.Budget = slices.DeleteFunc(slices.Clone(l.Models), func(s string) bool { return s == "" }), l.RPM, nil
	if l.RPM < 0 {
		return fmt.Errorf("rpm must be 0 (no limit) or positive")
	}
	if l.Budget != "" {
		b, err := tokens.ParseBudget(l.Budget)
		if err != nil {
			return err
		}
		t.Budget = b
	}
	return nil
}

// CreateToken makes a named token and returns its secret, which is shown
// this once and stored nowhere.
func (c *Core) CreateToken(name string, limits TokenLimits) (string, AccessToken, error) {
	secret, t, err := tokens.New(name, time.Now())
	if err != nil {
		return "", t, err
	}
	if err := limits.apply(&t); err != nil {
		return "", t, err
	}
	err = c.updateTokens(func(ts []config.AccessToken) ([]config.AccessToken, error) {
		if _, ok := (config.Endpoint{Tokens: ts}).Token(t.Name); ok {
			return nil, fmt.Errorf("a token named %s exists; pick another name or revoke it first", strconv.Quote(t.Name))
		}
		return append(ts, t), nil
	})
	if err != nil {
		return "", t, err
	}
	return secret, t, nil
}

// RenameToken renames a token; its log and limits stay with it.
func (c *Core) RenameToken(old, name string) error {
	return c.updateToken(old, func(t *config.AccessToken, ts []config.AccessToken) error {
		if _, ok := (config.Endpoint{Tokens: ts}).Token(name); ok && name != old {
			return fmt.Errorf("a token named %s exists", strconv.Quote(name))
		}
		if name == "" {
			return fmt.Errorf("a token needs a name")
		}
		t.Name = name
		return nil
	})
}

// SetTokenLimits replaces a token's limits.
func (c *Core) SetTokenLimits(name string, limits TokenLimits) error {
	return c.updateToken(name, func(t *config.AccessToken, _ []config.AccessToken) error { return limits.apply(t) })
}

// RevokeToken deletes a token: the next request carrying it is refused
// (or anonymous, when no token is required). Its log rows stay.
func (c *Core) RevokeToken(name string) error {
	return c.updateTokens(func(ts []config.AccessToken) ([]config.AccessToken, error) {
		i := slices.IndexFunc(ts, func(t config.AccessToken) bool { return t.Name == name })
		if i < 0 {
			return nil, fmt.Errorf("no token named %s", strconv.Quote(name))
		}
		return slices.Delete(ts, i, i+1), nil
	})
}

// Tokens lists the named tokens with their use.
func (c *Core) Tokens(ctx context.Context) ([]TokenInfo, error) {
	ts := c.tokensNow()
	var stats map[string]usage.TokenStats
	if c.usage != nil {
		var err error
		if stats, err = c.usage.ByToken(ctx); err != nil {
			return nil, err
		}
	}
	out := make([]TokenInfo, 0, len(ts))
	for _, t := range ts {
		info := TokenInfo{AccessToken: t, BudgetText: tokens.FormatBudget(t.Budget), Stats: stats[t.ID]}
		if t.Budget != nil {
			info.SpentThisPeriod = c.meter.Spent(t.ID, t.Budget)
		}
		out = append(out, info)
	}
	return out, nil
}

func (c *Core) updateToken(name string, fn func(t *config.AccessToken, all []config.AccessToken) error) error {
	return c.updateTokens(func(ts []config.AccessToken) ([]config.AccessToken, error) {
		i := slices.IndexFunc(ts, func(t config.AccessToken) bool { return t.Name == name })
		if i < 0 {
			return nil, fmt.Errorf("no token named %s", strconv.Quote(name))
		}
		ts = slices.Clone(ts)
		return ts, fn(&ts[i], ts)
	})
}

// updateTokens changes the token list in settings.json (read fresh, so a
// token another process made is kept) and in force at once.
func (c *Core) updateTokens(fn func([]config.AccessToken) ([]config.AccessToken, error)) error {
	st, _, err := c.settings.Update(func(s *config.Settings) error {
		ts, err := fn(slices.Clone(s.Endpoint.Tokens))
		if err != nil {
			return err
		}
		s.Endpoint.Tokens = ts
		return s.Validate()
	})
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.current.Endpoint.Tokens = st.Endpoint.Tokens
	c.mu.Unlock()
	c.tokenFile.Store(fileStamp(c.opts.SettingsFile))
	return nil
}

// tokensNow is the token list in force. When settings.json changed on
// disk since (`thinkcloud tokens revoke` while the app runs), its tokens
// are read again, so a revoke anywhere holds from the next request. The
// check is one stat per request.
func (c *Core) tokensNow() []config.AccessToken {
	stamp := fileStamp(c.opts.SettingsFile)
	if old, _ := c.tokenFile.Load().(string); stamp != old {
		c.tokenFile.Store(stamp)
		if st, _, err := c.settings.Load(); err == nil {
			c.mu.Lock()
			c.current.Endpoint.Tokens = st.Endpoint.Tokens
			c.mu.Unlock()
		}
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.current.Endpoint.Tokens
}

func fileStamp(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return ""
	}
	return fi.ModTime().String() + "/" + strconv.FormatInt(fi.Size(), 10)
}
