package history

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"
)

// node is the shape of one message in its conversation's tree: the small
// columns only, so walking a long conversation reads no message text.
type node struct {
	id, parent string
	role       Role
	status     Status
	position   int64
	chosenAt   int64
	deletedOp  string
	branchDel  bool // hidden with its later turns
}

// tree is a conversation's messages by id and their children, oldest first.
type tree struct {
	leaf     string
	byID     map[string]*node
	children map[string][]*node // "" holds the first messages (roots)
}

// querier is what *sql.Tx and *sql.DB have in common.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func loadTree(ctx context.Context, q querier, conversationID string) (*tree, error) {
	t := &tree{byID: map[string]*node{}, children: map[string][]*node{}}
	err := q.QueryRowContext(ctx, `SELECT leaf_id FROM conversations WHERE id = ?`, conversationID).Scan(&t.leaf)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT id, coalesce(parent_id, ''), role, status, position, chosen_at,
		deleted_op, deleted_branch FROM messages WHERE conversation_id = ? ORDER BY position`, conversationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		n := &node{}
		if err := rows.Scan(&n.id, &n.parent, &n.role, &n.status, &n.position, &n.chosenAt,
			&n.deletedOp, &n.branchDel); err != nil {
			return nil, err
		}
		t.byID[n.id] = n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Rows come in position order, so each list of children is oldest
	// first. A parent that no longer exists (purged by an older build)
	// makes its children first messages rather than losing them.
	for _, n := range sortedNodes(t.byID) {
		if _, ok := t.byID[n.parent]; !ok {
			n.parent = ""
		}
		t.children[n.parent] = append(t.children[n.parent], n)
	}
	return t, nil
}

func sortedNodes(m map[string]*node) []*node {
	out := make([]*node, 0, len(m))
	for _, n := range m {
		out = append(out, n)
	}
	slices.SortFunc(out, func(a, b *node) int { return cmp.Compare(a.position, b.position) })
	return out
}

// gone reports whether n was deleted together with its later turns, or
// sits under such a message: it is on no path.
func (t *tree) gone(n *node) bool {
	for ; n != nil; n = t.byID[n.parent] {
		if n.deletedOp != "" && n.branchDel {
			return true
		}
	}
	return false
}

// versions are the live children of parent: the versions of one turn.
func (t *tree) versions(parent string) []*node {
	var out []*node
	for _, c := range t.children[parent] {
		if c.deletedOp == "" {
			out = append(out, c)
		}
	}
	return out
}

// descend follows from (a message id, or "" for the conversation's start)
// down the most recently chosen live child at each step and returns the
// last message reached, or from itself when it has no live children.
func (t *tree) descend(from string) string {
	for {
		var next *node
		for _, c := range t.children[from] {
			if c.deletedOp != "" && c.branchDel {
				continue
			}
			if next == nil || c.chosenAt > next.chosenAt ||
				(c.chosenAt == next.chosenAt && c.position > next.position) {
				next = c
			}
		}
		if next == nil {
			return from
		}
		from = next.id
	}
}

// activeLeaf is the end of the path the user looks at: the stored leaf,
// or when that was deleted, the path continued from its nearest live
// ancestor (another version of the deleted turn, if there is one).
func (t *tree) activeLeaf() string {
	n := t.byID[t.leaf]
	if n == nil {
		return t.descend("")
	}
	// Cut the path above the highest deleted branch on it.
	top := ""
	cut := false
	for p := n; p != nil; p = t.byID[p.parent] {
		if p.deletedOp != "" && p.branchDel {
			top, cut = p.parent, true
		}
	}
	if cut {
		return t.descend(top)
	}
	return t.descend(n.id)
}

// liveParent is the nearest ancestor of id that is not deleted, "" for
// none: a message deleted alone is skipped, as on screen.
func (t *tree) liveParent(id string) string {
	for n := t.byID[t.byID[id].parent]; n != nil; n = t.byID[n.parent] {
		if n.deletedOp == "" {
			return n.id
		}
	}
	return ""
}

// path returns the ids from the first message to leaf, in order.
func (t *tree) path(leaf string) []string {
	var ids []string
	for n := t.byID[leaf]; n != nil; n = t.byID[n.parent] {
		ids = append(ids, n.id)
	}
	slices.Reverse(ids)
	return ids
}

// choose makes the path ending at leaf the active one: the leaf is stored,
// and every message on the path is marked as chosen now, so that coming
// back to any of its versions later lands on these later turns again.
func choose(ctx context.Context, tx *sql.Tx, conversationID string, t *tree, leaf string) error {
	now := time.Now().UnixMilli()
	for chunk := range slices.Chunk(t.path(leaf), 500) {
		args := []any{now}
		for _, id := range chunk {
			args = append(args, id)
			t.byID[id].chosenAt = now
		}
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET chosen_at = ? WHERE id IN (?`+
			strings.Repeat(", ?", len(chunk)-1)+`)`, args...); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, `UPDATE conversations SET leaf_id = ? WHERE id = ?`, leaf, conversationID)
	t.leaf = leaf
	return err
}

// activeMessages reads the messages of the active path, without those
// deleted one by one, each with the ids of its versions.
func activeMessages(ctx context.Context, q querier, conversationID string) ([]Message, error) {
	t, err := loadTree(ctx, q, conversationID)
	if err != nil {
		return nil, err
	}
	return t.messages(ctx, q, t.path(t.activeLeaf()))
}

// messages reads the visible messages among ids, in the order given.
func (t *tree) messages(ctx context.Context, q querier, ids []string) ([]Message, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	byID := make(map[string]Message, len(ids))
	for chunk := range slices.Chunk(ids, 500) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		got, err := readMessages(ctx, q, `id IN (?`+strings.Repeat(", ?", len(chunk)-1)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for _, m := range got {
			byID[m.ID] = m
		}
	}
	out := make([]Message, 0, len(ids))
	for _, id := range ids {
		n := t.byID[id]
		if n.deletedOp != "" {
			continue
		}
		m := byID[id]
		m.ParentID = n.parent
		for _, v := range t.versions(n.parent) {
			m.Versions = append(m.Versions, v.id)
		}
		out = append(out, m)
	}
	return out, nil
}

// SelectMessage makes the path through messageID the active one, continued
// down the later turns that were last chosen under it: what the window
// calls to show another version of a message, or a search hit in a branch
// that is not the active one.
func (s *Store) SelectMessage(ctx context.Context, conversationID, messageID string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		t, err := loadTree(ctx, tx, conversationID)
		if err != nil {
			return err
		}
		n := t.byID[messageID]
		if n == nil || t.gone(n) || n.deletedOp != "" {
			return ErrNotFound
		}
		return choose(ctx, tx, conversationID, t, t.descend(messageID))
	})
	return wrap("select message", err)
}
