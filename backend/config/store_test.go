package config

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	s := NewStore(filepath.Join(t.TempDir(), "thinkcloud", "settings.json"))
	s.now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600)) }
	return s
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func readJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("file is not valid JSON: %v\n%s", err, data)
	}
	return m
}

func fullSettings() Settings {
	st := Defaults()
	st.SetProvider("deepseek", ProviderSettings{Enabled: false, BaseURL: "https://gw.example.com/v1", Region: "cn",
		Proxy: Proxy{Mode: ProxyCustom, URL: "socks5://127.0.0.1:1080"}})
	st.SetProvider("kimi", ProviderSettings{Enabled: true, Region: "intl", Proxy: Proxy{Mode: ProxyNone}})
	st.CustomProviders = []CustomProvider{{ID: "custom-openrouter", Name: "OpenRouter", BaseURL: "https://openrouter.ai/api/v1",
		Models: []string{"a/b", "c/d"}, FetchModels: true, Proxy: Proxy{Mode: ProxySystem}, Enabled: true}}
	st.Endpoint = Endpoint{Enabled: false, Host: "0.0.0.0", Port: 8123, RequireToken: true,
		AllowedOrigins: []string{"http://localhost:5173"}, AllowedHosts: []string{"thinkcloud.local:8123"}, RateLimitPerMinute: 60, DropHostedTools: []string{"web_search"}}
	st.DefaultModel, st.LastModel = "deepseek/deepseek-flash", "kimi/kimi-k2"
	st.Theme, st.Language = ThemeDark, LanguageChinese
	return st
}

func TestLoadMissingFileGivesDefaults(t *testing.T) {
	t.Parallel()
	st, notice, err := newTestStore(t).Load()
	if err != nil || notice != nil || !reflect.DeepEqual(st, Defaults()) {
		t.Errorf("Load = %+v, %v, %v; want defaults, nil, nil", st, notice, err)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		st   Settings
	}{
		{"defaults", Defaults()},
		{"everything set", fullSettings()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newTestStore(t)
			if err := s.Save(tc.st); err != nil {
				t.Fatalf("Save: %v", err)
			}
			got, notice, err := s.Load()
			if err != nil || notice != nil {
				t.Fatalf("Load: %v, %v", notice, err)
			}
			if !reflect.DeepEqual(got, tc.st) {
				t.Errorf("got %+v; want %+v", got, tc.st)
			}
		})
	}
}

