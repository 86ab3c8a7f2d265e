package catalog

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func builtin(t *testing.T) *Catalog {
	t.Helper()
	c, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBuiltin(t *testing.T) {
	t.Parallel()
	c := builtin(t)
	if n := len(c.Models()); n != 35 {
		t.Fatalf("got %d built-in models; want 35", n)
	}
	per := map[string]int{}
	for _, m := range c.Models() {
		per[m.Provider]++
		if m.Upstream == "" || m.Source != SourceBuiltin {
			t.Errorf("%s: upstream %q source %q", m.ID, m.Upstream, m.Source)
		}
	}
	want := map[string]int{"cerebras": 10, "deepseek": 3, "openai": 4, "dashscope": 11, "kimi": 7}
	for p, n := range want {
		if per[p] != n {
			t.Errorf("%s: got %d models; want %d", p, per[p], n)
		}
	}
	if p, _ := c.Provider("kimi"); len(p.KeyEnv) != 2 || p.BaseURLEnv() != "KIMI_BASE_URL" {
		t.Errorf("kimi: %+v", p)
	}
	if u, ok := func() (string, bool) { p, _ := c.Provider("dashscope"); return p.RegionURL("intl") }(); !ok || u != "https://dashscope-intl.aliyuncs.com/compatible-mode/v1" {
		t.Errorf("dashscope intl: %q", u)
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	c := builtin(t)
	for _, tc := range []struct{ name, provider, upstream string }{
		{"llama-3.1-8b", "cerebras", "llama3.1-8b"},
		{"llama3.1-8b", "cerebras", "llama3.1-8b"},
		{"qwen-3-32b", "dashscope", "qwen3-32b"},
		{"deepseek-coder", "deepseek", "deepseek-chat"},
		{"deepseek/deepseek-chat", "deepseek", "deepseek-chat"},
		{"openai/gpt-5-mini", "openai", "gpt-5-mini"},
		{"kimi/kimi-latest", "kimi", "kimi-latest"},
	} {
		m, err := c.Resolve(tc.name)
		if err != nil || m.Provider != tc.provider || m.Upstream != tc.upstream {
			t.Errorf("Resolve(%q) = %s/%s, %v; want %s/%s", tc.name, m.Provider, m.Upstream, err, tc.provider, tc.upstream)
		}
	}
	for _, bad := range []string{"nope", "nobody/gpt-4o", "deepseek/", ""} {
		if _, err := c.Resolve(bad); !errors.Is(err, ErrUnknownModel) {
			t.Errorf("Resolve(%q): got %v; want ErrUnknownModel", bad, err)
		}
	}
}

func TestLiveMerge(t *testing.T) {
	t.Parallel()
	c := builtin(t)
	// Cerebras now lists one built-in model, one new model, and a model id
	// DashScope has built in: the built-in entry keeps the bare name.
	c.SetLive("cerebras", []Model{{ID: "llama3.1-8b"}, {ID: "gpt-oss-120b", Reasoning: true}, {ID: "qwen-3-32b"}})
	if m, _ := c.Resolve("gpt-oss-120b"); m.Provider != "cerebras" || m.Source != SourceLive {
		t.Errorf("new live model: %+v", m)
	}
	if m, _ := c.Resolve("qwen-3-32b"); m.Provider != "dashscope" {
		t.Errorf("shared id went to %s; want the built-in dashscope entry", m.Provider)
	}
	if m, _ := c.Resolve("cerebras/qwen-3-32b"); m.Provider != "cerebras" {
		t.Errorf("provider/model: %+v", m)
	}
	ids := map[string]int{}
	retired := map[string]bool{}
	for _, m := range c.Models() {
		ids[m.ID]++
		retired[m.ID] = m.Retired
	}
	for id, n := range ids {
		if n != 1 {
			t.Errorf("%s listed %d times", id, n)
		}
	}
	if ids["cerebras/qwen-3-32b"] != 1 {
		t.Errorf("a shadowed live model must be listed as provider/id: %v", ids)
	}
	if !retired["llama-3.3-70b"] || retired["llama-3.1-8b"] || retired["deepseek-chat"] {
		t.Errorf("retired marks: llama-3.3-70b=%v llama-3.1-8b=%v deepseek-chat=%v", retired["llama-3.3-70b"], retired["llama-3.1-8b"], retired["deepseek-chat"])
	}
	if m, err := c.Resolve("llama-3.3-70b"); err != nil || !m.Retired {
		t.Errorf("a retired model stays routable: %+v %v", m, err)
	}
	c.SetLive("deepseek", nil) // an empty answer changes nothing
	if _, err := c.Resolve("deepseek-chat"); err != nil {
		t.Error(err)
	}
}

func TestCustomProviders(t *testing.T) {
	t.Parallel()
	c := builtin(t)
	if err := c.SetCustom([]Provider{{ID: "custom-groq", Name: "Groq", BaseURL: "http://x/v1"}}, []Model{{ID: "llama-3.3-70b-versatile", Provider: "custom-groq"}}); err != nil {
		t.Fatal(err)
	}
	if m, _ := c.Resolve("llama-3.3-70b-versatile"); m.Provider != "custom-groq" || m.Source != SourceCustom {
		t.Errorf("custom model: %+v", m)
	}
	if err := c.SetCustom([]Provider{{ID: "openai"}}, nil); err == nil {
		t.Error("a custom provider may not take a built-in id")
	}
	c.SetCustom(nil, nil)
	if _, err := c.Resolve("llama-3.3-70b-versatile"); err == nil {
		t.Error("removed custom model still resolves")
	}
}

func TestParseModels(t *testing.T) {
	t.Parallel()
	kimi := `{"object":"list","data":[{"id":"kimi-k2-thinking","context_length":262144,"supports_reasoning":true,"supports_image_in":false},{"id":"kimi-latest","context_length":131072,"supports_image_in":true}]}`
	ms, err := ParseModels("kimi", []byte(kimi))
	if err != nil || len(ms) != 2 || ms[0].ContextWindow != 262144 || !ms[0].Reasoning || !ms[1].Vision {
		t.Fatalf("got %+v %v", ms, err)
	}
	openai := `{"data":[{"id":"gpt-4.1"},{"id":"o3-mini"},{"id":"text-embedding-3-small"},{"id":"whisper-1"},{"id":"gpt-4o-realtime-preview"},{"id":"dall-e-3"},{"id":"tts-1"},{"id":"gpt-image-1"}]}`
	ms, _ = ParseModels("openai", []byte(openai))
	if len(ms) != 2 || ms[0].ID != "gpt-4.1" || ms[1].ID != "o3-mini" {
		t.Fatalf("OpenAI filter kept %+v; want gpt-4.1 and o3-mini", ms)
	}
	if _, err := ParseModels("x", []byte(`<html>`)); err == nil {
		t.Error("HTML parsed as a model list")
	}
}

func TestCache(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "cache")
	c := Cache{Dir: dir}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := c.Save("kimi", []Model{{ID: "a"}}, at); err != nil {
		t.Fatal(err)
	}
	ms, when, err := c.Load("kimi")
	if err != nil || len(ms) != 1 || !when.Equal(at) {
		t.Fatalf("got %v %v %v", ms, when, err)
	}
	os.WriteFile(filepath.Join(dir, "models-bad.json"), []byte("{"), 0o600)
	if _, _, err := c.Load("bad"); err == nil {
		t.Error("corrupt cache loaded")
	}
	if _, _, err := (Cache{}).Load("kimi"); err == nil {
		t.Error("disabled cache loaded")
	}
}
