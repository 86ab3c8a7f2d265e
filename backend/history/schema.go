package history

// applicationID marks the file as a ThinkCloud history database ("TCLD") so
// Open refuses to migrate some other application's SQLite file.
const applicationID = 0x54434C44

// migrations[i] upgrades a database from schema version i to i+1. Append new
// steps; never edit a shipped one, since users' files were built by it.
var migrations = []string{schemaV1, schemaV2, schemaV3, schemaV4, schemaV5, schemaV6, schemaV7, schemaV8, schemaV9}

// schemaV1 holds the conversations and messages. Small columns come first in
// each row and the large text last, so reading ids, roles and timestamps does
// not walk a long message's overflow pages.
const schemaV1 = `
CREATE TABLE conversations (
	id            TEXT PRIMARY KEY,
	pinned        INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL,
	model         TEXT NOT NULL DEFAULT '',
	provider      TEXT NOT NULL DEFAULT '',
	title         TEXT NOT NULL DEFAULT '',
	params        TEXT,
	system_prompt TEXT NOT NULL DEFAULT ''
);
-- Serves ListConversations: pinned first, then most recent activity.
CREATE INDEX conversations_by_activity ON conversations (pinned, updated_at, id);

CREATE TABLE messages (
	seq               INTEGER PRIMARY KEY,
	id                TEXT NOT NULL UNIQUE,
	conversation_id   TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
	position          INTEGER NOT NULL,
	role              TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
	status            TEXT NOT NULL DEFAULT 'complete'
		CHECK (status IN ('complete', 'streaming', 'interrupted', 'error', 'stopped')),
	created_at        INTEGER NOT NULL,
	updated_at        INTEGER NOT NULL,
	prompt_tokens     INTEGER NOT NULL DEFAULT 0,
	completion_tokens INTEGER NOT NULL DEFAULT 0,
	first_token_ms    INTEGER NOT NULL DEFAULT 0,
	tokens_per_sec    REAL NOT NULL DEFAULT 0,
	reasoning_ms      INTEGER NOT NULL DEFAULT 0,
	model             TEXT NOT NULL DEFAULT '',
	provider          TEXT NOT NULL DEFAULT '',
	error             TEXT NOT NULL DEFAULT '',
	content           TEXT NOT NULL DEFAULT '',
	reasoning         TEXT NOT NULL DEFAULT '',
	images            TEXT,
	-- Orders a conversation's messages and serves the foreign-key lookups.
	UNIQUE (conversation_id, position)
);
-- Lets Open find answers left streaming by a crash without a table scan.
CREATE INDEX messages_streaming ON messages (status) WHERE status = 'streaming';

PRAGMA application_id = 1413696580;
`

// schemaV2 adds full-text search over message content. The index is an
// external-content FTS5 table (the text is stored once, in messages), kept in
// step by triggers; secure-delete makes deletions remove index entries
// instead of leaving tombstones over the old ones.
const schemaV2 = `
CREATE VIRTUAL TABLE messages_fts USING fts5(
	content,
	content = 'messages',
	content_rowid = 'seq',
	tokenize = 'trigram'
);
INSERT INTO messages_fts (messages_fts, rank) VALUES ('secure-delete', 1);
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
	INSERT INTO messages_fts (rowid, content) VALUES (new.seq, new.content);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
	INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.seq, old.content);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages
WHEN old.content IS NOT new.content BEGIN
	INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.seq, old.content);
	INSERT INTO messages_fts (rowid, content) VALUES (new.seq, new.content);
END;
`

// schemaV3 adds the word index, which serves query terms of one or two
// characters that the trigram index cannot. It indexes the content as
// transformed by splitCJK (every CJK character a word of its own) with the
// unicode61 tokenizer, without folding diacritics, like the trigram index,
// and with combining marks kept inside words. It is an external-content
// table over a view that applies the transformation, kept in step by
// triggers that apply it too, so every write path (including the cascade
// when a conversation is deleted) updates it in the same transaction; the
// function is registered by this package (see words.go). Prefix indexes for
// one and two characters make the short prefix queries ("a"*, "go"*) single
// lookups instead of merges of every matching word's list. Filling it reads
// every message once.
const schemaV3 = `
CREATE VIEW messages_words_text AS
	SELECT seq, ` + splitCJKFunc + `(content) AS content FROM messages;
CREATE VIRTUAL TABLE messages_words USING fts5(
	content,
	content = 'messages_words_text',
	content_rowid = 'seq',
	tokenize = "unicode61 remove_diacritics 0 categories 'L* N* M* Co'",
	prefix = '1 2'
);
INSERT INTO messages_words (messages_words, rank) VALUES ('secure-delete', 1);
INSERT INTO messages_words (messages_words) VALUES ('rebuild');

CREATE TRIGGER messages_words_insert AFTER INSERT ON messages BEGIN
	INSERT INTO messages_words (rowid, content) VALUES (new.seq, ` + splitCJKFunc + `(new.content));
END;
CREATE TRIGGER messages_words_delete AFTER DELETE ON messages BEGIN
	INSERT INTO messages_words (messages_words, rowid, content)
		VALUES ('delete', old.seq, ` + splitCJKFunc + `(old.content));
END;
CREATE TRIGGER messages_words_update AFTER UPDATE OF content ON messages
WHEN old.content IS NOT new.content BEGIN
	INSERT INTO messages_words (messages_words, rowid, content)
		VALUES ('delete', old.seq, ` + splitCJKFunc + `(old.content));
	INSERT INTO messages_words (rowid, content) VALUES (new.seq, ` + splitCJKFunc + `(new.content));
END;
`