func TestSaveFileMode(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	writeFile(t, s.Path(), `{"version":1}`)
	if err := os.Chmod(s.Path(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(Defaults()); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("mode = %v; want 0600", got)
	}
}

func TestSaveRefusesInvalid(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	writeFile(t, s.Path(), `{"version":1,"theme":"dark"}`)
	st := Defaults()
	st.Endpoint.Port = 0
	err := s.Save(st)
	if err == nil || !strings.Contains(err.Error(), "endpoint.port: must be 1..65535") {
		t.Errorf("Save: got %v; want endpoint.port error", err)
	}
	if got, _ := os.ReadFile(s.Path()); string(got) != `{"version":1,"theme":"dark"}` {
		t.Errorf("file changed to %s", got)
	}
}

func TestLoadMovesUnusableFileAside(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, content, problem string }{
		{"bad json", "{\n  \"theme\": \"dark\",\n  oops\n}", "invalid JSON on line 3"},
		{"not an object", `[1,2]`, "invalid JSON"},
		{"null", `null`, "must be a JSON object, not null"},
		{"port out of range", `{"version":1,"endpoint":{"port":70000}}`, "endpoint.port: must be 1..65535"},
		{"wrong type", `{"version":1,"endpoint":{"port":"8000"}}`, "endpoint.port: must be a JSON number, not string"},
		{"bad theme", `{"version":1,"theme":"blue"}`, "theme: must be"},
		{"builtin id reused", `{"version":1,"customProviders":[{"id":"openai","name":"x","baseURL":"https://x.example"}]}`,
			`customProviders[0].id: "openai" is a built-in provider id`},
		{"bad version", `{"version":"one"}`, "version: must be a non-negative integer"},
		{"negative version", `{"version":-1}`, "version: must be a non-negative integer"},
		{"bad assistant", `{"version":1,"assistants":{"presets":[{"id":"builtin-me","name":"Me"}]}}`,
			`assistants.presets[0].id: must not start with "builtin-"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newTestStore(t)
			writeFile(t, s.Path(), tc.content)
			st, notice, err := s.Load()
			if err != nil {
				t.Fatalf("Load error: %v; want a notice instead", err)
			}
			if !reflect.DeepEqual(st, Defaults()) {
				t.Errorf("settings = %+v; want defaults", st)
			}
			if notice == nil {
				t.Fatal("notice = nil; want one")
			}
			want := s.Path() + ".corrupt-20260102T020405Z"
			if notice.MovedTo != want || notice.Path != s.Path() {
				t.Errorf("moved to %q from %q; want %q from %q", notice.MovedTo, notice.Path, want, s.Path())
			}
			if !strings.Contains(notice.Problem, tc.problem) {
				t.Errorf("problem %q; want it to contain %q", notice.Problem, tc.problem)
			}
			for _, part := range []string{tc.problem, want, "default settings"} {
				if !strings.Contains(notice.Message, part) {
					t.Errorf("message %q; want it to contain %q", notice.Message, part)
				}
			}
			if got, err := os.ReadFile(want); err != nil || string(got) != tc.content {
				t.Errorf("moved file = %q, %v; want the original content", got, err)
			}
			if _, err := os.Stat(s.Path()); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("settings file still present: %v", err)
			}
		})
	}
}

func TestMoveAsideDoesNotOverwriteEarlierCopy(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	for i, content := range []string{"{1", "{2"} {
		writeFile(t, s.Path(), content)
		_, notice, err := s.Load()
		if err != nil || notice == nil {
			t.Fatalf("Load %d: %v, %v", i, notice, err)
		}
	}
	for suffix, want := range map[string]string{"": "{1", "-2": "{2"} {
		got, err := os.ReadFile(s.Path() + ".corrupt-20260102T020405Z" + suffix)
		if err != nil || string(got) != want {
			t.Errorf("copy %q = %q, %v; want %q", suffix, got, err, want)
		}
	}
}

func TestUnknownFieldsSurviveRoundTrip(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	writeFile(t, s.Path(), `{
  "version": 1,
  "theme": "light",
  "futureFeature": {"a": [1, 2.5, "x"]},
  "providers": {"deepseek": {"region": "cn", "priority": 3, "proxy": {"mode": "none", "noProxy": ["*.cn"]}}},
  "customProviders": [{"id": "custom-x", "name": "X", "baseURL": "https://x.example/v1", "headers": {"X-Title": "tc"}}],
  "endpoint": {"port": 8001, "tls": {"cert": "c.pem"}}
}`)
	_, _, err := s.Update(func(st *Settings) error {
		st.Theme = ThemeDark
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	m := readJSON(t, s.Path())
	for _, tc := range []struct {
		path string
		want any
	}{
		{"theme", "dark"},
		{"futureFeature", map[string]any{"a": []any{1.0, 2.5, "x"}}},
		{"providers.deepseek.priority", 3.0},
		{"providers.deepseek.region", "cn"},
		{"providers.deepseek.enabled", true},
		{"providers.deepseek.proxy.noProxy", []any{"*.cn"}},
		{"customProviders.0.headers", map[string]any{"X-Title": "tc"}},
		{"customProviders.0.enabled", true},
		{"endpoint.tls", map[string]any{"cert": "c.pem"}},
		{"endpoint.port", 8001.0},
		{"endpoint.host", "127.0.0.1"},
	} {
		if got := lookup(m, tc.path); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s = %#v; want %#v", tc.path, got, tc.want)
		}
	}
}

// lookup follows a dotted path of object keys and array indexes.
func lookup(v any, path string) any {
	for part := range strings.SplitSeq(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[part]
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func TestNewerVersionIsKept(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	writeFile(t, s.Path(), `{"version": 7, "theme": "dark", "workspaces": [{"name": "w"}], "endpoint": {"port": 9000, "mtls": true}}`)
	st, notice, err := s.Load()
	if err != nil || notice != nil {
		t.Fatalf("Load: %v, %v", notice, err)
	}
	if st.Version != 7 || st.Theme != ThemeDark || st.Endpoint.Port != 9000 {
		t.Errorf("got version %d theme %q port %d; want 7 dark 9000", st.Version, st.Theme, st.Endpoint.Port)
	}
	st.Language = LanguageEnglish
	if err := s.Save(st); err != nil {
		t.Fatal(err)
	}
	m := readJSON(t, s.Path())
	for path, want := range map[string]any{"version": 7.0, "language": "en", "workspaces": []any{map[string]any{"name": "w"}}, "endpoint.mtls": true} {
		if got := lookup(m, path); !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v; want %#v", path, got, want)
		}
	}
}
