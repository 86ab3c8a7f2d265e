package history

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode/utf8"
)

// ExportFormat and ExportVersion identify the JSON export. The version goes
// up only when a field changes meaning or becomes required; ImportJSON
// refuses versions it does not know rather than guessing.
const (
	ExportFormat  = "thinkcloud.conversation"
	ExportVersion = 2
)

// ExportDocument is the JSON export format, version 2:
//
//	{"format": "thinkcloud.conversation", "version": 2,
//	 "exportedAt": "<RFC 3339>",
//	 "conversation": {"id", "title", "model", "provider", "systemPrompt",
//	                  "params": <any JSON>, "pinned", "createdAt", "updatedAt",
//	                  "activeId", "importedAt", "importedFrom"},
//	 "messages": [{"id", "parentId", "role", "content", "reasoning", "images": [<string>...],
//	               "model", "provider", "status", "error", "errorKind",
//	               "usage": {"promptTokens", "completionTokens"},
//	               "stats": {"firstTokenMs", "tokensPerSecond", "reasoningMs"},
//	               "createdAt", "updatedAt"}]}
//
// Messages are every version of every turn, each after the message it
// follows: "parentId" is that message's "id" (absent for a first message),
// so messages sharing a parent are versions of one turn, and "activeId" is
// the last message of the path the window showed. Version 1 (still read)
// had no "parentId" or "activeId": its messages are one line, each
// following the one before. Only "format", "version", "conversation"
// and each message's "role" are required on import; ids link messages
// within the file and are replaced by new ones, missing timestamps become the import time, a
// missing status means "complete", and "streaming" is imported as
// "interrupted" because no stream is attached to the copy. It has its own
// types, separate from Conversation and Message, so that the file format
// cannot change by accident when the API does.
type ExportDocument struct {
	Format       string             `json:"format"`
	Version      int                `json:"version"`
	ExportedAt   time.Time          `json:"exportedAt"`
	Conversation ExportConversation `json:"conversation"`
	Messages     []ExportMessage    `json:"messages"`
}

// ExportConversation is the "conversation" object of ExportDocument.
type ExportConversation struct {
	ID           string          `json:"id,omitempty"`
	Title        string          `json:"title"`
	Model        string          `json:"model"`
	Provider     string          `json:"provider"`
	SystemPrompt string          `json:"systemPrompt"`
	Params       json.RawMessage `json:"params,omitempty"`
	Pinned       bool            `json:"pinned"`
	CreatedAt    time.Time       `json:"createdAt"`
	UpdatedAt    time.Time       `json:"updatedAt"`
	ActiveID     string          `json:"activeId,omitempty"`
	// ImportedAt and ImportedFrom, on a conversation that was itself
	// imported, say when and from which file; absent otherwise. An import
	// marks the new conversation with its own file and time instead.
	ImportedAt   time.Time `json:"importedAt,omitzero"`
	ImportedFrom string    `json:"importedFrom,omitempty"`
}

// ExportMessage is one element of ExportDocument's "messages" array.
type ExportMessage struct {
	ID        string          `json:"id,omitempty"`
	ParentID  string          `json:"parentId,omitempty"`
	Role      Role            `json:"role"`
	Content   string          `json:"content"`
	Reasoning string          `json:"reasoning,omitempty"`
	Images    json.RawMessage `json:"images,omitempty"`
	Model     string          `json:"model,omitempty"`
	Provider  string          `json:"provider,omitempty"`
	Status    Status          `json:"status,omitempty"`
	Error     string          `json:"error,omitempty"`
	ErrorKind string          `json:"errorKind,omitempty"`
	Thinking  string          `json:"thinking,omitempty"`
	Usage     Usage           `json:"usage"`
	Stats     Stats           `json:"stats"`
	CreatedAt time.Time       `json:"createdAt"`
	UpdatedAt time.Time       `json:"updatedAt"`
}

