package desktop

import (
	"context"

	"thinkcloud/backend/core"
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
	Settings core.Settings `json:"settings"`
	Notice   string        `json:"notice"`
}

// ProviderView is one provider on the settings screen.
type ProviderView struct {
	ID             string        `json:"id"`
	Name           string        `json:"name"`
	Custom         bool          `json:"custom"`
	Enabled        bool          `json:"enabled"`
	BaseURL        string        `json:"baseURL"`
	DefaultBaseURL string        `json:"defaultBaseURL"`
	Region         string        `json:"region"`
	Regions        []core.Region `json:"regions"`
	Proxy          core.Proxy    `json:"proxy"`
	Key            core.KeyInfo  `json:"key"`
	ModelCount     int           `json:"modelCount"`
	// HasBalance is true when the provider publishes its balance
	// (SettingsService.Balance reads it, on demand).
	HasBalance bool `json:"hasBalance"`
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
	return SettingsView{Settings: s.core.Current(), Notice: s.core.Notice()}, nil
}

// Save applies settings at once (the endpoint restarts in process when its
// part changed). Top-level fields this version does not know are kept.
func (s *SettingsService) Save(in core.Settings) error {
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
	var out []ProviderView
	for _, p := range s.core.Providers() {
		out = append(out, ProviderView{
			ID: p.ID, Name: p.Name, Custom: p.Custom, Enabled: p.Settings.Enabled, BaseURL: p.URL,
			DefaultBaseURL: p.BaseURL, Region: p.Settings.Region, Regions: p.Regions, Proxy: p.Settings.Proxy, Key: p.Key, ModelCount: p.ModelCount,
			HasBalance: p.Balance != nil,
		})
	}
	return out, nil
}

// SetKey stores a provider key in the keyring. Only its hint comes back.
func (s *SettingsService) SetKey(provider, key string) (core.KeyInfo, error) {
	if err := s.started.wait(s.base); err != nil {
		return core.KeyInfo{}, err
	}
	return s.core.SetKey(s.base, provider, key, func(ev core.ModelEvent) { Topics.ModelsChanged.Emit(s.emit, ev) })
}

// DeleteKey removes a provider key from the keyring.
func (s *SettingsService) DeleteKey(provider string) (core.KeyInfo, error) {
	if err := s.started.wait(s.base); err != nil {
		return core.KeyInfo{}, err
	}
	info, err := s.core.DeleteKey(provider)
	if err != nil {
		return core.KeyInfo{}, err
	}
	Topics.ModelsChanged.Emit(s.emit, core.ModelEvent{Kind: core.ModelsDone, Provider: provider})
	return info, nil
}

// TestKey calls the provider's /models with its key and reports latency
// and model count, or the provider's own error text.
func (s *SettingsService) TestKey(provider string) (TestResult, error) {
	if err := s.started.wait(s.base); err != nil {
		return TestResult{}, err
	}
	kt := s.core.TestKey(s.base, provider)
	res := TestResult{LatencyMs: kt.Took.Milliseconds()}
	if kt.Err != nil {
		res.Error = kt.Err.Error()
		return res, nil
	}
	res.OK, res.ModelCount = true, kt.Models
	return res, nil
}

// EndpointStatus returns the local endpoint's state.
func (s *SettingsService) EndpointStatus() (core.EndpointStatus, error) {
	if err := s.started.wait(s.base); err != nil {
		return core.EndpointStatus{}, err
	}
	return s.core.EndpointStatus(), nil
}

// AccessToken returns the local endpoint's token (not a provider key: it
// only opens this machine's endpoint), creating it on first use.
func (s *SettingsService) AccessToken() (string, error) {
	if err := s.started.wait(s.base); err != nil {
		return "", err
	}
	return s.core.AccessToken(true)
}

// RegenerateToken replaces the local token; clients using the old one
// are refused from now on.
func (s *SettingsService) RegenerateToken() (string, error) {
	if err := s.started.wait(s.base); err != nil {
		return "", err
	}
	return s.core.RegenerateAccessToken()
}
