package history

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// seedExport saves a conversation that uses every exported field.
func seedExport(t *testing.T, s *Store) Conversation {
	t.Helper()
	ctx := context.Background()
	c := mustConversation(t, s, Conversation{Title: "Physics chat", Model: "deepseek-v4-pro",
		Provider: "deepseek", SystemPrompt: "Explain like I'm five.",
		Params: json.RawMessage(`{"temperature":0.2,"thinking":true}`), Pinned: true})
	if _, err := s.AddMessage(ctx, Message{ConversationID: c.ID, Role: RoleUser, Content: "Why is the sky blue? 天空",
		Images: json.RawMessage(`["data:image/png;base64,iVBORw0KGgo="]`)}); err != nil {
		t.Fatalf("AddMessage: %v", err)
	}
	id, err := s.BeginAssistant(ctx, c.ID, "deepseek-v4-pro", "deepseek")
	if err != nil {
		t.Fatalf("BeginAssistant: %v", err)
	}
	if err := s.Finish(ctx, id, Final{Status: StatusComplete, Content: "Rayleigh scattering.",
		Reasoning: "Short wavelengths scatter more.", Usage: Usage{PromptTokens: 12, CompletionTokens: 34},
		Stats: Stats{FirstTokenMs: 800, TokensPerSecond: 31.5, ReasoningMs: 2500}}); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	id, err = s.BeginAssistant(ctx, c.ID, "deepseek-flash", "deepseek")
	if err != nil {
		t.Fatalf("BeginAssistant: %v", err)
	}
	if err := s.Finish(ctx, id, Final{Status: StatusError, Content: "Half an", Error: "429 rate limited", ErrorKind: "rate_limited"}); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	return c
}

func TestExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	orig := seedExport(t, s)
	data, err := s.ExportJSON(ctx, orig.ID)
	if err != nil {
		t.Fatalf("ExportJSON: %v", err)
	}
	var head struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil || head.Format != ExportFormat || head.Version != 2 {
		t.Fatalf("export header = %+v, %v; want %s version 2", head, err, ExportFormat)
	}
	imported, err := s.ImportJSON(ctx, data)
	if err != nil {
		t.Fatalf("ImportJSON: %v", err)
	}
	if imported.ID == orig.ID {
		t.Errorf("imported conversation reuses id %s; want a new one", orig.ID)
	}
	wantConv, wantMsgs, _ := s.GetConversation(ctx, orig.ID)
	gotConv, gotMsgs, err := s.GetConversation(ctx, imported.ID)
	if err != nil || len(gotMsgs) != len(wantMsgs) {
		t.Fatalf("imported: %d messages, %v; want %d", len(gotMsgs), err, len(wantMsgs))
	}
	if gotConv.ImportedAt.IsZero() || !wantConv.ImportedAt.IsZero() {
		t.Errorf("imported at %v, original at %v; want only the copy marked", gotConv.ImportedAt, wantConv.ImportedAt)
	}
	gotConv.ID, gotConv.ImportedAt = wantConv.ID, time.Time{}
	if !reflect.DeepEqual(gotConv, wantConv) {
		t.Errorf("imported conversation = %+v; want %+v", gotConv, wantConv)
	}
	oldID := map[string]string{"": ""}
	for i := range wantMsgs {
		oldID[gotMsgs[i].ID] = wantMsgs[i].ID
	}
	for i := range wantMsgs {
		if gotMsgs[i].ID == wantMsgs[i].ID {
			t.Errorf("message %d reuses id %s", i, wantMsgs[i].ID)
		}
		gotMsgs[i].ID, gotMsgs[i].ConversationID = wantMsgs[i].ID, wantMsgs[i].ConversationID
		gotMsgs[i].ParentID = oldID[gotMsgs[i].ParentID]
		for j, v := range gotMsgs[i].Versions {
			gotMsgs[i].Versions[j] = oldID[v]
		}
		if !reflect.DeepEqual(gotMsgs[i], wantMsgs[i]) {
			t.Errorf("message %d = %+v; want %+v", i, gotMsgs[i], wantMsgs[i])
		}
	}
	again, err := s.ExportJSON(ctx, imported.ID)
	if err != nil || len(again) == 0 {
		t.Errorf("export of the imported copy: %v", err)
	}
}

