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
	// DeleteFrom, when set, deletes that message and every later one
	// first (regenerate, edit).
	DeleteFrom string
	// User is appended before the answer when not nil.
	User *Message
	// Model and Provider are the answering model's.
	Model, Provider string
	// Thinking is how the answer's model is asked to think
	// (Message.Thinking).
	Thinking string
}

// TurnStarted is what BeginTurn stored.
type TurnStarted struct {
	// ConversationID is the conversation's id (new or given).
	ConversationID string
	// UserMessageID is the user's message, "" when there was none.
	UserMessageID string
	// AssistantMessageID is the streaming answer.
	AssistantMessageID string
	// Messages are the conversation's messages before the answer: what
	// the model is asked about.
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
		if t.DeleteFrom != "" {
			if err := deleteFrom(ctx, tx, id, t.DeleteFrom); err != nil {
				return err
			}
		}
		if t.User != nil {
			u := *t.User
			u.ConversationID, u.Role = id, RoleUser
			stored, err := appendMessage(ctx, tx, u)
			if err != nil {
				return err
			}
			out.UserMessageID = stored.ID
		}
		msgs, err := queryMessages(ctx, tx, id)
		if err != nil {
			return err
		}
		a, err := appendMessage(ctx, tx, Message{ConversationID: id, Role: RoleAssistant,
			Status: StatusStreaming, Model: t.Model, Provider: t.Provider, Thinking: t.Thinking})
		if err != nil {
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
