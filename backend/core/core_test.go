package core_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"thinkcloud/backend/config"
	"thinkcloud/backend/core"
	"thinkcloud/backend/fakeupstream"
	"thinkcloud/backend/gateway"
	"thinkcloud/backend/internal/testrig"
	"thinkcloud/backend/secrets"
	"thinkcloud/backend/server"
)

func newCore(t *testing.T, env map[string]string, settingsJSON string) *core.Core {
	t.Helper()
	return testrig.New(t, testrig.Options{Env: env, Settings: settingsJSON}).Core
}

func TestBaseURLPrecedence(t *testing.T) {
	t.Parallel()
	c := newCore(t, map[string]string{"KIMI_BASE_URL": "http://env/v1"},
		`{"version":1,"providers":{"kimi":{"enabled":true,"baseURL":"http://settings/v1"},"dashscope":{"enabled":true,"region":"intl"}}}`)
	for _, tc := range []struct{ id, want string }{
		{"kimi", "http://env/v1"},
		{"dashscope", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1"},
		{"deepseek", "https://api.deepseek.com/v1"},
	} {
		p, _ := c.Provider(tc.id)
		if got := c.BaseURL(p); got != tc.want {
			t.Errorf("%s: got %s; want %s", tc.id, got, tc.want)
		}
	}
	c2 := newCore(t, nil, `{"version":1,"providers":{"kimi":{"enabled":true,"baseURL":"http://settings/v1","region":"intl"}}}`)
	p, _ := c2.Provider("kimi")
	if got := c2.BaseURL(p); got != "http://settings/v1" {
		t.Errorf("settings base URL must beat the region: got %s", got)
	}
}

func TestKeysAndDisabledProviders(t *testing.T) {
	t.Parallel()
	c := newCore(t, map[string]string{"DEEPSEEK_API_KEY": "sk-env", "OPENAI_API_KEY": "sk-openai"},
		`{"version":1,"providers":{"openai":{"enabled":false}}}`)
	c.SetKey(context.Background(), "kimi", "sk-keyring-kimi", nil)
	if !c.HasKey("deepseek") || !c.HasKey("kimi") || c.HasKey("openai") || c.HasKey("cerebras") {
		t.Errorf("HasKey: deepseek=%v kimi=%v openai(disabled)=%v cerebras=%v", c.HasKey("deepseek"), c.HasKey("kimi"), c.HasKey("openai"), c.HasKey("cerebras"))
	}
	_, e := c.OpenTurn(context.Background(), gateway.Turn{Model: "openai/gpt-6-luna", Messages: []gateway.TurnMessage{{Role: "user", Content: "hi"}}})
	if e == nil || e.Code != "provider_disabled" {
		t.Errorf("disabled provider: got %v", e)
	}
	_, e = c.OpenTurn(context.Background(), gateway.Turn{Model: "cerebras/x", Messages: []gateway.TurnMessage{{Role: "user", Content: "hi"}}})
	if e == nil || e.Status != 401 || !strings.Contains(e.Message, "CEREBRAS_API_KEY") {
		t.Errorf("no key: got %v", e)
	}
	if key, info := c.Key("kimi"); key != "sk-keyring-kimi" || info.Source != secrets.SourceKeyring {
		t.Errorf("keyring key: %q %+v", key, info)
	}
}

func TestApplySettingsMovesEndpoint(t *testing.T) {
	t.Parallel()
	c := newCore(t, nil, "")
	s := c.Current()
	var got []server.Status
	var mu sync.Mutex
	c.OnEndpointStatus(func(st server.Status) { mu.Lock(); got = append(got, st); mu.Unlock() })
	s.Endpoint.Port = testrig.FreePort(t)
	if err := c.ApplySettings(s); err != nil {
		t.Fatal(err)
	}
	first := c.EndpointStatus()
	if first.State != server.StateListening || !strings.HasSuffix(first.Addr, ":"+strconv.Itoa(s.Endpoint.Port)) {
		t.Fatalf("got %+v", first)
	}
	s.Endpoint.Port = testrig.FreePort(t)
	if err := c.ApplySettings(s); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get("http://" + first.Addr + "/health"); err == nil {
		t.Error("the old port still answers")
	}
	resp, err := http.Get("http://127.0.0.1:" + strconv.Itoa(s.Endpoint.Port) + "/health")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("new port: %v %v", resp, err)
	}
	resp.Body.Close()
	reloaded, _, _ := config.NewStore(c.SettingsPath()).Load()
	if reloaded.Endpoint.Port != s.Endpoint.Port {
		t.Errorf("saved port %d; want %d", reloaded.Endpoint.Port, s.Endpoint.Port)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) < 2 {
		t.Errorf("got %d status events; want one per change", len(got))
	}

	// A port someone else holds: the settings still save, the error says so.
	other := newCore(t, nil, "")
	s2 := other.Current()
	s2.Endpoint.Port = s.Endpoint.Port
	if err := other.ApplySettings(s2); !errors.Is(err, server.ErrPortInUse) {
		t.Fatalf("got %v; want ErrPortInUse", err)
	}
	if other.EndpointStatus().State != server.StatePortInUse {
		t.Errorf("got %+v", other.EndpointStatus())
	}
}

