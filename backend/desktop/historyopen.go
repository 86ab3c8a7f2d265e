package desktop

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"thinkcloud/backend/history"
)

// History states, as HistoryStatus.State.
const (
	HistoryOpening   = "opening"
	HistoryUpgrading = "upgrading"
	HistoryReady     = "ready"
	HistoryFailed    = "error"
)

// HistoryStatus is what the window shows about the chat history while it
// is not simply there: being opened, being upgraded (a backup copy and a
// schema migration; seconds to minutes on a very large history), or not
// available, with the reason and the file it is about.
type HistoryStatus struct {
	State string `json:"state"`
	Path  string `json:"path"`
	// From and To are the schema versions of an upgrade.
	From  int    `json:"from,omitempty"`
	To    int    `json:"to,omitempty"`
	Error string `json:"error,omitempty"`
}

// HistoryHandle opens the chat history in the background, so the window
// appears at once even while a large history is upgraded, and a history
// that cannot be opened (not ours, newer than this build, unreadable, a
// full disk during the upgrade) becomes a message in the window instead of
// an app that never appears. The file is left as it is when opening fails.
// Service calls wait for the open to finish.
type HistoryHandle struct {
	ready  chan struct{}
	emit   Emit
	logger *slog.Logger

	mu      sync.Mutex
	opening bool // Open was called
	closed  bool // Close was called before Open
	status  HistoryStatus
	store   *history.Store
	err     error
}

// NewHistory returns a handle whose history is not open yet: Status says
// "opening" and Store waits until Open has opened it. The window binds
// its services before it starts, and opens the file only once it has.
// emit (which may be nil) gets a "history:status" event each time the
// status changes; a failure is also logged to logger (which may be nil).
func NewHistory(emit Emit, logger *slog.Logger) *HistoryHandle {
	return &HistoryHandle{ready: make(chan struct{}), emit: emit, logger: logger,
		status: HistoryStatus{State: HistoryOpening}}
}

// OpenHistory starts opening the database at path (NewHistory, then Open).
func OpenHistory(ctx context.Context, path string, emit Emit, logger *slog.Logger) *HistoryHandle {
	h := NewHistory(emit, logger)
	h.Open(ctx, path)
	return h
}

// Open starts opening the database at path. Only the first call does
// anything, and none after Close.
func (h *HistoryHandle) Open(ctx context.Context, path string) {
	h.mu.Lock()
	if h.opening || h.closed {
		h.mu.Unlock()
		return
	}
	h.opening = true
	h.status.Path = path
	h.mu.Unlock()
	go func() {
		st, err := history.OpenNotify(ctx, path, func(from, to int) {
			h.set(HistoryStatus{State: HistoryUpgrading, Path: path, From: from, To: to}, nil, nil)
		})
		if err != nil {
			if h.logger != nil {
				h.logger.Error("chat history unavailable", "path", path, "error", err)
			}
			h.set(HistoryStatus{State: HistoryFailed, Path: path, Error: err.Error()}, nil, err)
		} else {
			h.set(HistoryStatus{State: HistoryReady, Path: path}, st, nil)
		}
		close(h.ready)
	}()
}

// ReadyHistory wraps a store that is already open.
func ReadyHistory(st *history.Store) *HistoryHandle {
	h := &HistoryHandle{ready: make(chan struct{}), opening: true, store: st, status: HistoryStatus{State: HistoryReady}}
	close(h.ready)
	return h
}

func (h *HistoryHandle) set(st HistoryStatus, store *history.Store, err error) {
	h.mu.Lock()
	h.status, h.store, h.err = st, store, err
	emit := h.emit
	h.mu.Unlock()
	if emit != nil {
		Topics.HistoryStatus.Emit(emit, st)
	}
}

// Status returns the current status.
func (h *HistoryHandle) Status() HistoryStatus {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.status
}

// errHistoryClosed is returned when the app shuts down before the history
// finished opening.
var errHistoryClosed error = newProblem(ProblemHistoryClosed, errors.New("the chat history is not open"))

// Store waits until the history is open and returns it, or the reason it
// could not be opened.
func (h *HistoryHandle) Store(ctx context.Context) (*history.Store, error) {
	select {
	case <-h.ready:
	case <-ctx.Done():
		return nil, errHistoryClosed
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err != nil {
		return nil, newProblem(ProblemHistoryUnavailable, errors.New("chat history unavailable: "+h.err.Error()), "error", h.err.Error())
	}
	return h.store, nil
}

// Close waits for an open in progress to end and closes the store. A
// history never opened (the window's startup failed first) stays closed:
// Store answers that it is not open.
func (h *HistoryHandle) Close() error {
	h.mu.Lock()
	if !h.opening && !h.closed {
		h.closed, h.err = true, errHistoryClosed
		close(h.ready)
	}
	h.mu.Unlock()
	<-h.ready
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.store == nil {
		return nil
	}
	return h.store.Close()
}
