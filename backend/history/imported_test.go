package history

import (
	"context"
	"encoding/json"
	"testing"
	"time"
)

// TestImportMarked: an import marks the new conversation with its file
// and time, the original stays unmarked, two imports of one file are two
// marked copies, and an imported conversation's export carries its mark
// to the next import, which marks the copy with its own file.
func TestImportMarked(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	orig := seedExport(t, s)
	data, err := s.ExportJSON(ctx, orig.ID)
	if err != nil {
		t.Fatal(err)
	}
	var plain map[string]map[string]any
	json.Unmarshal(data, &plain)
	if _, ok := plain["conversation"]["importedFrom"]; ok {
		t.Errorf("export of a conversation made here has importedFrom: %v", plain["conversation"])
	}
	before := time.Now().Add(-time.Second)
	first, err := s.ImportJSONFrom(ctx, data, "physics.json")
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.ImportJSONFrom(ctx, data, "physics.json")
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.ListConversations(ctx, 0, 0)
	if err != nil || len(list) != 3 {
		t.Fatalf("list %d, %v; want 3", len(list), err)
	}
	for _, c := range list {
		switch c.ID {
		case orig.ID:
			if !c.ImportedAt.IsZero() || c.ImportedFrom != "" {
				t.Errorf("original marked imported: %v from %q", c.ImportedAt, c.ImportedFrom)
			}
		case first.ID, second.ID:
			if c.ImportedFrom != "physics.json" || c.ImportedAt.Before(before) || c.ImportedAt.After(time.Now()) {
				t.Errorf("copy %s marked %v from %q; want now from physics.json", c.ID, c.ImportedAt, c.ImportedFrom)
			}
		}
	}

	again, err := s.ExportJSON(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	var doc ExportDocument
	if err := json.Unmarshal(again, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Conversation.ImportedFrom != "physics.json" || !doc.Conversation.ImportedAt.Equal(first.ImportedAt.Truncate(time.Millisecond)) {
		t.Errorf("export of the copy marked %v from %q; want %v from physics.json", doc.Conversation.ImportedAt, doc.Conversation.ImportedFrom, first.ImportedAt)
	}
	other, _ := openStore(t)
	moved, err := other.ImportJSONFrom(ctx, again, "copy.json")
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := other.GetConversation(ctx, moved.ID)
	if err != nil || got.ImportedFrom != "copy.json" || got.ImportedAt.IsZero() {
		t.Errorf("round trip: marked %v from %q, %v; want now from copy.json", got.ImportedAt, got.ImportedFrom, err)
	}
}
