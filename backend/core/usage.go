package core

import (
	"context"
	"time"

	"thinkcloud/backend/config"
	"thinkcloud/backend/gateway"
	"thinkcloud/backend/tokens"
	"thinkcloud/backend/usage"
)

// openUsage opens the request log and seeds the token budgets from it. A
// log that cannot open (a read-only disk) leaves the app working without
// one; UsageHealth says why. It opens when logging is switched off too:
// nothing is recorded then, but the dashboard still reads the rows kept,
// and switching it on in Settings takes effect at once.
func (c *Core) openUsage() {
	c.usageOff.Store(c.current.Usage.Disabled)
	c.metricsOn.Store(c.current.Usage.Metrics)
	if c.opts.UsageFile == "" {
		return
	}
	l, err := usage.Open(c.opts.UsageFile, usage.Options{Retention: c.current.Usage.Retention(), MaxBytes: c.current.Usage.MaxBytes()})
	if err != nil {
		c.usageErr = err.Error()
		c.opts.Logger.Warn("request log off", "error", err)
		return
	}
	c.usage = l
	now := time.Now()
	for _, period := range []string{"month", "day"} {
		spend, err := l.Spend(context.Background(), tokens.PeriodStart(period, now))
		if err != nil {
			c.opts.Logger.Warn("request log: reading spend", "error", err)
			return
		}
		for id, costs := range spend {
			c.meter.Seed(id, period, now, costs)
		}
	}
}

// UsageLog is the request log, nil when it is off.
func (c *Core) UsageLog() *usage.Log { return c.usage }

// UsageHealth says whether the request log is keeping up, for
// diagnostics.
type UsageHealth struct {
	usage.Health
	// Off is true when there is no log; Reason says why (switched off,
	// or the file could not open).
	Off    bool   `json:"off"`
	Reason string `json:"reason,omitempty"`
}

// UsageStatus reports on the request log.
func (c *Core) UsageStatus() UsageHealth {
	if c.usage != nil && c.usageOff.Load() {
		return UsageHealth{Health: c.usage.Health(), Off: true, Reason: "the request log is switched off"}
	}
	if c.usage == nil {
		why := c.usageErr
		if why == "" {
			why = "the request log is switched off"
		}
		return UsageHealth{Off: true, Reason: why}
	}
	return UsageHealth{Health: c.usage.Health()}
}

// RecordWindow logs a request of the desktop chat, pricing it from the
// catalog. It never blocks.
func (c *Core) RecordWindow(r usage.Record) {
	if c.usage == nil || c.usageOff.Load() {
		return
	}
	r.Door, r.Token = usage.DoorWindow, usage.TokenWindow
	if m, err := c.catalog.Resolve(r.Model); err == nil && len(r.Costs) == 0 {
		r.Provider = m.Provider
		r.Price(m)
	}
	c.usage.Add(r)
}

// Balance asks a provider for the money left on its account (DeepSeek
// and Kimi publish it); a provider without a balance endpoint, or
// without a key, is an error saying so.
func (c *Core) Balance(ctx context.Context, provider string) ([]gateway.Balance, error) {
	b, e := c.router.Balance(ctx, provider)
	if e != nil {
		return nil, e
	}
	return b, nil
}

// HasBalance tells whether provider publishes its balance.
func (c *Core) HasBalance(provider string) bool {
	p, ok := c.catalog.Provider(provider)
	return ok && p.Balance != nil
}

// recordEndpoint is the endpoint's request log (server.Options.Usage).
func (c *Core) recordEndpoint(r usage.Record) {
	if !c.usageOff.Load() {
		c.usage.Add(r) // a nil log drops it
	}
}

// applyUsage applies Settings.Usage at once: the switches, and new
// limits to the rows already kept (pruned beside the request, since a
// large log takes a while).
func (c *Core) applyUsage(old, s config.Settings) {
	c.usageOff.Store(s.Usage.Disabled)
	c.metricsOn.Store(s.Usage.Metrics)
	if c.usage == nil || (old.Usage.Retention() == s.Usage.Retention() && old.Usage.MaxBytes() == s.Usage.MaxBytes()) {
		return
	}
	c.usage.SetLimits(s.Usage.Retention(), s.Usage.MaxBytes())
	c.pruning.Add(1)
	go func() {
		defer c.pruning.Done()
		if _, err := c.usage.Prune(context.Background()); err != nil {
			c.opts.Logger.Warn("request log: pruning to the new limits", "error", err)
		}
	}()
}
