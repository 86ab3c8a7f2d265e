package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"thinkcloud/backend/internal/atomicfile"
	"time"

	"thinkcloud/backend/secrets"
)

// maxModelsBody caps a /models answer; OpenAI's full list is about 30 KB.
const maxModelsBody = 8 << 20

// FetchError is a provider's non-2xx answer to GET /models, kept whole so
// `keys test` and the settings screen can show the provider's own words.
type FetchError struct {
	Status int
	Body   string
}

func (e *FetchError) Error() string {
	return fmt.Sprintf("provider answered %d: %s", e.Status, e.Body)
}

// FetchModels calls GET {baseURL}/models with the key and returns the chat
// models it lists. provider decides filtering: OpenAI's list also holds
// embedding, audio and image models, which the chat cannot use.
func FetchModels(ctx context.Context, client *http.Client, provider, baseURL, key string) ([]Model, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(baseURL, "/")+"/models", nil)
	if err != nil {
		return nil, fmt.Errorf("build models request: %w", err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch models: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxModelsBody))
	if err != nil {
		return nil, fmt.Errorf("read models: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, &FetchError{Status: resp.StatusCode, Body: secrets.Redact(errorText(body), key)}
	}
	return ParseModels(provider, body)
}

// ParseModels reads an OpenAI-style model list, keeping the fields
// providers publish beside the OpenAI ones in Model.Live: OpenAI's
// shutdown_date, Kimi's context_length and supports_image_in /
// supports_video_in / supports_reasoning, and context_window where a
// provider spells it so. A field a list leaves out stays unset, so a
// merge (SetLive) keeps the catalog's value for it.
func ParseModels(provider string, body []byte) ([]Model, error) {
	var list struct {
		Data []struct {
			ID            string  `json:"id"`
			Created       int64   `json:"created"`
			ContextLength int     `json:"context_length"`
			ContextWindow int     `json:"context_window"`
			Reasoning     *bool   `json:"supports_reasoning"`
			ImageIn       *bool   `json:"supports_image_in"`
			VideoIn       *bool   `json:"supports_video_in"`
			Shutdown      *string `json:"shutdown_date"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, fmt.Errorf("parse models list: %w", err)
	}
	var out []Model
	for _, d := range list.Data {
		if d.ID == "" || (provider == "openai" && !isOpenAIChatModel(d.ID)) {
			continue
		}
		p := &Published{ContextWindow: d.ContextLength, Vision: d.ImageIn, Video: d.VideoIn, Reasoning: d.Reasoning}
		if p.ContextWindow == 0 {
			p.ContextWindow = d.ContextWindow
		}
		if d.Shutdown != nil {
			if _, err := time.Parse(time.DateOnly, *d.Shutdown); err == nil {
				p.Shutdown = *d.Shutdown
			}
		}
		if d.Created > 0 {
			p.Created = time.Unix(d.Created, 0).UTC().Format(time.DateOnly)
		}
		m := Model{ID: d.ID, Provider: provider, Upstream: d.ID, ContextWindow: p.ContextWindow,
			Shutdown: p.Shutdown, Source: SourceLive, Live: p}
		m.Reasoning = p.Reasoning != nil && *p.Reasoning
		m.Vision = p.Vision != nil && *p.Vision
		m.Input = setInput(setInput(nil, "image", m.Vision), "video", p.Video != nil && *p.Video)
		out = append(out, m)
	}
	return out, nil
}

// isOpenAIChatModel keeps the chat-completions models out of OpenAI's list,
// which also carries embeddings, speech, image and moderation models.
func isOpenAIChatModel(id string) bool {
	chat := false
	for _, p := range []string{"gpt-", "chatgpt-", "o1", "o3", "o4"} {
		chat = chat || strings.HasPrefix(id, p)
	}
	for _, bad := range []string{"audio", "realtime", "transcribe", "tts", "image", "embedding", "moderation", "search", "instruct"} {
		if strings.Contains(id, bad) {
			return false
		}
	}
	return chat
}

// errorText pulls the message out of an OpenAI-style error body, or returns
// the start of the body.
func errorText(body []byte) string {
	var env struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &env) == nil {
		if env.Error.Message != "" {
			return env.Error.Message
		}
		if env.Message != "" {
			return env.Message
		}
	}
	s := strings.TrimSpace(string(body))
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// Cache keeps fetched model lists on disk so a restart does not wait for
// the network to show them.
type Cache struct {
	// Dir is the cache directory ($XDG_CACHE_HOME/thinkcloud). Empty
	// disables caching.
	Dir string
}

type cacheFile struct {
	FetchedAt time.Time `json:"fetchedAt"`
	Models    []Model   `json:"models"`
}

func (c Cache) path(provider string) string {
	return filepath.Join(c.Dir, "models-"+provider+".json")
}

// Load returns the cached list of provider and when it was fetched.
func (c Cache) Load(provider string) ([]Model, time.Time, error) {
	if c.Dir == "" {
		return nil, time.Time{}, os.ErrNotExist
	}
	b, err := os.ReadFile(c.path(provider))
	if err != nil {
		return nil, time.Time{}, err
	}
	var f cacheFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, time.Time{}, fmt.Errorf("parse model cache: %w", err)
	}
	return f.Models, f.FetchedAt, nil
}

// Save writes the list atomically, so a crash never leaves half a cache.
func (c Cache) Save(provider string, models []Model, at time.Time) error {
	if c.Dir == "" {
		return nil
	}
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return fmt.Errorf("create cache dir: %w", err)
	}
	b, err := json.Marshal(cacheFile{FetchedAt: at, Models: models})
	if err != nil {
		return fmt.Errorf("encode model cache: %w", err)
	}
	if err := atomicfile.Write(atomicfile.OS(), c.path(provider), b, 0o600); err != nil {
		return fmt.Errorf("write model cache: %w", err)
	}
	return nil
}
