package config

import (
	"reflect"
	"strings"
	"testing"
)

func TestMigrateVersion0(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	writeFile(t, s.Path(), `{
  "host": "0.0.0.0",
  "port": 8001,
  "require_token": true,
  "model": "deepseek/deepseek-chat",
  "disabled_providers": ["kimi", "cerebras"],
  "theme": "dark",
  "window": {"width": 1200}
}`)
	st, notice, err := s.Load()
	if err != nil || notice != nil {
		t.Fatalf("Load: %v, %v", notice, err)
	}
	want := Defaults()
	want.Endpoint.Host, want.Endpoint.Port, want.Endpoint.RequireToken = "0.0.0.0", 8001, true
	want.DefaultModel = "deepseek/deepseek-chat"
	want.Theme = ThemeDark
	off := defaultProvider()
	off.Enabled = false
	want.Providers = map[string]ProviderSettings{"kimi": off, "cerebras": off}
	want.extra = st.extra // checked below through the saved file
	if !reflect.DeepEqual(st, want) {
		t.Errorf("got %+v; want %+v", st, want)
	}
	if err := s.Save(st); err != nil {
		t.Fatal(err)
	}
	m := readJSON(t, s.Path())
	for path, want := range map[string]any{
		"version": 1.0, "endpoint.port": 8001.0, "endpoint.host": "0.0.0.0", "window.width": 1200.0,
		"port": nil, "host": nil, "model": nil, "disabled_providers": nil, "require_token": nil,
	} {
		if got := lookup(m, path); !reflect.DeepEqual(got, want) {
			t.Errorf("saved %s = %#v; want %#v", path, got, want)
		}
	}
}

func TestMigrateVersion0KeepsNewerNames(t *testing.T) {
	t.Parallel()
	got, err := migrate([]byte(`{"port": 1, "endpoint": {"port": 2}, "model": "a", "defaultModel": "b"}`), 0)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"defaultModel":"b","endpoint":{"port":2},"version":1}`
	if string(got) != want {
		t.Errorf("got %s; want %s", got, want)
	}
}

func TestMigrateErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in string
		from     int
		want     string
	}{
		{"bad legacy list", `{"disabled_providers": "kimi"}`, 0, "version 0 to 1: disabled_providers: must be a list"},
		{"no step", `{}`, -1, "no migration from version -1"},
	} {
		if _, err := migrate([]byte(tc.in), tc.from); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v; want error containing %q", tc.name, err, tc.want)
		}
	}
	s := newTestStore(t)
	writeFile(t, s.Path(), `{"disabled_providers": "kimi"}`)
	if _, notice, err := s.Load(); err != nil || notice == nil || !strings.Contains(notice.Problem, "migrate from version 0") {
		t.Errorf("Load of unmigratable file = %+v, %v; want a notice naming the migration", notice, err)
	}
}

// TestEveryVersionHasAMigration fails when CurrentVersion is bumped without
// adding the step that reaches it.
func TestEveryVersionHasAMigration(t *testing.T) {
	t.Parallel()
	have := map[int]bool{}
	for _, m := range migrations() {
		if have[m.from] {
			t.Errorf("two migrations from version %d", m.from)
		}
		have[m.from] = true
	}
	for v := range CurrentVersion {
		if !have[v] {
			t.Errorf("no migration from version %d to %d", v, v+1)
		}
	}
	if len(have) != CurrentVersion {
		t.Errorf("%d migrations; want %d", len(have), CurrentVersion)
	}
}
