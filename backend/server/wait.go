package server

import (
	"net/http"
	"sync"
	"time"

	"thinkcloud/backend/gateway"
)

// defaultWaitNotice is the zero value of Options.WaitNotice.
const defaultWaitNotice = 5 * time.Second

// waitNotice keeps a streaming client informed while the provider has
// not sent its headers yet (it queues, or the prompt is long): after a
// delay the client gets 200 and the stream's headers, then an SSE comment
// every delay, which every SSE client skips. Without it a client saw
// nothing for up to the provider timeout and could not tell a slow
// provider from a dead endpoint.
//
// The trade: once the 200 is sent, a provider failure can only reach the
// client as a `data: {"error":…}` event, without the status and the
// x-should-retry header the SDKs decide retries by. So the notice starts
// only after a few seconds: fast failures (bad key, rate limit, unknown
// model) keep their status.
//
// The timer writes from its own goroutine, so a mutex orders it with the
// handler, which writes again only after stop.
type waitNotice struct {
	mu      sync.Mutex
	rec     *recorder
	every   time.Duration
	comment []byte
	timer   *time.Timer
	started bool
	stopped bool
}

// noticeWait starts the notice for a streaming call; nil when disabled.
func (h *Handler) noticeWait(rec *recorder, call *gateway.Call) *waitNotice {
	d := h.opts.WaitNotice
	if d == 0 {
		d = defaultWaitNotice
	}
	if d < 0 {
		return nil
	}
	n := &waitNotice{rec: rec, every: d, comment: []byte(": waiting for " + call.Model.Provider + "\n\n")}
	// Armed only once n.timer is set: tick reads it to re-arm.
	n.timer = time.AfterFunc(time.Hour, n.tick)
	n.timer.Reset(d)
	return n
}

func (n *waitNotice) tick() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.stopped {
		return
	}
	if !n.started {
		n.started = true
		streamHeaders(n.rec.Header())
		n.rec.WriteHeader(http.StatusOK)
	}
	n.rec.Write(n.comment)
	if http.NewResponseController(n.rec).Flush() != nil {
		return // the client left; the provider call ends with its context
	}
	n.timer.Reset(n.every)
}

// stop ends the notice and reports whether the stream's headers were
// sent. After it returns the timer never touches the response again.
func (n *waitNotice) stop() (started bool) {
	if n == nil {
		return false
	}
	n.timer.Stop()
	n.mu.Lock()
	defer n.mu.Unlock()
	n.stopped = true
	return n.started
}

// streamHeaders are the headers of every relayed stream.
func streamHeaders(hdr http.Header) {
	hdr.Set("Content-Type", "text/event-stream")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("X-Accel-Buffering", "no")
	// Always chunked: a short stream that arrives whole is written with a
	// single flush at the end, and net/http would otherwise turn it into
	// a fixed-length body.
	hdr.Set("Transfer-Encoding", "chunked")
}
