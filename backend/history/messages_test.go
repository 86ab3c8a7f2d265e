package history

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
)

func TestAddMessageRejectsBadInput(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	c := mustConversation(t, s, Conversation{Title: "a"})
	tests := []struct {
		name string
		msg  Message
		want error
	}{
		{"unknown role", Message{ConversationID: c.ID, Role: "robot"}, ErrInvalid},
		{"unknown status", Message{ConversationID: c.ID, Role: RoleUser, Status: "done"}, ErrInvalid},
		{"streaming", Message{ConversationID: c.ID, Role: RoleAssistant, Status: StatusStreaming}, ErrInvalid},
		{"images not JSON", Message{ConversationID: c.ID, Role: RoleUser, Images: json.RawMessage(`[`)}, ErrInvalid},
		{"images not array", Message{ConversationID: c.ID, Role: RoleUser, Images: json.RawMessage(`"a.png"`)}, ErrInvalid},
		{"missing conversation", Message{ConversationID: "nope", Role: RoleUser}, ErrNotFound},
	}
	for _, tt := range tests {
		if _, err := s.AddMessage(context.Background(), tt.msg); !errors.Is(err, tt.want) {
			t.Errorf("%s: error = %v; want %v", tt.name, err, tt.want)
		}
	}
	m, err := s.AddMessage(context.Background(), Message{ConversationID: c.ID, Role: RoleUser,
		Images: json.RawMessage(` ["data:image/png;base64,AAAA", "/tmp/cat.png"] `)})
	if err != nil {
		t.Fatalf("AddMessage with images: %v", err)
	}
	if string(m.Images) != `["data:image/png;base64,AAAA","/tmp/cat.png"]` {
		t.Errorf("images = %s; want the compacted array", m.Images)
	}
}

func TestStreamingLifecycle(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	c := mustConversation(t, s, Conversation{Title: "a"})
	mustMessage(t, s, c.ID, RoleUser, "question")
	id, err := s.BeginAssistant(ctx, c.ID, "deepseek-v4-pro", "deepseek")
	if err != nil {
		t.Fatalf("BeginAssistant: %v", err)
	}
	if err := s.UpdateStreaming(ctx, id, "partial", "thinking"); err != nil {
		t.Fatalf("UpdateStreaming: %v", err)
	}
	_, msgs, _ := s.GetConversation(ctx, c.ID)
	if got := msgs[1]; got.Status != StatusStreaming || got.Content != "partial" || got.Reasoning != "thinking" {
		t.Fatalf("streaming message = %+v; want streaming/partial/thinking", got)
	}
	final := Final{Status: StatusComplete, Content: "answer", Reasoning: "thought",
		Usage: Usage{PromptTokens: 10, CompletionTokens: 20},
		Stats: Stats{FirstTokenMs: 300, TokensPerSecond: 42.5, ReasoningMs: 1200}}
	if err := s.Finish(ctx, id, final); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	_, msgs, _ = s.GetConversation(ctx, c.ID)
	got := msgs[1]
	if got.Status != StatusComplete || got.Content != "answer" || got.Reasoning != "thought" ||
		got.Usage != final.Usage || got.Stats != final.Stats || got.Model != "deepseek-v4-pro" {
		t.Errorf("finished message = %+v; want the final state", got)
	}
	if err := s.UpdateStreaming(ctx, id, "late", ""); !errors.Is(err, ErrNotStreaming) {
		t.Errorf("UpdateStreaming after Finish error = %v; want ErrNotStreaming", err)
	}
	if err := s.Finish(ctx, id, final); !errors.Is(err, ErrNotStreaming) {
		t.Errorf("second Finish error = %v; want ErrNotStreaming", err)
	}
	if err := s.UpdateStreaming(ctx, "missing", "x", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("UpdateStreaming(missing) error = %v; want ErrNotFound", err)
	}
	if err := s.Finish(ctx, id, Final{Status: StatusStreaming}); !errors.Is(err, ErrInvalid) {
		t.Errorf("Finish(streaming) error = %v; want ErrInvalid", err)
	}
	if _, err := s.BeginAssistant(ctx, "missing", "m", "p"); !errors.Is(err, ErrNotFound) {
		t.Errorf("BeginAssistant(missing) error = %v; want ErrNotFound", err)
	}
}

// TestErrorKindRoundTrips checks that an error's kind is stored beside its
// text, by Finish and by AddMessage, and comes back after reopening the
// database, so the window can still offer the right way out.
func TestErrorKindRoundTrips(t *testing.T) {
	t.Parallel()
	s, path := openStore(t)
	ctx := context.Background()
	c := mustConversation(t, s, Conversation{Title: "a"})
	mustMessage(t, s, c.ID, RoleUser, "question")
	streamed, err := s.BeginAssistant(ctx, c.ID, "deepseek-flash", "deepseek")
	if err != nil {
		t.Fatalf("BeginAssistant: %v", err)
	}
	if err := s.Finish(ctx, streamed, Final{Status: StatusError, Error: "401 Unauthorized", ErrorKind: "invalid_key"}); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	added, err := s.AddMessage(ctx, Message{ConversationID: c.ID, Role: RoleAssistant, Status: StatusError,
		Error: "no key for deepseek", ErrorKind: "no_key"})
	if err != nil || added.ErrorKind != "no_key" {
		t.Fatalf("AddMessage = %+v, %v; want kind no_key", added, err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	_, msgs, err := s.GetConversation(ctx, c.ID)
	if err != nil || len(msgs) != 3 {
		t.Fatalf("GetConversation = %d messages, %v; want 3", len(msgs), err)
	}
	want := []struct {
		status     Status
		text, kind string
	}{
		{StatusComplete, "", ""},
		{StatusError, "401 Unauthorized", "invalid_key"},
		{StatusError, "no key for deepseek", "no_key"},
	}
	for i, m := range msgs {
		if m.Status != want[i].status || m.Error != want[i].text || m.ErrorKind != want[i].kind {
			t.Errorf("message %d: status %q, error %q, kind %q; want %q, %q, %q", i,
				m.Status, m.Error, m.ErrorKind, want[i].status, want[i].text, want[i].kind)
		}
	}
}

func TestDeleteMessagesFrom(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	c := mustConversation(t, s, Conversation{Title: "a"})
	other := mustConversation(t, s, Conversation{Title: "b"})
	var ids []string
	for _, text := range []string{"one", "two", "three", "four"} {
		ids = append(ids, mustMessage(t, s, c.ID, RoleUser, text).ID)
	}
	if err := s.DeleteMessagesFrom(ctx, other.ID, ids[2]); !errors.Is(err, ErrNotFound) {
		t.Errorf("DeleteMessagesFrom(other conversation) error = %v; want ErrNotFound", err)
	}
	if err := s.DeleteMessagesFrom(ctx, c.ID, ids[2]); err != nil {
		t.Fatalf("DeleteMessagesFrom: %v", err)
	}
	_, msgs, _ := s.GetConversation(ctx, c.ID)
	var got []string
	for _, m := range msgs {
		got = append(got, m.Content)
	}
	if !slices.Equal(got, []string{"one", "two"}) {
		t.Fatalf("messages after delete = %v; want [one two]", got)
	}
	if m := mustMessage(t, s, c.ID, RoleUser, "resent"); m.Position != 3 {
		t.Errorf("position after delete = %d; want 3", m.Position)
	}
}
