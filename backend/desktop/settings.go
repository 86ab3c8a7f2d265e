package desktop

import (
	"context"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/config"
	"thinkcloud/backend/core"
	"thinkcloud/backend/secrets"
	"thinkcloud/backend/server"
)

// SettingsService is bound to the window: settings, provider keys (which
// go to the keyring and never come back, only their hint), and the local
// endpoint.
type SettingsService struct {
	core *core.Core
	emit Emit
	base context.Context
	// started gates core until Services.Start (nil: core is set).
	started *started
}

// NewSettingsService returns the settings service.
func NewSettingsService(base context.Context, c *core.Core, emit Emit) *SettingsService {
	return &SettingsService{core: c, emit: emit, base: base}
}

// SettingsView is the settings plus a problem met while loading them.
type SettingsView struct {
	Settings config.Settings `json:"settings"`
	Notice   string          `json:"notice"`
}

// ProviderView is one provider on the settings screen.
type ProviderView struct {
	ID             string           `json:"id"`
	Name           string           `json:"name"`
	Custom         bool             `json:"custom"`
	Enabled        bool             `json:"enabled"`
	BaseURL        string           `json:"baseURL"`
	DefaultBaseURL string           `json:"defaultBaseURL"`
	Region         string           `json:"region"`
	Regions        []catalog.Region `json:"regions"`
	Proxy          config.Proxy     `json:"proxy"`
	Key            secrets.KeyInfo  `json:"key"`
	ModelCount     int              `json:"modelCount"`
}

// TestResult is the answer of a provider's /models to its key.
type TestResult struct {
	OK         bool   `json:"ok"`
	LatencyMs  int64  `json:"latencyMs"`
	ModelCount int    `json:"modelCount"`
	Error      string `json:"error"`
}

// Get returns the settings in force.
func (s *SettingsService) Get() (SettingsView, error) {
	if err := s.started.wait(s.base); err != nil {
		return SettingsView{}, err
	}
	return SettingsView{Settings: s.core.Current(), Notice: s.core.Notice}, nil
}

// Save applies settings at once (the endpoint restarts in process when its
// part changed). Top-level fields this version does not know are kept.
func (s *SettingsService) Save(in config.Settings) error {
	if err := s.started.wait(s.base); err != nil {
		return err
	}
	return s.core.ApplySettings(in)
}

// Providers lists built-in and custom providers with their key state.
func (s *SettingsService) Providers() ([]ProviderView, error) {
	if err := s.started.wait(s.base); err != nil {
		return nil, err
	}
	count := map[string]int{}
	for _, m := range s.core.Catalog.Models() {
		count[m.Provider]++
	}
	var out []ProviderView
	for _, p := range s.core.Catalog.Providers() {
		ps := s.core.ProviderSettings(p.ID)
		_, info := s.core.Key(p.ID)
		out = append(out, ProviderView{
			ID: p.ID, Name: p.Name, Custom: p.Custom, Enabled: ps.Enabled, BaseURL: s.core.BaseURL(p),
			DefaultBaseURL: p.BaseURL, Region: ps.Region, Regions: p.Regions, Proxy: ps.Proxy, Key: info, ModelCount: count[p.ID],
		})
	}
	return out, nil
}

// SetKey stores a provider key in the keyring. Only its hint comes back.
func (s *SettingsService) SetKey(provider, key string) (secrets.KeyInfo, error) {
	if err := s.started.wait(s.base); err != nil {
		return secrets.KeyInfo{}, err
	}
	if err := s.core.Secrets.Set(provider, key); err != nil {
		return secrets.KeyInfo{}, err
	}
	_, info := s.core.Key(provider)
	go s.core.RefreshModels(s.base, func(ev core.ModelEvent) { Topics.ModelsChanged.Emit(s.emit, ev) })
	return info, nil
}

// DeleteKey removes a provider key from the keyring.
func (s *SettingsService) DeleteKey(provider string) (secrets.KeyInfo, error) {
	if err := s.started.wait(s.base); err != nil {
		return secrets.KeyInfo{}, err
	}
	if err := s.core.Secrets.Delete(provider); err != nil {
		return secrets.KeyInfo{}, err
	}
	_, info := s.core.Key(provider)
	Topics.ModelsChanged.Emit(s.emit, core.ModelEvent{Kind: "done", Provider: provider})
	return info, nil
}

// TestKey calls the provider's /models with its key and reports latency
// and model count, or the provider's own error text.
func (s *SettingsService) TestKey(provider string) (TestResult, error) {
	if err := s.started.wait(s.base); err != nil {
		return TestResult{}, err
	}
	start := time.Now()
	ms, err := s.core.FetchModels(s.base, provider)
	res := TestResult{LatencyMs: time.Since(start).Milliseconds()}
	if err != nil {
		res.Error = err.Error()
		return res, nil
	}
	res.OK, res.ModelCount = true, len(ms)
	return res, nil
}

// EndpointStatus returns the local endpoint's state.
func (s *SettingsService) EndpointStatus() (server.Status, error) {
	if err := s.started.wait(s.base); err != nil {
		return server.Status{}, err
	}
	return s.core.EndpointStatus(), nil
}

// AccessToken returns the local endpoint's token (not a provider key: it
// only opens this machine's endpoint), creating it on first use.
func (s *SettingsService) AccessToken() (string, error) {
	if err := s.started.wait(s.base); err != nil {
		return "", err
	}
	return s.core.Secrets.AccessToken(true)
}

// RegenerateToken replaces the local token; clients using the old one
// are refused from now on.
func (s *SettingsService) RegenerateToken() (string, error) {
	if err := s.started.wait(s.base); err != nil {
		return "", err
	}
	return s.core.Secrets.RegenerateAccessToken()
}
