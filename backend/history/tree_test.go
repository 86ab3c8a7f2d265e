package history

import (
	"context"
	"errors"
	"slices"
	"testing"
)

// turnOf sends one exchange the way the window does and finishes the
// answer with text, returning the answer's id.
func turnOf(t *testing.T, s *Store, convID string, ts TurnStart, answer string) TurnStarted {
	t.Helper()
	ts.ConversationID = convID
	ts.Model, ts.Provider = "m", "p"
	got, err := s.BeginTurn(context.Background(), ts)
	if err != nil {
		t.Fatalf("BeginTurn: %v", err)
	}
	if err := s.Finish(context.Background(), got.AssistantMessageID, Final{Status: StatusComplete, Content: answer}); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	return got
}

// chat makes a conversation of n exchanges "q1"/"a1", "q2"/"a2", ...
func chat(t *testing.T, s *Store, n int) (string, []TurnStarted) {
	t.Helper()
	c := mustConversation(t, s, Conversation{Title: "tree"})
	var turns []TurnStarted
	for i := 1; i <= n; i++ {
		turns = append(turns, turnOf(t, s, c.ID, TurnStart{User: &Message{Content: "q" + itoa(i)}}, "a"+itoa(i)))
	}
	return c.ID, turns
}

func itoa(i int) string { return string(rune('0' + i)) }

func contents(t *testing.T, s *Store, convID string) []string {
	t.Helper()
	_, msgs, err := s.GetConversation(context.Background(), convID)
	if err != nil {
		t.Fatalf("GetConversation: %v", err)
	}
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.Content
	}
	return out
}

func wantPath(t *testing.T, s *Store, convID string, want ...string) {
	t.Helper()
	if got := contents(t, s, convID); !slices.Equal(got, want) {
		t.Errorf("active path = %q; want %q", got, want)
	}
}

func versionsOf(t *testing.T, s *Store, convID, id string) []string {
	t.Helper()
	_, msgs, _ := s.GetConversation(context.Background(), convID)
	for _, m := range msgs {
		if m.ID == id {
			return m.Versions
		}
	}
	t.Fatalf("message %s is not on the active path", id)
	return nil
}

// Regenerating the first answer of an 8-message conversation keeps the 6
// later messages in the old branch, one SelectMessage away.
func TestRegenerateKeepsLaterTurnsInOldBranch(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	conv, turns := chat(t, s, 4)
	first := turns[0].AssistantMessageID
	re := turnOf(t, s, conv, TurnStart{VersionOf: first}, "a1 again")
	if got := re.Messages; len(got) != 1 || got[0].Content != "q1" {
		t.Errorf("the model was asked about %d messages; want only q1", len(got))
	}
	wantPath(t, s, conv, "q1", "a1 again")
	if v := versionsOf(t, s, conv, re.AssistantMessageID); !slices.Equal(v, []string{first, re.AssistantMessageID}) {
		t.Errorf("versions = %v; want the old answer then the new", v)
	}
	if err := s.SelectMessage(ctx, conv, first); err != nil {
		t.Fatalf("SelectMessage: %v", err)
	}
	wantPath(t, s, conv, "q1", "a1", "q2", "a2", "q3", "a3", "q4", "a4")
	// Back to version 2 lands where that version was left.
	if err := s.SelectMessage(ctx, conv, re.AssistantMessageID); err != nil {
		t.Fatal(err)
	}
	wantPath(t, s, conv, "q1", "a1 again")
}

// Editing the first message of a 4-turn conversation keeps the rest.
func TestEditKeepsTheOldVersionAndItsTurns(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	conv, turns := chat(t, s, 4)
	ed := turnOf(t, s, conv, TurnStart{VersionOf: turns[0].UserMessageID, User: &Message{Content: "q1 edited"}}, "a1'")
	wantPath(t, s, conv, "q1 edited", "a1'")
	if v := versionsOf(t, s, conv, ed.UserMessageID); !slices.Equal(v, []string{turns[0].UserMessageID, ed.UserMessageID}) {
		t.Errorf("versions of the edited message = %v", v)
	}
	// Continuing the new branch grows it, not the old one.
	turnOf(t, s, conv, TurnStart{User: &Message{Content: "q2'"}}, "a2'")
	wantPath(t, s, conv, "q1 edited", "a1'", "q2'", "a2'")
	if err := s.SelectMessage(ctx, conv, turns[0].UserMessageID); err != nil {
		t.Fatal(err)
	}
	wantPath(t, s, conv, "q1", "a1", "q2", "a2", "q3", "a3", "q4", "a4")
}

