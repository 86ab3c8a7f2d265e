package server_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"thinkcloud/backend/internal/testrig"
)

const aliasSettings = `{"version":1,"aliases":[
	{"name":"fast","models":["cerebras/gpt-oss-120b"]},
	{"name":"emb","models":["openai/text-embedding-3-small"]},
	{"name":"fim","models":["deepseek/deepseek-flash"]},
	{"name":"coder","models":["kimi/kimi-k2.7-code","deepseek/deepseek-v4-pro","dashscope/qwen3-coder-flash"]}]}`

// TestAliasOnEveryDoor sends an alias through each door and checks the
// provider got the alias's model and the answer names it.
func TestAliasOnEveryDoor(t *testing.T) {
	t.Parallel()
	s := newStackWith(t, testrig.Options{Settings: aliasSettings})
	for _, tc := range []struct {
		door, body, fake, fakePath, wantModel string
	}{
		{"/v1/chat/completions", chatBody("fast", "hi", ""), "cerebras", "/chat/completions", "cerebras/gpt-oss-120b"},
		{"/v1/chat/completions", chatBody("fast", "hi", `,"stream":true`), "cerebras", "/chat/completions", "cerebras/gpt-oss-120b"},
		{"/v1/messages", `{"model":"fast","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}`, "cerebras", "/chat/completions", "cerebras/gpt-oss-120b"},
		{"/v1/messages", `{"model":"fim","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}`, "deepseek", "/anthropic/v1/messages", "deepseek/deepseek-flash"},
		{"/v1/responses", `{"model":"fast","input":"hi"}`, "cerebras", "/chat/completions", "cerebras/gpt-oss-120b"},
		{"/v1/embeddings", `{"model":"emb","input":"a"}`, "openai", "/embeddings", "openai/text-embedding-3-small"},
		{"/v1/completions", `{"model":"fim","prompt":"def f(","suffix":"return 1"}`, "deepseek", "/beta/completions", "deepseek/deepseek-flash"},
	} {
		before := len(s.fakes[tc.fake].Requests())
		resp, body := s.do(t, "POST", tc.door, tc.body)
		if resp.StatusCode != 200 {
			t.Errorf("%s %s: got %d %s", tc.door, tc.body, resp.StatusCode, body)
			continue
		}
		if got := resp.Header.Get("X-ThinkCloud-Model"); got != tc.wantModel {
			t.Errorf("%s %s: X-ThinkCloud-Model %q; want %q", tc.door, tc.body, got, tc.wantModel)
		}
		reqs := s.fakes[tc.fake].Requests()
		if len(reqs) != before+1 {
			t.Errorf("%s %s: %s got %d requests; want 1", tc.door, tc.body, tc.fake, len(reqs)-before)
			continue
		}
		last := reqs[len(reqs)-1]
		var sent struct{ Model string }
		json.Unmarshal(last.Body, &sent)
		_, upstream, _ := strings.Cut(tc.wantModel, "/")
		if !strings.HasSuffix(last.Path, tc.fakePath) || sent.Model != upstream {
			t.Errorf("%s %s: the provider got %s model %q; want %s model %q", tc.door, tc.body, last.Path, sent.Model, tc.fakePath, upstream)
		}
	}
}

func TestAliasesListed(t *testing.T) {
	t.Parallel()
	s := newStackWith(t, testrig.Options{Settings: aliasSettings})
	_, body := s.do(t, "GET", "/v1/models", "")
	var list struct {
		Data []struct {
			ID     string
			Source string
			Chain  []string
		}
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	found := map[string][]string{}
	for _, m := range list.Data {
		if m.Source == "alias" {
			found[m.ID] = m.Chain
		}
	}
	if len(found) != 4 || strings.Join(found["coder"], ",") != "kimi/kimi-k2.7-code,deepseek/deepseek-v4-pro,dashscope/qwen3-coder-flash" || len(found["fast"]) != 1 {
		t.Fatalf("aliases listed: %v", found)
	}
}

// TestChainFirstProviderDown is the end-to-end case: Kimi is
// unreachable, so "coder" answers from DeepSeek, and says so.
func TestChainFirstProviderDown(t *testing.T) {
	t.Parallel()
	dead := httptest.NewServer(nil)
	deadURL := dead.URL
	dead.Close()
	s := newStackWith(t, testrig.Options{Settings: aliasSettings, Env: map[string]string{"KIMI_BASE_URL": deadURL + "/v1"}})
	for _, stream := range []string{"", `,"stream":true`} {
		before := len(s.fakes["deepseek"].Requests())
		resp, body := s.do(t, "POST", "/v1/chat/completions", chatBody("coder", "hi", stream))
		if resp.StatusCode != 200 {
			t.Fatalf("got %d %s", resp.StatusCode, body)
		}
		if got := resp.Header.Get("X-ThinkCloud-Model"); got != "deepseek/deepseek-v4-pro" {
			t.Errorf("X-ThinkCloud-Model %q; want deepseek/deepseek-v4-pro", got)
		}
		if !strings.Contains(string(body), `"model":"deepseek-v4-pro"`) {
			t.Errorf("the answer's model field does not name deepseek-v4-pro: %s", body)
		}
		if n := len(s.fakes["deepseek"].Requests()) - before; n != 1 {
			t.Errorf("deepseek got %d requests; want 1", n)
		}
		if n := len(s.fakes["kimi"].Requests()); n != 0 {
			t.Errorf("the kimi fake got %d requests though its URL was moved to a dead port", n)
		}
	}
	if !strings.Contains(s.logs.String(), "provider=deepseek") {
		t.Errorf("the request log does not name the provider that answered:\n%s", s.logs.String())
	}
}

// TestChainSkipsProviderWithoutKey: a chain starting at a provider with
// no key answers from the next model on the chat and Messages doors.
func TestChainSkipsProviderWithoutKey(t *testing.T) {
	t.Parallel()
	s := newStackWith(t, testrig.Options{Settings: aliasSettings, Fakes: []string{"deepseek", "dashscope", "cerebras", "openai"}})
	for _, tc := range []struct{ door, body string }{
		{"/v1/chat/completions", chatBody("coder", "hi", "")},
		{"/v1/messages", `{"model":"coder","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}`},
	} {
		resp, body := s.do(t, "POST", tc.door, tc.body)
		if resp.StatusCode != 200 || resp.Header.Get("X-ThinkCloud-Model") != "deepseek/deepseek-v4-pro" {
			t.Errorf("%s: got %d %q %s; want deepseek to answer", tc.door, resp.StatusCode, resp.Header.Get("X-ThinkCloud-Model"), body)
		}
	}
}
