package catalog

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
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

// day pins a catalog's clock to a date, so retirement does not depend on
// when the test runs.
func day(t *testing.T, c *Catalog, date string) {
	t.Helper()
	at, err := time.Parse(time.DateOnly, date)
	if err != nil {
		t.Fatal(err)
	}
	c.SetClock(func() time.Time { return at.Add(12 * time.Hour) })
}

func TestBuiltin(t *testing.T) {
	t.Parallel()
	c := builtin(t)
	day(t, c, "2026-12-02")
	per, live := map[string]int{}, map[string]int{}
	for _, m := range c.Models() {
		per[m.Provider]++
		if !m.Retired {
			live[m.Provider]++
		}
		if m.Upstream == "" || m.Source != SourceBuiltin {
			t.Errorf("%s: upstream %q source %q", m.ID, m.Upstream, m.Source)
		}
		if m.Think != nil && (m.Reasoning != (m.Think.Mode != ReasoningNone) || m.ThinkingToggle != (m.Think.Mode == ReasoningOptional)) {
			t.Errorf("%s: reasoning=%v toggle=%v do not follow think mode %q", m.ID, m.Reasoning, m.ThinkingToggle, m.Think.Mode)
		}
		if slices.Contains(m.Input, "image") != m.Vision && m.Input != nil {
			t.Errorf("%s: vision=%v input=%v", m.ID, m.Vision, m.Input)
		}
	}
	// Current chat models per provider, as the 2026-12 research found them
	// (seeds that are still served count once).
	want := map[string]int{"cerebras": 2, "deepseek": 2, "openai": 19, "dashscope": 16, "kimi": 6}
	for p, n := range want {
		if live[p] != n {
			t.Errorf("%s: got %d live models; want %d", p, live[p], n)
		}
	}
	if p, _ := c.Provider("kimi"); len(p.KeyEnv) != 2 || p.BaseURLEnv() != "KIMI_BASE_URL" {
		t.Errorf("kimi: %+v", p)
	}
	if u, ok := func() (string, bool) { p, _ := c.Provider("dashscope"); return p.RegionURL("intl") }(); !ok || u != "https://dashscope-intl.aliyuncs.com/compatible-mode/v1" {
		t.Errorf("dashscope intl: %q", u)
	}
	flash, _ := c.Resolve("deepseek-flash")
	if len(flash.Prices) != 2 || flash.Prices[0].Currency != "USD" || flash.Prices[1].Currency != "CNY" || flash.Prices[0].OffPeak == nil || flash.MaxOutput != 393216 {
		t.Errorf("deepseek-flash prices/max output: %+v", flash)
	}
	k3, _ := c.Resolve("kimi-k3")
	if !slices.Contains(k3.Fixed, "temperature") || k3.Think == nil || k3.Think.Mode != ReasoningAlways || k3.Think.Default != "max" {
		t.Errorf("kimi-k3 fixed/think: %+v %+v", k3.Fixed, k3.Think)
	}
}

// seeds are the 35 ids ThinkCloud shipped with: they answer forever,
// either served or retired with a way out.
var seeds = []string{
	"llama-3.3-70b", "llama-3.1-70b", "llama-3.1-8b", "llama-3.2-1b", "llama-3.2-3b", "qwen-2.5-coder-14b", "qwen-2.5-coder-32b",
	"qwen-2.5-coder-7b", "qwen-2.5-14b", "qwen-2.5-7b", "deepseek-chat", "deepseek-coder", "deepseek-reasoner", "gpt-4o", "gpt-4o-mini",
	"gpt-4-turbo", "gpt-3.5-turbo", "qwen-max", "qwen-plus", "qwen-turbo", "qwen-3-235b-a22b-thinking-2507", "qwen-3-350b",
	"qwen-3-32b", "qwen-3-14b", "qwen-3-7b", "qwen-2.5-coder-32b-instruct", "qwen3-max", "qwen3-coder-plus", "moonshot-v1-8k",
	"moonshot-v1-32k", "moonshot-v1-128k", "kimi-k2-0905-preview", "kimi-k2-turbo-preview", "kimi-k2-thinking", "kimi-k2-thinking-turbo",
}

