package desktop

import (
	"strings"
	"testing"
	"time"
)

// The window chooses the stream id, so every event of its answer, the
// first included, carries the id it already knows: nothing has to be held
// back until Send returns. A Go-made id would fail this.
func TestStreamEventsCarryTheWindowsID(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, "deepseek")
	const id = "0d5c2a4e-9b1f-4c3e-8a7d-6f2b1e0c9a11" // crypto.randomUUID's shape
	_, evs := r.send(t, SendRequest{StreamID: id, Model: "deepseek-flash", Text: "hi"})
	if len(evs) == 0 {
		t.Fatal("no events")
	}
	for _, ev := range evs {
		if ev.StreamID != id {
			t.Fatalf("event %d carries stream id %q; want the window's %q", ev.Seq, ev.StreamID, id)
		}
	}
	r.rec.mu.Lock()
	defer r.rec.mu.Unlock()
	if len(r.rec.events) != 1 {
		t.Errorf("events under %d stream ids; want only the window's", len(r.rec.events))
	}
}

// A malformed id is refused before anything is saved or deleted, by every
// method that starts a stream.
func TestStreamIDIsChecked(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, "deepseek")
	res, _ := r.send(t, SendRequest{Model: "deepseek-flash", Text: "first"})
	for _, id := range []string{"", "has space", "../etc", "émoji", "a\nb", strings.Repeat("x", 65)} {
		if _, err := r.chat.Send(SendRequest{StreamID: id, ConversationID: res.ConversationID, Model: "deepseek-flash", Text: "hi"}); err == nil || !strings.Contains(err.Error(), "stream id") {
			t.Errorf("Send with stream id %q: got %v; want it refused", id, err)
		}
		if _, err := r.chat.Regenerate(id, res.ConversationID, res.AssistantMessageID, "deepseek-flash", Params{}); err == nil {
			t.Errorf("Regenerate with stream id %q succeeded", id)
		}
		if _, err := r.chat.Edit(id, res.ConversationID, res.UserMessageID, "edited", "deepseek-flash", Params{}); err == nil {
			t.Errorf("Edit with stream id %q succeeded", id)
		}
	}
	if msgs := r.stored(t, res.ConversationID); len(msgs) != 2 || msgs[0].Content != "first" || msgs[1].ID != res.AssistantMessageID {
		t.Errorf("refused requests changed the conversation: %+v", msgs)
	}
	if _, evs := r.send(t, SendRequest{StreamID: strings.Repeat("x", 64), Model: "deepseek-flash", Text: "hi"}); len(evs) == 0 {
		t.Error("a 64-character id was not streamed")
	}
}

// An id in use by a running answer is refused, and the refused turn is
// not saved; the running answer is not disturbed.
func TestStreamIDInUse(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, "kimi")
	res, err := r.chat.Send(SendRequest{StreamID: "busy", Model: "kimi-k2.6", Text: "trigger:slow"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.chat.Send(SendRequest{StreamID: "busy", ConversationID: res.ConversationID, Model: "kimi-k2.6", Text: "again"}); err == nil || !strings.Contains(err.Error(), "already in use") {
		t.Errorf("second Send with a running stream's id: got %v; want already in use", err)
	}
	if _, err := r.chat.Regenerate("busy", res.ConversationID, res.AssistantMessageID, "kimi-k2.6", Params{}); err == nil || !strings.Contains(err.Error(), "already in use") {
		t.Errorf("Regenerate with a running stream's id: got %v; want already in use", err)
	}
	if msgs := r.stored(t, res.ConversationID); len(msgs) != 2 || msgs[0].Content != "trigger:slow" {
		t.Errorf("a refused turn was saved: %+v", msgs)
	}
	// A request that fails after claiming its id gives it back.
	if _, err := r.chat.Send(SendRequest{StreamID: "failed", Model: "no-such-model", Text: "hi"}); err == nil {
		t.Fatal("Send to an unknown model succeeded")
	}
	if err := r.chat.checkStreamID("failed"); err != nil {
		t.Errorf("after a failed Send its id is not free: %v", err)
	}
	r.chat.Stop("busy")
	evs := r.rec.wait(t, "busy")
	if last := evs[len(evs)-1]; last.Error == nil || last.Error.Kind != ErrStopped {
		t.Errorf("the running answer ended with %+v; want it stopped by Stop", last)
	}
	// Once it has ended, its id is free again.
	deadline := time.Now().Add(5 * time.Second)
	for r.chat.checkStreamID("busy") != nil {
		if time.Now().After(deadline) {
			t.Fatal("the ended stream's id is still in use")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
