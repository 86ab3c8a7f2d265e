package desktop

import (
	"context"
	"errors"
	"time"

	"thinkcloud/backend/config"
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
	// Problem is Notice as a code and its parts, for the window's
	// language; null when there is no notice.
	Problem *Problem `json:"problem"`
	// HostedTools are the tool types only OpenAI runs, which
	// endpoint.dropHostedTools may list.
	HostedTools []string `json:"hostedTools"`
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
	// AnthropicAPI says whether the provider (in its region) has its own
	// Anthropic-compatible API, which /v1/messages may pass requests to.
	AnthropicAPI bool `json:"anthropicAPI"`
	// AnthropicURL is where /v1/messages requests for it go as they are;
	// "" when they are translated to chat completions.
	AnthropicURL string `json:"anthropicURL"`
	// Circuit is the breaker's state: "closed", "open" (resting) or
	// "half-open" (the next call is a trial).
	Circuit string `json:"circuit"`
	// Failures counts failed requests in a row.
	Failures int `json:"failures"`
	// RestingUntil is when an open circuit lets a call through again, in
	// Unix milliseconds; 0 when not resting.
	RestingUntil int64 `json:"restingUntil"`
	// HasBalance is true when the provider publishes its balance
	// (SettingsService.Balance reads it, on demand).
	HasBalance bool `json:"hasBalance"`
	// Keys are its keys with what requests learned of each.
	Keys []KeyView `json:"keys"`
}

// KeyView is one of a provider's keys in Settings: never the key.
type KeyView struct {
	Label  string `json:"label"`
	Hint   string `json:"hint"`
	Source string `json:"source"`
	// State is "ok", "resting" (rate limit or quota) or "invalid" (the
	// provider refused it).
	State string `json:"state"`
	// Until is when a resting key is used again, in Unix milliseconds.
	Until int64 `json:"until"`
	// Reason is the provider's words behind the state.
	Reason string `json:"reason"`
}

// TestResult is the answer of a provider's /models to its key.
type TestResult struct {
	OK         bool   `json:"ok"`
	LatencyMs  int64  `json:"latencyMs"`
	ModelCount int    `json:"modelCount"`
	Error      string `json:"error"`
	// Kind is what went wrong, an ErrorKind the window words ("" when OK);
	// Error is the provider's own text.
	Kind string `json:"kind"`
}

// Get returns the settings in force.
func (s *SettingsService) Get() (SettingsView, error) {
	if err := s.started.wait(s.base); err != nil {
		return SettingsView{}, err
	}
	return SettingsView{Settings: s.core.Current(), Notice: s.core.Notice(), Problem: settingsProblem(s.core.SettingsNotice()),
		HostedTools: core.HostedTools()}, nil
}

// settingsProblem words a settings notice for the window: the file was
// moved aside, or (MovedTo empty) left alone and not written again.
// A file refused for a rule also names the rule (Problem.Rule, and the
// params "field", "more" and the rule's own beside "problem", the English),
// so the window can word the reason too.
func settingsProblem(n *config.Notice) *Problem {
	var p *Problem
	switch {
	case n == nil:
		return nil
	case n.MovedTo != "":
		p = newProblem(ProblemSettingsMoved, errors.New(n.Message), "problem", n.Problem, "movedTo", n.MovedTo)
	default:
		p = newProblem(ProblemSettingsHeld, errors.New(n.Message), "problem", n.Problem, "path", n.Path)
	}
	if rule, params, ok := ruleParams(n.Err); ok {
		p.Rule = rule
		for k, v := range params {
			if _, taken := p.Params[k]; !taken {
				p.Params[k] = v
			}
		}
	}
	return p
}

// Save applies settings at once (the endpoint restarts in process when its
// part changed). Top-level fields this version does not know are kept.
func (s *SettingsService) Save(in core.Settings) error {
	if err := s.started.wait(s.base); err != nil {
		return err
	}
	// Assistants change only through AssistantsService: the Settings
	// page's copy, loaded before the last preset was saved, must not
	// bring the old list back.
	in.Assistants = s.core.Current().Assistants
	return s.core.ApplySettings(in)
}

// Providers lists built-in and custom providers with their key state.
func (s *SettingsService) Providers() ([]ProviderView, error) {
	if err := s.started.wait(s.base); err != nil {
		return nil, err
	}
	var out []ProviderView
	for _, p := range s.core.Providers() {
		v := ProviderView{
			ID: p.ID, Name: p.Name, Custom: p.Custom, Enabled: p.Settings.Enabled, BaseURL: p.URL,
			DefaultBaseURL: p.BaseURL, Region: p.Settings.Region, Regions: p.Regions, Proxy: p.Settings.Proxy, Key: p.Key, ModelCount: p.ModelCount,
			AnthropicAPI: p.AnthropicAPI, AnthropicURL: p.AnthropicURL,
			Circuit: p.Health.State, Failures: p.Health.Failures, RestingUntil: unixMs(p.Health.Until), Keys: []KeyView{},
			HasBalance: p.Balance != nil,
		}
		for _, k := range p.Keys {
			v.Keys = append(v.Keys, KeyView{Label: k.Label, Hint: k.Hint, Source: k.Source, State: k.State, Until: unixMs(k.Until), Reason: k.Reason})
		}
		out = append(out, v)
	}
	return out, nil
}

func unixMs(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// AddKey stores one more key for provider under label; requests rotate
// over a provider's keys. Only hints come back (through Providers).
func (s *SettingsService) AddKey(provider, label, key string) error {
	if err := s.started.wait(s.base); err != nil {
		return err
	}
	if err := s.core.AddKey(provider, label, key); err != nil {
		return err
	}
	Topics.ModelsChanged.Emit(s.emit, core.ModelEvent{Kind: core.ModelsDone, Provider: provider})
	return nil
}

// DeleteLabeledKey removes provider's key of label from the keyring.
func (s *SettingsService) DeleteLabeledKey(provider, label string) error {
	if err := s.started.wait(s.base); err != nil {
		return err
	}
	if err := s.core.DeleteLabeledKey(provider, label); err != nil {
		return err
	}
	Topics.ModelsChanged.Emit(s.emit, core.ModelEvent{Kind: core.ModelsDone, Provider: provider})
	return nil
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
		res.Error, res.Kind = kt.Err.Error(), kt.Kind()
		return res, nil
	}
	res.OK, res.ModelCount = true, kt.Models
	return res, nil
}

// RetryEndpoint tries again to start the endpoint a Save could not (its
// port was taken), or the saved one; it is saved once it runs.
func (s *SettingsService) RetryEndpoint() (core.EndpointStatus, error) {
	if err := s.started.wait(s.base); err != nil {
		return core.EndpointStatus{}, err
	}
	err := s.core.RetryEndpoint()
	return s.core.EndpointStatus(), err
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
