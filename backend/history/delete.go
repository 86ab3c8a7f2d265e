package history

import (
	"context"
	"database/sql"
	"time"
)

// subtree returns id and every message under it, parents first.
func (t *tree) subtree(id string) []string {
	out := []string{id}
	for i := 0; i < len(out); i++ {
		for _, c := range t.children[out[i]] {
			out = append(out, c.id)
		}
	}
	return out
}

// DeleteMessage hides a message, or with branch set the message and all its
// later turns (in every version), and returns the id of this delete, which
// UndoDelete takes to bring exactly these messages back. Nothing is removed
// from the file until Purge: the window offers undo in the meantime. A
// message with no later turns is hidden as a branch, so another version of
// it (if any) takes its place on the path; a message with later turns that
// is deleted alone is hidden while its later turns stay where they are. A
// message still streaming cannot be deleted (stop it first).
func (s *Store) DeleteMessage(ctx context.Context, conversationID, messageID string, branch bool) (string, error) {
	op, err := newID()
	if err != nil {
		return "", wrap("delete message", err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		t, err := loadTree(ctx, tx, conversationID)
		if err != nil {
			return err
		}
		n := t.byID[messageID]
		if n == nil || n.deletedOp != "" || t.gone(n) {
			return ErrNotFound
		}
		hasLater := false
		for _, c := range t.children[messageID] {
			if c.deletedOp == "" {
				hasLater = true
			}
		}
		ids := []string{messageID}
		if branch || !hasLater {
			branch = true
			ids = t.subtree(messageID)
		}
		for _, id := range ids {
			if t.byID[id].status == StatusStreaming {
				return invalid("an answer is still arriving in this branch; stop it first")
			}
		}
		for _, id := range ids {
			// Messages already deleted by an earlier delete keep its id, so
			// each undo restores what its own delete hid.
			if _, err := tx.ExecContext(ctx, `UPDATE messages SET deleted_op = ?, deleted_branch = ?
				WHERE id = ? AND deleted_op = ''`, op, branch, id); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE conversations SET updated_at = ? WHERE id = ?`,
			time.Now().UnixMilli(), conversationID)
		return err
	})
	if err != nil {
		return "", wrap("delete message", err)
	}
	return op, nil
}

// UndoDelete brings back what the delete op (from DeleteMessage) hid. It
// fails with ErrNotFound once that delete was purged.
func (s *Store) UndoDelete(ctx context.Context, op string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		if op == "" {
			return ErrNotFound
		}
		res, err := tx.ExecContext(ctx, `UPDATE messages SET deleted_op = '', deleted_branch = 0
			WHERE deleted_op = ?`, op)
		return requireRow(res, err)
	})
	return wrap("undo delete", err)
}

// Purge removes for good what the given deletes hid, or with no ops every
// soft-deleted message (Open does that, so a delete outlives its undo for
// one run of the app at most). The later turns of a message deleted alone
// move up to its parent first, so they stay in their conversation.
func (s *Store) Purge(ctx context.Context, ops ...string) error {
	where, args := `deleted_op != ''`, []any(nil)
	if len(ops) > 0 {
		for _, op := range ops {
			if op != "" { // "" is what every live message has
				args = append(args, op)
			}
		}
		if len(args) == 0 {
			return nil
		}
		where = `deleted_op IN (?` + repeatArgs(len(args)-1) + `)`
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		// A chain of messages deleted one by one needs a pass per link.
		for {
			res, err := tx.ExecContext(ctx, `UPDATE messages SET parent_id =
				(SELECT d.parent_id FROM messages d WHERE d.id = messages.parent_id)
				WHERE parent_id IN (SELECT id FROM messages WHERE deleted_branch = 0 AND `+where+`)`, args...)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				break
			}
		}
		// A branch goes with everything under it, including messages an
		// earlier delete hid that are still waiting for their own purge.
		_, err := tx.ExecContext(ctx, `WITH RECURSIVE doomed(id, deep) AS (
				SELECT id, deleted_branch FROM messages WHERE `+where+`
				UNION SELECT m.id, 1 FROM messages m JOIN doomed ON m.parent_id = doomed.id AND doomed.deep = 1)
			DELETE FROM messages WHERE id IN (SELECT id FROM doomed)`, args...)
		return err
	})
	return wrap("purge deleted messages", err)
}

func repeatArgs(n int) string {
	b := make([]byte, 0, 3*n)
	for range n {
		b = append(b, ", ?"...)
	}
	return string(b)
}