// schemaV4 adds the symbol index, which serves query terms of one or two
// characters that contain punctuation, a symbol or an emoji ("%", "C:",
// "🚀"), until now matched by scanning every message with LIKE. It indexes
// the tokens symbolGrams makes of the content (see symbols.go): each symbol,
// and each pair of neighbouring characters that includes one, so that every
// such term is a single token. A term is looked up whole and its posting
// list is all a query needs, so the index keeps neither positions
// (detail=none) nor message lengths (columnsize=0), which keeps it small.
// Like the word index, it is an external-content table over a view that
// applies the function, kept in step by triggers that apply it too.
//
// It also adds error_kind, the kind of failure (no key, invalid key, rate
// limit, ...) the app gave an answer that ended with status "error", so the
// window can offer the same way out after a restart. ADD COLUMN puts it
// after the long text rather than with the small columns, but reordering
// would rewrite every row, and messages are read whole anyway.
const schemaV4 = `
ALTER TABLE messages ADD COLUMN error_kind TEXT NOT NULL DEFAULT '';

CREATE VIEW messages_symbols_text AS
	SELECT seq, ` + symbolsFunc + `(content) AS content FROM messages;
CREATE VIRTUAL TABLE messages_symbols USING fts5(
	content,
	content = 'messages_symbols_text',
	content_rowid = 'seq',
	tokenize = 'ascii',
	detail = none,
	columnsize = 0
);
INSERT INTO messages_symbols (messages_symbols, rank) VALUES ('secure-delete', 1);
INSERT INTO messages_symbols (messages_symbols) VALUES ('rebuild');

CREATE TRIGGER messages_symbols_insert AFTER INSERT ON messages BEGIN
	INSERT INTO messages_symbols (rowid, content) VALUES (new.seq, ` + symbolsFunc + `(new.content));
END;
CREATE TRIGGER messages_symbols_delete AFTER DELETE ON messages BEGIN
	INSERT INTO messages_symbols (messages_symbols, rowid, content)
		VALUES ('delete', old.seq, ` + symbolsFunc + `(old.content));
END;
CREATE TRIGGER messages_symbols_update AFTER UPDATE OF content ON messages
WHEN old.content IS NOT new.content BEGIN
	INSERT INTO messages_symbols (messages_symbols, rowid, content)
		VALUES ('delete', old.seq, ` + symbolsFunc + `(old.content));
	INSERT INTO messages_symbols (rowid, content) VALUES (new.seq, ` + symbolsFunc + `(new.content));
END;
`

// schemaV5 adds draft, where a streaming answer's text grows until it is
// finished. It used to grow in content, and every save (about once a
// second) rewrote the answer's entries in all three search indexes with
// the whole text so far: on a 10,000-token answer that was most of the
// app's CPU while it streamed (docs/BENCHMARKS.md, "Chat window under a
// long stream"). The indexes follow content, which now changes once, when
// the answer ends (Finish, or Open after a crash); a streaming answer is
// found by search once it has ended. Answers a crash left streaming move
// their text to draft here, so Open settles them like any other.
const schemaV5 = `
ALTER TABLE messages ADD COLUMN draft TEXT NOT NULL DEFAULT '';
UPDATE messages SET draft = content, content = '' WHERE status = 'streaming';
`

