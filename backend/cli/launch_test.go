//go:build unix

// The launch tests run fake tools written as shell scripts.

package cli

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestToolEnv(t *testing.T) {
	t.Parallel()
	tg := target{Root: "http://127.0.0.1:8000", Token: "tok"}
	withModel := tg
	withModel.Model = "deepseek/deepseek-flash"
	for _, tc := range []struct {
		name string
		got  []string
		want []string
	}{
		{"claude", claudeEnv(tg), []string{"ANTHROPIC_BASE_URL=http://127.0.0.1:8000", "ANTHROPIC_AUTH_TOKEN=tok", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1"}},
		{"claude --model", claudeEnv(withModel), []string{"ANTHROPIC_BASE_URL=http://127.0.0.1:8000", "ANTHROPIC_AUTH_TOKEN=tok", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1", "ANTHROPIC_MODEL=deepseek/deepseek-flash"}},
		{"qwen", qwenEnv(tg), []string{"OPENAI_BASE_URL=http://127.0.0.1:8000/v1", "OPENAI_API_KEY=tok"}},
		{"qwen --model", qwenEnv(withModel), []string{"OPENAI_BASE_URL=http://127.0.0.1:8000/v1", "OPENAI_API_KEY=tok", "OPENAI_MODEL=deepseek/deepseek-flash"}},
	} {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s: got %q; want %q", tc.name, tc.got, tc.want)
		}
	}
}

func TestCodexConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		model     string
		modelLine string
	}{
		{"", ""},
		{"gpt-6-luna", `model = "gpt-6-luna"` + "\n"},
	} {
		got := codexConfig(target{Root: "http://127.0.0.1:8123", Token: "tok", Model: tc.model})
		if tc.modelLine == "" && strings.Contains(got, "\nmodel = ") || !strings.HasPrefix(got, tc.modelLine+`model_provider = "thinkcloud"`) {
			t.Errorf("model %q: config starts %q; want the model line %q then model_provider", tc.model, got[:min(len(got), 60)], tc.modelLine)
		}
		for _, want := range []string{
			"[model_providers.thinkcloud]\nname = \"ThinkCloud\"\nbase_url = \"http://127.0.0.1:8123/v1\"\nenv_key = \"THINKCLOUD_API_KEY\"\nwire_api = \"responses\"\n",
			"web_search = \"disabled\"\n",
			"check_for_update_on_startup = false\n",
			"[analytics]\nenabled = false\n",
			"[feedback]\nenabled = false\n",
			"[otel]\nexporter = \"none\"\n",
			"[features]\nplugins = false\n",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("model %q: config lacks %q:\n%s", tc.model, want, got)
			}
		}
		if strings.Contains(got, "tok") {
			t.Errorf("the token is in config.toml; it belongs in the environment:\n%s", got)
		}
	}
}

func TestOpencodeConfig(t *testing.T) {
	t.Parallel()
	data, err := opencodeConfig(target{Root: "http://127.0.0.1:8000", Token: "tok", Model: "kimi-k2", Models: []string{"gpt-6-luna", "kimi-k2"}})
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Model      string `json:"model"`
		Autoupdate *bool  `json:"autoupdate"`
		Provider   map[string]struct {
			NPM     string                       `json:"npm"`
			Options map[string]string            `json:"options"`
			Models  map[string]map[string]string `json:"models"`
		} `json:"provider"`
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatalf("config is not JSON: %v\n%s", err, data)
	}
	p, ok := cfg.Provider["thinkcloud"]
	if !ok {
		t.Fatalf("no thinkcloud provider:\n%s", data)
	}
	if cfg.Model != "thinkcloud/kimi-k2" {
		t.Errorf("model = %q; want thinkcloud/kimi-k2", cfg.Model)
	}
	if cfg.Autoupdate == nil || *cfg.Autoupdate {
		t.Errorf("autoupdate = %v; want false", cfg.Autoupdate)
	}
	if p.NPM != "@ai-sdk/openai-compatible" || p.Options["baseURL"] != "http://127.0.0.1:8000/v1" || p.Options["apiKey"] != "tok" {
		t.Errorf("provider = %+v; want @ai-sdk/openai-compatible at http://127.0.0.1:8000/v1 with key tok", p)
	}
	if len(p.Models) != 2 || p.Models["gpt-6-luna"]["name"] != "gpt-6-luna" || p.Models["kimi-k2"] == nil {
		t.Errorf("models = %v; want gpt-6-luna and kimi-k2", p.Models)
	}
}

func TestRootURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		host string
		want string
	}{
		{"127.0.0.1", "http://127.0.0.1:8000"},
		{"localhost", "http://localhost:8000"},
		{"0.0.0.0", "http://127.0.0.1:8000"},
		{"", "http://127.0.0.1:8000"},
		{"::", "http://[::1]:8000"},
		{"::1", "http://[::1]:8000"},
		{"192.168.1.5", "http://192.168.1.5:8000"},
	} {
		if got := rootURL(tc.host, 8000); got != tc.want {
			t.Errorf("rootURL(%q) = %q; want %q", tc.host, got, tc.want)
		}
	}
}

