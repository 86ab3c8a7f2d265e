package history

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
)

const messageColumns = `id, conversation_id, position, role, status, created_at, updated_at,
	prompt_tokens, completion_tokens, first_token_ms, tokens_per_sec, reasoning_ms,
	model, provider, error, error_kind, content, reasoning, images, thinking, parent_id`

// messageReadColumns reads messageColumns, with a streaming answer's text
// taken from draft, where it grows until it is finished (see schemaV5).
var messageReadColumns = strings.Replace(messageColumns, " content,",
	" CASE WHEN status = 'streaming' THEN draft ELSE content END,", 1)

// AddMessage appends m to its conversation and returns it as stored. The
// store assigns the id and position; an empty status means complete and zero
// timestamps mean now. Use BeginAssistant for an answer that is still
// arriving.
func (s *Store) AddMessage(ctx context.Context, m Message) (Message, error) {
	if m.Status == StatusStreaming {
		return Message{}, wrap("add message", invalid("use BeginAssistant for a streaming message"))
	}
	var out Message
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = appendMessage(ctx, tx, m)
		return err
	})
	if err != nil {
		return Message{}, wrap("add message", err)
	}
	return out, nil
}

// BeginAssistant appends an empty assistant message with status "streaming"
// and returns its id, so that text saved by UpdateStreaming survives a crash.
func (s *Store) BeginAssistant(ctx context.Context, conversationID, model, provider string) (string, error) {
	m := Message{ConversationID: conversationID, Role: RoleAssistant,
		Status: StatusStreaming, Model: model, Provider: provider}
	var id string
	err := s.write(ctx, func(tx *sql.Tx) error {
		out, err := appendMessage(ctx, tx, m)
		id = out.ID
		return err
	})
	if err != nil {
		return "", wrap("begin assistant message", err)
	}
	return id, nil
}

// UpdateStreaming replaces the text of a streaming message with everything
// received so far. Call it about once a second while the answer arrives; each
// call is one small transaction. The text goes to the draft column, which no
// search index follows: re-indexing the whole answer on every save cost
// more than anything else the app does while an answer streams. Finish
// (or, after a crash, Open) moves it into content, indexed once. It fails
// with ErrNotStreaming once the message was finished or marked interrupted.
func (s *Store) UpdateStreaming(ctx context.Context, messageID, content, reasoning string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE messages SET draft = ?, reasoning = ?, updated_at = ?
			WHERE id = ? AND status = ?`,
			content, reasoning, time.Now().UnixMilli(), messageID, StatusStreaming)
		return streamingRow(ctx, tx, messageID, res, err)
	})
	return wrap("update streaming message", err)
}

// Finish records the final state of a streaming message and marks its
// conversation as active.
func (s *Store) Finish(ctx context.Context, messageID string, f Final) error {
	if !f.Status.valid() || f.Status == StatusStreaming {
		return wrap("finish message", invalid("final status %q", f.Status))
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := time.Now().UnixMilli()
		res, err := tx.ExecContext(ctx, `UPDATE messages SET status = ?, content = ?, draft = '', reasoning = ?,
			error = ?, error_kind = ?, prompt_tokens = ?, completion_tokens = ?, first_token_ms = ?,
			tokens_per_sec = ?, reasoning_ms = ?, updated_at = ?,
			model = COALESCE(NULLIF(?, ''), model), provider = COALESCE(NULLIF(?, ''), provider)
			WHERE id = ? AND status = ?`,
			f.Status, f.Content, f.Reasoning, f.Error, f.ErrorKind, f.Usage.PromptTokens, f.Usage.CompletionTokens,
			f.Stats.FirstTokenMs, f.Stats.TokensPerSecond, f.Stats.ReasoningMs, now, f.Model, f.Provider,
			messageID, StatusStreaming)
		if err := streamingRow(ctx, tx, messageID, res, err); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE conversations SET updated_at = ?
			WHERE id = (SELECT conversation_id FROM messages WHERE id = ?)`, now, messageID)
		return err
	})
	return wrap("finish message", err)
}

