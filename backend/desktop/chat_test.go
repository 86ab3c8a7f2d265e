package desktop

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"thinkcloud/backend/fakeupstream"
	"thinkcloud/backend/history"
	"thinkcloud/backend/internal/testrig"
)

// recorder collects chat:stream events per stream.
type recorder struct {
	mu     sync.Mutex
	events map[string][]StreamEvent
	done   map[string]chan struct{}
}

func (r *recorder) emit(name string, payload any) {
	ev, ok := payload.(StreamEvent)
	if name != "chat:stream" || !ok {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events[ev.StreamID] = append(r.events[ev.StreamID], ev)
	if ev.Kind == KindDone || ev.Kind == KindError {
		r.ch(ev.StreamID) <- struct{}{}
	}
}

func (r *recorder) ch(id string) chan struct{} {
	if r.done[id] == nil {
		r.done[id] = make(chan struct{}, 1)
	}
	return r.done[id]
}

// wait returns the stream's events once its final event arrived.
func (r *recorder) wait(t *testing.T, id string) []StreamEvent {
	t.Helper()
	r.mu.Lock()
	c := r.ch(id)
	r.mu.Unlock()
	select {
	case <-c:
	case <-time.After(10 * time.Second):
		t.Fatalf("stream %s did not end", id)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]StreamEvent(nil), r.events[id]...)
}

type rig struct {
	chat  *ChatService
	hist  *history.Store
	rec   *recorder
	fakes map[string]*fakeupstream.Fake
	ids   atomic.Int64
}

// streamID is a new stream id, chosen as the window chooses one.
func (r *rig) streamID() string { return "stream-" + strconv.FormatInt(r.ids.Add(1), 10) }

// newRig wires the chat to fakes of kinds (keys set), a real SQLite
// history and an in-memory keyring.
func newRig(t *testing.T, env map[string]string, kinds ...string) *rig {
	t.Helper()
	return newRigWith(t, testrig.Options{Fakes: kinds, Env: env})
}

// newRigWith is newRig with settings.json and the rig's other options.
func newRigWith(t *testing.T, opts testrig.Options) *rig {
	t.Helper()
	tr := testrig.New(t, opts)
	r := &rig{rec: &recorder{events: map[string][]StreamEvent{}, done: map[string]chan struct{}{}}, fakes: tr.Fakes}
	ctx, cancel := context.WithCancel(context.Background())
	r.hist = tr.History(t)
	r.chat = NewChatService(ctx, tr.Core, ReadyHistory(r.hist), r.rec.emit)
	r.chat.BatchInterval = 5 * time.Millisecond
	t.Cleanup(func() { cancel(); r.chat.wait() })
	return r
}

func joined(evs []StreamEvent, kind string) string {
	var b strings.Builder
	for _, e := range evs {
		if e.Kind == kind {
			b.WriteString(e.Text)
		}
	}
	return b.String()
}

// send sends req (with a new stream id unless it has one) and returns
// the stream's events once it ended.
func (r *rig) send(t *testing.T, req SendRequest) (SendResult, []StreamEvent) {
	t.Helper()
	if req.StreamID == "" {
		req.StreamID = r.streamID()
	}
	res, err := r.chat.Send(req)
	if err != nil {
		t.Fatal(err)
	}
	return res, r.rec.wait(t, req.StreamID)
}

func (r *rig) stored(t *testing.T, convID string) []history.Message {
	t.Helper()
	_, msgs, err := r.hist.GetConversation(context.Background(), convID)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func TestSendStreamsAndSaves(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, "deepseek")
	res, evs := r.send(t, SendRequest{Model: "deepseek-flash", Text: "hi"})
	if got := joined(evs, KindDelta); got != "Hello from deepseek (deepseek-flash)." {
		t.Errorf("got answer %q", got)
	}
	last := evs[len(evs)-1]
	if last.Kind != KindDone || last.Usage == nil || last.Usage.PromptTokens != 9 || last.Stats == nil {
		t.Errorf("got final event %+v; want done with usage and stats", last)
	}
	for i := 1; i < len(evs); i++ {
		if evs[i].Seq != evs[i-1].Seq+1 {
			t.Fatalf("seq %d after %d", evs[i].Seq, evs[i-1].Seq)
		}
	}
	msgs := r.stored(t, res.ConversationID)
	if len(msgs) != 2 || msgs[0].Content != "hi" || msgs[1].Status != history.StatusComplete || msgs[1].Content != "Hello from deepseek (deepseek-flash)." {
		t.Fatalf("stored %+v", msgs)
	}
	if msgs[1].Usage.CompletionTokens == 0 || msgs[1].Stats.TokensPerSecond == 0 {
		t.Errorf("stats not stored: %+v %+v", msgs[1].Usage, msgs[1].Stats)
	}
	// The second turn carries the first one as context.
	_, _ = r.send(t, SendRequest{ConversationID: res.ConversationID, Model: "deepseek-flash", Text: "again"})
	var body struct {
		Messages []map[string]any `json:"messages"`
	}
	json.Unmarshal(r.fakes["deepseek"].Last(), &body)
	if len(body.Messages) != 3 || body.Messages[1]["role"] != "assistant" {
		t.Errorf("second request messages: %v", body.Messages)
	}
}

