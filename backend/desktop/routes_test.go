package desktop

import (
	"net/http/httptest"
	"slices"
	"testing"

	"thinkcloud/backend/internal/testrig"
)

// TestWindowAliasFallsBack sends an alias from the window whose first
// model's provider is down: the answer comes from the second, and the
// last event names it for the line under the answer.
func TestWindowAliasFallsBack(t *testing.T) {
	t.Parallel()
	dead := httptest.NewServer(nil)
	deadURL := dead.URL
	dead.Close()
	r := newRigWith(t, testrig.Options{Fakes: []string{"kimi", "deepseek"}, Env: map[string]string{"KIMI_BASE_URL": deadURL + "/v1"},
		Settings: `{"version":1,"aliases":[{"name":"coder","models":["kimi/kimi-k2.7-code","deepseek/deepseek-v4-pro"]}]}`})
	_, evs := r.send(t, SendRequest{Model: "coder", Text: "hi"})
	last := evs[len(evs)-1]
	if last.Kind != KindDone || last.Model != "deepseek/deepseek-v4-pro" {
		t.Fatalf("last event %+v; want done naming deepseek/deepseek-v4-pro", last)
	}
	if got := joined(evs, KindDelta); got != "Hello from deepseek (deepseek-v4-pro)." {
		t.Errorf("answer %q", got)
	}
	// After a restart the history still says which model answered.
	if msgs := r.stored(t, evs[0].ConversationID); len(msgs) != 2 || msgs[1].Model != "deepseek/deepseek-v4-pro" || msgs[1].Provider != "deepseek" {
		t.Fatalf("stored answer %+v; want model deepseek/deepseek-v4-pro", msgs)
	}
	ms, err := NewModelsService(r.chat.base, r.chat.core, r.rec.emit).List()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(ms, func(m ModelInfo) bool { return m.ID == "coder" })
	if i < 0 || ms[i].Source != "alias" || !ms[i].Available || len(ms[i].Chain) != 2 {
		t.Fatalf("picker entry for coder: %+v", ms)
	}
}
