package gateway

import "testing"

func TestJoinPath(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ base, path, want string }{
		{"https://api.deepseek.com/v1", "/chat/completions", "https://api.deepseek.com/v1/chat/completions"},
		{"https://api.deepseek.com/v1/", "/embeddings", "https://api.deepseek.com/v1/embeddings"},
		{"https://api.deepseek.com/v1", "../beta/completions", "https://api.deepseek.com/beta/completions"},
		{"http://127.0.0.1:9/v1", "../beta/completions", "http://127.0.0.1:9/beta/completions"},
		{"https://dashscope.aliyuncs.com/compatible-mode/v1", "responses", "https://dashscope.aliyuncs.com/compatible-mode/v1/responses"},
		{"https://host", "../../x", "https://host/x"}, // never climbs above the host
	} {
		if got := joinPath(tc.base, tc.path); got != tc.want {
			t.Errorf("joinPath(%q, %q) = %q; want %q", tc.base, tc.path, got, tc.want)
		}
	}
}

func TestServes(t *testing.T) {
	t.Parallel()
	r := catalogRouter(t)
	for _, tc := range []struct {
		model, kind string
		want        bool
	}{
		{"gpt-6-luna", EndpointResponses, true},
		{"gpt-6-luna", EndpointEmbeddings, true},
		{"deepseek-flash", EndpointCompletions, true},
		{"deepseek-flash", EndpointResponses, false},
		{"qwen-plus", EndpointEmbeddings, true},
		{"kimi-k2.6", EndpointEmbeddings, false},
		{"qwen-3.8-27b", EndpointCompletions, false},
	} {
		target, e := r.Target(tc.model)
		if e != nil {
			t.Fatal(e)
		}
		if _, ok := target.Serves(tc.kind); ok != tc.want {
			t.Errorf("%s serves %s: got %v; want %v", tc.model, tc.kind, ok, tc.want)
		}
		call, e := target.PassThrough(tc.kind, tc.model, []byte(`{}`), false)
		if (e == nil) != tc.want || (e != nil && (e.Status != 404 || e.Code != "unsupported_by_provider")) {
			t.Errorf("%s PassThrough %s: got %v", tc.model, tc.kind, e)
		}
		if call != nil && call.Path == "" {
			t.Errorf("%s PassThrough %s: empty path", tc.model, tc.kind)
		}
	}
}
