package history

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestBeginTurnNewConversation(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	got, err := s.BeginTurn(ctx, TurnStart{New: Conversation{Title: "hello"}, User: &Message{Content: "hi"}, Model: "m", Provider: "p"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Messages) != 1 || got.Messages[0].Content != "hi" || got.Messages[0].ID != got.UserMessageID {
		t.Fatalf("messages for the model: %+v", got.Messages)
	}
	c, msgs, err := s.GetConversation(ctx, got.ConversationID)
	if err != nil || c.Title != "hello" || len(msgs) != 2 {
		t.Fatalf("stored: %+v %d messages %v", c, len(msgs), err)
	}
	if msgs[1].ID != got.AssistantMessageID || msgs[1].Status != StatusStreaming || msgs[1].Model != "m" || msgs[1].Role != RoleAssistant {
		t.Errorf("answer: %+v", msgs[1])
	}
}

// TestBeginTurnIsOneTransaction checks that a turn that fails part-way
// (here: the message to make a new version of is gone) leaves nothing of itself behind:
// no changed model, no user message, no answer.
func TestBeginTurnIsOneTransaction(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	c := mustConversation(t, s, Conversation{Title: "t", Model: "old"})
	first := mustMessage(t, s, c.ID, RoleUser, "one")
	mustMessage(t, s, c.ID, RoleAssistant, "answer one")
	model := "new"
	_, err := s.BeginTurn(ctx, TurnStart{ConversationID: c.ID, Patch: Patch{Model: &model}, VersionOf: "no-such-message",
		User: &Message{Content: "two"}, Model: "new"})
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("got %v; want ErrNotFound", err)
	}
	after, msgs, _ := s.GetConversation(ctx, c.ID)
	if after.Model != "old" || len(msgs) != 2 {
		t.Errorf("a failed turn changed the conversation: model %q, %d messages", after.Model, len(msgs))
	}

	// Edit: a new version of the first message and its answer, in one go.
	got, err := s.BeginTurn(ctx, TurnStart{ConversationID: c.ID, Patch: Patch{Model: &model}, VersionOf: first.ID,
		User: &Message{Content: "one, edited"}, Model: "new"})
	if err != nil {
		t.Fatal(err)
	}
	after, msgs, _ = s.GetConversation(ctx, c.ID)
	if after.Model != "new" || len(msgs) != 2 || msgs[0].Content != "one, edited" || msgs[1].ID != got.AssistantMessageID {
		t.Errorf("after edit: model %q, messages %+v", after.Model, msgs)
	}
	if _, err := s.BeginTurn(ctx, TurnStart{ConversationID: "gone", Model: "m"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing conversation: got %v; want ErrNotFound", err)
	}
}

// TestBeginTurnSiblings checks that a comparison's answers are versions of
// one another under the one user message, the first one shown.
func TestBeginTurnSiblings(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	got, err := s.BeginTurn(ctx, TurnStart{New: Conversation{Title: "cmp"}, User: &Message{Content: "which?"}, Model: "a", Provider: "pa",
		Siblings: []Answerer{{Model: "b", Provider: "pb"}, {Model: "c", Provider: "pc", Thinking: "high"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.SiblingIDs) != 2 {
		t.Fatalf("got %d sibling ids; want 2", len(got.SiblingIDs))
	}
	_, msgs, err := s.GetConversation(ctx, got.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{got.AssistantMessageID, got.SiblingIDs[0], got.SiblingIDs[1]}
	if len(msgs) != 2 || msgs[1].ID != got.AssistantMessageID || !slices.Equal(msgs[1].Versions, want) {
		t.Fatalf("stored path %+v; want the first answer with versions %v", msgs, want)
	}
	for _, id := range got.SiblingIDs {
		if err := s.SelectMessage(ctx, got.ConversationID, id); err != nil {
			t.Fatal(err)
		}
		_, msgs, _ := s.GetConversation(ctx, got.ConversationID)
		if msgs[1].ID != id || msgs[1].ParentID != got.UserMessageID || msgs[1].Status != StatusStreaming {
			t.Errorf("selecting %s shows %+v", id, msgs[1])
		}
	}
	if _, msgs, _ := s.GetConversation(ctx, got.ConversationID); msgs[1].Model != "c" || msgs[1].Thinking != "high" {
		t.Errorf("third answer stored as %+v; want model c thinking high", msgs[1])
	}
}
