package gateway

import (
	"strings"
	"testing"
)

// TestRetiredModel: every way into the gateway (a client's body, a door's
// target, the window's turn) answers a retired id with the same 404, and
// Kind classifies it so the window offers the successor, not a retry.
func TestRetiredModel(t *testing.T) {
	t.Parallel()
	r := catalogRouter(t)
	_, prep := r.Prepare([]byte(`{"model":"gpt-4-turbo","messages":[{"role":"user","content":"hi"}]}`))
	_, tgt := r.Target("kimi-k2-thinking")
	_, turn := r.PrepareTurn(Turn{Model: "deepseek-chat", Messages: []TurnMessage{{Role: "user", Content: "hi"}}})
	for _, tc := range []struct {
		door string
		e    *Error
		want string
	}{
		{"Prepare", prep, "gpt-4-turbo was shut down by OpenAI on 2026-10-23; use gpt-6.1-sol or gpt-6.2-sol"},
		{"Target", tgt, "kimi-k2-thinking was shut down by Kimi (Moonshot) on 2026-05-25; use kimi-k2.6 or kimi-k3"},
		{"PrepareTurn", turn, "deepseek-chat was shut down by DeepSeek on 2026-07-24; use deepseek-flash"},
	} {
		if tc.e == nil {
			t.Fatalf("%s: no error for a retired model", tc.door)
		}
		if tc.e.Status != 404 || tc.e.Code != "model_retired" || tc.e.Param != "model" || tc.e.Message != tc.want || tc.e.Kind() != KindRetired {
			t.Errorf("%s: got %d %s %q kind %s; want 404 model_retired %q", tc.door, tc.e.Status, tc.e.Code, tc.e.Message, tc.e.Kind(), tc.want)
		}
		if env := string(tc.e.Envelope()); !strings.Contains(env, `"code":"model_retired"`) || !strings.Contains(env, `"type":"invalid_request_error"`) {
			t.Errorf("%s: envelope %s", tc.door, env)
		}
	}
	// An unknown name stays model_not_found.
	if _, e := r.Target("no-such-model"); e == nil || e.Code != "model_not_found" || e.Kind() != KindBadRequest {
		t.Errorf("unknown model: %+v", e)
	}
}
