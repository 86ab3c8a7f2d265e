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
// Message content (not reasoning, images or titles) is indexed with SQLite's
// FTS5 "trigram" tokenizer, which matches any substring of three or more
// characters, case-insensitively, in any script; it is what makes Chinese
// search work without a word segmenter. [Store.Search] splits the query on
// white space and applies one rule per term:
//
//   - A term of three or more characters is looked up in the FTS5 index.
//   - A term of one or two characters (for example the Chinese word 世界)
//     cannot be looked up in a trigram index, so it is matched with LIKE
//     against the message content: a substring match that ignores case for
//     ASCII letters only.
//   - Every term must match (AND), anywhere in the message. There is no
//     phrase or operator syntax: quotes, "OR" and "*" are ordinary text.
//
// When at least one term is long enough, the index narrows the candidates and
// LIKE only filters them. When every term is short, Search scans messages from
// the newest backwards, so short queries are fast when they match often and
// slower (a full scan) when they match rarely or not at all.
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
// normal chat text). The window must split on them and render the pieces as
// text, never as HTML.
//
// # Deletion
//
// Deleting a conversation or messages removes the rows and their full-text
// entries in the same transaction. The connection uses PRAGMA secure_delete
// and the FTS5 index its "secure-delete" option, so deleted text is
// overwritten in the file rather than merely unlinked, and Store checkpoints
// the WAL after deleting a conversation so the old pages leave the log too.
//
// # Export format
//
// [Store.ExportJSON] writes the format documented on [ExportDocument]:
// {"format":"thinkcloud.conversation","version":1,...}. [Store.ImportJSON]
// reads it back into a new conversation with new ids.
package history
