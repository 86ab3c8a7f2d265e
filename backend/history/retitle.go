package history

import (
	"context"
	"database/sql"
	"errors"
)

// Retitle sets a conversation's title to title only while it is still
// was: a title the user typed in the meantime wins over one a model wrote.
// It reports whether the title changed; a missing conversation is
// ErrNotFound.
func (s *Store) Retitle(ctx context.Context, id, was, title string) (bool, error) {
	changed := false
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE conversations SET title = ? WHERE id = ? AND title = ?`, title, id, was)
		if err := requireRow(res, err); !errors.Is(err, ErrNotFound) {
			changed = err == nil
			return err
		}
		return conversationExists(ctx, tx, id) // renamed meanwhile, or gone
	})
	return changed, wrap("retitle conversation", err)
}