// DeleteMessagesFrom deletes the message and its later turns in every
// version at once, for good (no undo). The window never calls it:
// regenerate and edit make new versions, and deleting there is soft (see
// DeleteMessage).
func (s *Store) DeleteMessagesFrom(ctx context.Context, conversationID, messageID string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		t, err := loadTree(ctx, tx, conversationID)
		if err != nil {
			return err
		}
		if t.byID[messageID] == nil {
			return ErrNotFound
		}
		for _, id := range t.subtree(messageID) {
			if _, err := tx.ExecContext(ctx, `DELETE FROM messages WHERE id = ?`, id); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE conversations SET updated_at = ? WHERE id = ?`,
			time.Now().UnixMilli(), conversationID)
		return err
	})
	return wrap("delete messages", err)
}

// appendMessage adds m at the end of its conversation's active path and
// makes it the path's new end.
func appendMessage(ctx context.Context, tx *sql.Tx, m Message) (Message, error) {
	t, err := loadTree(ctx, tx, m.ConversationID)
	if err != nil {
		return Message{}, err
	}
	m.ParentID = t.activeLeaf()
	out, err := insertMessage(ctx, tx, m)
	if err != nil {
		return Message{}, err
	}
	t.byID[out.ID] = &node{id: out.ID, parent: out.ParentID, role: out.Role, status: out.Status, position: out.Position}
	return out, choose(ctx, tx, m.ConversationID, t, out.ID)
}

// insertMessage validates m, gives it the next position in its
// conversation and inserts it under m.ParentID ("" for a first message),
// bumping the conversation's activity time. The caller checks the parent.
func insertMessage(ctx context.Context, tx *sql.Tx, m Message) (Message, error) {
	if m.Status == "" {
		m.Status = StatusComplete
	}
	if !m.Role.valid() {
		return Message{}, invalid("role %q is not one of system, user, assistant", m.Role)
	}
	if !m.Status.valid() {
		return Message{}, invalid("status %q", m.Status)
	}
	images, err := jsonColumn("images", m.Images, true)
	if err != nil {
		return Message{}, err
	}
	if err := conversationExists(ctx, tx, m.ConversationID); err != nil {
		return Message{}, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(position), 0) + 1 FROM messages
		WHERE conversation_id = ?`, m.ConversationID).Scan(&m.Position); err != nil {
		return Message{}, err
	}
	if m.ID, err = newID(); err != nil {
		return Message{}, err
	}
	var parent any
	if m.ParentID != "" {
		parent = m.ParentID
	}
	now := time.Now().UnixMilli()
	created, updated := millis(m.CreatedAt, now), millis(m.UpdatedAt, now)
	if _, err := tx.ExecContext(ctx, `INSERT INTO messages (`+messageColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.ConversationID, m.Position, m.Role, m.Status, created, updated,
		m.Usage.PromptTokens, m.Usage.CompletionTokens, m.Stats.FirstTokenMs,
		m.Stats.TokensPerSecond, m.Stats.ReasoningMs, m.Model, m.Provider, m.Error, m.ErrorKind,
		m.Content, m.Reasoning, images, m.Thinking, parent); err != nil {
		return Message{}, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE conversations SET updated_at = max(updated_at, ?) WHERE id = ?`,
		created, m.ConversationID)
	m.Images = rawOrNil(images)
	m.CreatedAt, m.UpdatedAt = fromMillis(created), fromMillis(updated)
	return m, err
}

// streamingRow explains an UPDATE ... WHERE status = 'streaming' that
// matched nothing: the message is either gone or no longer streaming.
func streamingRow(ctx context.Context, tx *sql.Tx, id string, res sql.Result, err error) error {
	err = requireRow(res, err)
	if !errors.Is(err, ErrNotFound) {
		return err
	}
	var one int
	err = tx.QueryRowContext(ctx, `SELECT 1 FROM messages WHERE id = ?`, id).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return ErrNotFound
	case err != nil:
		return err
	}
	return ErrNotStreaming
}

// queryMessages reads every message of a conversation, in every branch,
// in the order they were written (which puts each parent before its
// children), without the soft-deleted ones.
func queryMessages(ctx context.Context, q querier, conversationID string) ([]Message, error) {
	return readMessages(ctx, q, `conversation_id = ? AND deleted_op = ''`, conversationID)
}

// readMessages reads the messages matching where, by position.
func readMessages(ctx context.Context, q querier, where string, args ...any) ([]Message, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+messageReadColumns+` FROM messages
		WHERE `+where+` ORDER BY position`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func scanMessage(r rowScanner) (Message, error) {
	var m Message
	var created, updated int64
	var parent sql.NullString
	err := r.Scan(&m.ID, &m.ConversationID, &m.Position, &m.Role, &m.Status, &created, &updated,
		&m.Usage.PromptTokens, &m.Usage.CompletionTokens, &m.Stats.FirstTokenMs,
		&m.Stats.TokensPerSecond, &m.Stats.ReasoningMs, &m.Model, &m.Provider, &m.Error, &m.ErrorKind,
		&m.Content, &m.Reasoning, (*[]byte)(&m.Images), &m.Thinking, &parent)
	m.ParentID = parent.String
	m.CreatedAt, m.UpdatedAt = fromMillis(created), fromMillis(updated)
	return m, err
}
