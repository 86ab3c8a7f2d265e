package desktop

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"thinkcloud/backend/history"
)

// compare puts text to models (stream ids cmp-<i> with prefix) and returns
// the result; the answers are still streaming.
func (r *rig) compare(t *testing.T, convID, text string, models ...string) (CompareResult, []string) {
	t.Helper()
	req := CompareRequest{ConversationID: convID, Text: text}
	var ids []string
	for _, m := range models {
		id := r.streamID()
		ids = append(ids, id)
		req.Answers = append(req.Answers, CompareAnswer{StreamID: id, Model: m})
	}
	res, err := r.chat.Compare(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Answers) != len(models) {
		t.Fatalf("got %d answers; want %d", len(res.Answers), len(models))
	}
	return res, ids
}

func TestCompareStoresSiblings(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, "deepseek", "openai", "kimi")
	models := []string{"deepseek-flash", "gpt-6-luna", "kimi-k2.6"}
	res, streams := r.compare(t, "", "which is best?", models...)
	var want []string
	for i, id := range streams {
		evs := r.rec.wait(t, id)
		if last := evs[len(evs)-1]; last.Kind != KindDone || last.MessageID != res.Answers[i].AssistantMessageID {
			t.Errorf("%s: last event %+v; want done for message %s", models[i], last, res.Answers[i].AssistantMessageID)
		}
		if got, w := joined(evs, KindDelta), "Hello from "; !strings.HasPrefix(got, w) || !strings.Contains(got, models[i]) {
			t.Errorf("%s streamed %q", models[i], got)
		}
		want = append(want, res.Answers[i].AssistantMessageID)
	}
	msgs := r.stored(t, res.ConversationID)
	if len(msgs) != 2 || msgs[0].ID != res.UserMessageID || msgs[1].ID != want[0] || !slices.Equal(msgs[1].Versions, want) {
		t.Fatalf("stored path %+v; want the question and the first answer with versions %v", msgs, want)
	}
	hs := NewHistoryService(r.chat.base, ReadyHistory(r.hist), nil)
	for i, id := range want {
		d, err := hs.SelectVersion(res.ConversationID, id)
		if err != nil {
			t.Fatal(err)
		}
		a := d.Messages[1]
		if a.ID != id || a.ParentID != res.UserMessageID || a.Model != models[i] || a.Status != string(history.StatusComplete) ||
			!strings.Contains(a.Content, models[i]) {
			t.Errorf("version %d: %+v; want %s's complete answer under the question", i+1, a, models[i])
		}
	}
}

func TestCompareOneFailsOthersFinish(t *testing.T) {
	t.Parallel()
	// Cerebras (gpt-oss-120b) is configured but unreachable.
	r := newRig(t, map[string]string{"CEREBRAS_API_KEY": "k", "CEREBRAS_BASE_URL": "http://127.0.0.1:1/v1"}, "deepseek")
	res, streams := r.compare(t, "", "hi", "gpt-oss-120b", "deepseek-flash")
	bad, good := r.rec.wait(t, streams[0]), r.rec.wait(t, streams[1])
	if last := bad[len(bad)-1]; last.Kind != KindError || last.Error == nil || last.Error.Kind != ErrUnreachable {
		t.Errorf("failing column ended with %+v; want error unreachable", last)
	}
	if last := good[len(good)-1]; last.Kind != KindDone || joined(good, KindDelta) != "Hello from deepseek (deepseek-flash)." {
		t.Errorf("other column ended with %+v, text %q; want its whole answer", last, joined(good, KindDelta))
	}
	hs := NewHistoryService(r.chat.base, ReadyHistory(r.hist), nil)
	d, err := hs.SelectVersion(res.ConversationID, res.Answers[1].AssistantMessageID)
	if err != nil || d.Messages[1].Status != string(history.StatusComplete) {
		t.Fatalf("the good answer is stored as %+v, %v", d.Messages, err)
	}
	// Retry of the failed column is a regenerate of it: the good answer stays.
	if _, err := r.chat.Regenerate("retry", res.ConversationID, res.Answers[0].AssistantMessageID, "deepseek-flash", Params{}); err != nil {
		t.Fatal(err)
	}
	r.rec.wait(t, "retry")
	msgs := r.stored(t, res.ConversationID)
	if len(msgs[1].Versions) != 3 || msgs[1].Status != history.StatusComplete {
		t.Errorf("after retry: %+v; want a third complete version", msgs[1])
	}
}

