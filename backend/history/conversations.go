package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// DefaultListLimit is the page size ListConversations uses when asked for
// none, and MaxListLimit the largest page it returns, so a bad argument
// from the window cannot load the whole history at once.
const (
	DefaultListLimit = 50
	MaxListLimit     = 500
)

const conversationColumns = `id, title, model, provider, system_prompt, params, pinned, created_at, updated_at, imported_from, imported_at`

// CreateConversation saves c as a new conversation and returns it as stored.
// The store assigns the id; zero timestamps are set to now.
func (s *Store) CreateConversation(ctx context.Context, c Conversation) (Conversation, error) {
	var out Conversation
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = insertConversation(ctx, tx, c)
		return err
	})
	if err != nil {
		return Conversation{}, wrap("create conversation", err)
	}
	return out, nil
}

func insertConversation(ctx context.Context, tx *sql.Tx, c Conversation) (Conversation, error) {
	params, err := jsonColumn("params", c.Params, false)
	if err != nil {
		return Conversation{}, err
	}
	if c.ID, err = newID(); err != nil {
		return Conversation{}, err
	}
	now := time.Now().UnixMilli()
	created, updated := millis(c.CreatedAt, now), millis(c.UpdatedAt, now)
	imported := int64(0)
	if !c.ImportedAt.IsZero() {
		imported = c.ImportedAt.UnixMilli()
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO conversations (`+conversationColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.Title, c.Model, c.Provider, c.SystemPrompt, params, c.Pinned, created, updated, c.ImportedFrom, imported)
	if err != nil {
		return Conversation{}, err
	}
	c.Params = rawOrNil(params)
	c.CreatedAt, c.UpdatedAt = fromMillis(created), fromMillis(updated)
	return c, nil
}

// ListConversations returns one page of conversations, pinned ones first and
// then by most recent activity. A limit of zero or less means
// DefaultListLimit; larger limits are capped at MaxListLimit.
func (s *Store) ListConversations(ctx context.Context, limit, offset int) ([]Conversation, error) {
	if limit <= 0 {
		limit = DefaultListLimit
	}
	limit = min(limit, MaxListLimit)
	if offset < 0 {
		return nil, wrap("list conversations", invalid("negative offset %d", offset))
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+conversationColumns+` FROM conversations
		ORDER BY pinned DESC, updated_at DESC, id DESC LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, wrap("list conversations", err)
	}
	defer rows.Close()
	out := make([]Conversation, 0, limit)
	for rows.Next() {
		c, err := scanConversation(rows)
		if err != nil {
			return nil, wrap("list conversations", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("list conversations", err)
	}
	return out, nil
}

// GetConversation returns a conversation and the messages of its active
// path (see SelectMessage) in order, each with its versions, read from one
// snapshot so a concurrent write cannot split them.
func (s *Store) GetConversation(ctx context.Context, id string) (Conversation, []Message, error) {
	c, msgs, err := s.load(ctx, id)
	if err != nil {
		return Conversation{}, nil, wrap("get conversation", err)
	}
	return c, msgs, nil
}

// load is GetConversation without the error context, for the exporters;
// with all it returns every live message of every branch instead.
func (s *Store) load(ctx context.Context, id string, all ...bool) (Conversation, []Message, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Conversation{}, nil, err
	}
	defer func() { _ = tx.Rollback() }()
	c, err := scanConversation(tx.QueryRowContext(ctx,
		`SELECT `+conversationColumns+` FROM conversations WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Conversation{}, nil, ErrNotFound
	}
	if err != nil {
		return Conversation{}, nil, err
	}
	if len(all) > 0 && all[0] {
		msgs, err := queryMessages(ctx, tx, id)
		return c, msgs, err
	}
	msgs, err := activeMessages(ctx, tx, id)
	return c, msgs, err
}

// UpdateConversation applies the non-nil fields of p. It does not move
// UpdatedAt; see Conversation.
func (s *Store) UpdateConversation(ctx context.Context, id string, p Patch) error {
	sets, args, err := patchAssignments(p)
	if err != nil {
		return wrap("update conversation", err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		if len(sets) == 0 {
			return conversationExists(ctx, tx, id)
		}
		res, err := tx.ExecContext(ctx, `UPDATE conversations SET `+strings.Join(sets, ", ")+
			` WHERE id = ?`, append(args, id)...)
		return requireRow(res, err)
	})
	return wrap("update conversation", err)
}

func patchAssignments(p Patch) (sets []string, args []any, err error) {
	add := func(column string, value any) {
		sets = append(sets, column+" = ?")
		args = append(args, value)
	}
	if p.Title != nil {
		add("title", *p.Title)
	}
	if p.Model != nil {
		add("model", *p.Model)
	}
	if p.Provider != nil {
		add("provider", *p.Provider)
	}
	if p.SystemPrompt != nil {
		add("system_prompt", *p.SystemPrompt)
	}
	if p.Params != nil {
		params, err := jsonColumn("params", *p.Params, false)
		if err != nil {
			return nil, nil, err
		}
		add("params", params)
	}
	if p.Pinned != nil {
		add("pinned", *p.Pinned)
	}
	return sets, args, nil
}

// DeleteConversation removes the conversation, its messages and their
// full-text entries, then checkpoints the WAL so the overwritten pages do not
// linger in the log.
func (s *Store) DeleteConversation(ctx context.Context, id string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		// Deleting the messages first (rather than relying on the cascade)
		// keeps the full-text triggers explicit.
		if _, err := tx.ExecContext(ctx, `DELETE FROM messages WHERE conversation_id = ?`, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM conversations WHERE id = ?`, id)
		return requireRow(res, err)
	})
	if err != nil {
		return wrap("delete conversation", err)
	}
	// Best effort: a reader holding an old snapshot can keep some frames in
	// the log until the next checkpoint, which SQLite runs on its own.
	_, _ = s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return nil
}

// rowScanner is what *sql.Row and *sql.Rows have in common.
type rowScanner interface {
	Scan(dest ...any) error
}

func scanConversation(r rowScanner) (Conversation, error) {
	var c Conversation
	var created, updated, imported int64
	err := r.Scan(&c.ID, &c.Title, &c.Model, &c.Provider, &c.SystemPrompt,
		(*[]byte)(&c.Params), &c.Pinned, &created, &updated, &c.ImportedFrom, &imported)
	c.CreatedAt, c.UpdatedAt = fromMillis(created), fromMillis(updated)
	if imported != 0 {
		c.ImportedAt = fromMillis(imported)
	}
	return c, err
}

func conversationExists(ctx context.Context, tx *sql.Tx, id string) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM conversations WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// requireRow turns an UPDATE or DELETE that matched nothing into ErrNotFound.
func requireRow(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

func rawOrNil(v any) []byte {
	if s, ok := v.(string); ok {
		return []byte(s)
	}
	return nil
}

// LastParams returns the params of the conversation with model that
// changed most recently, nil when there is none: the window starts a new
// conversation with a model from the thinking choice the user made for
// it last, so the choice is remembered per model without a second store.
func (s *Store) LastParams(ctx context.Context, model string) (json.RawMessage, error) {
	var raw []byte
	err := s.db.QueryRowContext(ctx, `SELECT params FROM conversations
		WHERE model = ? AND params IS NOT NULL ORDER BY updated_at DESC, id DESC LIMIT 1`, model).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap("last params", err)
	}
	return raw, nil
}