func TestWideListenerNeedsToken(t *testing.T) {
	t.Parallel()
	c := newCore(t, map[string]string{core.TokenEnv: "tc-from-env"}, "")
	s := c.Current()
	s.Endpoint.Host, s.Endpoint.Port = "0.0.0.0", testrig.FreePort(t)
	if err := c.ApplySettings(s); err != nil {
		t.Fatal(err)
	}
	resp, _ := http.Get("http://127.0.0.1:" + strconv.Itoa(s.Endpoint.Port) + "/health")
	if resp == nil || resp.StatusCode != 401 {
		t.Fatalf("wide listener without token: got %v; want 401", resp)
	}
	req, _ := http.NewRequest("GET", "http://127.0.0.1:"+strconv.Itoa(s.Endpoint.Port)+"/health", nil)
	req.Header.Set("Authorization", "Bearer tc-from-env")
	resp, _ = http.DefaultClient.Do(req)
	if resp == nil || resp.StatusCode != 200 {
		t.Fatalf("with the token: got %v", resp)
	}
}

func TestCorruptSettingsNotice(t *testing.T) {
	t.Parallel()
	c := newCore(t, nil, `{"version":1,"endpoint":`)
	if c.Notice() == "" || c.Current().Endpoint.Port != 8000 {
		t.Fatalf("notice %q, port %d; want a notice and defaults", c.Notice(), c.Current().Endpoint.Port)
	}
}

func TestCustomProviderEndToEnd(t *testing.T) {
	t.Parallel()
	fake := fakeupstream.NewFake(fakeupstream.OpenAI, "groq-key", true)
	ts := fake.Start()
	defer ts.Close()
	c := newCore(t, nil, "")
	s := c.Current()
	s.CustomProviders = []config.CustomProvider{{ID: "custom-groq", Name: "Groq", BaseURL: ts.URL + "/v1",
		Models: []string{"gpt-oss-120b-versatile"}, Enabled: true, Proxy: config.Proxy{Mode: "none"}}}
	if err := c.ApplySettings(s); err != nil {
		t.Fatal(err)
	}
	if c.HasKey("custom-groq") {
		t.Fatal("custom provider has a key before one was set")
	}
	if _, err := c.SetKey(context.Background(), "custom-groq", "groq-key", nil); err != nil {
		t.Fatal(err)
	}
	h, err := c.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, _ := http.Get(srv.URL + "/v1/models")
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"id":"gpt-oss-120b-versatile"`) || !strings.Contains(string(body), `"owned_by":"custom-groq"`) {
		t.Fatalf("custom model not listed: %s", body)
	}
	resp, err = http.Post(srv.URL+"/v1/chat/completions", "application/json",
		strings.NewReader(`{"model":"gpt-oss-120b-versatile","messages":[{"role":"user","content":"hi"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Hello from openai (gpt-oss-120b-versatile)") {
		t.Fatalf("chat via custom provider: %d %s", resp.StatusCode, body)
	}
	// Fetching its live list works like for the built-in five.
	ms, err := c.FetchModels(context.Background(), "custom-groq")
	if err != nil || len(ms) == 0 {
		t.Fatalf("fetch models: %v %v", ms, err)
	}
	// Removing it removes its models.
	s.CustomProviders = nil
	c.ApplySettings(s)
	if _, err := c.Resolve("gpt-oss-120b-versatile"); err == nil {
		t.Error("removed custom provider's model still resolves")
	}
}

func TestSettingsPortWinsOverFlagOnceChanged(t *testing.T) {
	t.Parallel()
	flagPort := testrig.FreePort(t)
	c := testrig.New(t, testrig.Options{Port: flagPort}).Core
	if err := c.StartEndpoint(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(c.EndpointStatus().Addr, ":"+strconv.Itoa(flagPort)) {
		t.Fatalf("flag port not used: %+v", c.EndpointStatus())
	}
	s := c.Current()
	s.Endpoint.Port = testrig.FreePort(t)
	if err := c.ApplySettings(s); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(c.EndpointStatus().Addr, ":"+strconv.Itoa(s.Endpoint.Port)) {
		t.Fatalf("saved port %d ignored: %+v", s.Endpoint.Port, c.EndpointStatus())
	}
}
