package history

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestAnswerKeepsThinking: how the model was asked to think is stored on
// the answer, survives its finish, and travels through an export.
func TestAnswerKeepsThinking(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	got, err := s.BeginTurn(ctx, TurnStart{New: Conversation{Title: "t", Model: "m"}, User: &Message{Content: "hi"},
		Model: "m", Provider: "p", Thinking: "high"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Finish(ctx, got.AssistantMessageID, Final{Status: StatusComplete, Content: "ok"}); err != nil {
		t.Fatal(err)
	}
	_, msgs, err := s.GetConversation(ctx, got.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if msgs[1].Thinking != "high" || msgs[0].Thinking != "" {
		t.Errorf("thinking: user %q, answer %q; want \"\" and high", msgs[0].Thinking, msgs[1].Thinking)
	}
	doc, err := s.ExportJSON(ctx, got.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), `"thinking": "high"`) {
		t.Errorf("export lacks the thinking choice:\n%s", doc)
	}
}

// TestLastParams: a model's newest conversation gives its params; a
// model never used gives none.
func TestLastParams(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	for _, p := range []string{`{"reasoningEffort":"low"}`, `{"reasoningEffort":"max"}`} {
		if _, err := s.BeginTurn(ctx, TurnStart{New: Conversation{Title: "t", Model: "m", Params: json.RawMessage(p)}, Model: "m"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.BeginTurn(ctx, TurnStart{New: Conversation{Title: "t", Model: "other", Params: json.RawMessage(`{"reasoningEffort":"none"}`)}, Model: "other"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.LastParams(ctx, "m")
	if err != nil || string(got) != `{"reasoningEffort":"max"}` {
		t.Errorf("m: got %s, %v; want the newest", got, err)
	}
	if got, err := s.LastParams(ctx, "never"); err != nil || got != nil {
		t.Errorf("never: got %s, %v; want nothing", got, err)
	}
}