// Regenerating the last answer keeps the old one as version 1.
func TestRegenerateLastAnswerKeepsVersionOne(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	conv, turns := chat(t, s, 2)
	last := turns[1].AssistantMessageID
	re := turnOf(t, s, conv, TurnStart{VersionOf: last}, "a2 again")
	re2 := turnOf(t, s, conv, TurnStart{VersionOf: re.AssistantMessageID}, "a2 third")
	wantPath(t, s, conv, "q1", "a1", "q2", "a2 third")
	if v := versionsOf(t, s, conv, re2.AssistantMessageID); !slices.Equal(v, []string{last, re.AssistantMessageID, re2.AssistantMessageID}) {
		t.Errorf("versions = %v; want all three, oldest first", v)
	}
	if err := s.SelectMessage(context.Background(), conv, last); err != nil {
		t.Fatal(err)
	}
	wantPath(t, s, conv, "q1", "a1", "q2", "a2")
}

func TestBranchPointIsChecked(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	conv, turns := chat(t, s, 1)
	ctx := context.Background()
	for name, ts := range map[string]TurnStart{
		"regenerate a user message": {ConversationID: conv, VersionOf: turns[0].UserMessageID},
		"edit an answer":            {ConversationID: conv, VersionOf: turns[0].AssistantMessageID, User: &Message{Content: "x"}},
	} {
		if _, err := s.BeginTurn(ctx, ts); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: error = %v; want ErrInvalid", name, err)
		}
	}
	wantPath(t, s, conv, "q1", "a1")
}

func TestDeleteMessageAndUndo(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	conv, turns := chat(t, s, 3)

	// One message alone: hidden, its later turns stay.
	op, err := s.DeleteMessage(ctx, conv, turns[1].UserMessageID, false)
	if err != nil {
		t.Fatalf("DeleteMessage: %v", err)
	}
	wantPath(t, s, conv, "q1", "a1", "a2", "q3", "a3")
	if err := s.UndoDelete(ctx, op); err != nil {
		t.Fatalf("UndoDelete: %v", err)
	}
	wantPath(t, s, conv, "q1", "a1", "q2", "a2", "q3", "a3")

	// A branch: the message and everything after it.
	op, err = s.DeleteMessage(ctx, conv, turns[1].UserMessageID, true)
	if err != nil {
		t.Fatal(err)
	}
	wantPath(t, s, conv, "q1", "a1")
	if hits, _ := s.Search(ctx, "a3", 10); len(hits) != 0 {
		t.Errorf("search finds a deleted message: %+v", hits)
	}
	if err := s.UndoDelete(ctx, op); err != nil {
		t.Fatal(err)
	}
	wantPath(t, s, conv, "q1", "a1", "q2", "a2", "q3", "a3")

	// Deleting one version of an answer shows the other in its place.
	re := turnOf(t, s, conv, TurnStart{VersionOf: turns[2].AssistantMessageID}, "a3 again")
	op, err = s.DeleteMessage(ctx, conv, re.AssistantMessageID, false)
	if err != nil {
		t.Fatal(err)
	}
	wantPath(t, s, conv, "q1", "a1", "q2", "a2", "q3", "a3")
	if v := versionsOf(t, s, conv, turns[2].AssistantMessageID); len(v) != 1 {
		t.Errorf("versions after delete = %v; want only the one left", v)
	}

	// Purging no delete in particular touches nothing.
	if err := s.Purge(ctx, ""); err != nil {
		t.Fatal(err)
	}
	wantPath(t, s, conv, "q1", "a1", "q2", "a2", "q3", "a3")
	// Purged: undo is no longer possible and the rows are gone.
	if err := s.Purge(ctx, op); err != nil {
		t.Fatalf("Purge: %v", err)
	}
	if err := s.UndoDelete(ctx, op); !errors.Is(err, ErrNotFound) {
		t.Errorf("undo after purge: %v; want ErrNotFound", err)
	}
	if n := countRows(t, s, `SELECT count(*) FROM messages WHERE conversation_id = ?`, conv); n != 6 {
		t.Errorf("%d messages stored after purge; want 6", n)
	}
}

