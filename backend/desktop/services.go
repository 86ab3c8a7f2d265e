package desktop

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"thinkcloud/backend/core"
)

// Services are the services bound to the window (window.go.desktop.* in
// the frontend). Wails binds them before it runs, so they are built
// without I/O; Start hands them the core once the window's startup has
// opened it (settings, keys, model cache). The history they share opens
// on its own (HistoryHandle).
type Services struct {
	Chat     *ChatService
	Models   *ModelsService
	History  *HistoryService
	Settings *SettingsService
	Usage    *UsageService
	// Assistants holds the chat presets and the prompt library.
	Assistants *AssistantsService
	// Attach reads the files attached to a message.
	Attach *AttachService
	// Background holds keep-running, start at login, the update check
	// and the window's remembered view.
	Background *BackgroundService
	// Diag is nil unless THINKCLOUD_DIAG_FILE is set (see DiagFromEnv);
	// then it is bound too.
	Diag *DiagService

	dialogs *WindowDialogs
	started *started
}

// NewServices builds the services. base is cancelled at shutdown, which
// ends every stream and every wait for Start; hist is the chat history,
// opened or not; emit sends events to the window; getenv reads
// THINKCLOUD_DIAG_FILE (and, in a build for the end-to-end tests,
// THINKCLOUD_E2E_DIALOGS).
func NewServices(base context.Context, hist *HistoryHandle, emit Emit, getenv func(string) string) *Services {
	st := &started{done: make(chan struct{})}
	dialogs := &WindowDialogs{}
	s := &Services{
		Chat:       NewChatService(base, nil, hist, emit),
		Models:     NewModelsService(base, nil, emit),
		History:    NewHistoryService(base, hist, fileChooser(dialogs, getenv)),
		Settings:   NewSettingsService(base, nil, emit),
		Usage:      NewUsageService(base, nil),
		Assistants: NewAssistantsService(base, nil, fileChooser(dialogs, getenv)),
		Background: NewBackgroundService(base, nil, emit),
		Attach:     NewAttachService(base, fileChooser(dialogs, getenv)),
		Diag:       DiagFromEnv(getenv),
		dialogs:    dialogs,
		started:    st,
	}
	s.Usage.files = s.History.files
	s.Chat.started, s.Models.started, s.Settings.started, s.Usage.started, s.Background.started = st, st, st, st, st
	s.Assistants.started = st
	return s
}

// Bind lists the services for wails.Run. It is also the list
// frontend/src/api/types.ts is generated from (see Contract).
func (s *Services) Bind() []any {
	bind := []any{s.Chat, s.Models, s.History, s.Settings, s.Usage, s.Background, s.Assistants, s.Attach}
	if s.Diag != nil {
		bind = append(bind, s.Diag)
	}
	return bind
}

// Start hands the services the core and the window's context (for the
// file dialogs). Calls that arrived before wait for it; call it once.
func (s *Services) Start(window context.Context, c *core.Core) {
	s.dialogs.Attach(window)
	s.Chat.core, s.Models.core, s.Settings.core, s.Usage.core, s.Background.core = c, c, c, c, c
	s.History.prices.set(c.Lookup)
	s.Assistants.core = c
	s.started.finish(nil)
}

// Fail tells every call waiting for Start, and every later one, that the
// window's startup could not open what the services need, and why.
func (s *Services) Fail(err error) {
	s.started.finish(fmt.Errorf("ThinkCloud could not start: %w", err))
}

// Wait blocks until every running answer has ended (at shutdown, after
// the base context was cancelled).
func (s *Services) Wait() { s.Chat.wait() }

// errShuttingDown answers a call that waited for Start until shutdown.
var errShuttingDown = errors.New("ThinkCloud is shutting down")

// started is closed once the services have their core (or never will).
// Bound methods that need the core wait on it: Wails runs OnStartup on
// its own goroutine while the page loads, so the page can call a service
// before startup has opened the settings. The fields Start sets are
// written before done is closed and read only after, which is what makes
// reading them race-free.
type started struct {
	once sync.Once
	done chan struct{}
	err  error
}

func (s *started) finish(err error) {
	s.once.Do(func() {
		s.err = err
		close(s.done)
	})
}

// wait returns nil once the services are started, or why they are not.
// A nil *started is started: a service built with its core (tests).
func (s *started) wait(ctx context.Context) error {
	if s == nil {
		return nil
	}
	select {
	case <-s.done:
		return s.err
	case <-ctx.Done():
		return errShuttingDown
	}
}
