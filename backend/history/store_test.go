package history

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// openStore opens a fresh database in a temporary directory and closes it
// when the test ends.
func openStore(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, path
}

func mustConversation(t *testing.T, s *Store, c Conversation) Conversation {
	t.Helper()
	out, err := s.CreateConversation(context.Background(), c)
	if err != nil {
		t.Fatalf("CreateConversation: %v", err)
	}
	return out
}

func mustMessage(t *testing.T, s *Store, convID string, role Role, content string) Message {
	t.Helper()
	m, err := s.AddMessage(context.Background(), Message{ConversationID: convID, Role: role, Content: content})
	if err != nil {
		t.Fatalf("AddMessage: %v", err)
	}
	return m
}

// checkIntegrity fails the test unless PRAGMA integrity_check reports ok.
func checkIntegrity(t *testing.T, s *Store) {
	t.Helper()
	var res string
	if err := s.db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil {
		t.Fatalf("integrity_check: %v", err)
	}
	if res != "ok" {
		t.Fatalf("integrity_check = %q; want ok", res)
	}
	// Rank 1 also compares each full-text index with the text it indexes.
	for _, fts := range []string{"messages_fts", "messages_words", "messages_symbols"} {
		if _, err := s.db.Exec(`INSERT INTO ` + fts + ` (` + fts + `, rank) VALUES ('integrity-check', 1)`); err != nil {
			t.Fatalf("%s integrity-check: %v", fts, err)
		}
	}
}

func TestCreateAndGetConversation(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	params := json.RawMessage(`{"temperature": 0.7, "thinking": true}`)
	c := mustConversation(t, s, Conversation{Title: "Trip", Model: "deepseek-flash",
		Provider: "deepseek", SystemPrompt: "Be brief.", Params: params, Pinned: true})
	if c.ID == "" || c.CreatedAt.IsZero() || !c.CreatedAt.Equal(c.UpdatedAt) {
		t.Fatalf("created conversation = %+v; want id and equal timestamps", c)
	}
	u := mustMessage(t, s, c.ID, RoleUser, "hi")
	a := mustMessage(t, s, c.ID, RoleAssistant, "hello")

	got, msgs, err := s.GetConversation(ctx, c.ID)
	if err != nil {
		t.Fatalf("GetConversation: %v", err)
	}
	if got.Title != "Trip" || got.Model != "deepseek-flash" || got.Provider != "deepseek" ||
		got.SystemPrompt != "Be brief." || !got.Pinned || string(got.Params) != `{"temperature":0.7,"thinking":true}` {
		t.Errorf("got conversation %+v; want the fields that were saved", got)
	}
	if len(msgs) != 2 || msgs[0].ID != u.ID || msgs[1].ID != a.ID {
		t.Fatalf("got %d messages %+v; want [%s %s]", len(msgs), msgs, u.ID, a.ID)
	}
	if msgs[0].Position != 1 || msgs[1].Position != 2 || msgs[1].Status != StatusComplete {
		t.Errorf("got positions %d,%d status %q; want 1,2 complete", msgs[0].Position, msgs[1].Position, msgs[1].Status)
	}
	if _, _, err := s.GetConversation(ctx, "missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetConversation(missing) error = %v; want ErrNotFound", err)
	}
}

func TestListConversationsOrder(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	add := func(title string, pinned bool, hour int) {
		mustConversation(t, s, Conversation{Title: title, Pinned: pinned,
			CreatedAt: base, UpdatedAt: base.Add(time.Duration(hour) * time.Hour)})
	}
	add("old", false, 1)
	add("pinned-old", true, 2)
	add("new", false, 5)
	add("pinned-new", true, 3)
	add("middle", false, 4)

	tests := []struct {
		limit, offset int
		want          []string
	}{
		{0, 0, []string{"pinned-new", "pinned-old", "new", "middle", "old"}},
		{2, 0, []string{"pinned-new", "pinned-old"}},
		{2, 2, []string{"new", "middle"}},
		{10, 4, []string{"old"}},
		{10, 5, []string{}},
	}
	for _, tt := range tests {
		list, err := s.ListConversations(context.Background(), tt.limit, tt.offset)
		if err != nil {
			t.Fatalf("ListConversations(%d, %d): %v", tt.limit, tt.offset, err)
		}
		titles := []string{}
		for _, c := range list {
			titles = append(titles, c.Title)
		}
		if !slices.Equal(titles, tt.want) {
			t.Errorf("ListConversations(%d, %d) = %v; want %v", tt.limit, tt.offset, titles, tt.want)
		}
	}
	if _, err := s.ListConversations(context.Background(), 10, -1); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative offset error = %v; want ErrInvalid", err)
	}
}

