package history

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A message is found by what its attached files say and by their names,
// whatever kind of term finds it (three characters or more, a short CJK
// word, a symbol), and the snippet shows the file's words; deleting the
// conversation takes the file's text out of every index.
func TestSearchFindsAttachedFiles(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	c := mustConversation(t, s, Conversation{Title: "Report"})
	file := Attachment{Name: "季度报告.md", Kind: "text", Size: 80, Text: "Quarterly revenue grew 12% in the 华东 region"}
	withFile, err := s.AddMessage(ctx, Message{ConversationID: c.ID, Role: RoleUser, Content: "what does this say?",
		Images: JoinImages([]string{"data:image/png;base64,AAAA"}, []Attachment{file})})
	if err != nil {
		t.Fatal(err)
	}
	plain := mustMessage(t, s, c.ID, RoleAssistant, "It says revenue went up.")
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"quarterly", []string{withFile.ID}},
		{"revenue", []string{plain.ID, withFile.ID}},
		{"华东", []string{withFile.ID}},
		{"12%", []string{withFile.ID}},
		{"季度报告", []string{withFile.ID}},
		{"quarterly this", []string{withFile.ID}}, // one term in the file, one in the question
		{"AAAA", []string{}},                      // an image's bytes are not text
	} {
		hits, err := s.Search(ctx, tc.query, 10)
		if err != nil {
			t.Fatalf("Search(%q): %v", tc.query, err)
		}
		got := hitIDs(hits)
		slices.Sort(got)
		want := slices.Clone(tc.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("Search(%q) = %v; want %v", tc.query, got, want)
		}
		if tc.query == "quarterly" && len(hits) == 1 && !strings.Contains(hits[0].Snippet, MarkStart+"Quarterly"+MarkEnd) {
			t.Errorf("snippet %q; want the file's words with the match marked", hits[0].Snippet)
		}
	}
	checkIntegrity(t, s)
	if err := s.DeleteConversation(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	checkIntegrity(t, s)
	if docs, n := ftsCounts(t, s, "qua"); docs != 0 || n != 0 {
		t.Errorf("after delete the trigram index holds %d documents, %d entries for 'qua'", docs, n)
	}
}

// A history from before v9 has its attached files indexed by the upgrade.
func TestMigrateFromV8IndexesAttachments(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "history.db")
	images := string(JoinImages(nil, []Attachment{{Name: "notes.txt", Kind: "text", Size: 30, Text: "the marmalade recipe 橘子酱"}}))
	stmts := append(slices.Clone(migrations[:8]), `PRAGMA user_version = 8`,
		`INSERT INTO conversations (id, created_at, updated_at, title) VALUES ('c1', 1, 1, 'Old chat')`,
		`INSERT INTO messages (id, conversation_id, position, role, status, created_at, updated_at, error, content, images)
			VALUES ('m1', 'c1', 1, 'user', 'complete', 1, 1, '', 'read this', '`+images+`'),
			       ('m2', 'c1', 2, 'assistant', 'complete', 2, 2, '', 'a recipe', NULL)`)
	rawExec(t, path, stmts...)
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open(v8): %v", err)
	}
	checkIntegrity(t, s)
	for _, tc := range []struct{ query, want string }{{"marmalade", "m1"}, {"橘子", "m1"}, {"recipe", "m1,m2"}, {"notes.txt", "m1"}} {
		hits, err := s.Search(ctx, tc.query, 10)
		got := hitIDs(hits)
		slices.Sort(got)
		if err != nil || strings.Join(got, ",") != tc.want {
			t.Errorf("Search(%q) = %v, %v; want %s", tc.query, got, err, tc.want)
		}
	}
	closeUpgraded(t, s, path, 8)
}
