package desktop

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/core"
	"thinkcloud/backend/gateway"
	"thinkcloud/backend/history"
)

// Emit sends an event to the window. app.go passes the Wails runtime's
// EventsEmit; tests pass a recorder.
type Emit func(name string, payload any)

// ChatService is bound to the window: it sends turns to the router in
// process (never through port 8000, so chat works with the endpoint off)
// and streams answers back as chat:stream events.
type ChatService struct {
	core *core.Core
	hist *HistoryHandle
	emit Emit
	base context.Context
	// started gates core until Services.Start (nil: core is set).
	started *started

	// BatchInterval is how often buffered text is sent to the window;
	// zero means 30ms (one event per token would flood the bridge).
	BatchInterval time.Duration
	// SaveInterval is how often a streaming answer is written to
	// history; zero means one second.
	SaveInterval time.Duration

	// saveStreaming writes a streaming answer's text so far; nil means
	// the history's UpdateStreaming (tests slow it down).
	saveStreaming func(ctx context.Context, messageID, content, reasoning string) error

	mu      sync.Mutex
	streams map[string]context.CancelFunc
	wg      sync.WaitGroup
}

// NewChatService returns the chat service. base is cancelled at shutdown,
// which ends every stream.
func NewChatService(base context.Context, c *core.Core, h *HistoryHandle, emit Emit) *ChatService {
	return &ChatService{core: c, hist: h, emit: emit, base: base, streams: map[string]context.CancelFunc{}}
}

// store waits for the history to be open (see HistoryHandle).
func (s *ChatService) store() (*history.Store, error) { return s.hist.Store(s.base) }

// Send stores the user's turn and starts the answer. It returns at once;
// the answer arrives as events carrying req.StreamID.
func (s *ChatService) Send(req SendRequest) (SendResult, error) {
	if strings.TrimSpace(req.Text) == "" && len(req.Images) == 0 && len(req.Attachments) == 0 {
		return SendResult{}, errEmptyMessage
	}
	if err := checkAttachments(req.Images, req.Attachments); err != nil {
		return SendResult{}, err
	}
	user := &history.Message{Role: history.RoleUser, Content: req.Text, Images: history.JoinImages(req.Images, req.Attachments), Status: history.StatusComplete}
	return s.begin(req.StreamID, history.TurnStart{ConversationID: req.ConversationID, User: user}, req.Model, req.Params, titleText(req.Text, req.Attachments))
}

// Regenerate asks for a new version of an answer, possibly from another
// model, streamed as streamID. The old answer stays, with its later turns,
// as another version (see HistoryService.SelectVersion). Retrying a failed
// answer is a regenerate too.
func (s *ChatService) Regenerate(streamID, conversationID, assistantMessageID, model string, params Params) (SendResult, error) {
	return s.begin(streamID, history.TurnStart{ConversationID: conversationID, VersionOf: assistantMessageID}, model, params, "")
}

// Edit makes a new version of a user message with text and asks again,
// streamed as streamID; the old message stays, with its later turns, as
// another version.
func (s *ChatService) Edit(streamID, conversationID, userMessageID, text, model string, params Params) (SendResult, error) {
	if err := s.checkStreamID(streamID); err != nil {
		return SendResult{}, err
	}
	hist, err := s.store()
	if err != nil {
		return SendResult{}, err
	}
	_, msgs, err := hist.GetConversation(s.base, conversationID)
	if err != nil {
		return SendResult{}, fmt.Errorf("open conversation: %w", err)
	}
	var images json.RawMessage
	for _, msg := range msgs {
		if msg.ID == userMessageID {
			images = msg.Images
		}
	}
	if strings.TrimSpace(text) == "" && len(images) == 0 {
		return SendResult{}, errEmptyMessage
	}
	user := &history.Message{Role: history.RoleUser, Content: text, Images: images, Status: history.StatusComplete}
	return s.begin(streamID, history.TurnStart{ConversationID: conversationID, VersionOf: userMessageID, User: user}, model, params, text)
}

// Stop cancels a running answer; the provider request ends at once.
func (s *ChatService) Stop(streamID string) error {
	s.mu.Lock()
	cancel := s.streams[streamID]
	s.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	return nil
}

// wait blocks until every running answer has ended (Services.Wait at
// shutdown, and tests). Unexported: Wails binds every exported method, and
// the window has no business waiting on this.
func (s *ChatService) wait() { s.wg.Wait() }

