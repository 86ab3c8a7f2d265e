package desktop

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/internal/testrig"
	"thinkcloud/backend/usage"
)

// titleRig is a chat over a deepseek fake whose settings name the title
// model; titles collects conversation:title events.
type titleRig struct {
	*rig
	tr     *testrig.Rig
	mu     sync.Mutex
	titles []TitleEvent
}

func newTitleRig(t *testing.T, titles string, wrap func(http.RoundTripper) http.RoundTripper) *titleRig {
	t.Helper()
	settings := ""
	if titles != "" {
		settings = `{"version": 1, "titles": ` + titles + `}`
	}
	tr := testrig.New(t, testrig.Options{Fakes: []string{"deepseek"}, Settings: settings, Usage: true, WrapTransport: wrap})
	r := &titleRig{tr: tr, rig: &rig{rec: &recorder{events: map[string][]StreamEvent{}, done: map[string]chan struct{}{}}, fakes: tr.Fakes}}
	ctx, cancel := context.WithCancel(context.Background())
	r.hist = tr.History(t)
	r.chat = NewChatService(ctx, tr.Core, ReadyHistory(r.hist), func(name string, payload any) {
		if ev, ok := payload.(TitleEvent); ok && name == string(Topics.ConversationTitle) {
			r.mu.Lock()
			r.titles = append(r.titles, ev)
			r.mu.Unlock()
		}
		r.rec.emit(name, payload)
	})
	t.Cleanup(func() { cancel(); r.chat.wait() })
	return r
}

// onceBodies are the non-streamed requests the fake got: title requests.
func (r *titleRig) onceBodies(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, rec := range r.fakes["deepseek"].Requests() {
		var body map[string]any
		if json.Unmarshal(rec.Body, &body) == nil && body["stream"] == false {
			out = append(out, body)
		}
	}
	return out
}

func (r *titleRig) title(t *testing.T, convID string) string {
	t.Helper()
	c, _, err := r.hist.GetConversation(context.Background(), convID)
	if err != nil {
		t.Fatal(err)
	}
	return c.Title
}

const paidFlash = `{"auto": true, "model": "deepseek-flash", "paidModel": "deepseek-flash"}`