func TestSeedIDsAnswerForever(t *testing.T) {
	t.Parallel()
	if len(seeds) != 35 {
		t.Fatalf("got %d seed ids; want 35", len(seeds))
	}
	c := builtin(t)
	day(t, c, "2026-12-02")
	served := map[string]bool{"gpt-4o": true, "gpt-4o-mini": true, "qwen-plus": true,
		// unknown in the research: routable until the live list says otherwise
		"qwen-max": true, "qwen-3-14b": true, "qwen-3-7b": true, "qwen-2.5-coder-32b-instruct": true}
	for _, id := range seeds {
		t.Run(id, func(t *testing.T) {
			m, err := c.Resolve(id)
			if served[id] {
				if err != nil || m.Retired {
					t.Fatalf("Resolve(%q) = retired=%v, %v; want a live model", id, m.Retired, err)
				}
				return
			}
			var re *RetiredError
			if !errors.As(err, &re) || !errors.Is(err, ErrRetired) || !m.Retired {
				t.Fatalf("Resolve(%q) = %+v, %v; want a *RetiredError", id, m, err)
			}
			if len(re.Model.Successors) == 0 {
				t.Fatalf("%s is retired with no successor", id)
			}
			for _, s := range re.Model.Successors {
				sm, err := c.Resolve(s)
				if err != nil || sm.Retired || sm.Provider != m.Provider {
					t.Errorf("successor %s of %s: %+v, %v; want a live model of %s", s, id, sm, err, m.Provider)
				}
				if !strings.Contains(err2s(err)+re.Error(), s) {
					t.Errorf("message %q does not name successor %s", re.Error(), s)
				}
			}
		})
	}
}

