package desktop

import (
	"context"
	"testing"
	"time"

	"thinkcloud/backend/internal/testrig"
	"thinkcloud/backend/usage"
)

// TestWindowChatIsLogged: the window's answers land in the request log as
// door "window", token "window", with what ran and its tokens, and the
// dashboard's queries read them back.
func TestWindowChatIsLogged(t *testing.T) {
	t.Parallel()
	tr, r, ctx := loggedChat(t, testrig.Options{Fakes: []string{"deepseek"}, Usage: true})

	r.send(t, SendRequest{Model: "deepseek-flash", Text: "hi"})
	r.send(t, SendRequest{Model: "deepseek-flash", Text: "trigger:402"})
	if err := tr.Core.UsageLog().Flush(ctx); err != nil {
		t.Fatal(err)
	}
	svc := NewUsageService(ctx, tr.Core)
	page, err := svc.Requests(usage.Filter{Since: time.Now().Add(-time.Hour)}, 0, 0)
	if err != nil || len(page.Rows) != 2 {
		t.Fatalf("rows %+v, %v; want 2", page.Rows, err)
	}
	failed, ok := page.Rows[0], page.Rows[1]
	if ok.Door != usage.DoorWindow || ok.Token != usage.TokenWindow || ok.Provider != "deepseek" || ok.Model != "deepseek-flash" ||
		ok.Status != 200 || ok.Input != 9 || ok.Output == 0 || ok.Estimated || ok.TTFT <= 0 {
		t.Errorf("answer row %+v", ok)
	}
	if failed.Status != 402 || failed.ErrorKind == "" {
		t.Errorf("failed answer row %+v; want 402 with its kind", failed)
	}
	totals, err := svc.Totals(usage.Filter{Status: "error"}, usage.ByDoor)
	if err != nil || len(totals) != 1 || totals[0].Key != usage.DoorWindow || totals[0].Errors != 1 {
		t.Errorf("error totals %+v, %v", totals, err)
	}
	if h, _ := svc.Health(); h.Off || h.Written != 2 || h.Behind {
		t.Errorf("health %+v", h)
	}
}

// TestWindowFallbackIsLogged: an alias whose first model has no key
// answers from the next one in the window too, and the row counts the
// move and the retry that model needed.
func TestWindowFallbackIsLogged(t *testing.T) {
	t.Parallel()
	tr, r, ctx := loggedChat(t, testrig.Options{Fakes: []string{"deepseek"}, Usage: true,
		Settings: `{"version":1,"aliases":[{"name":"chain","models":["kimi/kimi-k3","deepseek/deepseek-flash"]}]}`})

	r.send(t, SendRequest{Model: "chain", Text: "trigger:429x1"})
	r.send(t, SendRequest{Model: "deepseek-flash", Text: "hi"})
	if err := tr.Core.UsageLog().Flush(ctx); err != nil {
		t.Fatal(err)
	}
	page, err := NewUsageService(ctx, tr.Core).Requests(usage.Filter{}, 0, 0)
	if err != nil || len(page.Rows) != 2 {
		t.Fatalf("rows %+v, %v; want 2", page.Rows, err)
	}
	plain, chained := page.Rows[0], page.Rows[1]
	if chained.Status != 200 || chained.Provider != "deepseek" || chained.Fallbacks != 1 || chained.Retries != 1 {
		t.Errorf("chained answer row %+v; want 200 from deepseek, 1 fallback, 1 retry", chained)
	}
	if plain.Fallbacks != 0 || plain.Retries != 0 {
		t.Errorf("plain answer row %+v; want no fallback, no retry", plain)
	}
}

// loggedChat is the window's chat over a core made with opts.
func loggedChat(t *testing.T, opts testrig.Options) (*testrig.Rig, *rig, context.Context) {
	t.Helper()
	tr := testrig.New(t, opts)
	rec := &recorder{events: map[string][]StreamEvent{}, done: map[string]chan struct{}{}}
	ctx, cancel := context.WithCancel(context.Background())
	r := &rig{rec: rec, fakes: tr.Fakes, hist: tr.History(t)}
	r.chat = NewChatService(ctx, tr.Core, ReadyHistory(r.hist), rec.emit)
	t.Cleanup(func() { cancel(); r.chat.wait() })
	return tr, r, ctx
}