// ExportJSON returns the conversation as an indented ExportDocument.
func (s *Store) ExportJSON(ctx context.Context, id string) ([]byte, error) {
	c, msgs, err := s.load(ctx, id, true)
	if err != nil {
		return nil, wrap("export conversation", err)
	}
	_, path, err := s.load(ctx, id)
	if err != nil {
		return nil, wrap("export conversation", err)
	}
	active := ""
	if len(path) > 0 {
		active = path[len(path)-1].ID
	}
	doc := ExportDocument{Format: ExportFormat, Version: ExportVersion,
		ExportedAt: time.Now().UTC().Truncate(time.Second),
		Conversation: ExportConversation{ID: c.ID, Title: c.Title, Model: c.Model,
			Provider: c.Provider, SystemPrompt: c.SystemPrompt, Params: c.Params,
			Pinned: c.Pinned, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, ActiveID: active,
			ImportedAt: c.ImportedAt, ImportedFrom: c.ImportedFrom},
		Messages: make([]ExportMessage, len(msgs)),
	}
	t, err := loadTree(ctx, s.db, id)
	if err != nil {
		return nil, wrap("export conversation", err)
	}
	for i, m := range msgs {
		doc.Messages[i] = ExportMessage{ID: m.ID, ParentID: t.liveParent(m.ID), Role: m.Role, Content: m.Content,
			Reasoning: m.Reasoning, Images: m.Images, Model: m.Model, Provider: m.Provider,
			Status: m.Status, Error: m.Error, ErrorKind: m.ErrorKind, Thinking: m.Thinking, Usage: m.Usage, Stats: m.Stats,
			CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, wrap("export conversation", err)
	}
	return out, nil
}

// ImportJSON is ImportJSONFrom with no file name.
func (s *Store) ImportJSON(ctx context.Context, data []byte) (Conversation, error) {
	return s.ImportJSONFrom(ctx, data, "")
}

// ImportJSONFrom validates an ExportDocument and stores it as a new
// conversation with new ids, marked as imported now from source (a file
// name), returning the new conversation. Nothing is saved unless the
// whole document is valid.
func (s *Store) ImportJSONFrom(ctx context.Context, data []byte, source string) (Conversation, error) {
	doc, err := decodeExport(data)
	if err != nil {
		return Conversation{}, wrap("import conversation", err)
	}
	var out Conversation
	err = s.write(ctx, func(tx *sql.Tx) error {
		c := doc.Conversation
		var err error
		out, err = insertConversation(ctx, tx, Conversation{Title: c.Title, Model: c.Model,
			Provider: c.Provider, SystemPrompt: c.SystemPrompt, Params: c.Params,
			Pinned: c.Pinned, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
			ImportedAt: time.Now(), ImportedFrom: source})
		if err != nil {
			return err
		}
		return importMessages(ctx, tx, out.ID, doc)
	})
	if err != nil {
		return Conversation{}, wrap("import conversation", err)
	}
	return out, nil
}

// importMessages stores the messages under their new ids, linked as in the
// file (or one after another for version 1), and makes the file's active
// path the active one.
func importMessages(ctx context.Context, tx *sql.Tx, conversationID string, doc ExportDocument) error {
	newIDs := map[string]string{}
	prev, leaf := "", ""
	for i, m := range doc.Messages {
		parent := prev
		if doc.Version >= 2 {
			parent = newIDs[m.ParentID]
		}
		stored, err := insertMessage(ctx, tx, Message{ConversationID: conversationID, ParentID: parent, Role: m.Role,
			Content: m.Content, Reasoning: m.Reasoning, Images: m.Images, Model: m.Model,
			Provider: m.Provider, Status: m.Status, Error: m.Error, ErrorKind: m.ErrorKind, Thinking: m.Thinking, Usage: m.Usage,
			Stats: m.Stats, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt})
		if err != nil {
			return fmt.Errorf("messages[%d]: %w", i, err)
		}
		if m.ID != "" {
			newIDs[m.ID] = stored.ID
		}
		prev, leaf = stored.ID, stored.ID
	}
	if a, ok := newIDs[doc.Conversation.ActiveID]; ok {
		leaf = a
	}
	if leaf == "" {
		return nil
	}
	t, err := loadTree(ctx, tx, conversationID)
	if err != nil {
		return err
	}
	return choose(ctx, tx, conversationID, t, leaf)
}

// decodeExport parses data strictly (unknown fields and trailing data are
// errors, so a typo cannot silently drop content) and checks every field the
// database would otherwise reject, naming the offending one.
func decodeExport(data []byte) (ExportDocument, error) {
	var doc ExportDocument
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return doc, describeJSONError(data, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return doc, invalid("unexpected data after the JSON document")
	}
	if doc.Format != ExportFormat {
		return doc, invalid("format is %q; want %q", doc.Format, ExportFormat)
	}
	if doc.Version < 1 || doc.Version > ExportVersion {
		return doc, invalid("version %d is not supported (this build reads versions 1 to %d)", doc.Version, ExportVersion)
	}
	if _, err := jsonColumn("conversation.params", doc.Conversation.Params, false); err != nil {
		return doc, err
	}
	seen := map[string]bool{}
	for i := range doc.Messages {
		m := &doc.Messages[i]
		if err := checkImportedMessage(m); err != nil {
			return doc, fmt.Errorf("messages[%d]: %w", i, err)
		}
		if doc.Version >= 2 && m.ParentID != "" && !seen[m.ParentID] {
			return doc, fmt.Errorf("messages[%d]: %w", i,
				invalid("parentId %q is not the id of an earlier message", m.ParentID))
		}
		if m.ID != "" && seen[m.ID] {
			return doc, fmt.Errorf("messages[%d]: %w", i, invalid("id %q is used twice", m.ID))
		}
		if m.ID != "" {
			seen[m.ID] = true
		}
	}
	if doc.Conversation.ActiveID != "" && !seen[doc.Conversation.ActiveID] {
		return doc, invalid("conversation.activeId %q is not the id of a message", doc.Conversation.ActiveID)
	}
	return doc, nil
}

func checkImportedMessage(m *ExportMessage) error {
	switch {
	case !m.Role.valid():
		return invalid("role %q is not one of system, user, assistant", m.Role)
	case m.Status == "":
		m.Status = StatusComplete
	case m.Status == StatusStreaming:
		m.Status = StatusInterrupted
	case !m.Status.valid():
		return invalid("status %q is not one of complete, interrupted, error, stopped", m.Status)
	}
	var images []string
	if _, err := jsonColumn("images", m.Images, true); err != nil {
		return err
	}
	if len(m.Images) > 0 && json.Unmarshal(m.Images, &images) != nil {
		return invalid("images must be an array of strings")
	}
	return nil
}

// describeJSONError says what is wrong with data and where, as a line and
// column a text editor can jump to.
func describeJSONError(data []byte, err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return invalid("malformed JSON at %s: %v", position(data, syntax.Offset), err)
	case errors.As(err, &typ):
		return invalid("field %q (near %s): expected %s, got JSON %s",
			typ.Field, position(data, typ.Offset), typ.Type, typ.Value)
	case errors.Is(err, io.EOF):
		return invalid("empty document")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalid("truncated JSON document")
	}
	return invalid("%v", err)
}

// position turns the offset of a decoding error (the count of bytes read
// when it was found, so the culprit is the byte before) into "line L,
// column C", counting columns in characters.
func position(data []byte, offset int64) string {
	at := min(max(int(offset)-1, 0), len(data))
	line := 1 + bytes.Count(data[:at], []byte("\n"))
	col := 1 + utf8.RuneCount(data[bytes.LastIndexByte(data[:at], '\n')+1:at])
	return fmt.Sprintf("line %d, column %d", line, col)
}