func TestReasoningAndThinkTags(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, "deepseek", "cerebras")
	res, evs := r.send(t, SendRequest{Model: "deepseek-v4-pro", Text: "why?"})
	if got := joined(evs, KindReasoning); got != "Let me think about this step by step." {
		t.Errorf("got reasoning %q", got)
	}
	if st := evs[len(evs)-1].Stats; st == nil || st.ReasoningMs < 0 {
		t.Errorf("got stats %+v", st)
	}
	if msgs := r.stored(t, res.ConversationID); msgs[1].Reasoning != "Let me think about this step by step." {
		t.Errorf("stored reasoning %q", msgs[1].Reasoning)
	}
	_, evs = r.send(t, SendRequest{Model: "gpt-oss-120b", Text: "trigger:think"})
	if c, th := joined(evs, KindDelta), joined(evs, KindReasoning); c != "The answer is 42." || th != "Pondering the question." {
		t.Errorf("got content %q thinking %q", c, th)
	}
	_, evs = r.send(t, SendRequest{Model: "cerebras/gpt-oss-120b", Text: "hi"})
	if got := joined(evs, KindReasoning); !strings.Contains(got, "step by step") {
		t.Errorf("Cerebras reasoning field: got %q", got)
	}
}

func TestStop(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, "kimi")
	r.chat.SaveInterval = 20 * time.Millisecond
	// trigger:endless runs until stopped: trigger:slow's 2 s could end
	// before a busy machine got to the Stop below.
	res, err := r.chat.Send(SendRequest{StreamID: "slow", Model: "kimi-k2.6", Text: "trigger:endless"})
	if err != nil {
		t.Fatal(err)
	}
	// Wait for text to be saved mid-stream, then stop.
	deadline := time.Now().Add(5 * time.Second)
	for {
		msgs := r.stored(t, res.ConversationID)
		if len(msgs) == 2 && msgs[1].Status == history.StatusStreaming && msgs[1].Content != "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no partial answer saved while streaming: %+v", msgs)
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.chat.Stop("slow")
	evs := r.rec.wait(t, "slow")
	last := evs[len(evs)-1]
	if last.Kind != KindDone || last.Error == nil || last.Error.Kind != ErrStopped {
		t.Fatalf("got %+v; want done/stopped", last)
	}
	msgs := r.stored(t, res.ConversationID)
	if msgs[1].Status != history.StatusStopped || !strings.Contains(msgs[1].Content, "word") {
		t.Errorf("stored %+v", msgs[1])
	}
	for deadline := time.Now().Add(3 * time.Second); r.fakes["kimi"].Cancelled() == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the provider request was not cancelled")
		}
	}
}

func TestErrorKinds(t *testing.T) {
	t.Parallel()
	r := newRig(t, map[string]string{"CEREBRAS_API_KEY": "k", "CEREBRAS_BASE_URL": "http://127.0.0.1:1/v1"}, "deepseek", "kimi", "openai")
	for _, tc := range []struct{ model, text, kind string }{
		{"deepseek-flash", "trigger:402", ErrInsufficientBalance},
		{"kimi-k2.6", "trigger:quota", ErrInsufficientBalance},
		{"gpt-6-luna", "trigger:429", ErrRateLimited},
		{"qwen-plus", "hi", ErrNoKey},
		{"gpt-oss-120b", "hi", ErrUnreachable},
		{"deepseek-flash", "trigger:cut", ErrUnreachable},
		{"gpt-4-turbo", "hi", ErrRetired}, // shut down: the answer names the successors
	} {
		res, evs := r.send(t, SendRequest{Model: tc.model, Text: tc.text})
		last := evs[len(evs)-1]
		if last.Kind != KindError || last.Error == nil || last.Error.Kind != tc.kind || last.Error.Message == "" {
			t.Errorf("%s %s: got %+v; want error %s", tc.model, tc.text, last, tc.kind)
			continue
		}
		if want := "gpt-4-turbo was shut down by OpenAI on 2026-10-23; use gpt-6.1-sol or gpt-6.2-sol"; tc.kind == ErrRetired && last.Error.Message != want {
			t.Errorf("retired: got %q; want %q", last.Error.Message, want)
		}
		if msgs := r.stored(t, res.ConversationID); msgs[1].Status != history.StatusError || msgs[1].Error == "" ||
			msgs[1].ErrorKind != tc.kind {
			t.Errorf("%s: stored %+v; want status error, the text and kind %s", tc.model, msgs[1], tc.kind)
		}
		// The window reads it back, after a restart too, through the history service.
		d, err := NewHistoryService(context.Background(), ReadyHistory(r.hist), nil).Get(res.ConversationID)
		if err != nil || len(d.Messages) != 2 || d.Messages[1].ErrorKind != tc.kind || d.Messages[1].Error != last.Error.Message {
			t.Errorf("%s: history view %+v, %v; want error %q of kind %s", tc.model, d.Messages, err, last.Error.Message, tc.kind)
		}
	}
}