func TestExportMarkdown(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	c := seedExport(t, s)
	md, err := s.ExportMarkdown(context.Background(), c.ID)
	if err != nil {
		t.Fatalf("ExportMarkdown: %v", err)
	}
	// Each piece must appear, in this order.
	want := []string{
		"# Physics chat\n",
		"- Model: `deepseek-v4-pro` (deepseek)",
		"## System prompt\n\nExplain like I'm five.",
		"## User\n\nWhy is the sky blue? 天空",
		"![image 1](<data:image/png;base64,iVBORw0KGgo=>)",
		"## Assistant (`deepseek-v4-pro`)",
		"<details>\n<summary>Reasoning</summary>\n\nShort wavelengths scatter more.\n\n</details>",
		"Rayleigh scattering.",
		"## Assistant (`deepseek-flash`)",
		"Half an",
		"*Status: error* — 429 rate limited",
	}
	rest := md
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("markdown lacks %q after the previous pieces; got:\n%s", w, md)
		}
		rest = rest[i+len(w):]
	}
	if _, err := s.ExportMarkdown(context.Background(), "missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("ExportMarkdown(missing) error = %v; want ErrNotFound", err)
	}
	if _, err := s.ExportJSON(context.Background(), "missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("ExportJSON(missing) error = %v; want ErrNotFound", err)
	}
}

func TestImportRejectsBadInput(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	const head = `"format":"thinkcloud.conversation","version":1,"conversation":{"title":"t"}`
	tests := []struct {
		name, data, want string
	}{
		{"empty", ``, "empty document"},
		{"not JSON", `hello`, "malformed JSON at line 1, column 1"},
		{"syntax error on a later line", "{\n  \"format\": \"thinkcloud.conversation\",\n  \"版本\" 1\n}", "malformed JSON at line 3, column 8"},
		{"wrong type in a message", "{" + head + `,"messages":[` + "\n" + `{"role":"user","content":42}]}`, `field "messages.content" (near line 2, column 27)`},
		{"truncated", `{"format":"thinkcloud.conversation"`, "truncated JSON"},
		{"wrong type", `{"format":"thinkcloud.conversation","version":"1"}`, `field "version"`},
		{"wrong format", `{"format":"chatgpt","version":1}`, `format is "chatgpt"`},
		{"missing format", `{"version":1}`, `format is ""`},
		{"future version", `{"format":"thinkcloud.conversation","version":3}`, "version 3 is not supported"},
		{"unknown field", `{` + head + `,"mesages":[]}`, `unknown field "mesages"`},
		{"trailing data", `{` + head + `} {}`, "unexpected data after"},
		{"bad role", `{` + head + `,"messages":[{"role":"user"},{"role":"robot"}]}`, `messages[1]: invalid input: role "robot"`},
		{"missing role", `{` + head + `,"messages":[{"content":"x"}]}`, `messages[0]: invalid input: role ""`},
		{"bad status", `{` + head + `,"messages":[{"role":"user","status":"done"}]}`, `status "done"`},
		{"images object", `{` + head + `,"messages":[{"role":"user","images":{"a":1}}]}`, "images must be a JSON array"},
		{"images numbers", `{` + head + `,"messages":[{"role":"user","images":[1]}]}`, "array of strings"},
	}
	for _, tt := range tests {
		_, err := s.ImportJSON(context.Background(), []byte(tt.data))
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: ImportJSON error = %v; want ErrInvalid mentioning %q", tt.name, err, tt.want)
		}
	}
	if list, _ := s.ListConversations(context.Background(), 0, 0); len(list) != 0 {
		t.Errorf("failed imports saved %d conversations; want 0", len(list))
	}
}

