package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// claudeEnv points Claude Code at the endpoint's /v1/messages. The token
// goes in ANTHROPIC_AUTH_TOKEN (sent as a bearer token, which the endpoint
// takes); the base URL has no /v1 because Claude Code adds it.
func claudeEnv(tg target) []string {
	env := []string{
		"ANTHROPIC_BASE_URL=" + tg.Root,
		"ANTHROPIC_AUTH_TOKEN=" + tg.Token,
		// Without it Claude Code also calls its vendor (telemetry, updates).
		"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1",
	}
	if tg.Model != "" {
		env = append(env, "ANTHROPIC_MODEL="+tg.Model)
	}
	return env
}

// qwenEnv points Qwen Code at the endpoint's /v1/chat/completions.
func qwenEnv(tg target) []string {
	env := []string{
		"OPENAI_BASE_URL=" + tg.Root + "/v1",
		"OPENAI_API_KEY=" + tg.Token,
	}
	if tg.Model != "" {
		env = append(env, "OPENAI_MODEL="+tg.Model)
	}
	return env
}

// codexKeyEnv is the variable Codex reads the token from (env_key).
const codexKeyEnv = "THINKCLOUD_API_KEY"

// codexConfig is a config.toml sending Codex to the endpoint's
// /v1/responses with every switch docs/AGENTS.md lists that would make it
// call OpenAI turned off, and the hosted web_search tool (which no
// provider but OpenAI runs) disabled.
func codexConfig(tg target) string {
	var b strings.Builder
	if tg.Model != "" {
		fmt.Fprintf(&b, "model = %s\n", strconv.Quote(tg.Model))
	}
	fmt.Fprintf(&b, `model_provider = "thinkcloud"
web_search = "disabled"
check_for_update_on_startup = false

[analytics]
enabled = false

[feedback]
enabled = false

[otel]
exporter = "none"
metrics_exporter = "none"
trace_exporter = "none"

[features]
plugins = false

[model_providers.thinkcloud]
name = "ThinkCloud"
base_url = %s
env_key = %q
wire_api = "responses"
`, strconv.Quote(tg.Root+"/v1"), codexKeyEnv)
	return b.String()
}

// codexSetup writes config.toml into a fresh CODEX_HOME under the cache
// directory: Codex's Linux sandbox links a helper into CODEX_HOME and
// refuses to when it is under /tmp.
func codexSetup(tg target, cacheDir string) (launchSetup, error) {
	home, cleanup, err := launchDir(cacheDir, "codex-")
	if err != nil {
		return launchSetup{}, err
	}
	s := launchSetup{Cleanup: cleanup, Note: "config in " + home}
	if err := os.WriteFile(filepath.Join(home, "config.toml"), []byte(codexConfig(tg)), 0o600); err != nil {
		return s, fmt.Errorf("write codex config: %w", err)
	}
	s.Env = []string{"CODEX_HOME=" + home, codexKeyEnv + "=" + tg.Token}
	return s, nil
}

// opencodeConfig is an OpenCode config with one OpenAI-compatible
// provider, "thinkcloud", at the endpoint's /v1. OpenCode offers only the
// models a custom provider lists, so it lists the endpoint's and the one
// asked for.
func opencodeConfig(tg target) ([]byte, error) {
	models := map[string]any{}
	for _, id := range append(append([]string(nil), tg.Models...), tg.Model) {
		if id != "" {
			models[id] = map[string]string{"name": id}
		}
	}
	cfg := map[string]any{
		"$schema":    "https://opencode.ai/config.json",
		"autoupdate": false,
		"share":      "disabled",
		"provider": map[string]any{
			"thinkcloud": map[string]any{
				"npm":     "@ai-sdk/openai-compatible",
				"name":    "ThinkCloud",
				"options": map[string]string{"baseURL": tg.Root + "/v1", "apiKey": tg.Token},
				"models":  models,
			},
		},
	}
	if tg.Model != "" {
		cfg["model"] = "thinkcloud/" + tg.Model
	}
	return json.MarshalIndent(cfg, "", "  ")
}

// opencodeSetup writes the config to a file under the cache directory (it
// holds the token, so not world-readable /tmp) and names it in
// OPENCODE_CONFIG, which OpenCode merges over the user's own config.
func opencodeSetup(tg target, cacheDir string) (launchSetup, error) {
	dir, cleanup, err := launchDir(cacheDir, "opencode-")
	if err != nil {
		return launchSetup{}, err
	}
	s := launchSetup{Cleanup: cleanup}
	data, err := opencodeConfig(tg)
	if err != nil {
		return s, fmt.Errorf("encode opencode config: %w", err)
	}
	path := filepath.Join(dir, "opencode.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return s, fmt.Errorf("write opencode config: %w", err)
	}
	s.Env = []string{"OPENCODE_CONFIG=" + path}
	return s, nil
}

// launchDir makes a private directory for one launch, removed by cleanup.
func launchDir(cacheDir, prefix string) (string, func(), error) {
	parent := filepath.Join(cacheDir, "launch")
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return "", nil, fmt.Errorf("make launch directory: %w", err)
	}
	dir, err := os.MkdirTemp(parent, prefix)
	if err != nil {
		return "", nil, fmt.Errorf("make launch directory: %w", err)
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}