func TestMergeEnv(t *testing.T) {
	t.Parallel()
	got := mergeEnv([]string{"PATH=/bin", "ANTHROPIC_API_KEY=sk-user", "ANTHROPIC_BASE_URL=https://api.anthropic.com"},
		[]string{"ANTHROPIC_BASE_URL=http://127.0.0.1:8000"}, []string{"ANTHROPIC_API_KEY"})
	want := []string{"PATH=/bin", "ANTHROPIC_BASE_URL=http://127.0.0.1:8000"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q; want %q", got, want)
	}
}

// launchWorld isolates a launch: its own XDG directories (so settings and
// the cache are the test's), no keyring, and a PATH holding only bin.
type launchWorld struct {
	bin string
	out string // where the fake tool writes what it saw
}

func newLaunchWorld(t *testing.T, settings string) *launchWorld {
	root := t.TempDir()
	for _, d := range []string{"XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"} {
		t.Setenv(d, filepath.Join(root, strings.ToLower(d)))
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
	t.Setenv("THINKCLOUD_ACCESS_TOKEN", "")
	os.Unsetenv("THINKCLOUD_ACCESS_TOKEN")
	if settings != "" {
		dir := filepath.Join(root, "xdg_config_home", "thinkcloud")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "settings.json"), []byte(settings), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	w := &launchWorld{bin: filepath.Join(root, "bin"), out: filepath.Join(root, "seen")}
	if err := os.Mkdir(w.bin, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", w.bin)
	return w
}

// fakeTool installs a shell script named name that records its arguments,
// environment and the config file it was given, then exits 3.
func (w *launchWorld) fakeTool(t *testing.T, name string) {
	script := `#!/bin/sh
for a in "$@"; do echo "arg=$a"; done > '` + w.out + `'
/usr/bin/env >> '` + w.out + `'
if [ -n "$CODEX_HOME" ]; then /bin/cat "$CODEX_HOME/config.toml" > '` + w.out + `.config'; fi
if [ -n "$OPENCODE_CONFIG" ]; then /bin/cat "$OPENCODE_CONFIG" > '` + w.out + `.config'; fi
exit 3
`
	if err := os.WriteFile(filepath.Join(w.bin, name), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

func (w *launchWorld) seen(t *testing.T) (args, env []string, config string) {
	data, err := os.ReadFile(w.out)
	if err != nil {
		t.Fatalf("the tool did not run: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if a, ok := strings.CutPrefix(line, "arg="); ok {
			args = append(args, a)
		} else {
			env = append(env, line)
		}
	}
	cfg, _ := os.ReadFile(w.out + ".config")
	return args, env, string(cfg)
}

// startEndpoint serves the real core's handler for the world's settings
// on a loopback port.
func startEndpoint(t *testing.T) int {
	c, err := NewCore(Overrides{}, Env{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	h, err := c.Handler()
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())
	n, _ := strconv.Atoi(port)
	return n
}

func runLaunch(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Launch(args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

func TestLaunchRunsToolWithItsEnvironment(t *testing.T) {
	for _, tc := range []struct {
		tool       string
		wantEnv    []string // each must be in the tool's environment
		wantConfig []string // each must be in the config file it got
	}{
		{"claude", []string{"ANTHROPIC_BASE_URL=http://127.0.0.1:PORT", "ANTHROPIC_AUTH_TOKEN=" + placeholderToken, "ANTHROPIC_MODEL=gpt-6-luna", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1"}, nil},
		{"qwen", []string{"OPENAI_BASE_URL=http://127.0.0.1:PORT/v1", "OPENAI_API_KEY=" + placeholderToken, "OPENAI_MODEL=gpt-6-luna"}, nil},
		{"codex", []string{"THINKCLOUD_API_KEY=" + placeholderToken}, []string{`model = "gpt-6-luna"`, `base_url = "http://127.0.0.1:PORT/v1"`}},
		{"opencode", nil, []string{`"baseURL": "http://127.0.0.1:PORT/v1"`, `"model": "thinkcloud/gpt-6-luna"`}},
	} {
		t.Run(tc.tool, func(t *testing.T) {
			w := newLaunchWorld(t, "")
			t.Setenv("ANTHROPIC_API_KEY", "sk-user-anthropic")
			w.fakeTool(t, tc.tool)
			port := strconv.Itoa(startEndpoint(t))

			code, _, stderr := runLaunch(tc.tool, "--port", port, "--model", "gpt-6-luna", "--", "-p", "hello world")
			if code != 3 {
				t.Fatalf("exit code = %d; want the tool's 3 (stderr: %s)", code, stderr)
			}
			if !strings.Contains(stderr, "starting "+tc.tool+" against http://127.0.0.1:"+port) {
				t.Errorf("stderr = %q; want it to say what it set up", stderr)
			}
			args, env, config := w.seen(t)
			if want := []string{"-p", "hello world"}; !slices.Equal(args, want) {
				t.Errorf("args = %q; want %q", args, want)
			}
			for _, want := range tc.wantEnv {
				if want = strings.ReplaceAll(want, "PORT", port); !slices.Contains(env, want) {
					t.Errorf("environment lacks %s", want)
				}
			}
			for _, want := range tc.wantConfig {
				if want = strings.ReplaceAll(want, "PORT", port); !strings.Contains(config, want) {
					t.Errorf("config lacks %s:\n%s", want, config)
				}
			}
			if tc.tool == "claude" && slices.Contains(env, "ANTHROPIC_API_KEY=sk-user-anthropic") {
				t.Error("the user's ANTHROPIC_API_KEY reached Claude Code; it would fight ANTHROPIC_AUTH_TOKEN")
			}
			if !slices.Contains(env, "PATH="+w.bin) {
				t.Error("the rest of the environment was not passed on")
			}
			if left, _ := filepath.Glob(filepath.Join(os.Getenv("XDG_CACHE_HOME"), "thinkcloud", "launch", "*")); len(left) > 0 {
				t.Errorf("launch left %v behind", left)
			}
		})
	}
}

func TestLaunchSendsTheAccessTokenWhenRequired(t *testing.T) {
	w := newLaunchWorld(t, `{"version":1,"endpoint":{"enabled":true,"host":"127.0.0.1","port":8000,"requireToken":true}}`)
	t.Setenv("THINKCLOUD_ACCESS_TOKEN", "tc-secret")
	w.fakeTool(t, "opencode")
	port := strconv.Itoa(startEndpoint(t))

	code, _, stderr := runLaunch("opencode", "--port", port)
	if code != 3 {
		t.Fatalf("exit code = %d; want 3 (stderr: %s)", code, stderr)
	}
	_, _, config := w.seen(t)
	if !strings.Contains(config, `"apiKey": "tc-secret"`) {
		t.Errorf("config does not carry the access token:\n%s", config)
	}
	if strings.Contains(config, `"model":`) {
		t.Errorf("config names a model though none was asked for:\n%s", config)
	}
}

func TestLaunchToolNotInstalled(t *testing.T) {
	newLaunchWorld(t, "")
	for tool, pkg := range map[string]string{"claude": "@anthropic-ai/claude-code", "codex": "@openai/codex", "opencode": "opencode-ai", "qwen": "@qwen-code/qwen-code"} {
		code, _, stderr := runLaunch(tool)
		if code != 127 {
			t.Errorf("%s: exit code = %d; want 127", tool, code)
		}
		if !strings.Contains(stderr, "not installed") || !strings.Contains(stderr, "npm install -g "+pkg) {
			t.Errorf("%s: stderr = %q; want it to say it is not installed and name %s", tool, stderr, pkg)
		}
	}
}

func TestLaunchEndpointNotRunning(t *testing.T) {
	w := newLaunchWorld(t, "")
	w.fakeTool(t, "claude")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(l.Addr().String())
	l.Close() // nothing listens there now

	code, _, stderr := runLaunch("claude", "--port", port)
	if code != 1 {
		t.Errorf("exit code = %d; want 1", code)
	}
	if !strings.Contains(stderr, "not running") || !strings.Contains(stderr, "thinkcloud serve") {
		t.Errorf("stderr = %q; want it to say the endpoint is not running and how to start it", stderr)
	}
	if _, err := os.Stat(w.out); err == nil {
		t.Error("the tool ran though the endpoint is down")
	}
}

func TestLaunchUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
	}{
		{nil, 0},
		{[]string{"--help"}, 0},
		{[]string{"cursor"}, 2},
		{[]string{"claude", "--bogus"}, 2},
	} {
		code, _, stderr := runLaunch(tc.args...)
		if code != tc.code {
			t.Errorf("launch %q: exit code = %d; want %d (stderr: %s)", tc.args, code, tc.code, stderr)
		}
	}
}

func TestLaunchEndpointRefuses(t *testing.T) {
	w := newLaunchWorld(t, "")
	w.fakeTool(t, "qwen")
	ts := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.WriteHeader(http.StatusUnauthorized)
		rw.Write([]byte(`{"error":{"message":"This endpoint requires the ThinkCloud access token"}}`))
	}))
	defer ts.Close()
	_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())

	code, _, stderr := runLaunch("qwen", "--port", port)
	if code != 1 {
		t.Errorf("exit code = %d; want 1", code)
	}
	if want := "running but refused the launch: GET /health answered 401 Unauthorized: This endpoint requires the ThinkCloud access token"; !strings.Contains(stderr, want) {
		t.Errorf("stderr = %q; want it to contain %q", stderr, want)
	}
	if _, err := os.Stat(w.out); err == nil {
		t.Error("the tool ran though the endpoint refused")
	}
}