func TestParamsReachProvider(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, "kimi", "dashscope", "deepseek")
	zero := 0.0
	// A model that takes a temperature (Kimi's current ones fix it: see
	// TestWindowKimiFixedTemperature).
	r.send(t, SendRequest{Model: "qwen-plus", Text: "hi", Params: Params{Temperature: &zero, System: "Be brief."}})
	var body map[string]any
	json.Unmarshal(r.fakes["dashscope"].Last(), &body)
	if v, ok := body["temperature"]; !ok || v != 0.0 {
		t.Errorf("temperature 0 was not sent: %v", body)
	}
	if msgs := body["messages"].([]any); msgs[0].(map[string]any)["role"] != "system" {
		t.Errorf("system prompt missing: %v", msgs)
	}
	// Model defaults (no built-in model has any since the 2026-12
	// catalog) are covered by gateway.TestPrepareTurnDialects.
	on := true
	r.send(t, SendRequest{Model: "qwen3.8-flash", Text: "hi", Params: Params{Thinking: &on}})
	body = map[string]any{}
	json.Unmarshal(r.fakes["dashscope"].Last(), &body)
	if body["enable_thinking"] != true || body["stream"] != true {
		t.Errorf("DashScope thinking switch: %v", body)
	}
	off := false
	r.send(t, SendRequest{Model: "deepseek-flash", Text: "hi", Params: Params{Thinking: &off}})
	body = map[string]any{}
	json.Unmarshal(r.fakes["deepseek"].Last(), &body)
	if th, _ := body["thinking"].(map[string]any); th["type"] != "disabled" {
		t.Errorf("DeepSeek thinking switch: %v", body)
	}
}

func TestBatching(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, "openai")
	r.chat.BatchInterval = 30 * time.Millisecond
	_, evs := r.send(t, SendRequest{Model: "gpt-6-luna", Text: "trigger:tokens=2000"})
	if got := joined(evs, KindDelta); got != strings.Repeat(" tok", 2000) {
		t.Fatalf("got %d bytes of answer; want %d", len(got), 4*2000)
	}
	if n := len(evs); n > 200 {
		t.Errorf("2000 tokens produced %d events; want them batched", n)
	}
}

func TestRegenerateAndEdit(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, "deepseek", "openai")
	res, _ := r.send(t, SendRequest{Model: "deepseek-flash", Text: "first"})
	if _, err := r.chat.Regenerate("regen", res.ConversationID, res.AssistantMessageID, "gpt-6-luna", Params{}); err != nil {
		t.Fatal(err)
	}
	r.rec.wait(t, "regen")
	msgs := r.stored(t, res.ConversationID)
	if len(msgs) != 2 || msgs[1].Content != "Hello from openai (gpt-6-luna)." || msgs[1].ID == res.AssistantMessageID ||
		!slices.Equal(msgs[1].Versions, []string{res.AssistantMessageID, msgs[1].ID}) {
		t.Fatalf("after regenerate: %+v", msgs)
	}
	if _, err := r.chat.Edit("edit", res.ConversationID, res.UserMessageID, "edited", "deepseek-flash", Params{}); err != nil {
		t.Fatal(err)
	}
	r.rec.wait(t, "edit")
	msgs = r.stored(t, res.ConversationID)
	if len(msgs) != 2 || msgs[0].Content != "edited" || msgs[1].Provider != "deepseek" || len(msgs[0].Versions) != 2 {
		t.Fatalf("after edit: %+v", msgs)
	}
	// The first version, with both of its answers, is one click away.
	hs := NewHistoryService(r.chat.base, ReadyHistory(r.hist), nil)
	d, err := hs.SelectVersion(res.ConversationID, res.UserMessageID)
	if err != nil || len(d.Messages) != 2 || d.Messages[0].Content != "first" || d.Messages[1].Content != "Hello from openai (gpt-6-luna)." ||
		len(d.Messages[1].Versions) != 2 {
		t.Fatalf("back to the first version: %+v, %v", d.Messages, err)
	}
	// Delete the shown answer version, undo, delete for good.
	del, err := hs.DeleteMessage(res.ConversationID, d.Messages[1].ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := hs.Get(res.ConversationID); d.Messages[1].ID != res.AssistantMessageID {
		t.Errorf("after deleting version 2 the path shows %+v; want version 1", d.Messages)
	}
	if err := hs.UndoDelete(del.Op); err != nil {
		t.Fatal(err)
	}
	if d, _ := hs.Get(res.ConversationID); len(d.Messages[1].Versions) != 2 {
		t.Errorf("undo did not bring the version back: %+v", d.Messages[1])
	}
	if err := hs.Purge(del.Op); err != nil {
		t.Fatal(err)
	}
	if err := hs.UndoDelete(del.Op); err == nil {
		t.Errorf("undo after purge succeeded")
	}
}

