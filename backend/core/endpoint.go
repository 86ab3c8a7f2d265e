package core

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"thinkcloud/backend/config"
	"thinkcloud/backend/server"
)

// endpointState is the running endpoint and who wants to hear about it.
type endpointState struct {
	mu       sync.Mutex
	ep       server.Endpoint
	listener func(server.Status)
	// pending is the endpoint a Save asked for and could not get (its
	// port was taken); RetryEndpoint tries it again. Nil when none.
	pending *config.Endpoint
}

// OnEndpointStatus registers fn to hear every endpoint state change (the
// window shows them). Only one listener is kept.
func (c *Core) OnEndpointStatus(fn func(server.Status)) {
	c.endpoint.mu.Lock()
	c.endpoint.listener = fn
	c.endpoint.mu.Unlock()
}

// EndpointStatus returns the endpoint's state.
func (c *Core) EndpointStatus() server.Status { return c.endpoint.ep.Status() }

// endpointConfig is the endpoint part of the settings with this run's
// flag overrides applied.
func (c *Core) endpointConfig() config.Endpoint {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e := c.current.Endpoint
	if c.opts.Host != "" {
		e.Host = c.opts.Host
	}
	if c.opts.Port != 0 {
		e.Port = c.opts.Port
	}
	return e
}

// accessToken is the local token: THINKCLOUD_ACCESS_TOKEN, else the
// keyring's (created on first use when create is set).
func (c *Core) accessToken(create bool) (string, error) {
	if v, ok := c.opts.LookupEnv(TokenEnv); ok && strings.TrimSpace(v) != "" {
		return strings.TrimSpace(v), nil
	}
	return c.secrets.AccessToken(create)
}

// StartEndpoint (re)starts the endpoint with the current settings. When
// the settings switch it off it is stopped and nil is returned.
func (c *Core) StartEndpoint() error {
	c.endpoint.mu.Lock()
	defer c.endpoint.mu.Unlock()
	cfg := c.endpointConfig()
	c.mu.RLock()
	forced := c.opts.Port != 0 || c.opts.Host != ""
	c.mu.RUnlock()
	return c.startLocked(cfg, forced)
}

// startLocked (re)starts the endpoint with cfg. Callers hold endpoint.mu.
func (c *Core) startLocked(cfg config.Endpoint, forced bool) error {
	if !cfg.Enabled && !forced {
		c.endpoint.ep.Stop(context.Background())
		c.notify()
		return nil
	}
	h, err := c.handler(cfg)
	if err != nil {
		c.endpoint.ep.Stop(context.Background())
		c.notify()
		return err
	}
	err = c.endpoint.ep.Start(cfg.Host, cfg.Port, h)
	c.notify()
	return err
}

// Handler returns the endpoint's handler for the current settings, the
// same one StartEndpoint serves (tests mount it on httptest servers).
func (c *Core) Handler() (http.Handler, error) {
	return c.handler(c.endpointConfig())
}

func (c *Core) handler(cfg config.Endpoint) (http.Handler, error) {
	guard := server.Guard{
		RequireToken:       cfg.RequireToken,
		AllowedOrigins:     cfg.AllowedOrigins,
		AllowedHosts:       cfg.AllowedHosts,
		RateLimitPerMinute: cfg.RateLimitPerMinute,
	}
	if !server.IsLoopback(cfg.Host) {
		// Anyone on the network could spend the user's money otherwise.
		tok, err := c.accessToken(true)
		if err != nil || tok == "" {
			return nil, fmt.Errorf("listening on %s (beyond this machine) requires an access token, and none could be made: %v; set %s or unlock the keyring", cfg.Host, err, TokenEnv)
		}
		guard.RequireToken, guard.AnyHost = true, true
	}
	if guard.RequireToken {
		guard.Token = func() string { t, _ := c.accessToken(false); return t }
		if _, err := c.accessToken(true); err != nil {
			return nil, fmt.Errorf("require access token is on, but the token cannot be read: %w", err)
		}
	}
	return server.New(server.Options{
		Router: c.router, Catalog: c.catalog, HasKey: c.HasKey, Available: c.availableModels, Version: c.opts.Version,
		Guard: guard, Logger: c.opts.Logger,
		Responses: c.responses, Sealer: c.sealer, DropHostedTools: cfg.DropHostedTools,
		RefreshModels: func() { go c.RefreshModels(context.Background(), nil) },
		ClaudeModel:   c.ClaudeModel,
		Tokens:        c.tokensNow, Meter: c.meter, Usage: c.recordEndpoint, MetricsOn: c.metricsOn.Load,
	}), nil
}