func err2s(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestRetiredMessageAndDates(t *testing.T) {
	t.Parallel()
	c := builtin(t)
	day(t, c, "2026-12-02")
	_, err := c.Resolve("gpt-4-turbo")
	if got, want := err2s(err), "gpt-4-turbo was shut down by OpenAI on 2026-10-23; use gpt-6.1-sol or gpt-6.2-sol"; got != want {
		t.Errorf("got %q; want %q", got, want)
	}
	_, err = c.Resolve("qwen-3-350b")
	if got, want := err2s(err), "qwen-3-350b is no longer served by DashScope (Qwen); use qwen3.8-max"; got != want {
		t.Errorf("got %q; want %q", got, want)
	}
	if _, err := c.Resolve("openai/gpt-4-turbo"); !errors.Is(err, ErrRetired) || !strings.HasPrefix(err.Error(), "openai/gpt-4-turbo was shut down") {
		t.Errorf("provider/model of a retired model: %v", err)
	}
	// gpt-4o is deprecated with a shutdown date: served the day before,
	// retired on the day.
	for _, tc := range []struct {
		date    string
		retired bool
	}{{"2027-01-13", false}, {"2027-01-14", true}} {
		day(t, c, tc.date)
		_, err := c.Resolve("gpt-4o")
		if errors.Is(err, ErrRetired) != tc.retired {
			t.Errorf("gpt-4o on %s: %v; want retired=%v", tc.date, err, tc.retired)
		}
	}
	// Lookup still finds a retired entry: the alias step goes between it
	// and the retirement check.
	if m, err := c.Lookup("gpt-4-turbo"); err != nil || !m.Retired || m.Successors[0] != "gpt-6.1-sol" {
		t.Errorf("Lookup(gpt-4-turbo) = %+v, %v", m, err)
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	c := builtin(t)
	day(t, c, "2026-12-02")
	for _, tc := range []struct{ name, provider, upstream string }{
		{"deepseek-flash", "deepseek", "deepseek-flash"},
		{"qwen-3-7b", "dashscope", "qwen3-8b"},
		{"qwen3-8b", "dashscope", "qwen3-8b"},
		{"deepseek/deepseek-v4-pro", "deepseek", "deepseek-v4-pro"},
		{"openai/gpt-7-preview", "openai", "gpt-7-preview"},
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

func ptr[T any](v T) *T { return &v }

// TestLiveMerge is SetLive's rule, field by field: a field the list states
// wins (present, and contradictory), a field it leaves out keeps the
// catalog's value (absent), and a model it lacks is unavailable.
func TestLiveMerge(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		provider string
		live     []Model
		id       string
		check    func(Model, error) string
	}{
		{"present: context stated", "kimi", []Model{{ID: "kimi-k3", Live: &Published{ContextWindow: 524288}}}, "kimi-k3",
			func(m Model, err error) string {
				return when(m.ContextWindow != 524288 || m.Unavailable || err != nil, "context %d unavailable=%v %v; want 524288 from the list", m.ContextWindow, m.Unavailable, err)
			}},
		{"absent: fields left out keep the catalog's", "kimi", []Model{{ID: "kimi-k3", Live: &Published{}}}, "kimi-k3",
			func(m Model, err error) string {
				return when(m.ContextWindow != 1048576 || !m.Vision || m.Think == nil || m.Think.Default != "max" || len(m.Prices) == 0, "catalog data lost: %+v", m)
			}},
		{"absent: a model the list lacks is unavailable, not retired", "kimi", []Model{{ID: "kimi-k3"}}, "kimi-k2.6",
			func(m Model, err error) string {
				return when(!m.Unavailable || m.Retired || err != nil, "unavailable=%v retired=%v %v; want unavailable and routable", m.Unavailable, m.Retired, err)
			}},
		{"contradictory: the list says no image input", "kimi", []Model{{ID: "kimi-k3", Live: &Published{Vision: ptr(false)}}}, "kimi-k3",
			func(m Model, err error) string {
				return when(m.Vision || slices.Contains(m.Input, "image"), "vision=%v input=%v; the list said no", m.Vision, m.Input)
			}},
		{"contradictory: the list says it does not reason", "kimi", []Model{{ID: "kimi-k3", Live: &Published{Reasoning: ptr(false)}}}, "kimi-k3",
			func(m Model, err error) string {
				return when(m.Reasoning || m.Think == nil || m.Think.Mode != ReasoningNone, "reasoning=%v think=%+v", m.Reasoning, m.Think)
			}},
		{"contradictory: the list still has a model the catalog retired", "kimi", []Model{{ID: "kimi-k2-thinking", Live: &Published{}}}, "kimi-k2-thinking",
			func(m Model, err error) string {
				return when(err != nil || m.Retired, "retired=%v %v; live wins for existence", m.Retired, err)
			}},
		{"present: a shutdown date the list states", "openai", []Model{{ID: "gpt-6-luna", Live: &Published{Shutdown: "2026-11-30"}}}, "gpt-6-luna",
			func(m Model, err error) string {
				return when(!errors.Is(err, ErrRetired) || m.Shutdown != "2026-11-30", "shutdown %q %v; want retired by the list's date", m.Shutdown, err)
			}},
		{"contradictory: the list moves a shutdown date later", "openai", []Model{{ID: "gpt-4o", Live: &Published{Shutdown: "2027-06-01"}}}, "gpt-4o",
			func(m Model, err error) string {
				return when(m.Shutdown != "2027-06-01" || err != nil, "shutdown %q %v", m.Shutdown, err)
			}},
		{"present: a model only the list has is added", "kimi", []Model{{ID: "kimi-k4-preview", ContextWindow: 2097152, Live: &Published{ContextWindow: 2097152}}}, "kimi-k4-preview",
			func(m Model, err error) string {
				return when(err != nil || m.Source != SourceLive || m.ContextWindow != 2097152, "%+v %v", m, err)
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := builtin(t)
			day(t, c, "2026-12-02")
			c.SetLive(tc.provider, tc.live)
			m, err := c.Resolve(tc.id)
			if msg := tc.check(m, err); msg != "" {
				t.Error(msg)
			}
			for _, l := range c.Models() {
				if l.ID == tc.id && (l.ContextWindow != m.ContextWindow || l.Unavailable != m.Unavailable || l.Retired != m.Retired) {
					t.Errorf("Models() disagrees with Resolve: %+v vs %+v", l, m)
				}
			}
		})
	}
}

func when(bad bool, format string, args ...any) string {
	if !bad {
		return ""
	}
	return fmt.Sprintf(format, args...)
}

func TestLiveShadowing(t *testing.T) {
	t.Parallel()
	c := builtin(t)
	// Cerebras now lists a built-in model and a model id DashScope has
	// built in: the built-in entry keeps the bare name.
	c.SetLive("cerebras", []Model{{ID: "gpt-oss-120b"}, {ID: "qwen3.8-max"}})
	if m, _ := c.Resolve("qwen3.8-max"); m.Provider != "dashscope" {
		t.Errorf("shared id went to %s; want the built-in dashscope entry", m.Provider)
	}
	if m, _ := c.Resolve("cerebras/qwen3.8-max"); m.Provider != "cerebras" {
		t.Errorf("provider/model: %+v", m)
	}
	ids := map[string]int{}
	for _, m := range c.Models() {
		ids[m.ID]++
	}
	for id, n := range ids {
		if n != 1 {
			t.Errorf("%s listed %d times", id, n)
		}
	}
	if ids["cerebras/qwen3.8-max"] != 1 {
		t.Errorf("a shadowed live model must be listed as provider/id: %v", ids)
	}
	c.SetLive("deepseek", nil) // an empty answer changes nothing
	if m, err := c.Resolve("deepseek-flash"); err != nil || m.Unavailable {
		t.Error(m, err)
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
	kimi := `{"object":"list","data":[{"id":"kimi-k3","context_length":1048576,"supports_reasoning":true,"supports_image_in":false,"supports_video_in":true},{"id":"kimi-k2.6","context_length":262144,"supports_image_in":true}]}`
	ms, err := ParseModels("kimi", []byte(kimi))
	if err != nil || len(ms) != 2 || ms[0].ContextWindow != 1048576 || !ms[0].Reasoning || ms[0].Vision || !ms[1].Vision {
		t.Fatalf("got %+v %v", ms, err)
	}
	if p := ms[0].Live; p == nil || p.Vision == nil || *p.Vision || p.Video == nil || !*p.Video || p.Reasoning == nil {
		t.Errorf("stated fields not kept: %+v", p)
	}
	if p := ms[1].Live; p.Reasoning != nil || p.Video != nil {
		t.Errorf("absent fields must stay unset: %+v", p)
	}
	openai := `{"data":[{"id":"gpt-4.1","created":1744000000,"shutdown_date":"2027-01-14"},{"id":"gpt-6-luna","shutdown_date":null},{"id":"o3","shutdown_date":"soon"},{"id":"text-embedding-3-small"},{"id":"whisper-1"},{"id":"gpt-4o-realtime-preview"},{"id":"dall-e-3"},{"id":"tts-1"},{"id":"gpt-image-1"}]}`
	ms, _ = ParseModels("openai", []byte(openai))
	if len(ms) != 3 || ms[0].ID != "gpt-4.1" || ms[1].ID != "gpt-6-luna" {
		t.Fatalf("OpenAI filter kept %+v; want gpt-4.1, gpt-6-luna and o3", ms)
	}
	if ms[0].Shutdown != "2027-01-14" || ms[0].Live.Created != "2025-04-07" || ms[1].Live.Shutdown != "" || ms[2].Live.Shutdown != "" {
		t.Errorf("shutdown_date: %+v %+v %+v", ms[0].Live, ms[1].Live, ms[2].Live)
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