func TestCompareStopOneLeavesOthers(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, "kimi", "deepseek")
	// trigger:endless streams until stopped.
	res, streams := r.compare(t, "", "trigger:endless", "kimi-k2.6", "deepseek-flash")
	waitFor(t, "both columns streaming text", func() bool {
		r.rec.mu.Lock()
		defer r.rec.mu.Unlock()
		return joined(r.rec.events[streams[0]], KindDelta) != "" && joined(r.rec.events[streams[1]], KindDelta) != ""
	})
	r.chat.Stop(streams[0])
	evs := r.rec.wait(t, streams[0])
	if last := evs[len(evs)-1]; last.Error == nil || last.Error.Kind != ErrStopped {
		t.Fatalf("stopped column ended with %+v", last)
	}
	// The other column goes on: more text arrives after the stop.
	r.rec.mu.Lock()
	before := len(joined(r.rec.events[streams[1]], KindDelta))
	r.rec.mu.Unlock()
	waitFor(t, "the other column to keep streaming", func() bool {
		r.rec.mu.Lock()
		defer r.rec.mu.Unlock()
		return len(joined(r.rec.events[streams[1]], KindDelta)) > before
	})
	r.chat.Stop(streams[1])
	r.rec.wait(t, streams[1])
	hs := NewHistoryService(r.chat.base, ReadyHistory(r.hist), nil)
	for _, a := range res.Answers {
		d, err := hs.SelectVersion(res.ConversationID, a.AssistantMessageID)
		if err != nil || d.Messages[1].Status != string(history.StatusStopped) || d.Messages[1].Content == "" {
			t.Errorf("stored %+v, %v; want a stopped answer with its text", d.Messages, err)
		}
	}
}

// waitFor polls cond with a generous bound (a hang, not a duration, fails).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func TestCompareContinueWithChosen(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, "deepseek", "openai")
	first, _ := r.send(t, SendRequest{Model: "deepseek-flash", Text: "before"})
	res, streams := r.compare(t, first.ConversationID, "question", "deepseek-flash", "gpt-6-luna")
	for _, id := range streams {
		r.rec.wait(t, id)
	}
	hs := NewHistoryService(r.chat.base, ReadyHistory(r.hist), nil)
	if _, err := hs.SelectVersion(res.ConversationID, res.Answers[1].AssistantMessageID); err != nil {
		t.Fatal(err)
	}
	next, _ := r.send(t, SendRequest{ConversationID: res.ConversationID, Model: "gpt-6-luna", Text: "go on"})
	var body struct {
		Messages []struct{ Role, Content string } `json:"messages"`
	}
	if err := json.Unmarshal(r.fakes["openai"].Last(), &body); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range body.Messages {
		got = append(got, m.Role+": "+m.Content)
	}
	want := []string{"user: before", "assistant: Hello from deepseek (deepseek-flash).", "user: question",
		"assistant: Hello from openai (gpt-6-luna).", "user: go on"}
	if !slices.Equal(got, want) {
		t.Errorf("next request carried\n%q\nwant\n%q", got, want)
	}
	msgs := r.stored(t, res.ConversationID)
	if len(msgs) != 6 || msgs[3].ID != res.Answers[1].AssistantMessageID || msgs[4].ID != next.UserMessageID || msgs[4].ParentID != msgs[3].ID {
		t.Errorf("path after continuing: %+v", msgs)
	}
	// The other answer keeps no later turns: the new turn hangs under the chosen one only.
	d, err := hs.SelectVersion(res.ConversationID, res.Answers[0].AssistantMessageID)
	if err != nil || len(d.Messages) != 4 {
		t.Errorf("the unchosen answer's path: %+v, %v; want it to end at the answer", d.Messages, err)
	}
}

func TestCompareRejects(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, "deepseek")
	for _, tc := range []struct {
		name string
		req  CompareRequest
	}{
		{"one model", CompareRequest{Text: "hi", Answers: []CompareAnswer{{StreamID: "a1", Model: "deepseek-flash"}}}},
		{"five models", CompareRequest{Text: "hi", Answers: slices.Repeat([]CompareAnswer{{Model: "deepseek-flash"}}, 5)}},
		{"empty", CompareRequest{Answers: []CompareAnswer{{StreamID: "b1", Model: "deepseek-flash"}, {StreamID: "b2", Model: "deepseek-flash"}}}},
		{"same stream id", CompareRequest{Text: "hi", Answers: []CompareAnswer{{StreamID: "c1", Model: "deepseek-flash"}, {StreamID: "c1", Model: "deepseek-flash"}}}},
		{"unknown model", CompareRequest{Text: "hi", Answers: []CompareAnswer{{StreamID: "d1", Model: "deepseek-flash"}, {StreamID: "d2", Model: "no-such-model"}}}},
	} {
		if _, err := r.chat.Compare(tc.req); err == nil {
			t.Errorf("%s: Compare succeeded; want an error", tc.name)
		}
	}
	// A rejected request gives its stream ids back.
	r.chat.mu.Lock()
	left := len(r.chat.streams)
	r.chat.mu.Unlock()
	if left != 0 {
		t.Errorf("%d stream ids still claimed after rejected requests", left)
	}
	res, streams := r.compare(t, "", "hi", "deepseek-flash", "deepseek-flash")
	for _, id := range streams {
		r.rec.wait(t, id)
	}
	if msgs := r.stored(t, res.ConversationID); len(msgs[1].Versions) != 2 {
		t.Errorf("the same model twice: %+v; want two versions", msgs[1])
	}
}
