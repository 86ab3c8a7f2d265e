package logbuf

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is an io.Writer the test can read while the flusher writes.
type lockedBuffer struct {
	mu     sync.Mutex
	b      bytes.Buffer
	writes int
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.writes++
	return l.b.Write(p)
}

func (l *lockedBuffer) String() (string, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String(), l.writes
}

// Lines from many goroutines arrive whole, each goroutine's in its order,
// in far fewer writes than lines; Close writes the rest.
func TestLinesArriveWholeInOrderInBatches(t *testing.T) {
	t.Parallel()
	var out lockedBuffer
	w := New(&out)
	const goroutines, lines = 8, 500
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range lines {
				fmt.Fprintf(w, "g=%d i=%d %s\n", g, i, strings.Repeat("x", i%50))
			}
		}()
	}
	wg.Wait()
	w.Close()
	text, writes := out.String()
	got := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(got) != goroutines*lines {
		t.Fatalf("%d lines out, want %d", len(got), goroutines*lines)
	}
	next := make([]int, goroutines)
	for _, l := range got {
		var g, i int
		var rest string
		if n, _ := fmt.Sscanf(l, "g=%d i=%d %s", &g, &i, &rest); n < 2 || i != next[g] || (i%50 > 0 && rest != strings.Repeat("x", i%50)) {
			t.Fatalf("line %q out of order or torn (want i=%d for g=%d)", l, next[g], g)
		}
		next[g]++
	}
	if writes >= goroutines*lines/10 {
		t.Errorf("%d writes for %d lines; want them batched", writes, goroutines*lines)
	}
}

// A line nobody flushes is written by the flusher on its own.
func TestFlusherWritesWithoutBeingAsked(t *testing.T) {
	t.Parallel()
	var out lockedBuffer
	w := New(&out)
	defer w.Close()
	fmt.Fprintln(w, "level=INFO msg=request")
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) { // a hang bound, not a speed test
		if text, _ := out.String(); text == "level=INFO msg=request\n" {
			return
		} else if time.Now().After(deadline) {
			t.Fatalf("after 20 s the output is %q", text)
		}
	}
}

// After Close, a Write reaches the output before it returns.
func TestWritesAfterCloseGoStraightOut(t *testing.T) {
	t.Parallel()
	var out lockedBuffer
	w := New(&out)
	fmt.Fprintln(w, "before")
	w.Close()
	fmt.Fprintln(w, "after")
	if text, _ := out.String(); text != "before\nafter\n" {
		t.Fatalf("output %q", text)
	}
}

// More than maxHeld waiting is written by the writer that crossed it.
func TestAFullBufferIsWrittenAtOnce(t *testing.T) {
	t.Parallel()
	var out lockedBuffer
	w := &Writer{out: &out, wake: make(chan struct{}, 1)} // no flusher: only the inline write can show
	line := strings.Repeat("y", 1023) + "\n"
	for range maxHeld / len(line) {
		w.Write([]byte(line))
	}
	if text, _ := out.String(); len(text) < maxHeld {
		t.Fatalf("%d bytes out after %d written; want the full buffer written by its writer", len(text), maxHeld)
	}
}
