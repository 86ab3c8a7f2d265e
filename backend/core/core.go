// Package core is ThinkCloud without a window: settings, keys, the model
// catalog, the router and the local endpoint, wired together. `serve`
// runs it alone; the window runs it and binds desktop services to it.
package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/config"
	"thinkcloud/backend/gateway"
	"thinkcloud/backend/gateway/responses"
	"thinkcloud/backend/secrets"
	"thinkcloud/backend/tokens"
	"thinkcloud/backend/usage"
)

// TokenEnv holds the local access token on machines without a keyring
// (headless servers); it wins over the keyring like provider key vars do.
const TokenEnv = "THINKCLOUD_ACCESS_TOKEN"

// Options locate ThinkCloud's files and inject what tests replace. Zero
// values mean the real thing.
type Options struct {
	// SettingsFile is settings.json; empty means under the XDG config dir.
	SettingsFile string
	// CacheDir holds fetched model lists; empty disables that cache.
	CacheDir string
	// DotEnvFile is read for keys like the original ThinkCloud server
	// did; empty means ".env" in the working directory. A missing file is
	// fine.
	DotEnvFile string
	// LookupEnv reads environment variables; nil means os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// Keyring replaces the OS keyring (tests); nil means the OS keyring.
	Keyring secrets.Keyring
	// Logger receives request and status lines; nil discards.
	Logger *slog.Logger
	// Version is reported by the endpoint.
	Version string
	// Host and Port override the settings for this run only (flags).
	Host string
	Port int
	// Backoff is the router's first retry wait; zero means its default
	// (tests make retries fast).
	Backoff time.Duration
	// UsageFile is the request log's SQLite file; empty means no request
	// log (tests that do not look at it).
	UsageFile string
	// WrapTransport, when set, wraps the transport of every provider
	// client (tests trace connections with it).
	WrapTransport func(http.RoundTripper) http.RoundTripper
	// Catalog replaces the built-in catalog (tests with models of their
	// own); nil means catalog.Builtin.
	Catalog *catalog.Catalog
	// Now is the clock of the circuit breaker and resting keys; nil
	// means time.Now (tests move a fake one).
	Now func() time.Time
}

// Core owns the long-lived parts. Create it with New, end it with Close.
type Core struct {
	opts     Options
	catalog  *catalog.Catalog
	secrets  *secrets.Store
	settings *config.Store
	router   *gateway.Router
	notice   string // see Notice
	noticeOf *config.Notice

	mu       sync.RWMutex
	current  config.Settings
	clients  map[string]*http.Client // by proxy setting
	endpoint endpointState

	// The /v1/responses state outlives endpoint restarts: responses kept
	// for previous_response_id, and the sealer of reasoning.
	responses *responses.Store
	sealer    *responses.Sealer

	// The request log (nil when off, usageErr saying why) and the meter
	// of the named tokens' rates and budgets; tokenFile stamps the
	// settings file tokensNow last read.
	usage    *usage.Log
	usageErr string
	// usageOff and metricsOn are Settings.Usage's switches now (applyUsage);
	// pruning is a prune the new limits started.
	usageOff  atomic.Bool
	metricsOn atomic.Bool
	pruning   sync.WaitGroup
	meter     *tokens.Meter
	tokenFile atomic.Value
}

// New loads settings, keys and the catalog. It does no network I/O and
// touches the keyring only lazily, when a key is first needed.
func New(opts Options) (*Core, error) {
	if opts.LookupEnv == nil {
		opts.LookupEnv = os.LookupEnv
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.DotEnvFile == "" {
		opts.DotEnvFile = ".env"
	}
	cat := opts.Catalog
	if cat == nil {
		var err error
		if cat, err = catalog.Builtin(); err != nil {
			return nil, err
		}
	}
	if opts.SettingsFile == "" {
		path, err := config.DefaultPath()
		if err != nil {
			return nil, fmt.Errorf("locate settings: %w", err)
		}
		opts.SettingsFile = path
	}
	store := config.NewStore(opts.SettingsFile)
	settings, notice, err := store.Load()
	if err != nil {
		return nil, fmt.Errorf("load settings: %w", err)
	}
	dotenv, err := secrets.LoadDotEnv(opts.DotEnvFile)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		opts.Logger.Warn("ignoring .env file", "file", opts.DotEnvFile, "error", err)
	}
	c := &Core{
		opts:     opts,
		catalog:  cat,
		settings: store,
		secrets: secrets.NewStore(secrets.Options{
			Keyring: opts.Keyring, LookupEnv: opts.LookupEnv, DotEnv: dotenv,
		}),
		clients: map[string]*http.Client{},
		current: settings,
	}
	// Providers' words reach the log too; no key may ride along.
	c.opts.Logger = slog.New(secrets.RedactingHandler(opts.Logger.Handler(), c.secrets.Redact))
	if notice != nil {
		c.notice, c.noticeOf = notice.Message, notice
		c.opts.Logger.Warn("settings problem", "notice", c.notice)
	}
	c.responses = &responses.Store{}
	c.sealer = responses.NewSealer(c.reasoningKey)
	c.router = &gateway.Router{Catalog: cat, Upstream: c.upstream, UserAgent: "ThinkCloud/" + opts.Version, Backoff: opts.Backoff, Redact: c.secrets.Redact,
		KeepEffort: func() bool { return c.Current().Endpoint.KeepReasoningEffort },
		Breaker:    &gateway.Breaker{Now: opts.Now}, Now: opts.Now}
	if err := c.applyCustom(settings); err != nil {
		c.opts.Logger.Warn("custom providers", "error", err)
	}
	if err := c.applyRouting(settings); err != nil {
		c.opts.Logger.Warn("aliases", "error", err)
	}
	c.loadModelCache()
	c.meter = &tokens.Meter{}
	c.tokenFile.Store(fileStamp(opts.SettingsFile))
	c.openUsage()
	return c, nil
}

// Current returns the settings in force.
func (c *Core) Current() config.Settings {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.current
}

// Logger is where core and endpoint log.
func (c *Core) Logger() *slog.Logger { return c.opts.Logger }

// Close stops the endpoint, then writes what the request log holds.
func (c *Core) Close(ctx context.Context) error {
	err := c.StopEndpoint(ctx)
	if c.usage != nil {
		c.pruning.Wait()
		c.usage.Close()
	}
	return err
}

// cacheFile is the model-list cache of provider.
func (c *Core) modelCache() catalog.Cache { return catalog.Cache{Dir: c.opts.CacheDir} }

// loadModelCache merges lists fetched in earlier runs, so the picker shows
// them before the network answers.
func (c *Core) loadModelCache() {
	if c.opts.CacheDir == "" {
		return
	}
	for _, p := range c.catalog.Providers() {
		if ms, _, err := c.modelCache().Load(p.ID); err == nil {
			c.catalog.SetLive(p.ID, ms)
		}
	}
}