// schemaV6 turns each conversation into a tree, so regenerating or editing
// makes a new version instead of replacing anything. parent_id is the
// message a message answers or follows (NULL for the first); siblings are
// versions of one another, and each keeps its own later turns. position
// stays the order of creation, which is also a valid order of the tree (a
// parent is always older than its children). chosen_at records when a
// message was last on the path the user looked at, so moving to another
// version lands on the later turns that version had last. leaf_id is the
// end of the active path. deleted_op marks a soft-deleted message with the
// id of the delete that hid it (so undo restores exactly that delete), and
// deleted_branch whether the delete took the message's later turns with it;
// a deleted message is hidden everywhere and purged later.
//
// Existing conversations become one line: each message's parent is the one
// before it by position.
const schemaV6 = `
ALTER TABLE messages ADD COLUMN parent_id TEXT;
ALTER TABLE messages ADD COLUMN chosen_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN deleted_op TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN deleted_branch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN leaf_id TEXT NOT NULL DEFAULT '';

UPDATE messages SET parent_id = (
	SELECT p.id FROM messages p
	WHERE p.conversation_id = messages.conversation_id AND p.position < messages.position
	ORDER BY p.position DESC LIMIT 1);
UPDATE conversations SET leaf_id = coalesce((
	SELECT m.id FROM messages m WHERE m.conversation_id = conversations.id
	ORDER BY m.position DESC LIMIT 1), '');

-- Serves walking the tree: a message's children (its next turn's versions).
CREATE INDEX messages_by_parent ON messages (conversation_id, parent_id);
-- Lets the purge find soft-deleted messages without a table scan.
CREATE INDEX messages_deleted ON messages (deleted_op) WHERE deleted_op != '';
`

// schemaV7 adds thinking: how the window asked the model to think for an
// answer ("off", "high", "on, 8192 tokens"), shown under it; empty when it
// asked nothing and the model's default applied, as for every answer
// saved before.
const schemaV7 = `
ALTER TABLE messages ADD COLUMN thinking TEXT NOT NULL DEFAULT '';
`

// schemaV8 marks imported conversations: the file an import read (its
// name, not its path) and when, in Unix milliseconds; 0 for a
// conversation made here.
const schemaV8 = `
ALTER TABLE conversations ADD COLUMN imported_from TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN imported_at INTEGER NOT NULL DEFAULT 0;
`

// schemaV9 makes attached files searchable: the three full-text indexes
// now index a message's search text (searchText: its content, then each
// text attachment's name and text) instead of its content alone. The
// trigram index was an external-content table over messages itself, so it
// is made again over a view, like the other two, whose views change; all
// three are filled again from every message (an upgrade of a large history
// takes a while, which the window shows). Only insert and delete change a
// message's attachments, so the update triggers still follow content.
var schemaV9 = `
DROP TRIGGER messages_fts_insert;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_update;
DROP TRIGGER messages_words_insert;
DROP TRIGGER messages_words_delete;
DROP TRIGGER messages_words_update;
DROP TRIGGER messages_symbols_insert;
DROP TRIGGER messages_symbols_delete;
DROP TRIGGER messages_symbols_update;

DROP TABLE messages_fts;
CREATE VIEW messages_search_text AS
	SELECT seq, ` + searchText("content", "images") + ` AS content FROM messages;
CREATE VIRTUAL TABLE messages_fts USING fts5(
	content,
	content = 'messages_search_text',
	content_rowid = 'seq',
	tokenize = 'trigram'
);
INSERT INTO messages_fts (messages_fts, rank) VALUES ('secure-delete', 1);
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');

DROP VIEW messages_words_text;
CREATE VIEW messages_words_text AS
	SELECT seq, ` + splitCJKFunc + `(` + searchText("content", "images") + `) AS content FROM messages;
INSERT INTO messages_words (messages_words) VALUES ('rebuild');

DROP VIEW messages_symbols_text;
CREATE VIEW messages_symbols_text AS
	SELECT seq, ` + symbolsFunc + `(` + searchText("content", "images") + `) AS content FROM messages;
INSERT INTO messages_symbols (messages_symbols) VALUES ('rebuild');
` + indexTriggers("messages_fts", "") + indexTriggers("messages_words", splitCJKFunc) + indexTriggers("messages_symbols", symbolsFunc)

// indexTriggers keeps the full-text table fts in step with messages: fn
// (a registered SQL function, or "" for none) applied to each message's
// search text, as the table's content view applies it.
func indexTriggers(fts, fn string) string {
	text := func(row string) string {
		t := searchText(row+".content", row+".images")
		if fn != "" {
			t = fn + "(" + t + ")"
		}
		return t
	}
	return `
CREATE TRIGGER ` + fts + `_insert AFTER INSERT ON messages BEGIN
	INSERT INTO ` + fts + ` (rowid, content) VALUES (new.seq, ` + text("new") + `);
END;
CREATE TRIGGER ` + fts + `_delete AFTER DELETE ON messages BEGIN
	INSERT INTO ` + fts + ` (` + fts + `, rowid, content) VALUES ('delete', old.seq, ` + text("old") + `);
END;
CREATE TRIGGER ` + fts + `_update AFTER UPDATE OF content ON messages
WHEN old.content IS NOT new.content BEGIN
	INSERT INTO ` + fts + ` (` + fts + `, rowid, content) VALUES ('delete', old.seq, ` + text("old") + `);
	INSERT INTO ` + fts + ` (rowid, content) VALUES (new.seq, ` + text("new") + `);
END;
`
}
