// Package logbuf gathers log lines in memory and writes them out in
// batches: one write a tenth of a second, however many lines came.
//
// Why: the endpoint writes one access-log line per request. Unbuffered,
// each is a write(2) on the request's goroutine, with the scheduler's
// hand-off around it. Batched, serve made one syscall a request fewer and
// spent 2.5-8.5 % less CPU a request (docs/BENCHMARKS.md, session 9).
// Lines now wait at most Every before they reach the terminal or the
// journal; Flush and Close write what is waiting (serve and the app close
// on the way out). A crash loses at most the last Every of lines.
package logbuf

import (
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Every is how long a line may wait before it is written.
const Every = 100 * time.Millisecond

// maxHeld is how much may wait: a writer past it writes at once itself.
const maxHeld = 256 << 10

// Writer is an io.Writer that holds what it is given for up to Every.
// Safe for concurrent use; each Write's bytes stay together and in order.
type Writer struct {
	out io.Writer
	// outMu orders the writes to out; mu guards held (never held while
	// writing, so a slow terminal never blocks a request's Write).
	outMu  sync.Mutex
	mu     sync.Mutex
	held   []byte
	spare  []byte
	wake   chan struct{}
	closed chan struct{}
	done   chan struct{}
	once   sync.Once
	// direct is set by Close: from then on each Write is written at once.
	direct atomic.Bool
}

// New returns a Writer in front of out, with its flusher running.
func New(out io.Writer) *Writer {
	w := &Writer{out: out, wake: make(chan struct{}, 1), closed: make(chan struct{}), done: make(chan struct{})}
	go w.loop()
	return w
}

// Write holds p for the flusher. It never fails: what out refuses later is
// lost, as a log line written to a closed terminal is.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	first := len(w.held) == 0
	w.held = append(w.held, p...)
	full := len(w.held) >= maxHeld || w.direct.Load()
	w.mu.Unlock()
	switch {
	case full:
		w.Flush()
	case first:
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
	return len(p), nil
}

// Flush writes what is held now.
func (w *Writer) Flush() {
	w.outMu.Lock()
	defer w.outMu.Unlock()
	w.mu.Lock()
	b := w.held
	w.held, w.spare = w.spare[:0], nil
	w.mu.Unlock()
	if len(b) > 0 {
		w.out.Write(b)
	}
	w.mu.Lock()
	if w.spare == nil && cap(b) <= maxHeld*2 {
		w.spare = b[:0]
	}
	w.mu.Unlock()
}

// Close writes what is held and stops the flusher; later Writes are
// written at once, as without a Writer.
func (w *Writer) Close() error {
	w.direct.Store(true)
	w.once.Do(func() { close(w.closed) })
	<-w.done
	w.Flush()
	return nil
}

func (w *Writer) loop() {
	defer close(w.done)
	t := time.NewTimer(Every)
	t.Stop()
	for {
		select {
		case <-w.wake:
		case <-w.closed:
			return
		}
		t.Reset(Every)
		select {
		case <-t.C:
		case <-w.closed:
			t.Stop()
			return
		}
		w.Flush()
	}
}
