package desktop

import (
	"context"
	"errors"
	"time"

	"thinkcloud/backend/core"
	"thinkcloud/backend/gateway"
	"thinkcloud/backend/internal/atomicfile"
	"thinkcloud/backend/usage"
)

// UsageService is bound to the window: the query API of the usage
// dashboard, over the request log (usage.db). Every method takes a
// usage.Filter: Since/Until bound the time (RFC 3339 strings in the
// window; zero means unbounded), Door/Token/Provider/Model match exactly,
// Status is "ok", "error" or "". Group keys (by) are "model", "provider",
// "token", "door" or "" for one group; buckets are "hour", "day", "week"
// (starting Monday) or "month", all in UTC. Money is per currency: a
// total never adds USD to CNY, and rows without a price have currency "".
// Durations are nanoseconds. When the log is off every method returns an
// error saying why (Health says it without failing).
type UsageService struct {
	core *core.Core
	base context.Context
	// started gates core until Services.Start (nil: core is set).
	started *started
	// files shows the CSV export's save dialog (nil: none).
	files FileChooser
	ops   atomicfile.Ops
}

// NewUsageService returns the usage service.
func NewUsageService(base context.Context, c *core.Core) *UsageService {
	return &UsageService{core: c, base: base, ops: atomicfile.OS()}
}

func (s *UsageService) log() (*usage.Log, error) {
	if err := s.started.wait(s.base); err != nil {
		return nil, err
	}
	l := s.core.UsageLog()
	if l == nil {
		return nil, errors.New("no request log: " + s.core.UsageStatus().Reason)
	}
	return l, nil
}

// Totals sums requests, errors, tokens and cost per group and currency,
// largest cost first: the dashboard's totals and its stacked legends.
func (s *UsageService) Totals(f usage.Filter, by string) ([]usage.Total, error) {
	l, err := s.log()
	if err != nil {
		return nil, err
	}
	return l.Totals(s.base, f, by)
}

// Series is Totals per time bucket, oldest first: spend, tokens, requests
// and errors over time, stacked by group.
func (s *UsageService) Series(f usage.Filter, bucket, by string) ([]usage.Point, error) {
	l, err := s.log()
	if err != nil {
		return nil, err
	}
	return l.Series(s.base, f, bucket, by)
}

// Latencies gives p50/p95 of latency and time to first token per group,
// over successful requests.
func (s *UsageService) Latencies(f usage.Filter, by string) ([]usage.Latency, error) {
	l, err := s.log()
	if err != nil {
		return nil, err
	}
	return l.Latencies(s.base, f, by)
}

// Requests is a page of the filtered rows, newest first: limit rows
// (1..1000, 0 means 100) older than row id before (0: from the newest).
// Page.Next is the before of the next page, 0 after the last. A row holds
// everything the details view shows; there are no prompts or answers.
func (s *UsageService) Requests(f usage.Filter, before int64, limit int) (usage.Page, error) {
	l, err := s.log()
	if err != nil {
		return usage.Page{}, err
	}
	return l.Requests(s.base, f, before, limit)
}

// Health says whether the log is on and keeping up (drops, a full disk).
func (s *UsageService) Health() (core.UsageHealth, error) {
	if err := s.started.wait(s.base); err != nil {
		return core.UsageHealth{}, err
	}
	return s.core.UsageStatus(), nil
}

// NewToken is a token just made, with its secret: the only time the
// secret is ever shown.
type NewToken struct {
	Secret string           `json:"secret"`
	Token  core.AccessToken `json:"token"`
}

// Tokens lists the named access tokens with their use (Settings → Local
// endpoint).
func (s *SettingsService) Tokens() ([]core.TokenInfo, error) {
	if err := s.started.wait(s.base); err != nil {
		return nil, err
	}
	return s.core.Tokens(s.base)
}

// CreateToken makes a named token; the secret in the result is shown once.
func (s *SettingsService) CreateToken(name string, limits core.TokenLimits) (NewToken, error) {
	if err := s.started.wait(s.base); err != nil {
		return NewToken{}, err
	}
	secret, t, err := s.core.CreateToken(name, limits)
	if err != nil {
		return NewToken{}, err
	}
	return NewToken{Secret: secret, Token: t}, nil
}

// RenameToken renames a token; its history stays with it.
func (s *SettingsService) RenameToken(old, name string) error {
	if err := s.started.wait(s.base); err != nil {
		return err
	}
	return s.core.RenameToken(old, name)
}

// SetTokenLimits replaces a token's model list, rate and budget.
func (s *SettingsService) SetTokenLimits(name string, limits core.TokenLimits) error {
	if err := s.started.wait(s.base); err != nil {
		return err
	}
	return s.core.SetTokenLimits(name, limits)
}

// RevokeToken deletes a token; its next request is refused.
func (s *SettingsService) RevokeToken(name string) error {
	if err := s.started.wait(s.base); err != nil {
		return err
	}
	return s.core.RevokeToken(name)
}

// Balance asks a provider for its account's balance, one entry per
// currency (the provider card's "Balance", on demand; up to 10 seconds).
func (s *SettingsService) Balance(provider string) ([]gateway.Balance, error) {
	if err := s.started.wait(s.base); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(s.base, 10*time.Second)
	defer cancel()
	return s.core.Balance(ctx, provider)
}