// begin stores the turn in one transaction (a new conversation titled
// from title, or the model and parameters remembered on the existing one,
// so reopening it continues where the user left off) and starts the
// answer's stream goroutine, whose events carry streamID (claimed here,
// before anything is saved or deleted).
func (s *ChatService) begin(streamID string, t history.TurnStart, model string, p Params, title string) (res SendResult, err error) {
	if err := s.started.wait(s.base); err != nil {
		return SendResult{}, err
	}
	if err := s.claim(streamID); err != nil {
		return SendResult{}, err
	}
	defer s.releaseUnless(streamID, &err)
	m, err := s.core.Resolve(model)
	if err != nil && !errors.Is(err, catalog.ErrRetired) {
		return SendResult{}, newProblem(ProblemUnknownModel, fmt.Errorf("unknown model %q", model), "model", model)
	}
	if err := s.checkImages(m, t); err != nil {
		return SendResult{}, err
	}
	// A retired model's turn goes on: the gateway answers it with a
	// model_retired error naming the successors, which the conversation
	// keeps like any failed answer.
	hist, err := s.store()
	if err != nil {
		return SendResult{}, err
	}
	raw := paramsJSON(p)
	t.New = history.Conversation{Title: titleFrom(title), Model: model, Provider: m.Provider, SystemPrompt: p.System, Params: raw}
	t.Patch = history.Patch{Model: &model, Provider: &m.Provider, SystemPrompt: &p.System, Params: &raw}
	t.Model, t.Provider = model, m.Provider
	t.Thinking = s.core.ThinkingLabel(turn(model, nil, p, 0))
	begun, err := hist.BeginTurn(s.base, t)
	if err != nil {
		return SendResult{}, fmt.Errorf("save turn: %w", err)
	}
	a := &answer{svc: s, hist: hist, streamID: streamID, convID: begun.ConversationID, msgID: begun.AssistantMessageID, provider: m.Provider, asked: model, model: m.ID}
	if t.ConversationID == "" {
		a.autoTitle = t.New.Title // a new conversation: a model may name it (title.go)
	}
	s.run(a, forModel(turn(model, begun.Messages, p, m.ContextWindow), m))
	return SendResult{ConversationID: begun.ConversationID, UserMessageID: begun.UserMessageID,
		AssistantMessageID: begun.AssistantMessageID, Thinking: t.Thinking}, nil
}

// run streams the answer a to the turn t in its own goroutine, which Stop
// (by a's stream id, already claimed) and shutdown end.
func (s *ChatService) run(a *answer, t gateway.Turn) {
	ctx, cancel := context.WithCancel(s.base)
	s.mu.Lock()
	s.streams[a.streamID] = cancel
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer func() {
			s.mu.Lock()
			delete(s.streams, a.streamID)
			s.mu.Unlock()
			cancel()
		}()
		a.run(ctx, t)
	}()
}

// ContextCount says how much of the conversation the next question would
// carry with model and params (their Context limit): the number the
// composer shows. An empty conversationID is a new chat.
func (s *ChatService) ContextCount(conversationID, model string, params Params) (ContextCount, error) {
	window := 0
	if s.core != nil {
		if m, err := s.core.Resolve(model); err == nil {
			window = m.ContextWindow
		}
	}
	if conversationID == "" {
		_, _, c := selectContext(nil, params, window)
		return c, nil
	}
	hist, err := s.store()
	if err != nil {
		return ContextCount{}, err
	}
	_, msgs, err := hist.GetConversation(s.base, conversationID)
	if err != nil {
		return ContextCount{}, fmt.Errorf("open conversation: %w", err)
	}
	_, _, c := selectContext(msgs, params, window)
	return c, nil
}

var errEmptyMessage = newProblem(ProblemEmptyMessage, errors.New("the message is empty"))

// titleFrom makes a conversation title from the first message.
// titleText is what a new conversation is titled from: the text, or the
// first file's name for a message that is only files.
func titleText(text string, files []history.Attachment) string {
	if strings.TrimSpace(text) == "" && len(files) > 0 {
		return files[0].Name
	}
	return text
}

func titleFrom(text string) string {
	t := strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(t) > 48 {
		r := []rune(t)
		t = string(r[:48]) + "…"
	}
	if t == "" {
		return "New chat"
	}
	return t
}

func paramsJSON(p Params) json.RawMessage {
	b, _ := json.Marshal(p)
	return b
}
