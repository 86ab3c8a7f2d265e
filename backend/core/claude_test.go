package core_test

import (
	"testing"

	"thinkcloud/backend/core"
)

func TestAnthropicBaseURL(t *testing.T) {
	t.Parallel()
	c := newCore(t, map[string]string{"KIMI_ANTHROPIC_BASE_URL": "http://fake/anthropic", "OPENAI_BASE_URL": "http://mirror/v1"},
		`{"version":1,"providers":{
			"dashscope":{"enabled":true,"region":"intl"},
			"deepseek":{"enabled":true,"anthropicAPI":"translate"}}}`)
	for _, tc := range []struct{ id, want string }{
		{"kimi", "http://fake/anthropic"},                                   // the environment wins (tests)
		{"dashscope", "https://dashscope-intl.aliyuncs.com/apps/anthropic"}, // the region's
		{"deepseek", ""}, // the user chose translation
		{"openai", ""},   // none, and moved to a mirror anyway
		{"cerebras", ""}, // none
	} {
		p, _ := c.Provider(tc.id)
		if got := c.AnthropicBaseURL(p); got != tc.want {
			t.Errorf("%s: got %q; want %q", tc.id, got, tc.want)
		}
	}
	moved := newCore(t, map[string]string{"DEEPSEEK_BASE_URL": "http://mirror/v1"},
		`{"version":1,"providers":{"kimi":{"enabled":true,"baseURL":"http://gw/v1"},"dashscope":{"enabled":true,"region":"us"}}}`)
	for _, tc := range []struct{ id, want string }{
		{"deepseek", ""}, // moved by the environment
		{"kimi", ""},     // moved in Settings
		{"dashscope", "https://dashscope-us.aliyuncs.com/apps/anthropic"},
	} {
		p, _ := moved.Provider(tc.id)
		if got := moved.AnthropicBaseURL(p); got != tc.want {
			t.Errorf("%s: got %q; want %q (a moved base URL must translate)", tc.id, got, tc.want)
		}
	}
	// The provider list the Settings screen shows says the same: whether
	// the provider has its own Anthropic API, and whether it is used.
	states := map[string]core.ProviderState{}
	for _, st := range c.Providers() {
		states[st.ID] = st
	}
	for id, want := range map[string]struct {
		has bool
		url string
	}{"deepseek": {true, ""}, "dashscope": {true, "https://dashscope-intl.aliyuncs.com/apps/anthropic"}, "cerebras": {false, ""}, "openai": {false, ""}} {
		if st := states[id]; st.AnthropicAPI != want.has || st.AnthropicURL != want.url {
			t.Errorf("Providers(): %s has %v at %q; want %v at %q", id, st.AnthropicAPI, st.AnthropicURL, want.has, want.url)
		}
	}
	def := newCore(t, nil, "")
	p, _ := def.Provider("deepseek")
	if got := def.AnthropicBaseURL(p); got != "https://api.deepseek.com/anthropic" {
		t.Errorf("deepseek default: got %q", got)
	}
}

func TestClaudeModel(t *testing.T) {
	t.Parallel()
	keys := map[string]string{"KIMI_API_KEY": "k", "OPENAI_API_KEY": "o"}
	c := newCore(t, keys, `{"version":1,"claudeModels":{"haiku":"openai/gpt-4.1-nano"}}`)
	for _, tc := range []struct{ name, want string }{
		{"claude-opus-5-5", "kimi-k3.1-pro"}, // first suggestion with a key (no DeepSeek key)
		{"claude-sonnet-4-5-20250929", "kimi-k3"},
		{"claude-3-5-haiku-latest", "openai/gpt-4.1-nano"}, // the user's choice
		{"claude-2.1", "kimi-k3"},                          // no tier: sonnet
	} {
		got, ok := c.ClaudeModel(tc.name)
		if !ok || got != tc.want {
			t.Errorf("%s: got %q, %v; want %q", tc.name, got, ok, tc.want)
		}
	}
	if _, ok := c.ClaudeModel("gpt-6-luna"); ok {
		t.Error("gpt-6-luna is not a Claude name")
	}
	none := newCore(t, nil, "")
	if got, _ := none.ClaudeModel("claude-opus-5"); got != "deepseek-v4-pro" {
		t.Errorf("without keys the first suggestion stands (its call says which key is missing): got %q", got)
	}
	if core.ClaudeTier("Claude-Haiku-4") != "haiku" || core.ClaudeTier("anthropic/x") != "" {
		t.Error("ClaudeTier")
	}
}
