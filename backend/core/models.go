package core

import (
	"context"
	"sync"
	"time"

	"thinkcloud/backend/catalog"
)

// ModelEvent reports the progress of a model-list refresh.
type ModelEvent struct {
	Kind     string `json:"kind"` // ModelsRefreshing, ModelsDone or ModelsError
	Provider string `json:"provider"`
	Count    int    `json:"count,omitempty"`
	Error    string `json:"error,omitempty"`
	// ErrorKind is what went wrong (FailureKind), for ModelsError.
	ErrorKind string `json:"errorKind,omitempty"`
}

// ModelEvent kinds.
const (
	ModelsRefreshing = "refreshing"
	ModelsDone       = "done"
	ModelsError      = "error"
)

// RefreshModels fetches the live model list of every enabled provider that
// has a key, concurrently, caches each on disk and merges it into the
// catalog. A provider that fails keeps its previous list. It never delays
// a chat request: callers run it in the background.
func (c *Core) RefreshModels(ctx context.Context, progress func(ModelEvent)) {
	if progress == nil {
		progress = func(ModelEvent) {}
	}
	var wg sync.WaitGroup
	for _, p := range c.catalog.Providers() {
		if !c.HasKey(p.ID) {
			continue
		}
		wg.Add(1)
		go func(p catalog.Provider) {
			defer wg.Done()
			progress(ModelEvent{Kind: ModelsRefreshing, Provider: p.ID})
			ms, err := c.FetchModels(ctx, p.ID)
			if err != nil {
				c.opts.Logger.Warn("model list refresh failed", "provider", p.ID, "error", err)
				progress(ModelEvent{Kind: ModelsError, Provider: p.ID, Error: err.Error(), ErrorKind: FailureKind(err)})
				return
			}
			// The cache is written before the list is merged, so that whoever
			// sees the new models (a test about to delete the directory
			// included) sees a refresh whose disk work is over.
			if err := c.modelCache().Save(p.ID, ms, time.Now()); err != nil {
				c.opts.Logger.Warn("model list cache", "provider", p.ID, "error", err)
			}
			c.catalog.SetLive(p.ID, ms)
			progress(ModelEvent{Kind: ModelsDone, Provider: p.ID, Count: len(ms)})
		}(p)
	}
	wg.Wait()
}

// FetchModels calls provider's /models with its key and proxy, bounded to
// 20 seconds.
func (c *Core) FetchModels(ctx context.Context, provider string) ([]catalog.Model, error) {
	up, err := c.upstream(provider)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	return catalog.FetchModels(ctx, up.Client, provider, up.BaseURL, up.Key)
}
