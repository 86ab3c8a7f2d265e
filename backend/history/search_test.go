package history

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"
)

func hitIDs(hits []Hit) []string {
	ids := []string{}
	for _, h := range hits {
		ids = append(ids, h.MessageID)
	}
	return ids
}

func TestSearch(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	en := mustConversation(t, s, Conversation{Title: "English"})
	zh := mustConversation(t, s, Conversation{Title: "中文"})
	fox := mustMessage(t, s, en.ID, RoleUser, "The quick brown fox jumps over the lazy dog").ID
	quantum := mustMessage(t, s, en.ID, RoleAssistant, "Quantum computing, explained simply").ID
	hello := mustMessage(t, s, zh.ID, RoleUser, "你好世界，欢迎来到北京").ID
	peace := mustMessage(t, s, zh.ID, RoleAssistant, "世界和平").ID
	weather := mustMessage(t, s, zh.ID, RoleUser, "今天天气不错").ID
	odd := mustMessage(t, s, en.ID, RoleUser, `100% sure_thing, C:\path`).ID
	golang := mustMessage(t, s, en.ID, RoleUser, "golang, long ago").ID
	goZh := mustMessage(t, s, zh.ID, RoleAssistant, "Go语言的世界").ID
	rocket := mustMessage(t, s, en.ID, RoleUser, "launch 🚀 now").ID
	mango := mustMessage(t, s, en.ID, RoleUser, "mango tango").ID
	anger := mustMessage(t, s, en.ID, RoleUser, "Ärger und Москва").ID
	kana := mustMessage(t, s, zh.ID, RoleUser, "コーヒーを飲む 한국어 공부").ID

	tests := []searchCase{
		{"quick", []string{fox}, "quick"},
		{"QUICK Brown", []string{fox}, "quick"},
		{"dog fox", []string{fox}, "fox"},
		{"quantum explained", []string{quantum}, "Quantum"},
		{"你好世界", []string{hello}, "你好世界"},
		// Short CJK terms: a phrase of characters in the word index; equal
		// counts rank the shorter message first.
		{"世界", []string{peace, goZh, hello}, "世界"},
		{"界", []string{peace, goZh, hello}, "界"},
		{"北京", []string{hello}, "北京"},
		{"天气", []string{weather}, "天气"},
		{"世和", []string{}, ""}, // both characters occur, never in a row
		{"龘", []string{}, ""},
		{"飲む", []string{kana}, "飲む"},
		{"ー", []string{kana}, "ー"},
		{"공부", []string{kana}, "공부"},
		{"欢迎来到 世界", []string{hello}, "世界"}, // trigram hits intersected with word hits
		{"欢迎来到 和平", []string{}, ""},
		{"语言的 go", []string{goZh}, "语言的"},
		{"go 世界", []string{goZh}, "世界"},    // two short terms, both in the word index
		{"北京 欢迎来到", []string{hello}, "北京"}, // the word index drives, the long term is checked
		{"tango", []string{mango}, "tango"},
		{"lo GOLANG", []string{golang}, "golang"}, // the word index drives; LIKE checks
		{"un ÄRGER", []string{anger}, "Ärger"},    // the word index drives; Go checks
		{"мо ärger", []string{anger}, "Мо"},
		{"tango go", []string{}, ""}, // the trigram index drives; "go" must start a word
		// Short terms without CJK: word prefixes, any case.
		{"go", []string{goZh, golang}, "go"}, // not "ago"; shorter message first
		{"GO", []string{goZh, golang}, "Go"},
		{"lo", []string{golang}, "lo"},
		{"ng", []string{}, ""},       // inside words only
		{"a", []string{golang}, "a"}, // only "ago" starts with a
		{"qu", []string{quantum, fox}, "qu"},
		{"10", []string{odd}, "10"},
		// Short terms with punctuation or symbols: the symbol index.
		{"%", []string{odd}, "%"},
		{"_", []string{odd}, "_"},
		{"C:", []string{odd}, "C:"},
		{"🚀", []string{rocket}, "🚀"},
		{"launch 🚀", []string{rocket}, "launch"},
		{"now 🚀", []string{rocket}, "now"},
		{`C:\`, []string{odd}, `C:\`},
		{"fox*", []string{}, ""},       // FTS operators are literal text
		{"fox OR cat", []string{}, ""}, // every term must match
		{`"quick"`, []string{}, ""},
		{"zebra", []string{}, ""},
		{"", []string{}, ""},
		{"  \t ", []string{}, ""},
	}
	checkSearches(t, s, tests, func(q string, h Hit) {
		if h.ConversationID == "" || h.ConversationTitle == "" || h.CreatedAt.IsZero() {
			t.Errorf("Search(%q) hit %+v; want conversation id, title and time", q, h)
		}
	})
}

// searchCase is a query, the message ids it must find in order, and a
// match every hit's snippet must show marked.
type searchCase struct {
	query string
	want  []string
	mark  string
}

// checkSearches runs each case and checks its hits; each (a check more, or
// nil) is called with every hit of a case whose ids were right.
func checkSearches(t *testing.T, s *Store, cases []searchCase, each func(query string, h Hit)) {
	t.Helper()
	for _, tt := range cases {
		hits, err := s.Search(context.Background(), tt.query, 10)
		if err != nil {
			t.Fatalf("Search(%q): %v", tt.query, err)
		}
		if got := hitIDs(hits); !slices.Equal(got, tt.want) {
			t.Errorf("Search(%q) = %v; want %v", tt.query, got, tt.want)
			continue
		}
		for _, h := range hits {
			if !strings.Contains(strings.ToLower(h.Snippet), strings.ToLower(MarkStart+tt.mark+MarkEnd)) {
				t.Errorf("Search(%q) snippet %q; want %q marked", tt.query, h.Snippet, tt.mark)
			}
			if each != nil {
				each(tt.query, h)
			}
		}
	}
}

func TestSearchRanking(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	c := mustConversation(t, s, Conversation{Title: "zoo"})
	weak := mustMessage(t, s, c.ID, RoleUser, "a long message that mentions the alpaca only once among many other words here").ID
	strong := mustMessage(t, s, c.ID, RoleUser, "alpaca alpaca alpaca").ID
	older := mustMessage(t, s, c.ID, RoleUser, "llama").ID
	newer := mustMessage(t, s, c.ID, RoleUser, "llama").ID
	yak1 := mustMessage(t, s, c.ID, RoleUser, "牦牛").ID
	yak2 := mustMessage(t, s, c.ID, RoleUser, "牦牛").ID
	oxen := mustMessage(t, s, c.ID, RoleUser, "牛牛牛").ID
	tests := []struct {
		query string
		want  []string
	}{
		{"alpaca", []string{strong, weak}}, // relevance first
		{"llama", []string{newer, older}},  // equal relevance: newest first
		{"牛", []string{oxen, yak2, yak1}},  // the same rules for short terms
	}
	for _, tt := range tests {
		hits, err := s.Search(context.Background(), tt.query, 10)
		if err != nil {
			t.Fatalf("Search(%q): %v", tt.query, err)
		}
		if got := hitIDs(hits); !slices.Equal(got, tt.want) {
			t.Errorf("Search(%q) = %v; want %v", tt.query, got, tt.want)
		}
	}
	if hits, _ := s.Search(context.Background(), "llama", 1); len(hits) != 1 {
		t.Errorf("Search with limit 1 returned %d hits", len(hits))
	}
}

// A streaming answer's drafts are not indexed (re-indexing the whole
// answer on every save was the app's biggest cost while streaming); the
// answer is found by its final text once it ends, and its drafts never.
// One a crash cut short is found by what was saved of it.
func TestSearchFollowsStreamingUpdates(t *testing.T) {
	t.Parallel()
	s, path := openStore(t)
	ctx := context.Background()
	c := mustConversation(t, s, Conversation{Title: "air"})
	id, err := s.BeginAssistant(ctx, c.ID, "kimi-k2", "kimi")
	if err != nil {
		t.Fatalf("BeginAssistant: %v", err)
	}
	drafts := []string{"a first draft about zeppelins", "rewritten: 飞艇 airships", "rewritten: 飞艇 airships and 气球"}
	notYet := []string{"zeppelin", "ze", "airship", "飞艇", "艇", "ai", "气球", "an", "飞艇 气球"}
	for i, d := range drafts {
		if err := s.UpdateStreaming(ctx, id, d, ""); err != nil {
			t.Fatalf("draft %d: %v", i, err)
		}
		if _, msgs, err := s.GetConversation(ctx, c.ID); err != nil || msgs[0].Content != d || msgs[0].Status != StatusStreaming {
			t.Fatalf("draft %d: stored %+v, %v; want the draft as the streaming message's text", i, msgs, err)
		}
		for _, q := range notYet {
			if hits, err := s.Search(ctx, q, 10); err != nil || len(hits) != 0 {
				t.Errorf("draft %d: Search(%q) = %v, %v; want no hits while streaming", i, q, hitIDs(hits), err)
			}
		}
	}
	if err := s.Finish(ctx, id, Final{Status: StatusStopped, Content: "blimps 软式"}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"blimp", "bl", "软式"} {
		if hits, err := s.Search(ctx, q, 10); err != nil || !slices.Equal(hitIDs(hits), []string{id}) {
			t.Errorf("finished: Search(%q) = %v, %v; want [%s]", q, hitIDs(hits), err, id)
		}
	}
	for _, q := range notYet {
		if hits, err := s.Search(ctx, q, 10); err != nil || len(hits) != 0 {
			t.Errorf("finished: Search(%q) = %v, %v; want no hits for a draft", q, hitIDs(hits), err)
		}
	}

	cut, err := s.BeginAssistant(ctx, c.ID, "kimi-k2", "kimi")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateStreaming(ctx, cut, "dirigibles 飞船 100%", ""); err != nil {
		t.Fatal(err)
	}
	s.Close() // as a crash would leave it: no Finish
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, q := range []string{"dirigible", "飞船", "%"} {
		if hits, err := s.Search(ctx, q, 10); err != nil || !slices.Equal(hitIDs(hits), []string{cut}) {
			t.Errorf("after a crash: Search(%q) = %v, %v; want the interrupted answer [%s]", q, hitIDs(hits), err, cut)
		}
	}
	if _, msgs, _ := s.GetConversation(ctx, c.ID); len(msgs) != 2 || msgs[1].Status != StatusInterrupted || msgs[1].Content != "dirigibles 飞船 100%" {
		t.Errorf("after a crash: %+v; want the saved text, interrupted", msgs)
	}
	checkIntegrity(t, s)
}

// ftsCounts returns the number of documents in the trigram index and the
// number of index entries for term, read through fts5vocab.
func ftsCounts(t *testing.T, s *Store, term string) (docs, entries int) {
	return indexCounts(t, s, "messages_fts", term)
}

// indexCounts returns the number of documents in the full-text index fts
// and the number of its entries for term, read through fts5vocab.
func indexCounts(t *testing.T, s *Store, fts, term string) (docs, entries int) {
	t.Helper()
	ctx := context.Background()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatalf("Conn: %v", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE VIRTUAL TABLE IF NOT EXISTS temp.`+fts+`_vocab
		USING fts5vocab(main, '`+fts+`', 'row')`); err != nil {
		t.Fatalf("create fts5vocab: %v", err)
	}
	if err := conn.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM `+fts+`_docsize),
		(SELECT coalesce(sum(cnt), 0) FROM temp.`+fts+`_vocab WHERE term = ?)`, term).Scan(&docs, &entries); err != nil {
		t.Fatalf("count fts rows: %v", err)
	}
	return docs, entries
}

// symbolEntries returns how many messages the symbol index lists for token.
func symbolEntries(t *testing.T, s *Store, token string) int {
	t.Helper()
	ctx := context.Background()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatalf("Conn: %v", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE VIRTUAL TABLE IF NOT EXISTS temp.messages_symbols_vocab
		USING fts5vocab(main, 'messages_symbols', 'row')`); err != nil {
		t.Fatalf("create fts5vocab: %v", err)
	}
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT coalesce(sum(doc), 0) FROM temp.messages_symbols_vocab
		WHERE term = ?`, token).Scan(&n); err != nil {
		t.Fatalf("count symbol index rows: %v", err)
	}
	return n
}

// TestDeleteRemovesText checks that deleting a conversation, or the tail of
// one, removes its text from search, from the full-text index and, once the
// store is closed, from the bytes of the database file.
func TestDeleteRemovesText(t *testing.T) {
	t.Parallel()
	s, path := openStore(t)
	ctx := context.Background()
	const secret = "xqzjv wkpfy secret 龘靐 ⌘"
	doomed := mustConversation(t, s, Conversation{Title: "doomed"})
	kept := mustConversation(t, s, Conversation{Title: "kept"})
	mustMessage(t, s, kept.ID, RoleUser, "harmless words")
	first := mustMessage(t, s, kept.ID, RoleUser, "tail "+secret)
	mustMessage(t, s, doomed.ID, RoleUser, secret)
	mustMessage(t, s, doomed.ID, RoleAssistant, "reply "+secret)

	docsBefore, entriesBefore := ftsCounts(t, s, "xqz")
	if hits, _ := s.Search(ctx, "xqzjv", 10); len(hits) != 3 || entriesBefore != 3 || docsBefore != 4 {
		t.Fatalf("before delete: %d hits, %d docs, %d index entries for xqz; want 3, 4, 3", len(hits), docsBefore, entriesBefore)
	}
	for word, query := range map[string]string{"xqzjv": "xq", "龘": "龘"} {
		docs, entries := indexCounts(t, s, "messages_words", word)
		if hits, _ := s.Search(ctx, query, 10); len(hits) != 3 || entries != 3 || docs != 4 {
			t.Fatalf("before delete: %d hits for %q, %d docs, %d word index entries for %q; want 3, 4, 3",
				len(hits), query, docs, entries, word)
		}
	}
	if hits, _ := s.Search(ctx, "⌘", 10); len(hits) != 3 || symbolEntries(t, s, "s2318") != 3 {
		t.Fatalf("before delete: %d hits for ⌘, %d symbol index entries; want 3, 3", len(hits), symbolEntries(t, s, "s2318"))
	}
	if err := s.DeleteConversation(ctx, doomed.ID); err != nil {
		t.Fatalf("DeleteConversation: %v", err)
	}
	if err := s.DeleteMessagesFrom(ctx, kept.ID, first.ID); err != nil {
		t.Fatalf("DeleteMessagesFrom: %v", err)
	}
	for _, q := range []string{"xqzjv", "secret", "wkpfy secret", "xq", "龘", "龘靐", "se 靐", "⌘", "靐 ⌘"} {
		if hits, err := s.Search(ctx, q, 10); err != nil || len(hits) != 0 {
			t.Errorf("Search(%q) after delete = %v, %v; want none", q, hitIDs(hits), err)
		}
	}
	if docs, entries := ftsCounts(t, s, "xqz"); docs != 1 || entries != 0 {
		t.Errorf("after delete: %d docs, %d index entries for xqz; want 1, 0", docs, entries)
	}
	for _, word := range []string{"xqzjv", "wkpfy", "龘", "靐"} {
		if docs, entries := indexCounts(t, s, "messages_words", word); docs != 1 || entries != 0 {
			t.Errorf("after delete: %d docs, %d word index entries for %q; want 1, 0", docs, entries, word)
		}
	}
	if n := symbolEntries(t, s, "s2318"); n != 0 {
		t.Errorf("after delete: %d symbol index entries for ⌘; want 0", n)
	}
	checkIntegrity(t, s)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Whole words would be in the messages table and the word index
	// segments, single trigrams in the trigram index segments, single CJK
	// characters in both indexes, and ⌘ as a token in the symbol index.
	for _, frag := range []string{"xqzjv", "wkpfy", "xqz", "kpf", "龘", "靐", "⌘", "s2318"} {
		if bytes.Contains(data, []byte(frag)) {
			t.Errorf("deleted text %q is still in %s", frag, path)
		}
	}
	if !bytes.Contains(data, []byte("harmless words")) {
		t.Errorf("kept text is missing from %s, so the byte check proves nothing", path)
	}
}