// TestTitleWritten: after the first answer of a new conversation, one
// non-streamed request to the title model (thinking off, a small
// max_tokens, the exchange in it) names the conversation, the window
// hears of it, and the request log has the row; a later turn asks nothing.
func TestTitleWritten(t *testing.T) {
	t.Parallel()
	r := newTitleRig(t, paidFlash, nil)
	res, _ := r.send(t, SendRequest{Model: "deepseek-flash", Text: "How do rainbows form?"})
	r.chat.wait()
	bodies := r.onceBodies(t)
	if len(bodies) != 1 {
		t.Fatalf("got %d title requests; want 1", len(bodies))
	}
	m, err := r.tr.Core.Resolve("deepseek-flash")
	if err != nil {
		t.Fatal(err)
	}
	b := bodies[0]
	if b["model"] != m.Upstream || b["max_tokens"] != float64(titleMaxTokens) || b["stream_options"] != nil {
		t.Errorf("title body model %v, max_tokens %v, stream_options %v; want %s, %d, none", b["model"], b["max_tokens"], b["stream_options"], m.Upstream, titleMaxTokens)
	}
	if th, _ := b["thinking"].(map[string]any); th["type"] != "disabled" {
		t.Errorf("title body thinking %v; want disabled", b["thinking"])
	}
	raw, _ := json.Marshal(b["messages"])
	if !strings.Contains(string(raw), "How do rainbows form?") || !strings.Contains(string(raw), "Hello from deepseek") {
		t.Errorf("title request messages %s; want the question and the answer", raw)
	}
	want := fmt.Sprintf("Hello from deepseek (%s)", m.Upstream) // the fake's non-streamed answer, without its period
	if got := r.title(t, res.ConversationID); got != want {
		t.Errorf("title %q; want %q", got, want)
	}
	r.mu.Lock()
	events := append([]TitleEvent(nil), r.titles...)
	r.mu.Unlock()
	if len(events) != 1 || events[0] != (TitleEvent{ConversationID: res.ConversationID, Title: want}) {
		t.Errorf("title events %+v", events)
	}

	r.send(t, SendRequest{ConversationID: res.ConversationID, Model: "deepseek-flash", Text: "And double ones?"})
	r.chat.wait()
	if n := len(r.onceBodies(t)); n != 1 {
		t.Errorf("%d title requests after a second turn; want still 1", n)
	}

	if err := r.tr.Core.UsageLog().Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	page, err := r.tr.Core.UsageLog().Requests(context.Background(), usage.Filter{Since: time.Now().Add(-time.Hour)}, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	titled := 0
	for _, row := range page.Rows {
		if row.Client == titleClient {
			titled++
			if row.Door != usage.DoorWindow || row.Status != 200 || row.Model != "deepseek-flash" || row.Output == 0 {
				t.Errorf("title row %+v", row)
			}
		}
	}
	if titled != 1 || len(page.Rows) != 3 {
		t.Errorf("%d rows, %d of them titles; want 3 and 1", len(page.Rows), titled)
	}
}

// TestTitleNotAsked: off (the default), a paid model the user did not
// agree to, a model above the cheap prices: the fake gets no title
// request at all and the first-line title stays.
func TestTitleNotAsked(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, titles string }{
		{"default", ""},
		{"off", `{"auto": false, "model": "deepseek-flash", "paidModel": "deepseek-flash"}`},
		{"paid, not agreed", `{"auto": true, "model": "deepseek-flash"}`},
		{"agreed to another", `{"auto": true, "model": "deepseek-flash", "paidModel": "gpt-6-luna"}`},
		{"expensive", `{"auto": true, "model": "deepseek-v4-pro", "paidModel": "deepseek-v4-pro"}`},
		{"unknown", `{"auto": true, "model": "no-such-model", "paidModel": "no-such-model"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newTitleRig(t, tc.titles, nil)
			res, _ := r.send(t, SendRequest{Model: "deepseek-flash", Text: "How do rainbows form?"})
			r.chat.wait()
			if n := len(r.fakes["deepseek"].Requests()); n != 1 {
				t.Errorf("the fake got %d requests; want 1 (the answer, no title)", n)
			}
			if got := r.title(t, res.ConversationID); got != "How do rainbows form?" {
				t.Errorf("title %q; want the first line", got)
			}
		})
	}
}

// TestTitleRenameWins: the user renames the conversation while the title
// request is out; the model's title does not replace the user's.
func TestTitleRenameWins(t *testing.T) {
	t.Parallel()
	asked, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	wrap := func(next http.RoundTripper) http.RoundTripper {
		return roundTrip(func(req *http.Request) (*http.Response, error) {
			body, _ := io.ReadAll(req.Body)
			req.Body = io.NopCloser(bytes.NewReader(body))
			if bytes.Contains(body, []byte(`"stream":false`)) {
				once.Do(func() { close(asked) })
				<-release
			}
			return next.RoundTrip(req)
		})
	}
	r := newTitleRig(t, paidFlash, wrap)
	res, _ := r.send(t, SendRequest{Model: "deepseek-flash", Text: "How do rainbows form?"})
	select {
	case <-asked:
	case <-time.After(10 * time.Second):
		t.Fatal("no title request")
	}
	hs := NewHistoryService(context.Background(), ReadyHistory(r.hist), nil)
	if err := hs.Rename(res.ConversationID, "Mine"); err != nil {
		t.Fatal(err)
	}
	close(release)
	r.chat.wait()
	if len(r.onceBodies(t)) != 1 {
		t.Fatal("the title request did not reach the fake")
	}
	if got := r.title(t, res.ConversationID); got != "Mine" {
		t.Errorf("title %q; want the user's %q", got, "Mine")
	}
	if len(r.titles) != 0 {
		t.Errorf("title events %+v; want none", r.titles)
	}
}

// TestTitleFailureKeepsFirstLine: a title model that cannot be reached
// (no key) leaves the first-line title, says nothing to the window, and
// logs one line.
func TestTitleFailureKeepsFirstLine(t *testing.T) {
	t.Parallel()
	r := newTitleRig(t, `{"auto": true, "model": "gpt-6-luna", "paidModel": "gpt-6-luna"}`, nil)
	res, evs := r.send(t, SendRequest{Model: "deepseek-flash", Text: "How do rainbows form?"})
	r.chat.wait()
	if evs[len(evs)-1].Kind != KindDone {
		t.Fatalf("answer ended with %+v", evs[len(evs)-1])
	}
	if got := r.title(t, res.ConversationID); got != "How do rainbows form?" {
		t.Errorf("title %q; want the first line", got)
	}
	if n := strings.Count(r.tr.Logs.String(), "no conversation title"); n != 1 {
		t.Errorf("%d log lines about the title; want 1:\n%s", n, r.tr.Logs.String())
	}
	if len(r.titles) != 0 {
		t.Errorf("title events %+v; want none", r.titles)
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestCleanTitle(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"Rainbows and light", "Rainbows and light"},
		{"\n\n  \"Rainbows and light.\"  \nsecond line", "Rainbows and light"},
		{"Title: **How rainbows form**", "How rainbows form"},
		{"标题：「彩虹的形成」。", "彩虹的形成"},
		{"'  spaced\tout   words '", "spaced out words"},
		{strings.Repeat("长", 80), strings.Repeat("长", 60)},
		{"   \n ", ""},
	} {
		if got := cleanTitle(tc.in); got != tc.want {
			t.Errorf("cleanTitle(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestTitleCost(t *testing.T) {
	t.Parallel()
	usd := func(in, out float64) []catalog.Price {
		return []catalog.Price{{Currency: "USD", Input: in, Output: out}}
	}
	for _, tc := range []struct {
		name string
		m    catalog.Model
		want string
	}{
		{"free", catalog.Model{Prices: usd(0, 0)}, TitleFree},
		{"cheap", catalog.Model{Prices: usd(0.3, 1.2)}, TitleCheap},
		{"dear output", catalog.Model{Prices: usd(0.3, 4)}, ""},
		{"dear input", catalog.Model{Prices: usd(0.99, 1.49)}, ""},
		{"no price", catalog.Model{}, ""},
		{"cny only", catalog.Model{Prices: []catalog.Price{{Currency: "CNY", Input: 2, Output: 8}}}, TitleCheap},
		{"usd wins", catalog.Model{Prices: []catalog.Price{{Currency: "CNY", Input: 2, Output: 8}, {Currency: "USD", Input: 3, Output: 15}}}, ""},
		{"always thinks", catalog.Model{Prices: usd(0.3, 0.7), Think: &catalog.Thinking{Mode: catalog.ReasoningAlways, Efforts: []string{"low"}}}, ""},
		{"thinks, can stop", catalog.Model{Prices: usd(0.1, 0.5), Think: &catalog.Thinking{Mode: catalog.ReasoningAlways, Efforts: []string{"none", "low"}}}, TitleCheap},
	} {
		if got := titleCost(nil, tc.m); got != tc.want {
			t.Errorf("%s: titleCost = %q; want %q", tc.name, got, tc.want)
		}
	}
}