// notify tells the listener the current state. Callers hold endpoint.mu.
func (c *Core) notify() {
	if c.endpoint.listener != nil {
		c.endpoint.listener(c.endpoint.ep.Status())
	}
}

// StopEndpoint stops the endpoint, letting requests finish for up to 5
// seconds or until ctx ends.
func (c *Core) StopEndpoint(ctx context.Context) error {
	c.endpoint.mu.Lock()
	defer c.endpoint.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	err := c.endpoint.ep.Stop(ctx)
	c.notify()
	if errors.Is(err, context.DeadlineExceeded) {
		return nil // remaining connections were closed
	}
	return err
}

// ApplySettings validates and saves s, then applies it at once: custom
// providers reach the catalog, aliases and routing the gateway, and the
// endpoint restarts if its part changed. Only what works is saved: when
// the new endpoint cannot start (its port is taken), the running one keeps
// serving, the rest of s is saved with the endpoint part as it was, the
// wanted endpoint is kept for RetryEndpoint, and the error says why.
func (c *Core) ApplySettings(s config.Settings) error {
	if err := c.checkAliases(s.Aliases); err != nil {
		return err
	}
	// Tokens change only through the token methods: a window holding an
	// older copy of the settings must not bring a revoked token back.
	s.Endpoint.Tokens = c.tokensNow()
	c.mu.RLock()
	old := c.current
	c.mu.RUnlock()
	if endpointEqual(old.Endpoint, s.Endpoint) {
		return c.saveAndApply(s)
	}
	c.endpoint.mu.Lock()
	defer c.endpoint.mu.Unlock()
	// --host/--port hold for this run until the user picks an endpoint in
	// Settings; then the saved choice wins.
	c.mu.Lock()
	flagHost, flagPort := c.opts.Host, c.opts.Port
	c.opts.Host, c.opts.Port = "", 0
	c.mu.Unlock()
	epErr := c.startLocked(s.Endpoint, false)
	if epErr != nil {
		wanted := s.Endpoint
		c.endpoint.pending = &wanted
		s.Endpoint = old.Endpoint
		c.mu.Lock()
		c.opts.Host, c.opts.Port = flagHost, flagPort
		c.mu.Unlock()
	} else {
		c.endpoint.pending = nil
	}
	if err := c.saveAndApply(s); err != nil {
		return err
	}
	return epErr
}

func (c *Core) saveAndApply(s config.Settings) error {
	if err := c.settings.Save(s); err != nil {
		return err
	}
	c.mu.Lock()
	old := c.current
	c.current = s
	c.mu.Unlock()
	c.applyUsage(old, s)
	if err := c.applyCustom(s); err != nil {
		return err
	}
	return c.applyRouting(s)
}

// RetryEndpoint tries again what failed: the endpoint a Save asked for
// (saved once it starts), else the saved one (its port was taken at
// start-up). The error says why when it still cannot start.
func (c *Core) RetryEndpoint() error {
	c.endpoint.mu.Lock()
	pending := c.endpoint.pending
	c.endpoint.mu.Unlock()
	if pending == nil {
		return c.StartEndpoint()
	}
	s := c.Current()
	s.Endpoint = *pending
	return c.ApplySettings(s)
}

func endpointEqual(a, b config.Endpoint) bool {
	return a.Enabled == b.Enabled && a.Host == b.Host && a.Port == b.Port && a.RequireToken == b.RequireToken &&
		a.RateLimitPerMinute == b.RateLimitPerMinute && strings.Join(a.AllowedOrigins, "\n") == strings.Join(b.AllowedOrigins, "\n") &&
		strings.Join(a.AllowedHosts, "\n") == strings.Join(b.AllowedHosts, "\n") &&
		strings.Join(a.DropHostedTools, "\n") == strings.Join(b.DropHostedTools, "\n")
}
