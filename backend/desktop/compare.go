package desktop

import (
	"errors"
	"fmt"
	"strings"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/history"
)

// The number of models one question can be put to at once: fewer is no
// comparison, more columns do not fit the window.
const (
	MinCompare = 2
	MaxCompare = 4
)

// CompareRequest is one question put to several models side by side.
// Each answer streams on its own stream id; together they are versions of
// one another under the question (the first one shown), so the one the
// user continues with is chosen like any version (HistoryService.SelectVersion).
type CompareRequest struct {
	// ConversationID is "" to start a new conversation.
	ConversationID string   `json:"conversationId"`
	Text           string   `json:"text"`
	Images         []string `json:"images"` // data URLs
	// Attachments are text files (and PDFs' text), as on SendRequest.
	Attachments []history.Attachment `json:"attachments,omitempty"`
	// Answers are the models asked, MinCompare to MaxCompare of them.
	Answers []CompareAnswer `json:"answers"`
}

// CompareAnswer is one column of a comparison: the model asked, with the
// parameters that model takes, and the stream id its events carry.
type CompareAnswer struct {
	StreamID string `json:"streamId"`
	Model    string `json:"model"`
	Params   Params `json:"params"`
}

// CompareResult names what Compare created; each answer then arrives as
// chat:stream events carrying its StreamID.
type CompareResult struct {
	ConversationID string `json:"conversationId"`
	UserMessageID  string `json:"userMessageId"`
	// Answers are in the request's order.
	Answers []CompareStarted `json:"answers"`
}

// CompareStarted is one answer of a comparison as stored.
type CompareStarted struct {
	AssistantMessageID string `json:"assistantMessageId"`
	// Thinking is how the answer's model is asked to think.
	Thinking string `json:"thinking,omitempty"`
}

// Compare stores the user's question with one streaming answer per model
// (sibling versions, in one transaction) and starts every answer at once.
// The answers are independent: one failing or stopped leaves the others
// running. The conversation remembers the first model and its parameters.
func (s *ChatService) Compare(req CompareRequest) (res CompareResult, err error) {
	if strings.TrimSpace(req.Text) == "" && len(req.Images) == 0 && len(req.Attachments) == 0 {
		return CompareResult{}, errEmptyMessage
	}
	if err := checkAttachments(req.Images, req.Attachments); err != nil {
		return CompareResult{}, err
	}
	if n := len(req.Answers); n < MinCompare || n > MaxCompare {
		return CompareResult{}, fmt.Errorf("compare %d models: want %d to %d", n, MinCompare, MaxCompare)
	}
	if err := s.started.wait(s.base); err != nil {
		return CompareResult{}, err
	}
	for i, a := range req.Answers {
		if err := s.claim(a.StreamID); err != nil {
			for _, b := range req.Answers[:i] {
				s.releaseUnless(b.StreamID, &err)
			}
			return CompareResult{}, err
		}
	}
	defer func() {
		for _, a := range req.Answers {
			s.releaseUnless(a.StreamID, &err)
		}
	}()
	models := make([]catalog.Model, len(req.Answers))
	thinking := make([]string, len(req.Answers))
	for i, a := range req.Answers {
		m, err := s.core.Resolve(a.Model)
		if err != nil && !errors.Is(err, catalog.ErrRetired) {
			return CompareResult{}, newProblem(ProblemUnknownModel, fmt.Errorf("unknown model %q", a.Model), "model", a.Model)
		}
		models[i], thinking[i] = m, s.core.ThinkingLabel(turn(a.Model, nil, a.Params, 0))
	}
	user := &history.Message{Role: history.RoleUser, Content: req.Text, Images: history.JoinImages(req.Images, req.Attachments), Status: history.StatusComplete}
	for _, m := range models {
		if err := canRead(m, user); err != nil {
			return CompareResult{}, err
		}
	}
	hist, err := s.store()
	if err != nil {
		return CompareResult{}, err
	}
	first, p := req.Answers[0].Model, req.Answers[0].Params
	raw := paramsJSON(p)
	t := history.TurnStart{ConversationID: req.ConversationID,
		User:  user,
		New:   history.Conversation{Title: titleFrom(titleText(req.Text, req.Attachments)), Model: first, Provider: models[0].Provider, SystemPrompt: p.System, Params: raw},
		Patch: history.Patch{Model: &first, Provider: &models[0].Provider, SystemPrompt: &p.System, Params: &raw},
		Model: first, Provider: models[0].Provider, Thinking: thinking[0]}
	for i, a := range req.Answers[1:] {
		t.Siblings = append(t.Siblings, history.Answerer{Model: a.Model, Provider: models[i+1].Provider, Thinking: thinking[i+1]})
	}
	begun, err := hist.BeginTurn(s.base, t)
	if err != nil {
		return CompareResult{}, fmt.Errorf("save turn: %w", err)
	}
	ids := append([]string{begun.AssistantMessageID}, begun.SiblingIDs...)
	res = CompareResult{ConversationID: begun.ConversationID, UserMessageID: begun.UserMessageID}
	for i, a := range req.Answers {
		m := models[i]
		ans := &answer{svc: s, hist: hist, streamID: a.StreamID, convID: begun.ConversationID, msgID: ids[i],
			provider: m.Provider, asked: a.Model, model: m.ID}
		if i == 0 && req.ConversationID == "" {
			ans.autoTitle = t.New.Title // a new conversation: a model may name it (title.go)
		}
		s.run(ans, forModel(turn(a.Model, begun.Messages, a.Params, m.ContextWindow), m))
		res.Answers = append(res.Answers, CompareStarted{AssistantMessageID: ids[i], Thinking: thinking[i]})
	}
	return res, nil
}
