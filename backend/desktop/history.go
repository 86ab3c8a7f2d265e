package desktop

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"thinkcloud/backend/internal/atomicfile"
	"time"

	"thinkcloud/backend/history"
)

// HistoryService is bound to the window: the conversation list, search,
// and export/import. It maps stored rows to the window's view types so
// the storage schema can change without breaking the frontend.
type HistoryService struct {
	hist  *HistoryHandle
	base  context.Context
	files FileChooser // the export/import file dialogs
	ops   atomicfile.Ops
	// prices prices answers once the core is up (Services.Start).
	prices pricer

	mu      sync.Mutex
	lastDir string // where the last export or import was, for the next dialog
}

// NewHistoryService returns the history service; files shows the dialogs
// that choose where exports go and which file to import.
func NewHistoryService(base context.Context, h *HistoryHandle, files FileChooser) *HistoryService {
	return &HistoryService{hist: h, base: base, files: files, ops: atomicfile.OS()}
}

// Status says whether the history is open, being upgraded, or unavailable
// and why; "history:status" events report each change.
func (s *HistoryService) Status() HistoryStatus { return s.hist.Status() }

// store waits for the history to be open (see HistoryHandle).
func (s *HistoryService) store() (*history.Store, error) { return s.hist.Store(s.base) }

// List returns conversations, pinned first, then most recent.
func (s *HistoryService) List(limit, offset int) ([]ConversationView, error) {
	hist, err := s.store()
	if err != nil {
		return nil, err
	}
	cs, err := hist.ListConversations(s.base, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("list conversations: %w", err)
	}
	out := make([]ConversationView, 0, len(cs))
	for _, c := range cs {
		out = append(out, conversationView(c))
	}
	return out, nil
}

// Get returns a conversation and its messages.
func (s *HistoryService) Get(id string) (ConversationDetail, error) {
	hist, err := s.store()
	if err != nil {
		return ConversationDetail{}, err
	}
	c, msgs, err := hist.GetConversation(s.base, id)
	if err != nil {
		return ConversationDetail{}, fmt.Errorf("open conversation: %w", err)
	}
	d := ConversationDetail{Conversation: conversationView(c), Messages: make([]MessageView, 0, len(msgs))}
	for _, m := range msgs {
		d.Messages = append(d.Messages, messageView(m))
	}
	s.prices.price(&d, msgs)
	return d, nil
}

// SelectVersion shows another version of a message: the conversation's
// active path becomes the one through messageID (continued down the later
// turns last seen under it), which is returned. Opening a search hit in a
// branch that is not shown does the same.
func (s *HistoryService) SelectVersion(conversationID, messageID string) (ConversationDetail, error) {
	hist, err := s.store()
	if err != nil {
		return ConversationDetail{}, err
	}
	if err := hist.SelectMessage(s.base, conversationID, messageID); err != nil {
		return ConversationDetail{}, fmt.Errorf("show version: %w", err)
	}
	return s.Get(conversationID)
}

// DeleteMessage hides one message, or with branch the message and all its
// later turns; UndoDelete with the result brings them back until Purge (or
// the next start) removes them for good.
func (s *HistoryService) DeleteMessage(conversationID, messageID string, branch bool) (DeleteResult, error) {
	hist, err := s.store()
	if err != nil {
		return DeleteResult{}, err
	}
	op, err := hist.DeleteMessage(s.base, conversationID, messageID, branch)
	if err != nil {
		return DeleteResult{}, fmt.Errorf("delete message: %w", err)
	}
	return DeleteResult{Op: op}, nil
}

// UndoDelete brings back what a DeleteMessage hid.
func (s *HistoryService) UndoDelete(op string) error {
	hist, err := s.store()
	if err != nil {
		return err
	}
	if err := hist.UndoDelete(s.base, op); err != nil {
		return fmt.Errorf("undo delete: %w", err)
	}
	return nil
}

// Purge removes for good what a DeleteMessage hid, once its undo is no
// longer offered.
func (s *HistoryService) Purge(op string) error {
	hist, err := s.store()
	if err != nil {
		return err
	}
	if err := hist.Purge(s.base, op); err != nil {
		return fmt.Errorf("purge deleted messages: %w", err)
	}
	return nil
}

// Search finds messages containing query across every conversation.
func (s *HistoryService) Search(query string) ([]HitView, error) {
	hist, err := s.store()
	if err != nil {
		return nil, err
	}
	hits, err := hist.Search(s.base, query, 50)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	out := make([]HitView, 0, len(hits))
	for _, h := range hits {
		out = append(out, HitView{ConversationID: h.ConversationID, Title: h.ConversationTitle, MessageID: h.MessageID, Snippet: h.Snippet})
	}
	return out, nil
}

