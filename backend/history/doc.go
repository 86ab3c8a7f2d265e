// Package history stores ThinkCloud chat history (conversations and their
// messages) in a single SQLite file, using the pure-Go driver
// modernc.org/sqlite so the desktop app needs no cgo toolchain.
//
// # Durability
//
// The database runs in WAL mode with synchronous=FULL, foreign keys on and a
// five-second busy timeout. FULL costs one fsync per commit, which is cheap at
// chat speed (the streaming writer commits about once a second) and means a
// committed row survives a power cut, not only a crashed process.
//
// Assistant answers are saved while they stream: [Store.BeginAssistant]
// inserts a message with status "streaming", [Store.UpdateStreaming] replaces
// its text with everything received so far, and [Store.Finish] records the
// final state. If the process dies in between, the next [Open] turns every
// message still marked "streaming" into "interrupted" and keeps the text that
// was last saved.
//
// Writes that fail because the file or its directory is read-only, or because
// the disk is full, return errors matching [ErrReadOnly] or [ErrDiskFull] with
// errors.Is. The failed transaction is rolled back, so rows saved earlier are
// never lost. Open itself writes (it migrates and recovers interrupted
// answers), so read-only storage makes Open fail with ErrReadOnly rather than
// hand out a store whose every save would fail.
//
// # Branches
//
// A conversation is a tree (schema v6): each message has a parent, and
// messages with the same parent are versions of one turn. Regenerating an
// answer or editing a question adds a version ([TurnStart.VersionOf]); the
// old one keeps its later turns. [Store.GetConversation] returns the path
// the user looks at, each message with its versions, and
// [Store.SelectMessage] moves that path to another version. Deletes are
// soft ([Store.DeleteMessage], [Store.UndoDelete]) until [Store.Purge], which
// Open runs for whatever the last run left deleted. Search looks in every
// branch but not at deleted messages.
//
// # Schema versions
//
// The schema version lives in PRAGMA user_version. When Open finds an existing
// database at an older version it first writes a consistent copy next to it
// with VACUUM INTO, named "<file>.bak-v<old version>-<unix seconds>", and then
// applies each missing migration in its own transaction. A database written
// by a newer build is refused with [ErrSchemaTooNew] rather than modified.
//
// # Search
//
// Message content (not reasoning, images or titles) is indexed three times,
// by SQLite FTS5 tables kept in step with the messages by triggers:
//
//   - The trigram index ("trigram" tokenizer) matches any substring of three
//     or more characters, case-insensitively, in any script; it is what makes
//     Chinese search work without a word segmenter.
//   - The word index ("unicode61" tokenizer, schema v3) holds words: runs of
//     letters, digits and combining marks, with every CJK character a word of
//     its own. Before indexing, the content passes through a function that
//     puts spaces around each character of the Han, Hiragana, Katakana and
//     Hangul scripts (plus the Japanese prolonged sound mark ー), so
//     "用Go写代码" is indexed as 用 / go / 写 / 代 / 码. Punctuation, symbols
//     and emoji separate words and are not indexed. Case is folded; accents
//     are kept, as in the trigram index.
//   - The symbol index (schema v4) holds the characters the word index
//     leaves out (punctuation, symbols, emoji, and format characters such as
//     the zero-width joiner; everything but words and white space) and the
//     pairs of neighbouring characters that include one: "C:\" gives
//     ":", "\", "c:" and ":\". Case is folded. A function written in Go
//     turns each into a token of ASCII letters and digits ("c:" is s63s3a)
//     for SQLite's "ascii" tokenizer, so Go's Unicode tables, not SQLite's,
//     decide what a symbol is. The index keeps which messages hold a token,
//     not where (detail=none), since every query term is a single token.
//
// [Store.Search] splits the query on white space and applies one rule per
// term:
//
//   - A term of three or more characters is looked up in the trigram index:
//     a substring match.
//   - A term of one or two characters that includes punctuation, a symbol or
//     an emoji (for example "%", "C:", "->", "🚀" or "👍🏽") is looked up in
//     the symbol index as the one token it is: a substring match that
//     ignores case in every script. Before schema v4 these terms were in no
//     index and were matched with LIKE (which ignores case for ASCII letters
//     only) by scanning the messages; the index finds every message LIKE
//     found. Emoji joined by zero-width joiners ("👩‍💻") are three or more
//     characters and go to the trigram index.
//   - A term of one or two letters or digits that contains a CJK character
//     (for example the Chinese word 世界) is looked up in the word index as
//     a phrase of its characters ("世 界"): the characters next to each other,
//     which is again a substring match.
//   - A term of one or two letters or digits without CJK characters (for
//     example "go" or "42") is looked up in the word index as a word prefix:
//     "go" finds "golang" and "Go" but not "ago" or "mango". Before schema v3
//     this was a substring match; a substring of one or two letters matches
//     nearly every message, so the word-prefix rule is both faster and more
//     useful.
//   - Every term must match (AND), anywhere in the message. There is no
//     phrase or operator syntax: quotes, "OR" and "*" are ordinary text.
//
// A query whose terms need more than one index first counts, up to 1,000,
// the matches of each index, then walks the rarest index's matches newest
// first, joined by message to the content, and keeps the messages whose
// content also contains the other terms by the same rules. Walking the
// rarest side and checking the content is what keeps such a query fast:
// asking another FTS5 index about each message, or collecting all of a
// common term's matches, costs tens to hundreds of milliseconds on a large
// history. Every query is driven by an index; none scans the messages.
//
// The symbol index is a table of its own rather than more categories in the
// word index because that could not keep the substring rule cheaply. Were
// each symbol a word of its own, "C:" would become the phrase "c" ":" and
// miss "ABC:" unless it looked up ":" alone and checked every message
// holding one, which is slow when ":" is common and "C:" rare; the pairs
// make every term one exact token. Its own table also avoids the word
// index's positions and one-character prefix index, which would store every
// full stop and comma twice with its place in the message: on Markdown and
// Go source cut into messages, that grew the word index by about 40 %, four
// times what the symbol index costs. And filling it does not rebuild the
// word index.
//
// The word and symbol indexes' content views and triggers call functions
// registered by this package with the SQLite driver (thinkcloud_split_cjk,
// thinkcloud_symbols), so other programs can read the database but cannot
// change messages in it.
//
// Search collects the newest [SearchWindow] matching messages and ranks them
// by a BM25 score: term frequency, saturated and normalised by message
// length. Equal scores go newest first. Inverse document frequency is left
// out because every hit contains every term and computing it would scan each
// term's full posting list, which for a common term on a large history costs
// more than the whole search should.
//
// A snippet is about 64 characters of the message around the first match,
// with "…" where text was cut. Every match in it is wrapped in [MarkStart] and
// [MarkEnd] (the ASCII control characters STX and ETX, which do not occur in
// normal chat text); a word-prefix term is marked, and counted for ranking,
// only where a word begins. The window must split on them and render the pieces as
// text, never as HTML.
//
// # Deletion
//
// Deleting a conversation or messages removes the rows and their entries in
// every full-text index in the same transaction. The connection uses PRAGMA
// secure_delete and every FTS5 index its "secure-delete" option, so deleted text is
// overwritten in the file rather than merely unlinked, and Store checkpoints
// the WAL after deleting a conversation so the old pages leave the log too.
//
// # Export format
//
// [Store.ExportJSON] writes the format documented on [ExportDocument]:
// {"format":"thinkcloud.conversation","version":1,...}. [Store.ImportJSON]
// reads it back into a new conversation with new ids.
package history