func TestAddMessageMovesConversationUp(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	past := time.Now().Add(-time.Hour)
	older := mustConversation(t, s, Conversation{Title: "older", CreatedAt: past, UpdatedAt: past})
	recent := time.Now().Add(-time.Minute)
	mustConversation(t, s, Conversation{Title: "newer", CreatedAt: recent, UpdatedAt: recent})
	mustMessage(t, s, older.ID, RoleUser, "bump")
	list, err := s.ListConversations(context.Background(), 1, 0)
	if err != nil {
		t.Fatalf("ListConversations: %v", err)
	}
	if len(list) != 1 || list[0].ID != older.ID {
		t.Errorf("first conversation = %+v; want %q after a new message", list, older.Title)
	}
}

func TestUpdateConversation(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	c := mustConversation(t, s, Conversation{Title: "a", Params: json.RawMessage(`{"x":1}`)})
	str := func(v string) *string { return &v }
	yes := true
	params := json.RawMessage(`{"top_p": 0.9}`)
	null := json.RawMessage(`null`)
	tests := []struct {
		name  string
		patch Patch
		check func(Conversation) bool
	}{
		{"rename", Patch{Title: str("renamed")}, func(c Conversation) bool { return c.Title == "renamed" }},
		{"pin", Patch{Pinned: &yes}, func(c Conversation) bool { return c.Pinned }},
		{"model", Patch{Model: str("qwen-max"), Provider: str("qwen")},
			func(c Conversation) bool { return c.Model == "qwen-max" && c.Provider == "qwen" }},
		{"system", Patch{SystemPrompt: str("You are terse.")}, func(c Conversation) bool { return c.SystemPrompt == "You are terse." }},
		{"params", Patch{Params: &params}, func(c Conversation) bool { return string(c.Params) == `{"top_p":0.9}` }},
		{"clear params", Patch{Params: &null}, func(c Conversation) bool { return c.Params == nil }},
		{"empty patch", Patch{}, func(c Conversation) bool { return c.Title == "renamed" }},
	}
	for _, tt := range tests {
		if err := s.UpdateConversation(ctx, c.ID, tt.patch); err != nil {
			t.Fatalf("%s: UpdateConversation: %v", tt.name, err)
		}
		got, _, err := s.GetConversation(ctx, c.ID)
		if err != nil {
			t.Fatalf("%s: GetConversation: %v", tt.name, err)
		}
		if !tt.check(got) {
			t.Errorf("%s: got %+v", tt.name, got)
		}
		if !got.UpdatedAt.Equal(c.UpdatedAt) {
			t.Errorf("%s: updatedAt = %v; want unchanged %v", tt.name, got.UpdatedAt, c.UpdatedAt)
		}
	}
	bad := json.RawMessage(`{"x":`)
	if err := s.UpdateConversation(ctx, c.ID, Patch{Params: &bad}); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad params error = %v; want ErrInvalid", err)
	}
	for _, p := range []Patch{{}, {Title: str("x")}} {
		if err := s.UpdateConversation(ctx, "missing", p); !errors.Is(err, ErrNotFound) {
			t.Errorf("UpdateConversation(missing, %+v) error = %v; want ErrNotFound", p, err)
		}
	}
}

func TestDeleteConversation(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	c := mustConversation(t, s, Conversation{Title: "a"})
	keep := mustConversation(t, s, Conversation{Title: "b"})
	mustMessage(t, s, c.ID, RoleUser, "bye")
	mustMessage(t, s, keep.ID, RoleUser, "stay")
	if err := s.DeleteConversation(ctx, c.ID); err != nil {
		t.Fatalf("DeleteConversation: %v", err)
	}
	if _, _, err := s.GetConversation(ctx, c.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetConversation after delete error = %v; want ErrNotFound", err)
	}
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM messages`).Scan(&n); err != nil || n != 1 {
		t.Errorf("messages left = %d (%v); want 1", n, err)
	}
	if err := s.DeleteConversation(ctx, c.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second DeleteConversation error = %v; want ErrNotFound", err)
	}
	checkIntegrity(t, s)
}

// TestJSONFieldNames pins the camelCase names the window reads through the
// Wails bindings.
func TestJSONFieldNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		value any
		want  []string
	}{
		{Conversation{}, []string{"id", "title", "model", "provider", "systemPrompt", "pinned", "createdAt", "updatedAt"}},
		{Message{}, []string{"id", "conversationId", "position", "role", "content", "reasoning", "model",
			"provider", "status", "error", "errorKind", "usage", "stats", "createdAt", "updatedAt"}},
		{Hit{}, []string{"conversationId", "conversationTitle", "messageId", "role", "snippet", "createdAt"}},
		{Usage{}, []string{"promptTokens", "completionTokens"}},
		{Stats{}, []string{"firstTokenMs", "tokensPerSecond", "reasoningMs"}},
	}
	for _, tt := range tests {
		data, err := json.Marshal(tt.value)
		if err != nil {
			t.Fatalf("Marshal(%T): %v", tt.value, err)
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(data, &fields); err != nil {
			t.Fatalf("Unmarshal(%T): %v", tt.value, err)
		}
		var got []string
		for k := range fields {
			got = append(got, k)
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(tt.want))
		if !slices.Equal(got, want) {
			t.Errorf("%T fields = %v; want %v", tt.value, got, want)
		}
	}
}
