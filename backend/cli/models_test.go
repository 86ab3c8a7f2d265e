package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/core"
)

// catalogModels is the built-in catalog on 2026-12-02, as core lists it
// (only DeepSeek has a key).
func catalogModels(t *testing.T) []core.Model {
	t.Helper()
	c, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	c.SetClock(func() time.Time { return time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC) })
	var out []core.Model
	for _, m := range c.Models() {
		out = append(out, core.Model{Model: m, ProviderName: m.Provider, Available: m.Provider == "deepseek"})
	}
	return out
}

func TestModelsTable(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteModels(&b, catalogModels(t), "", false); err != nil {
		t.Fatal(err)
	}
	rows := map[string][]string{}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if !strings.HasPrefix(lines[0], "ID ") || !strings.Contains(lines[0], "PRICE IN/OUT") {
		t.Fatalf("header: %q", lines[0])
	}
	for _, l := range lines[1:] {
		// Columns are two or more spaces apart; cells have single spaces.
		var cells []string
		for _, c := range strings.Split(l, "  ") {
			if c = strings.TrimSpace(c); c != "" {
				cells = append(cells, c)
			}
		}
		rows[cells[0]] = cells
	}
	for _, tc := range []struct {
		id   string
		want []string
	}{
		{"deepseek-flash", []string{"deepseek-flash", "deepseek", "1M", "384K", "text+image", "yes", "optional low/high/max", "0.3/1.2 USD (off-peak 0.15/0.6)", "live"}},
		{"kimi-k3", []string{"kimi-k3", "kimi", "1M", "1M", "text+image+video", "yes", "always low/high/max", "3/15 USD", "live"}},
		{"gpt-6.1-terra", []string{"gpt-6.1-terra", "openai", "1.05M", "128K", "text+image", "yes", "optional none/low/medium/high/xhigh/max", "1/5 USD", "live"}},
		{"qwen3.7-plus", []string{"qwen3.7-plus", "dashscope", "1M", "64K", "text+image+video", "yes", "optional budget<=65536", "0.5/3 USD", "live"}},
		{"gpt-4o", []string{"gpt-4o", "openai", "128K", "16K", "text+image", "yes", "-", "-", "deprecated until 2027-01-14"}},
		{"gpt-4-turbo", []string{"gpt-4-turbo", "openai", "128K", "-", "-", "yes", "-", "-", "retired 2026-10-23, use gpt-6.1-sol or gpt-6.2-sol"}},
	} {
		if got := strings.Join(rows[tc.id], " | "); got != strings.Join(tc.want, " | ") {
			t.Errorf("%s:\n got %s\nwant %s", tc.id, got, strings.Join(tc.want, " | "))
		}
	}
	if len(rows) != len(catalogModels(t)) {
		t.Errorf("got %d rows; want one per model (%d)", len(rows), len(catalogModels(t)))
	}
}

func TestModelsJSONAndProvider(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteModels(&b, catalogModels(t), "kimi", true); err != nil {
		t.Fatal(err)
	}
	var list []struct {
		ID, Provider, Status string
		Available            bool
		Think                *catalog.Thinking
		Prices               []catalog.Price
		Successors           []string
	}
	if err := json.Unmarshal(b.Bytes(), &list); err != nil {
		t.Fatalf("%v: %s", err, b.String())
	}
	byID := map[string]int{}
	for i, m := range list {
		if m.Provider != "kimi" || m.Available {
			t.Errorf("%s: provider %s available %v; want kimi only, no key", m.ID, m.Provider, m.Available)
		}
		byID[m.ID] = i
	}
	k3 := list[byID["kimi-k3"]]
	if k3.Status != "live" || k3.Think == nil || k3.Think.Default != "max" || len(k3.Prices) != 2 || k3.Prices[1].Currency != "CNY" {
		t.Errorf("kimi-k3: %+v", k3)
	}
	old := list[byID["kimi-k2-thinking"]]
	if old.Status != "retired" || len(old.Successors) == 0 {
		t.Errorf("kimi-k2-thinking: %+v", old)
	}
}

func TestModelsBadFlags(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	if code := Models([]string{"--nope"}, Env{Stdout: &out, Stderr: &errb}); code != 2 || !strings.Contains(errb.String(), "Usage") {
		t.Errorf("unknown flag: exit %d, %q", code, errb.String())
	}
	errb.Reset()
	if code := Models([]string{"extra"}, Env{Stdout: &out, Stderr: &errb}); code != 2 || !strings.Contains(errb.String(), `unexpected "extra"`) {
		t.Errorf("extra argument: exit %d, %q", code, errb.String())
	}
}