// Purging a message deleted alone keeps its later turns, moved up to its
// parent, and Open purges what the last run left deleted.
func TestPurgeKeepsLaterTurnsOfASingleDelete(t *testing.T) {
	t.Parallel()
	s, path := openStore(t)
	ctx := context.Background()
	conv, turns := chat(t, s, 2)
	if _, err := s.DeleteMessage(ctx, conv, turns[0].AssistantMessageID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteMessage(ctx, conv, turns[1].AssistantMessageID, false); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	wantPath(t, s2, conv, "q1", "q2")
	if n := countRows(t, s2, `SELECT count(*) FROM messages WHERE conversation_id = ?`, conv); n != 2 {
		t.Errorf("%d messages stored after the next start; want 2 (deleted ones purged)", n)
	}
	var parent string
	if err := s2.db.QueryRow(`SELECT parent_id FROM messages WHERE id = ?`, turns[1].UserMessageID).Scan(&parent); err != nil || parent != turns[0].UserMessageID {
		t.Errorf("q2's parent = %q (%v); want q1", parent, err)
	}
}

func TestDeleteRefusesAStreamingAnswer(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	conv, _ := chat(t, s, 1)
	got, err := s.BeginTurn(ctx, TurnStart{ConversationID: conv, User: &Message{Content: "q2"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteMessage(ctx, conv, got.UserMessageID, true); !errors.Is(err, ErrInvalid) {
		t.Errorf("deleting a branch with a streaming answer: %v; want ErrInvalid", err)
	}
	if _, err := s.DeleteMessage(ctx, conv, "nope", false); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting a missing message: %v; want ErrNotFound", err)
	}
}

func TestSearchFindsEveryBranch(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	conv, turns := chat(t, s, 2)
	turnOf(t, s, conv, TurnStart{VersionOf: turns[0].UserMessageID, User: &Message{Content: "zebra question"}}, "zebra answer")
	if err := s.SelectMessage(ctx, conv, turns[0].UserMessageID); err != nil {
		t.Fatal(err)
	}
	hits, err := s.Search(ctx, "zebra", 10)
	if err != nil || len(hits) != 2 {
		t.Fatalf("search in the inactive branch: %d hits, %v; want 2", len(hits), err)
	}
	// Opening a hit shows its branch.
	if err := s.SelectMessage(ctx, conv, hits[0].MessageID); err != nil {
		t.Fatal(err)
	}
	wantPath(t, s, conv, "zebra question", "zebra answer")
}

func countRows(t *testing.T, s *Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Purging a branch removes everything under it, even a message an earlier
// delete hid (whose undo then finds nothing), and nothing outside it.
func TestPurgeBranchTakesEarlierDeletesUnderIt(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	conv, turns := chat(t, s, 3)
	other, _ := chat(t, s, 1)
	inner, err := s.DeleteMessage(ctx, conv, turns[1].UserMessageID, false)
	if err != nil {
		t.Fatal(err)
	}
	outer, err := s.DeleteMessage(ctx, conv, turns[0].AssistantMessageID, true)
	if err != nil {
		t.Fatal(err)
	}
	wantPath(t, s, conv, "q1")
	if err := s.Purge(ctx, outer); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, s, `SELECT count(*) FROM messages WHERE conversation_id = ?`, conv); n != 1 {
		t.Errorf("%d messages left; want only q1", n)
	}
	if err := s.UndoDelete(ctx, inner); !errors.Is(err, ErrNotFound) {
		t.Errorf("undo of a delete purged with its branch: %v; want ErrNotFound", err)
	}
	wantPath(t, s, other, "q1", "a1")
	// The conversation goes on from what is left.
	turnOf(t, s, conv, TurnStart{User: &Message{Content: "q again"}}, "a again")
	wantPath(t, s, conv, "q1", "q again", "a again")
}

// A conversation with a message deleted alone (its later turns kept)
// exports as it looks and imports back.
func TestExportSkipsAMessageDeletedAlone(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	conv, turns := chat(t, s, 2)
	if _, err := s.DeleteMessage(ctx, conv, turns[0].AssistantMessageID, false); err != nil {
		t.Fatal(err)
	}
	data, err := s.ExportJSON(ctx, conv)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := s.ImportJSON(ctx, data)
	if err != nil {
		t.Fatalf("ImportJSON of an export with a deleted message: %v", err)
	}
	wantPath(t, s, imp.ID, "q1", "q2", "a2")
}
