package config

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"thinkcloud/backend/catalog"
)

// fieldErrors flattens Validate's joined errors.
func fieldErrors(t *testing.T, err error) []*FieldError {
	t.Helper()
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("Validate returned %T (%v); want joined FieldErrors", err, err)
	}
	var out []*FieldError
	for _, e := range j.Unwrap() {
		var fe *FieldError
		if !errors.As(e, &fe) {
			t.Fatalf("%T in the join: %v", e, e)
		}
		out = append(out, fe)
	}
	return out
}

// Settings broken in as many ways as one value can be: every FieldError
// names a rule of the table, its English is the template filled in (no
// "{name}" left), and the window gets the parameters it needs.
func TestEveryFieldErrorNamesAKnownRule(t *testing.T) {
	f := -1.0
	zero := 0
	s := Defaults()
	s.Version = -1
	s.SetProvider("Bad Id", ProviderSettings{Enabled: true, BaseURL: "ftp://x", Region: " cn",
		Proxy: Proxy{Mode: "tunnel", URL: "gopher://x"}, AnthropicAPI: "passthrough"})
	s.CustomProviders = []CustomProvider{
		{ID: "openai", Name: " ", BaseURL: "x", Models: []string{" m"}, Proxy: Proxy{Mode: ProxyCustom}},
		{ID: "-x", Name: "n", BaseURL: "https://a.example"}, {ID: strings.Repeat("a", 65), Name: "n", BaseURL: "https://a.example"},
		{ID: "A", Name: "n", BaseURL: "https://a.example"}, {ID: "", Name: "n", BaseURL: "https://a.example"},
		{ID: "mine", Name: "n", BaseURL: "https://a.example"}, {ID: "mine", Name: "n", BaseURL: "https://a.example"},
		{ID: reservedIDs()[0], Name: "n", BaseURL: "https://a.example"},
	}
	s.Endpoint.Host = "a b"
	s.Endpoint.Port = 0
	s.Endpoint.AllowedOrigins = []string{"http://a.com/x", "http://a.com:99999"}
	s.Endpoint.AllowedHosts = []string{"a.com/x"}
	s.Endpoint.RateLimitPerMinute = -1
	s.Endpoint.Tokens = []AccessToken{{Name: " ", RPM: -1, Budget: &Budget{}}, {Name: "t", ID: "1", Hash: strings.Repeat("a", 64)},
		{Name: "t", ID: "2", Hash: strings.Repeat("b", 64)}}
	s.Endpoint.DropHostedTools = []string{"websearch", "mcp", "mcp"}
	s.Usage.RetentionDays = -1
	s.Usage.MaxMB = -1
	s.ClaudeModels.Opus = " x"
	s.ProviderTimeoutSeconds = -1
	s.Aliases = []catalog.Alias{{Name: "a/b"}, {Name: "c", Models: []string{" "}}, {Name: "c", Models: []string{"x"}}}
	s.Routing.BreakerFailures = 101
	s.Routing.BreakerCooldownSeconds = -1
	s.Theme = "blue"
	s.Language = "fr"
	s.Updates.Check = "maybe"
	s.Updates.FeedURL = "ftp://feed"
	s.Titles.Model = strings.Repeat("m", 201)
	s.Assistants = Assistants{Default: "nobody",
		Presets: []Assistant{{ID: "Bad", Name: strings.Repeat("n", 200), Model: " m", Builtin: true, System: strings.Repeat("s", maxPresetText+1),
			Params: PresetParams{Temperature: &f, TopP: &f, MaxTokens: &zero, FrequencyPenalty: new(float64(3)), ReasoningEffort: "huge", ThinkingBudget: new(-1)}},
			{ID: builtinIDPrefix + "x", Name: " "}, {ID: "dup", Name: "a"}, {ID: "dup", Name: "b"}},
		Prompts: []Prompt{{ID: "p", Name: "p", Text: " "}, {ID: "q", Name: "q", Text: strings.Repeat("t", maxPresetText+1)}},
	}
	for i := range maxPresets {
		s.Assistants.Presets = append(s.Assistants.Presets, Assistant{ID: fmt.Sprintf("many-%d", i), Name: "n"})
	}
	for i := range maxPrompts {
		s.Assistants.Prompts = append(s.Assistants.Prompts, Prompt{ID: fmt.Sprintf("many-%d", i), Name: "n", Text: "t"})
	}
	placeholder := regexp.MustCompile(`\{[a-z]+\}`)
	seen := map[string]bool{}
	all := fieldErrors(t, s.Validate())
	// And files that are not settings at all, as Load meets them.
	for _, file := range []string{"{\n  \"theme\": \"dark\",\n  oops\n}", `{"version":1,"endpoint":{"port":"8000"}}`, `[1,2]`, `null`, `{"version":"one"}`} {
		_, err := decode([]byte(file))
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Fatalf("decode(%s) = %v; want a FieldError", file, err)
		}
		all = append(all, fe)
	}
	for _, fe := range all {
		tmpl, ok := rules[fe.Rule]
		if !ok {
			t.Errorf("%s: rule %q is not in the table", fe.Field, fe.Rule)
			continue
		}
		seen[fe.Rule] = true
		if placeholder.MatchString(fe.Problem) {
			t.Errorf("%s: %q left a parameter unfilled", fe.Field, fe.Problem)
		}
		for _, m := range placeholder.FindAllString(tmpl, -1) {
			if _, ok := fe.Params[strings.Trim(m, "{}")]; !ok {
				t.Errorf("%s: rule %s needs %s; params %v", fe.Field, fe.Rule, m, fe.Params)
			}
		}
		if want := fe.Field + ": " + fe.Problem; fe.Field == "" && fe.Error() != fe.Problem || fe.Field != "" && fe.Error() != want {
			t.Errorf("Error() = %q", fe.Error())
		}
	}
	// Every rule is broken above but these, each met elsewhere; a new rule
	// belongs in the value above (or here, with where it is tested).
	notHere := []string{
		"json_invalid", // the fallback for an encoding/json error that is neither syntax nor type
	}
	var unused []string
	for _, r := range Rules() {
		if !seen[r] {
			unused = append(unused, r)
		}
	}
	if strings.Join(unused, " ") != strings.Join(notHere, " ") {
		t.Errorf("rules not broken by this value: %v; want exactly %v", unused, notHere)
	}
}

func TestRulesAreSortedCodes(t *testing.T) {
	rs := Rules()
	if len(rs) != len(rules) {
		t.Fatalf("%d codes for %d rules", len(rs), len(rules))
	}
	code := regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)
	for i, r := range rs {
		if !code.MatchString(r) || (i > 0 && rs[i-1] >= r) {
			t.Errorf("code %q (after %q): want sorted snake_case", r, rs[max(i-1, 0)])
		}
	}
}
