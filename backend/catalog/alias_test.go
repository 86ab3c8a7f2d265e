package catalog

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestCheckAliases(t *testing.T) {
	t.Parallel()
	c := builtin(t)
	for _, tc := range []struct {
		name    string
		aliases []Alias
		strict  bool
		want    map[string][]string // expanded, when valid
		wantErr string
	}{
		{"one model", []Alias{{"fast", []string{"cerebras/gpt-oss-120b"}}}, true, map[string][]string{"fast": {"cerebras/gpt-oss-120b"}}, ""},
		{"nested, repeats dropped", []Alias{{"coder", []string{"kimi/kimi-k2.7-code", "backup"}}, {"backup", []string{"deepseek/deepseek-v4-pro", "kimi/kimi-k2.7-code"}}}, true,
			map[string][]string{"coder": {"kimi/kimi-k2.7-code", "deepseek/deepseek-v4-pro"}, "backup": {"deepseek/deepseek-v4-pro", "kimi/kimi-k2.7-code"}}, ""},
		{"shadows a model id", []Alias{{"gpt-4-turbo", []string{"openai/gpt-6.1-terra"}}}, true, map[string][]string{"gpt-4-turbo": {"openai/gpt-6.1-terra"}}, ""},
		{"cycle", []Alias{{"a", []string{"b"}}, {"b", []string{"a"}}}, false, nil, "cycle a → b → a"},
		{"self", []Alias{{"deepseek-chat", []string{"deepseek-chat"}}}, false, nil, "write provider/model"},
		{"unknown provider", []Alias{{"x", []string{"groq/llama"}}}, false, nil, `unknown provider "groq"`},
		{"unknown bare model, strict", []Alias{{"x", []string{"no-such-model"}}}, true, nil, "no provider serves it"},
		{"unknown bare model, lenient", []Alias{{"x", []string{"no-such-model"}}}, false, map[string][]string{"x": {"no-such-model"}}, ""},
		{"slash in name", []Alias{{"a/b", []string{"kimi/k"}}}, false, nil, "may not contain"},
		{"empty chain", []Alias{{"a", nil}}, false, nil, "names no model"},
		{"twice", []Alias{{"a", []string{"kimi/k"}}, {"a", []string{"kimi/k"}}}, false, nil, "defined twice"},
	} {
		got, err := c.CheckAliases(tc.aliases, tc.strict)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, ErrBadAlias) {
				t.Errorf("%s: got %v; want an error with %q", tc.name, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		for _, a := range got {
			if !slices.Equal(a.Models, tc.want[a.Name]) {
				t.Errorf("%s: %s = %v; want %v", tc.name, a.Name, a.Models, tc.want[a.Name])
			}
		}
	}
}

func TestAliasResolution(t *testing.T) {
	t.Parallel()
	c := builtin(t)
	if err := c.SetAliases([]Alias{
		{"coder", []string{"kimi/kimi-k2.7-code", "deepseek/deepseek-v4-pro", "dashscope/qwen3-coder-flash"}},
		{"gpt-4-turbo", []string{"openai/gpt-6.1-terra"}},
		{"gone", []string{"not-a-model"}},
	}); err != nil {
		t.Fatal(err)
	}
	chain, err := c.Chain("coder")
	if err != nil || len(chain) != 3 || chain[0].Provider != "kimi" || chain[1].Upstream != "deepseek-v4-pro" || chain[2].Provider != "dashscope" {
		t.Fatalf("coder chain %+v %v", chain, err)
	}
	// An alias wins over a model id of the same name; provider/id still
	// reaches the model.
	if m, err := c.Resolve("gpt-4-turbo"); err != nil || m.Upstream != "gpt-6.1-terra" {
		t.Fatalf("gpt-4-turbo resolved to %+v %v; want the alias's model", m, err)
	}
	// Without the alias the id is retired: the alias won over retirement.
	if m, err := c.Resolve("openai/gpt-4-turbo"); !errors.Is(err, ErrRetired) || m.Upstream != "gpt-4-turbo" {
		t.Fatalf("openai/gpt-4-turbo resolved to %+v %v; want the retired model", m, err)
	}
	if _, err := c.Chain("gone"); !errors.Is(err, ErrUnknownModel) {
		t.Fatalf("an alias of nothing: %v; want ErrUnknownModel", err)
	}
	listed := c.AliasModels()
	if len(listed) != 2 || listed[0].ID != "coder" || listed[0].Source != SourceAlias || len(listed[0].Chain) != 3 {
		t.Fatalf("listing %+v", listed)
	}
}
