package gateway

import (
	"io"
	"strings"
	"testing"
)

// TestSSEEventNames: Anthropic streams name each event, and the reader
// keeps the name with its data.
func TestSSEEventNames(t *testing.T) {
	t.Parallel()
	r := NewSSEReader(strings.NewReader("event: message_start\ndata: {\"a\":1}\n\n: keep-alive\n\nevent:ping\r\ndata: {}\r\n\r\ndata: plain\n\ndata: [DONE]\n\n"))
	defer r.Release()
	for _, want := range []struct{ name, data string }{{"message_start", `{"a":1}`}, {"", ""}, {"ping", "{}"}, {"", "plain"}} {
		ev, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if string(ev.Name) != want.name || string(ev.Data) != want.data {
			t.Errorf("got %q %q; want %q %q", ev.Name, ev.Data, want.name, want.data)
		}
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("got %v; want io.EOF", err)
	}
}

// TestCachedTokens: each provider's spelling of prompt-cache hits.
func TestCachedTokens(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		chunk string
		want  int
	}{
		{`{"usage":{"prompt_tokens":20,"completion_tokens":2,"prompt_tokens_details":{"cached_tokens":8}}}`, 8},
		{`{"usage":{"prompt_tokens":20,"completion_tokens":2,"prompt_cache_hit_tokens":5,"prompt_cache_miss_tokens":15}}`, 5},
		{`{"choices":[{"index":0,"delta":{},"usage":{"prompt_tokens":20,"completion_tokens":2,"cached_tokens":3}}]}`, 3},
		{`{"usage":{"prompt_tokens":20,"completion_tokens":2}}`, 0},
	} {
		u := InspectChunk([]byte(tc.chunk)).Usage
		if u == nil || u.CachedTokens != tc.want || u.PromptTokens != 20 {
			t.Errorf("%s: got %+v; want %d cached of 20", tc.chunk, u, tc.want)
		}
	}
}

func TestSigningKey(t *testing.T) {
	t.Parallel()
	keys := map[string]string{"a": "key-1", "b": "key-1"}
	r := &Router{Upstream: func(p string) (Upstream, error) { return Upstream{Key: keys[p]}, nil }}
	a1, _ := r.SigningKey("a")
	a2, _ := r.SigningKey("a")
	b, _ := r.SigningKey("b")
	if string(a1) != string(a2) || string(a1) == string(b) || strings.Contains(string(a1), "key-1") {
		t.Error("a signing key must be stable per provider, differ between providers, and not be the API key")
	}
	keys["a"] = "key-2"
	if a3, _ := r.SigningKey("a"); string(a3) == string(a1) {
		t.Error("a new API key must make a new signing key")
	}
}
