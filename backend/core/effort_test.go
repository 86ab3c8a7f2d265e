package core_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/internal/testrig"
)

// TestEndpointEffortConvenience: on /v1/chat/completions a client's
// standard reasoning_effort reaches Kimi's K3 as a level it accepts
// (medium becomes high); with endpoint.keepReasoningEffort in
// settings.json it arrives exactly as sent, and the fake, like Kimi,
// refuses it. Applying the setting takes effect without a restart.
func TestEndpointEffortConvenience(t *testing.T) {
	t.Parallel()
	builtin, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.New(builtin.Providers(), []catalog.Model{
		{ID: "k3", Provider: "kimi", Upstream: "kimi-k3", Think: &catalog.Thinking{Mode: catalog.ReasoningAlways, Efforts: []string{"low", "high", "max"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	rig := testrig.New(t, testrig.Options{Fakes: []string{"kimi"}, Catalog: cat})
	h, err := rig.Core.Handler()
	if err != nil {
		t.Fatal(err)
	}
	const body = `{"model":"k3","messages":[{"role":"user","content":"hi"}],"reasoning_effort":"medium"}`
	post := func() (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("POST", "http://127.0.0.1/v1/chat/completions", strings.NewReader(body)))
		return rec.Code, rec.Body.String()
	}
	if code, out := post(); code != 200 {
		t.Fatalf("convenience on: got %d %s", code, out)
	}
	if got, want := string(rig.Fakes["kimi"].Last()), strings.Replace(strings.Replace(body, `"medium"`, `"high"`, 1), `"k3"`, `"kimi-k3"`, 1); got != want {
		t.Errorf("convenience on: arrived %s; want %s", got, want)
	}

	s := rig.Core.Current()
	s.Endpoint.KeepReasoningEffort = true
	if err := rig.Core.ApplySettings(s); err != nil {
		t.Fatal(err)
	}
	code, out := post()
	if code != 400 || !strings.Contains(out, `Invalid value for reasoning_effort: \"medium\"`) {
		t.Errorf("opted out: got %d %s; want Kimi's 400 for medium", code, out)
	}
	if got := string(rig.Fakes["kimi"].Last()); !strings.Contains(got, `"reasoning_effort":"medium"`) {
		t.Errorf("opted out: arrived %s; want medium as sent", got)
	}
}
