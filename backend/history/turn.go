package history

import (
	"context"
	"database/sql"
	"strings"
)

// TurnStart is one exchange about to begin: the conversation it belongs
// to (new or existing), what changes in it, the user's message if there
// is one, and the assistant message that will stream.
type TurnStart struct {
	// ConversationID is the conversation to continue; "" creates New.
	ConversationID string
	// New is the conversation to create when ConversationID is "".
	New Conversation
	// Patch is applied to an existing conversation (its model, params).
	Patch Patch
	// VersionOf is the branch point: when set, the turn is a new version
	// of that message, which stays, with its later turns, as another
	// version. With User it must be a user message (edit: the new user
	// message and its answer become a sibling branch); without, an
	// assistant message (regenerate: the new answer is a sibling). When
	// empty, the turn continues the end of the active path.
	VersionOf string
	// User is the user's message, stored before the answer when not nil.
	User *Message
	// Model and Provider are the answering model's.
	Model, Provider string
	// Thinking is how the answer's model is asked to think
	// (Message.Thinking).
	Thinking string
	// Siblings are more answers to the same question, each from its own
	// model, stored beside the first as its versions (a comparison of
	// several models). The first answer's path becomes the active one.
	Siblings []Answerer
}

// Answerer is the model of one more answer in TurnStart.Siblings.
type Answerer struct {
	Model, Provider, Thinking string
}

// TurnStarted is what BeginTurn stored.
type TurnStarted struct {
	// ConversationID is the conversation's id (new or given).
	ConversationID string
	// UserMessageID is the user's message, "" when there was none.
	UserMessageID string
	// AssistantMessageID is the streaming answer.
	AssistantMessageID string
	// SiblingIDs are the streaming answers of TurnStart.Siblings, in order.
	SiblingIDs []string
	// Messages are the active path before the answer (the new branch's,
	// without messages deleted one by one): what the model is asked about.
	Messages []Message
}

// BeginTurn stores a whole turn's start in one transaction, so a failure
// or a crash never leaves half of it (a user message without its answer,
// a deleted answer without its replacement).
func (s *Store) BeginTurn(ctx context.Context, t TurnStart) (TurnStarted, error) {
	if t.User != nil && t.User.Status == StatusStreaming {
		return TurnStarted{}, wrap("begin turn", invalid("a user message cannot be streaming"))
	}
	sets, args, err := patchAssignments(t.Patch)
	if err != nil {
		return TurnStarted{}, wrap("begin turn", err)
	}
	var out TurnStarted
	err = s.write(ctx, func(tx *sql.Tx) error {
		id := t.ConversationID
		if id == "" {
			c, err := insertConversation(ctx, tx, t.New)
			if err != nil {
				return err
			}
			id = c.ID
		} else if len(sets) > 0 {
			res, err := tx.ExecContext(ctx, `UPDATE conversations SET `+strings.Join(sets, ", ")+
				` WHERE id = ?`, append(args, id)...)
			if err := requireRow(res, err); err != nil {
				return err
			}
		} else if err := conversationExists(ctx, tx, id); err != nil {
			return err
		}
		tr, err := loadTree(ctx, tx, id)
		if err != nil {
			return err
		}
		parent, err := branchPoint(tr, t)
		if err != nil {
			return err
		}
		if t.User != nil {
			u := *t.User
			u.ConversationID, u.Role, u.ParentID = id, RoleUser, parent
			stored, err := insertMessage(ctx, tx, u)
			if err != nil {
				return err
			}
			out.UserMessageID, parent = stored.ID, stored.ID
			tr.byID[stored.ID] = &node{id: stored.ID, parent: stored.ParentID, role: RoleUser, position: stored.Position}
		}
		msgs, err := tr.messages(ctx, tx, tr.path(parent))
		if err != nil {
			return err
		}
		a, err := insertMessage(ctx, tx, Message{ConversationID: id, Role: RoleAssistant, ParentID: parent,
			Status: StatusStreaming, Model: t.Model, Provider: t.Provider, Thinking: t.Thinking})
		if err != nil {
			return err
		}
		tr.byID[a.ID] = &node{id: a.ID, parent: parent, role: RoleAssistant, status: StatusStreaming, position: a.Position}
		for _, sib := range t.Siblings {
			b, err := insertMessage(ctx, tx, Message{ConversationID: id, Role: RoleAssistant, ParentID: parent,
				Status: StatusStreaming, Model: sib.Model, Provider: sib.Provider, Thinking: sib.Thinking})
			if err != nil {
				return err
			}
			out.SiblingIDs = append(out.SiblingIDs, b.ID)
		}
		if err := choose(ctx, tx, id, tr, a.ID); err != nil {
			return err
		}
		out.ConversationID, out.AssistantMessageID, out.Messages = id, a.ID, msgs
		return nil
	})
	if err != nil {
		return TurnStarted{}, wrap("begin turn", err)
	}
	return out, nil
}

// branchPoint is the message the turn hangs from ("" for the start of the
// conversation), checked against what the turn claims to be.
func branchPoint(tr *tree, t TurnStart) (string, error) {
	if t.VersionOf == "" {
		return tr.activeLeaf(), nil
	}
	v := tr.byID[t.VersionOf]
	if v == nil || v.deletedOp != "" || tr.gone(v) {
		return "", ErrNotFound
	}
	switch {
	case t.User != nil && v.role != RoleUser:
		return "", invalid("an edit makes a new version of a user message, not of a %s message", v.role)
	case t.User == nil && v.role != RoleAssistant:
		return "", invalid("a regenerate makes a new version of an answer, not of a %s message", v.role)
	case v.status == StatusStreaming && t.User == nil:
		return "", invalid("the answer is still arriving; stop it first")
	}
	return v.parent, nil
}
