package desktop

import (
	"context"

	"thinkcloud/backend/core"
)

// ModelsService is bound to the window: the model picker's data.
type ModelsService struct {
	core *core.Core
	emit Emit
	base context.Context
	// started gates core until Services.Start (nil: core is set).
	started *started
}

// NewModelsService returns the models service.
func NewModelsService(base context.Context, c *core.Core, emit Emit) *ModelsService {
	return &ModelsService{core: c, emit: emit, base: base}
}

// List returns every model, with Available telling whether its provider
// has a key (the picker shows the others disabled with a way to add one).
func (s *ModelsService) List() ([]ModelInfo, error) {
	if err := s.started.wait(s.base); err != nil {
		return nil, err
	}
	ms := s.core.Models()
	out := make([]ModelInfo, 0, len(ms))
	for _, m := range ms {
		out = append(out, ModelInfo{
			ID: m.ID, Provider: m.Provider, ProviderName: m.ProviderName, Upstream: m.Upstream,
			ContextWindow: m.ContextWindow, Reasoning: m.Reasoning, Vision: m.Vision, Tools: m.Tools,
			ThinkingToggle: m.ThinkingToggle, Available: m.Available, Source: m.Source, Retired: m.Retired, Defaults: m.Defaults,
			Name: m.Name, MaxOutput: m.MaxOutput, Think: m.Think, Fixed: s.core.FixedParams(m.ID), Prices: m.Prices, Shutdown: m.Shutdown,
			Successors: m.Successors, Unavailable: m.Unavailable, Chain: m.Chain, TitleCost: titleCost(s.core, m.Model),
		})
	}
	return out, nil
}

// Refresh fetches live model lists in the background; progress arrives as
// models:changed events.
func (s *ModelsService) Refresh() error {
	if err := s.started.wait(s.base); err != nil {
		return err
	}
	go s.core.RefreshModels(s.base, func(ev core.ModelEvent) { Topics.ModelsChanged.Emit(s.emit, ev) })
	return nil
}
