package config

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// A migration upgrades a decoded settings document from version from to
// from+1. Migrations work on generic JSON so they can move and rename
// members the current Settings type no longer has; anything they do not
// touch is kept.
type migration struct {
	from  int
	apply func(doc map[string]any) error
}

// migrations lists every upgrade step, one per version. Add a step and
// bump CurrentVersion together.
func migrations() []migration {
	return []migration{
		{from: 0, apply: migrateV0ToV1},
	}
}

// migrate upgrades data, a JSON object at version from, to CurrentVersion.
func migrate(data []byte, from int) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // keep numbers exactly as written
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	steps := migrations()
	for v := from; v < CurrentVersion; v++ {
		i := len(steps)
		for j, m := range steps {
			if m.from == v {
				i = j
			}
		}
		if i == len(steps) {
			return nil, fmt.Errorf("no migration from version %d", v)
		}
		if err := steps[i].apply(doc); err != nil {
			return nil, fmt.Errorf("version %d to %d: %w", v, v+1, err)
		}
		doc["version"] = v + 1
	}
	return json.Marshal(doc)
}

// migrateV0ToV1 converts the flat version 0 layout (no "version" member)
// used before settings were grouped:
//
//	{"host": "127.0.0.1", "port": 8000, "require_token": false,
//	 "model": "deepseek-chat", "disabled_providers": ["kimi"], "theme": "dark"}
//
// host, port and require_token move into "endpoint", model becomes
// defaultModel, and each disabled provider gets "enabled": false. Other
// members (theme, language, ...) already have their version 1 names.
func migrateV0ToV1(doc map[string]any) error {
	endpoint, _ := doc["endpoint"].(map[string]any)
	if endpoint == nil {
		endpoint = map[string]any{}
	}
	for old, name := range map[string]string{"host": "host", "port": "port", "require_token": "requireToken"} {
		if v, ok := doc[old]; ok {
			if _, set := endpoint[name]; !set {
				endpoint[name] = v
			}
			delete(doc, old)
		}
	}
	if len(endpoint) > 0 {
		doc["endpoint"] = endpoint
	}
	if v, ok := doc["model"]; ok {
		if _, set := doc["defaultModel"]; !set {
			doc["defaultModel"] = v
		}
		delete(doc, "model")
	}
	if v, ok := doc["disabled_providers"]; ok {
		ids, ok := v.([]any)
		if !ok {
			return fmt.Errorf("disabled_providers: must be a list of provider ids")
		}
		providers, _ := doc["providers"].(map[string]any)
		if providers == nil {
			providers = map[string]any{}
		}
		for _, id := range ids {
			s, ok := id.(string)
			if !ok {
				return fmt.Errorf("disabled_providers: must be a list of provider ids")
			}
			entry, _ := providers[s].(map[string]any)
			if entry == nil {
				entry = map[string]any{}
			}
			entry["enabled"] = false
			providers[s] = entry
		}
		doc["providers"] = providers
		delete(doc, "disabled_providers")
	}
	return nil
}