// An answer that cannot be saved (here the history is closed under it;
// on a user's machine, a full disk) still reaches the window, and its last
// event says it was not saved; a saved answer's last event says nothing.
func TestUnsavedAnswerIsReported(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, "kimi")
	_, evs := r.send(t, SendRequest{Model: "kimi-k2.6", Text: "hi"})
	if last := evs[len(evs)-1]; last.Kind != KindDone || last.SaveError != "" {
		t.Fatalf("saved answer's last event = %+v; want done without saveError", last)
	}
	// trigger:endless streams until it is stopped, however slow or fast
	// the machine: the history closes while the answer is on its way, so
	// whatever ends the answer, its save fails.
	if _, err := r.chat.Send(SendRequest{StreamID: "unsaved", Model: "kimi-k2.6", Text: "trigger:endless"}); err != nil {
		t.Fatal(err)
	}
	delivered := func() string {
		r.rec.mu.Lock()
		defer r.rec.mu.Unlock()
		return joined(r.rec.events["unsaved"], KindDelta)
	}
	waitFor(t, "the answer's first words", func() bool { return delivered() != "" })
	r.hist.Close()
	if err := r.chat.Stop("unsaved"); err != nil {
		t.Fatal(err)
	}
	evs = r.rec.wait(t, "unsaved")
	last := evs[len(evs)-1]
	if last.Kind != KindDone || !strings.Contains(last.SaveError, "closed") {
		t.Fatalf("last event = %+v; want done with a saveError saying why", last)
	}
	if got := joined(evs, KindDelta); got == "" || strings.Trim(strings.ReplaceAll(got, " word", ""), " ") != "" {
		t.Errorf("the unsaved answer did not reach the window as sent: %q", got)
	}
}

// A slow save of the streaming answer (a long answer rewrites the search
// index) must not hold up the text on its way to the window; the answer
// still ends only after the save has.
func TestSlowSaveDoesNotStallTheStream(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, "openai")
	r.chat.SaveInterval = 5 * time.Millisecond
	started, release := make(chan struct{}), make(chan struct{})
	var startOnce, releaseOnce sync.Once
	unblock := func() { releaseOnce.Do(func() { close(release) }) }
	t.Cleanup(unblock) // runs before the rig's cleanup waits for the answer
	r.chat.saveStreaming = func(ctx context.Context, id, content, reasoning string) error {
		startOnce.Do(func() { close(started) })
		<-release
		return r.hist.UpdateStreaming(ctx, id, content, reasoning)
	}
	res, err := r.chat.Send(SendRequest{StreamID: "slow-save", Model: "gpt-6-luna", Text: "trigger:tokens=60@600"})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the answer was never saved while streaming")
	}
	evs := r.rec.wait(t, "slow-save") // every word while the save is stuck
	words := regexp.MustCompile(`\bw\d+\b`)
	if got := len(words.FindAllString(joined(evs, KindDelta), -1)); got != 60 {
		t.Errorf("%d words reached the window; want 60", got)
	}
	ended := make(chan struct{})
	go func() { r.chat.wait(); close(ended) }()
	select {
	case <-ended:
		t.Fatal("the answer ended while its save was still running")
	case <-time.After(50 * time.Millisecond):
	}
	unblock()
	<-ended
	msgs := r.stored(t, res.ConversationID)
	if msgs[1].Status != history.StatusComplete || len(words.FindAllString(msgs[1].Content, -1)) != 60 {
		t.Errorf("stored %s %q…; want the complete answer", msgs[1].Status, msgs[1].Content[:min(40, len(msgs[1].Content))])
	}
}
