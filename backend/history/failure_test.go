package history

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// savedState is everything a failed write must leave untouched.
type savedState struct {
	conversations []Conversation
	messages      []Message
}

func snapshot(t *testing.T, s *Store, convID string) savedState {
	t.Helper()
	list, err := s.ListConversations(context.Background(), 0, 0)
	if err != nil {
		t.Fatalf("ListConversations: %v", err)
	}
	_, msgs, err := s.GetConversation(context.Background(), convID)
	if err != nil {
		t.Fatalf("GetConversation: %v", err)
	}
	return savedState{list, msgs}
}

// seedForFailure saves a conversation with a user message and a streaming
// answer, and returns the ids a failing write will target.
func seedForFailure(t *testing.T, s *Store) (convID, userID, streamID string) {
	t.Helper()
	c := mustConversation(t, s, Conversation{Title: "precious"})
	userID = mustMessage(t, s, c.ID, RoleUser, "saved before trouble").ID
	streamID, err := s.BeginAssistant(context.Background(), c.ID, "gpt-6-luna", "openai")
	if err != nil {
		t.Fatalf("BeginAssistant: %v", err)
	}
	if err := s.UpdateStreaming(context.Background(), streamID, "partial answer", "partial thought"); err != nil {
		t.Fatalf("UpdateStreaming: %v", err)
	}
	return c.ID, userID, streamID
}

// writeAttempts lists every kind of write the store performs.
func writeAttempts(s *Store, convID, userID, streamID, text string) map[string]func(context.Context) error {
	doc := fmt.Sprintf(`{"format":"thinkcloud.conversation","version":1,"conversation":{"title":"x"},
		"messages":[{"role":"user","content":%q}]}`, text)
	title := "renamed " + text
	return map[string]func(context.Context) error{
		"CreateConversation": func(ctx context.Context) error {
			_, err := s.CreateConversation(ctx, Conversation{Title: text})
			return err
		},
		"AddMessage": func(ctx context.Context) error {
			_, err := s.AddMessage(ctx, Message{ConversationID: convID, Role: RoleUser, Content: text})
			return err
		},
		"BeginAssistant": func(ctx context.Context) error {
			_, err := s.BeginAssistant(ctx, convID, text, "p")
			return err
		},
		"UpdateStreaming": func(ctx context.Context) error { return s.UpdateStreaming(ctx, streamID, text, text) },
		"Finish": func(ctx context.Context) error {
			return s.Finish(ctx, streamID, Final{Status: StatusComplete, Content: text})
		},
		"UpdateConversation": func(ctx context.Context) error { return s.UpdateConversation(ctx, convID, Patch{Title: &title}) },
		"DeleteMessagesFrom": func(ctx context.Context) error { return s.DeleteMessagesFrom(ctx, convID, userID) },
		"DeleteConversation": func(ctx context.Context) error { return s.DeleteConversation(ctx, convID) },
		"ImportJSON": func(ctx context.Context) error {
			_, err := s.ImportJSON(ctx, []byte(doc))
			return err
		},
	}
}

// TestDiskFull makes the database unable to grow (PRAGMA max_page_count, the
// same SQLITE_FULL a full disk produces) and checks that writes that need
// space fail with ErrDiskFull while everything saved before survives.
func TestDiskFull(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	convID, userID, streamID := seedForFailure(t, s)
	before := snapshot(t, s, convID)
	s.db.SetMaxOpenConns(1) // The connection PRAGMAs below apply to every later call.
	var pages int
	if err := s.db.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("a long answer that does not fit ", 20000)
	for _, name := range []string{"AddMessage", "UpdateStreaming", "Finish", "ImportJSON", "CreateConversation"} {
		err := writeAttempts(s, convID, userID, streamID, big)[name](ctx)
		if !errors.Is(err, ErrDiskFull) {
			t.Errorf("%s on a full disk: error = %v; want ErrDiskFull", name, err)
		}
	}
	if after := snapshot(t, s, convID); !reflect.DeepEqual(after, before) {
		t.Errorf("saved rows changed by failed writes:\n got %+v\nwant %+v", after, before)
	}
	checkIntegrity(t, s)
	if _, err := s.db.Exec(`PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateStreaming(ctx, streamID, big, ""); err != nil {
		t.Errorf("UpdateStreaming once space is back: %v", err)
	}
}

// TestQueryOnlyRejectsWrites puts the connection in PRAGMA query_only mode,
// which fails writes with SQLITE_READONLY exactly as read-only storage does,
// and checks every write method reports ErrReadOnly and changes nothing.
func TestQueryOnlyRejectsWrites(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	convID, userID, streamID := seedForFailure(t, s)
	before := snapshot(t, s, convID)
	s.db.SetMaxOpenConns(1)
	if _, err := s.db.Exec(`PRAGMA query_only = 1`); err != nil {
		t.Fatal(err)
	}
	for name, write := range writeAttempts(s, convID, userID, streamID, "blocked") {
		err := write(context.Background())
		if !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s on a read-only database: error = %v; want ErrReadOnly", name, err)
		}
	}
	if after := snapshot(t, s, convID); !reflect.DeepEqual(after, before) {
		t.Errorf("saved rows changed by failed writes:\n got %+v\nwant %+v", after, before)
	}
	if hits, err := s.Search(context.Background(), "trouble", 10); err != nil || len(hits) != 1 {
		t.Errorf("Search on a read-only database = %d hits, %v; want 1", len(hits), err)
	}
}
