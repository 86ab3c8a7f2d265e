package desktop

import (
	"context"
	"strings"
	"testing"

	"thinkcloud/backend/config"
	"thinkcloud/backend/internal/testrig"
)

func TestAssistantsServiceSaveImportExport(t *testing.T) {
	t.Parallel()
	tr := testrig.New(t, testrig.Options{})
	s := NewAssistantsService(context.Background(), tr.Core, nil)

	v, err := s.List(config.LanguageChinese)
	if err != nil || len(v.Builtins) < 3 || v.Builtins[0].Name != "翻译助手" || len(v.Mine.Presets) != 0 {
		t.Fatalf("List(zh-CN) = %+v, %v; want the Chinese built-ins and none of mine", v, err)
	}

	mine := config.Assistants{Presets: []config.Assistant{{ID: "poet", Name: "Poet", System: "Rhyme."}}, Default: "poet"}
	if err := s.Save(mine); err != nil {
		t.Fatalf("Save: %v", err)
	}
	// Bad input is refused with the field named, and loses nothing.
	bad := config.Assistants{Presets: []config.Assistant{{ID: "Bad Id", Name: "x"}}}
	if err := s.Save(bad); err == nil || !strings.Contains(err.Error(), "assistants.presets[0].id") {
		t.Fatalf("Save(bad) = %v; want an error naming the id", err)
	}
	// What was saved is in settings.json: a fresh load sees it.
	got, _, err := config.NewStore(tr.Core.SettingsPath()).Load()
	if err != nil || len(got.Assistants.Presets) != 1 || got.Assistants.Default != "poet" {
		t.Fatalf("settings.json has %+v, %v; want the poet as default", got.Assistants, err)
	}

	file, err := s.ExportJSON()
	if err != nil || !strings.Contains(file, `"poet"`) || strings.Contains(file, "builtin-") {
		t.Fatalf("ExportJSON = %s, %v; want mine without the built-ins", file, err)
	}
	imported := strings.Replace(file, `"poet"`, `"poet-2"`, 1)
	merged, err := s.ImportJSON(imported)
	if err != nil || len(merged.Presets) != 2 {
		t.Fatalf("ImportJSON = %+v, %v; want two presets", merged, err)
	}
	if _, err := s.ImportJSON(`{"format":"thinkcloud-assistants-1","presets":[{"id":"","name":""}]}`); err == nil {
		t.Fatal("ImportJSON of an invalid file succeeded")
	}
	if v, _ := s.List(""); len(v.Mine.Presets) != 2 || v.Builtins[0].Name != "Translator" {
		t.Fatalf("after a failed import: %+v; want the two presets kept and English built-ins", v)
	}
}

// The Settings page saves its whole copy of the settings; one loaded
// before an assistant was saved must not bring the old list back.
func TestSettingsSaveKeepsAssistants(t *testing.T) {
	t.Parallel()
	tr := testrig.New(t, testrig.Options{})
	a := NewAssistantsService(context.Background(), tr.Core, nil)
	st := NewSettingsService(context.Background(), tr.Core, func(string, any) {})
	page := tr.Core.Current() // the page's copy, before the save below
	if err := a.Save(config.Assistants{Presets: []config.Assistant{{ID: "poet", Name: "Poet"}}}); err != nil {
		t.Fatal(err)
	}
	page.Theme = config.ThemeDark
	if err := st.Save(page); err != nil {
		t.Fatal(err)
	}
	if got := tr.Core.Current(); got.Theme != config.ThemeDark || len(got.Assistants.Presets) != 1 {
		t.Fatalf("after the page saved: theme %q, assistants %+v; want dark and the poet kept", got.Theme, got.Assistants)
	}
}