// Rename sets a conversation's title.
func (s *HistoryService) Rename(id, title string) error {
	return s.patch(id, history.Patch{Title: &title})
}

// Pin pins or unpins a conversation.
func (s *HistoryService) Pin(id string, pinned bool) error {
	return s.patch(id, history.Patch{Pinned: &pinned})
}

// SetModel records the conversation's model for its next turn.
func (s *HistoryService) SetModel(id, model string) error {
	return s.patch(id, history.Patch{Model: &model})
}

// SetSystem stores the system prompt and parameters of a conversation.
func (s *HistoryService) SetSystem(id, system string, params Params) error {
	params.System = system
	raw := paramsJSON(params)
	return s.patch(id, history.Patch{SystemPrompt: &system, Params: &raw})
}

func (s *HistoryService) patch(id string, p history.Patch) error {
	hist, err := s.store()
	if err != nil {
		return err
	}
	if err := hist.UpdateConversation(s.base, id, p); err != nil {
		return fmt.Errorf("update conversation: %w", err)
	}
	return nil
}

// Delete removes a conversation, its messages and their search entries.
func (s *HistoryService) Delete(id string) error {
	hist, err := s.store()
	if err != nil {
		return err
	}
	if err := hist.DeleteConversation(s.base, id); err != nil && !errors.Is(err, history.ErrNotFound) {
		return fmt.Errorf("delete conversation: %w", err)
	}
	return nil
}

// ExportMarkdown renders a conversation as Markdown, for the export preview.
func (s *HistoryService) ExportMarkdown(id string) (string, error) {
	hist, err := s.store()
	if err != nil {
		return "", err
	}
	return hist.ExportMarkdown(s.base, id)
}

// ExportJSON renders a conversation in ThinkCloud's import format, for the
// export preview.
func (s *HistoryService) ExportJSON(id string) (string, error) {
	hist, err := s.store()
	if err != nil {
		return "", err
	}
	b, err := hist.ExportJSON(s.base, id)
	return string(b), err
}

func conversationView(c history.Conversation) ConversationView {
	v := ConversationView{ID: c.ID, Title: c.Title, Model: c.Model, Provider: c.Provider, System: c.SystemPrompt,
		Pinned: c.Pinned, CreatedAt: c.CreatedAt.Format(time.RFC3339), UpdatedAt: c.UpdatedAt.Format(time.RFC3339)}
	if !c.ImportedAt.IsZero() {
		v.ImportedAt, v.ImportedFrom = c.ImportedAt.Format(time.RFC3339), c.ImportedFrom
	}
	if len(c.Params) > 0 {
		var p Params
		if json.Unmarshal(c.Params, &p) == nil {
			v.Params = &p
		}
	}
	return v
}

func messageView(m history.Message) MessageView {
	v := MessageView{ID: m.ID, ConversationID: m.ConversationID, Role: string(m.Role), Content: m.Content,
		Reasoning: m.Reasoning, Model: m.Model, Provider: m.Provider, Status: string(m.Status), Error: m.Error,
		ErrorKind: m.ErrorKind, Thinking: m.Thinking, CreatedAt: m.CreatedAt.Format(time.RFC3339), ParentID: m.ParentID,
		Versions: m.Versions}
	if v.Versions == nil {
		v.Versions = []string{m.ID}
	}
	v.Images, v.Attachments = history.SplitImages(m.Images)
	if m.Usage != (history.Usage{}) {
		v.Usage = &UsageView{PromptTokens: m.Usage.PromptTokens, CompletionTokens: m.Usage.CompletionTokens}
	}
	if m.Stats != (history.Stats{}) {
		v.Stats = &StatsView{TTFTMs: m.Stats.FirstTokenMs, TokensPerSec: m.Stats.TokensPerSecond, ReasoningMs: m.Stats.ReasoningMs}
	}
	return v
}

// LastParams returns the parameters of the newest conversation with
// model, nil when there is none: a new conversation starts from the
// thinking choice last made for its model (remembered in the history,
// not in settings).
func (s *HistoryService) LastParams(model string) (*Params, error) {
	hist, err := s.store()
	if err != nil {
		return nil, err
	}
	raw, err := hist.LastParams(s.base, model)
	if err != nil || raw == nil {
		return nil, err
	}
	var p Params
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, nil // params written by another build: start from defaults
	}
	return &p, nil
}
