package config

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestAssistantsValidate(t *testing.T) {
	t.Parallel()
	hot, neg, zero := 2.5, -1, 0
	ok := Assistant{ID: "writer", Name: "Writer", System: "Write well."}
	for _, tc := range []struct {
		name  string
		in    Assistants
		field string // "" when valid
	}{
		{"empty", Assistants{}, ""},
		{"one preset and prompt", Assistants{Presets: []Assistant{ok}, Prompts: []Prompt{{ID: "tldr", Name: "TL;DR", Text: "Summarise:"}}, Default: "writer"}, ""},
		{"default built-in", Assistants{Default: "builtin-translator"}, ""},
		{"default unknown", Assistants{Default: "nobody"}, "assistants.default"},
		{"bad id", Assistants{Presets: []Assistant{{ID: "Has Space", Name: "x"}}}, "assistants.presets[0].id"},
		{"built-in prefix", Assistants{Presets: []Assistant{{ID: "builtin-x", Name: "x"}}}, "assistants.presets[0].id"},
		{"duplicate id", Assistants{Presets: []Assistant{ok, ok}}, "assistants.presets[1].id"},
		{"blank name", Assistants{Presets: []Assistant{{ID: "a", Name: "  "}}}, "assistants.presets[0].name"},
		{"stored built-in", Assistants{Presets: []Assistant{{ID: "a", Name: "a", Builtin: true}}}, "assistants.presets[0].builtin"},
		{"temperature", Assistants{Presets: []Assistant{{ID: "a", Name: "a", Params: PresetParams{Temperature: &hot}}}}, "assistants.presets[0].params.temperature"},
		{"max tokens", Assistants{Presets: []Assistant{{ID: "a", Name: "a", Params: PresetParams{MaxTokens: &zero}}}}, "assistants.presets[0].params.maxTokens"},
		{"budget", Assistants{Presets: []Assistant{{ID: "a", Name: "a", Params: PresetParams{ThinkingBudget: &neg}}}}, "assistants.presets[0].params.thinkingBudget"},
		{"effort", Assistants{Presets: []Assistant{{ID: "a", Name: "a", Params: PresetParams{ReasoningEffort: "extreme"}}}}, "assistants.presets[0].params.reasoningEffort"},
		{"empty prompt", Assistants{Prompts: []Prompt{{ID: "p", Name: "p", Text: " "}}}, "assistants.prompts[0].text"},
		{"huge prompt", Assistants{Prompts: []Prompt{{ID: "p", Name: "p", Text: strings.Repeat("x", maxPresetText+1)}}}, "assistants.prompts[0].text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.in.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v; want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.field+":") {
				t.Fatalf("Validate() = %v; want an error about %s", err, tc.field)
			}
			// The same rule holds inside the whole settings file.
			s := Defaults()
			s.Assistants = tc.in
			if err := s.Validate(); err == nil || !strings.Contains(err.Error(), tc.field+":") {
				t.Fatalf("Settings.Validate() = %v; want an error about %s", err, tc.field)
			}
		})
	}
}

func TestAssistantsRoundTrip(t *testing.T) {
	t.Parallel()
	temp, on, budget := 0.7, true, 4096
	want := Assistants{
		Presets: []Assistant{{ID: "poet", Name: "诗人", System: "写一首诗。", Model: "deepseek/deepseek-chat",
			Params: PresetParams{Temperature: &temp, Thinking: &on, ThinkingBudget: &budget, ReasoningEffort: "high"}}},
		Prompts: []Prompt{{ID: "fix", Name: "Fix grammar", Text: "Fix the grammar of:\n"}},
		Default: "poet",
	}
	st := NewStore(filepath.Join(t.TempDir(), "settings.json"))
	s := Defaults()
	s.Assistants = want
	if err := st.Save(s); err != nil {
		t.Fatalf("Save: %v", err)
	}
	got, _, err := st.Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if !reflect.DeepEqual(got.Assistants, want) {
		t.Fatalf("after a round trip got %+v; want %+v", got.Assistants, want)
	}
}

func TestAssistantsExportImport(t *testing.T) {
	t.Parallel()
	cur := Assistants{Presets: []Assistant{{ID: "a", Name: "Old A"}, {ID: "b", Name: "B"}}, Default: "b"}
	file, err := ExportAssistants(Assistants{Presets: []Assistant{{ID: "a", Name: "New A"}, {ID: "c", Name: "C"}},
		Prompts: []Prompt{{ID: "p", Name: "P", Text: "text"}}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ImportAssistants(cur, file)
	if err != nil {
		t.Fatalf("ImportAssistants: %v", err)
	}
	var names []string
	for _, p := range got.Presets {
		names = append(names, p.Name)
	}
	if want := []string{"New A", "B", "C"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("presets after import = %v; want %v", names, want)
	}
	if len(got.Prompts) != 1 || got.Default != "b" {
		t.Fatalf("prompts %v, default %q; want one prompt and default b", got.Prompts, got.Default)
	}
	if cur.Presets[0].Name != "Old A" {
		t.Fatal("import changed the current assistants in place")
	}

	for name, bad := range map[string]string{
		"not json":     "{",
		"other format": `{"format":"something","presets":[]}`,
		"invalid":      `{"format":"thinkcloud-assistants-1","presets":[{"id":"BAD","name":"x"}]}`,
	} {
		if out, err := ImportAssistants(cur, []byte(bad)); err == nil || !reflect.DeepEqual(out, cur) {
			t.Errorf("%s: ImportAssistants = %+v, %v; want the current assistants and an error", name, out, err)
		}
	}
}

func TestBuiltinAssistantsBothLanguages(t *testing.T) {
	t.Parallel()
	en, zh := BuiltinAssistants(LanguageEnglish), BuiltinAssistants(LanguageChinese)
	if len(en) < 3 || len(en) != len(zh) {
		t.Fatalf("got %d English and %d Chinese built-ins; want the same three or more", len(en), len(zh))
	}
	for i := range en {
		if en[i].ID != zh[i].ID || en[i].Name == zh[i].Name || en[i].System == zh[i].System || !en[i].Builtin {
			t.Errorf("built-in %d: en %+v, zh %+v; want the same id in two languages", i, en[i], zh[i])
		}
		// A built-in copied into the user's list under a new id is valid.
		c := en[i]
		c.ID, c.Builtin = "copy", false
		if err := (Assistants{Presets: []Assistant{c}}).Validate(); err != nil {
			t.Errorf("built-in %s as a user preset: %v", en[i].ID, err)
		}
	}
}