func TestImportDefaults(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	data := `{"format":"thinkcloud.conversation","version":1,"conversation":{"title":"minimal"},
		"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hel","status":"streaming"}]}`
	c, err := s.ImportJSON(context.Background(), []byte(data))
	if err != nil {
		t.Fatalf("ImportJSON: %v", err)
	}
	_, msgs, err := s.GetConversation(context.Background(), c.ID)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("imported %d messages, %v; want 2", len(msgs), err)
	}
	if msgs[0].Status != StatusComplete || msgs[1].Status != StatusInterrupted || msgs[0].CreatedAt.IsZero() {
		t.Errorf("imported statuses %q, %q, time %v; want complete, interrupted, now",
			msgs[0].Status, msgs[1].Status, msgs[0].CreatedAt)
	}
}

// An export keeps every version and later turns of every branch, and which
// path was shown; the import rebuilds the same tree under new ids.
func TestExportImportKeepsTheTree(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	conv, turns := chat(t, s, 3)
	turnOf(t, s, conv, TurnStart{VersionOf: turns[0].AssistantMessageID}, "a1 again")
	turnOf(t, s, conv, TurnStart{User: &Message{Content: "q2 in branch"}}, "a2 in branch")
	ed := turnOf(t, s, conv, TurnStart{VersionOf: turns[1].UserMessageID, User: &Message{Content: "q2 edited"}}, "a2'")
	_ = ed
	// The window shows the branch of the edit, two levels deep in the tree.
	if err := s.SelectMessage(ctx, conv, ed.AssistantMessageID); err != nil {
		t.Fatal(err)
	}
	data, err := s.ExportJSON(ctx, conv)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := s.ImportJSON(ctx, data)
	if err != nil {
		t.Fatalf("ImportJSON: %v", err)
	}
	wantPath(t, s, imp.ID, contents(t, s, conv)...)
	// Every branch is there, each with its own later turns.
	_, msgs, _ := s.GetConversation(ctx, imp.ID)
	if err := s.SelectMessage(ctx, imp.ID, msgs[1].Versions[1]); err != nil {
		t.Fatal(err)
	}
	wantPath(t, s, imp.ID, "q1", "a1 again", "q2 in branch", "a2 in branch")
	_, msgs, _ = s.GetConversation(ctx, imp.ID)
	if err := s.SelectMessage(ctx, imp.ID, msgs[1].Versions[0]); err != nil {
		t.Fatal(err)
	}
	_, msgs, _ = s.GetConversation(ctx, imp.ID)
	if err := s.SelectMessage(ctx, imp.ID, msgs[2].Versions[0]); err != nil {
		t.Fatal(err)
	}
	wantPath(t, s, imp.ID, "q1", "a1", "q2", "a2", "q3", "a3")
	if n := countRows(t, s, `SELECT count(*) FROM messages WHERE conversation_id = ?`, imp.ID); n != 11 {
		t.Errorf("imported %d messages; want all 11", n)
	}
}

// A version 1 export (before branches) still imports, as one line.
func TestImportVersion1(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	doc := `{"format":"thinkcloud.conversation","version":1,"conversation":{"title":"old"},
		"messages":[{"id":"x","role":"user","content":"hi"},{"id":"y","role":"assistant","content":"hello"},
		{"role":"user","content":"more"},{"role":"assistant","content":"sure"}]}`
	c, err := s.ImportJSON(context.Background(), []byte(doc))
	if err != nil {
		t.Fatalf("ImportJSON(v1): %v", err)
	}
	wantPath(t, s, c.ID, "hi", "hello", "more", "sure")
}

func TestImportRejectsABrokenTree(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	for name, msgs := range map[string]string{
		"unknown parent":     `[{"id":"a","role":"user"},{"id":"b","parentId":"zz","role":"assistant"}]`,
		"parent after child": `[{"id":"b","parentId":"a","role":"assistant"},{"id":"a","role":"user"}]`,
		"duplicate id":       `[{"id":"a","role":"user"},{"id":"a","parentId":"a","role":"assistant"}]`,
	} {
		doc := `{"format":"thinkcloud.conversation","version":2,"conversation":{"title":"x"},"messages":` + msgs + `}`
		if _, err := s.ImportJSON(context.Background(), []byte(doc)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: error = %v; want ErrInvalid", name, err)
		}
	}
	if n := countRows(t, s, `SELECT count(*) FROM conversations`); n != 0 {
		t.Errorf("%d conversations stored from broken files; want 0", n)
	}
}
