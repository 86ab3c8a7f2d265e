package fakeupstream

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var wordRE = regexp.MustCompile(`[wr](\d+)`)

func TestTokensTrigger(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text string
		n    int
		rate float64
	}{
		{"trigger:tokens=20", 20, 0},
		{"trigger:tokens=10000@300", 10000, 300},
		{"say trigger:tokens=5@2.5 please", 5, 2.5},
		{"trigger:tokens=x", 0, 0},
		{"trigger:tokens=-3@-1", 0, 0},
		{"trigger:tokens=7@", 7, 0},
	} {
		n, rate := tokensTrigger(tc.text)
		if n != tc.n || rate != tc.rate {
			t.Errorf("tokensTrigger(%q) = %d, %g; want %d, %g", tc.text, n, rate, tc.n, tc.rate)
		}
	}
}

// Every chunk carries one numbered word, in order, and the markdown the
// layout promises is there: paragraphs, a list, closed code blocks.
func TestLongAnswer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		n      int
		layout string
	}{{10000, Mixed}, {10000, Flat}, {10000, Code}, {10000, Math}, {170, Mixed}, {1, Mixed}, {1, Code}} {
		chunks := longAnswer(tc.n, tc.layout)
		if len(chunks) != tc.n {
			t.Fatalf("longAnswer(%d, %s): %d chunks; want %d", tc.n, tc.layout, len(chunks), tc.n)
		}
		for i, c := range chunks {
			m := wordRE.FindAllStringSubmatch(c, -1)
			if len(m) != 1 || m[0][1] != strconv.Itoa(i+1) {
				t.Fatalf("longAnswer(%d, %s) chunk %d = %q; want exactly the word w%d", tc.n, tc.layout, i, c, i+1)
			}
		}
		text := strings.Join(chunks, "")
		if got := strings.Count(text, "```"); got%2 != 0 {
			t.Errorf("longAnswer(%d, %s): %d fences, one left open", tc.n, tc.layout, got)
		}
		switch tc.layout {
		case Flat:
			if strings.ContainsAny(text, "\n*`") {
				t.Errorf("flat answer has markdown: %q…", text[:80])
			}
			continue
		case Code:
			if !strings.HasPrefix(text, "```go\nw1") || !strings.HasSuffix(text, "w"+strconv.Itoa(tc.n)+"\n```") || strings.Count(text, "```") != 2 {
				t.Errorf("code answer is not one code block: %q … %q", text[:min(20, len(text))], text[max(0, len(text)-20):])
			}
			if tc.n == 10000 && strings.Count(text, "\n") != 10000/codeLine+1 {
				t.Errorf("code answer has %d lines; want %d", strings.Count(text, "\n")-1, 10000/codeLine)
			}
			continue
		}
		if tc.n == 10000 {
			for _, want := range []string{"\n\n- **w81**", "\n- w89", "\n\n```go\nw161", "w200\n```\n\nw201", "**w4**", "`w6`"} {
				if !strings.Contains(text, want) {
					t.Errorf("longAnswer(10000) lacks %q", want)
				}
			}
			if got := strings.Count(text, "```go"); got != 50 {
				t.Errorf("longAnswer(10000): %d code blocks; want 50", got)
			}
		}
		if tc.layout == Math {
			// Three paragraphs a cycle end in a display formula; a fifth of
			// the words outside code blocks are inline formulas.
			if got := strings.Count(text, "\n\n$$\\sum_{k=1}^{n}"); got != 150 {
				t.Errorf("math answer: %d display formulas; want 150", got)
			}
			if !strings.Contains(text, " $\\text{w2}^{2}$") || !strings.Contains(text, "\n- $\\text{w97}^{2}$") {
				t.Errorf("math answer lacks inline formulas: %q…", text[:120])
			}
		} else if strings.Contains(text, "$") {
			t.Errorf("longAnswer(%d, %s) has math", tc.n, tc.layout)
		}
	}
}

// hang bounds a wait that only a bug makes long: these tests run on a
// fake clock, so nothing in them takes time but a machine's slowness.
const hang = time.Minute

// jumpClock is a fake clock whose sleeps return at once, the time jumping
// to their deadline; it records each deadline.
type jumpClock struct {
	t      time.Time
	sleeps []time.Time
}

func (c *jumpClock) now() time.Time { return c.t }

func (c *jumpClock) sleepUntil(ctx context.Context, t time.Time) error {
	c.sleeps = append(c.sleeps, t)
	if t.After(c.t) {
		c.t = t
	}
	return ctx.Err()
}

// after is chunk k's place in a schedule of rate chunks a second.
func after(k int, rate float64) time.Duration {
	return time.Duration(float64(k) / rate * float64(time.Second))
}

// The pacer keeps to its schedule: never early, and a stall is made up
// afterwards instead of delaying everything after it.
func TestPacerDoesNotDrift(t *testing.T) {
	t.Parallel()
	const n, rate = 200, 1000.0 // 199 ms of schedule
	start := time.Unix(1700000000, 0)
	clk := &jumpClock{t: start}
	p := newPacer(rate, clk)
	ctx := context.Background()
	for k := range n {
		if err := p.wait(ctx); err != nil {
			t.Fatal(err)
		}
		if early := after(k, rate) - clk.t.Sub(start); early > 0 {
			t.Fatalf("chunk %d went out %v early", k, early)
		}
		if k == 10 {
			clk.t = clk.t.Add(100 * time.Millisecond) // a slow write
		}
	}
	// Chunks 11 … 110 were due during the stall and go at once; a pacer
	// that sleeps 1/rate after each send would end 100 ms later.
	if got, want := clk.t.Sub(start), after(n-1, rate); got != want {
		t.Errorf("%d chunks at %g/s with a 100 ms stall ended at %v; want %v", n, rate, got, want)
	}
	if got, want := len(clk.sleeps), n-1-100; got != want {
		t.Errorf("the pacer slept %d times; want %d (none for the 100 chunks the stall made late)", got, want)
	}
}

// With the real clock the pacer really waits: a lower bound, which a slow
// machine only makes easier to meet (Go's timers never fire early and
// time.Since reads the monotonic clock).
func TestRealClockWaits(t *testing.T) {
	t.Parallel()
	var c realClock
	start := time.Now()
	for _, d := range []time.Duration{20 * time.Millisecond, -time.Millisecond, 30 * time.Millisecond} {
		due := time.Now().Add(d)
		if err := c.sleepUntil(context.Background(), due); err != nil {
			t.Fatal(err)
		}
		if now := time.Now(); now.Before(due) {
			t.Fatalf("sleepUntil returned %v before its deadline", due.Sub(now))
		}
	}
	if got := time.Since(start); got < 50*time.Millisecond {
		t.Errorf("two sleeps of 20 and 30 ms took %v", got)
	}
}

func TestPacerStopsWhenClientLeaves(t *testing.T) {
	t.Parallel()
	p := newPacer(1.0/3600, nil) // one chunk an hour, on the real clock
	ctx, cancel := context.WithCancel(context.Background())
	if err := p.wait(ctx); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.wait(ctx) }()
	cancel()
	select {
	case err := <-done:
		if err != context.Canceled {
			t.Fatalf("wait after cancel = %v; want context.Canceled", err)
		}
	case <-time.After(hang):
		t.Fatal("wait went on after the client left")
	}
}

// stepClock is a fake clock the test moves: each sleep hands its deadline
// to the test on waits and returns, the time then being that deadline,
// when the test sends on wake.
type stepClock struct {
	mu    sync.Mutex
	t     time.Time
	waits chan time.Time
	wake  chan struct{}
}

func (c *stepClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *stepClock) sleepUntil(ctx context.Context, t time.Time) error {
	select {
	case c.waits <- t:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-c.wake:
	case <-ctx.Done():
		return ctx.Err()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.t) {
		c.t = t
	}
	return nil
}

type sseDelta struct{ reasoning, content string }

// readDeltas sends the reasoning and content deltas of an SSE chat stream
// on the channel it returns, and closes it after [DONE] (or when the
// stream ends without one, which the test sees as a missing chunk).
func readDeltas(t *testing.T, resp *http.Response) (<-chan sseDelta, *bool) {
	out := make(chan sseDelta)
	done := new(bool)
	go func() {
		defer close(out)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			line, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			if line == "[DONE]" {
				*done = true
				return
			}
			var c struct {
				Choices []struct {
					Delta struct {
						Content          string `json:"content"`
						ReasoningContent string `json:"reasoning_content"`
					}
				}
			}
			if err := json.Unmarshal([]byte(line), &c); err != nil {
				t.Errorf("bad chunk %q: %v", line, err)
				return
			}
			if len(c.Choices) == 0 {
				continue
			}
			d := c.Choices[0].Delta
			if d.Content != "" || d.ReasoningContent != "" {
				out <- sseDelta{d.ReasoningContent, d.Content}
			}
		}
	}()
	return out, done
}

// Through HTTP, on a clock the test moves: reasoning first, then content;
// before each chunk after the first the stream waits for that chunk's
// place in the schedule (k/rate after the first), and each chunk has
// reached the client before the wait for the next one begins. A stream
// that did not pace, or sent chunks ahead of time, fails at once.
func TestPacedStream(t *testing.T) {
	t.Parallel()
	start := time.Unix(1700000000, 0)
	clk := &stepClock{t: start, waits: make(chan time.Time), wake: make(chan struct{})}
	f := NewFake(DeepSeek, "k", false)
	f.clock = clk
	ts := f.Start()
	defer ts.Close()
	const reason, n, rate = 30, 120, 300.0
	body := `{"model":"deepseek-flash","stream":true,"messages":[{"role":"user","content":"trigger:tokens=120@300 trigger:reason=30"}]}`
	resp := postChat(t, ts.URL, body)
	defer resp.Body.Close()
	deltas, done := readDeltas(t, resp)
	var reasoning, content strings.Builder
	var next *time.Time // the wait for the next chunk, if it began before this chunk was read
	for k := range reason + n {
		if k > 0 {
			if next == nil {
				select {
				case due := <-clk.waits:
					next = &due
				case d, ok := <-deltas:
					t.Fatalf("chunk %d (%+v, more: %v) went out without waiting for its time", k, d, ok)
				case <-time.After(hang):
					t.Fatalf("no wait for chunk %d", k)
				}
			}
			if got, want := next.Sub(start), after(k, rate); got < want-time.Microsecond || got > want+time.Microsecond {
				t.Fatalf("the stream waited for chunk %d until %v; want %v", k, got, want)
			}
			next = nil
			clk.wake <- struct{}{}
		}
		// Chunk k left before the wait for chunk k+1 began, so it arrives
		// while that wait holds the stream.
		var d sseDelta
		var ok bool
		select {
		case d, ok = <-deltas:
		case due := <-clk.waits:
			next = &due
			select {
			case d, ok = <-deltas:
			case <-time.After(hang):
				t.Fatalf("chunk %d never came", k)
			}
		case <-time.After(hang):
			t.Fatalf("chunk %d never came", k)
		}
		if !ok {
			t.Fatalf("the stream ended after %d chunks; want %d", k, reason+n)
		}
		if d.reasoning != "" && content.Len() > 0 {
			t.Fatal("reasoning after content")
		}
		reasoning.WriteString(d.reasoning)
		content.WriteString(d.content)
	}
	if next != nil {
		t.Fatal("the stream waited after its last chunk")
	}
	select {
	case d, ok := <-deltas:
		if ok {
			t.Fatalf("a chunk after the last: %+v", d)
		}
	case <-clk.waits:
		t.Fatal("the stream waited after its last chunk")
	case <-time.After(hang):
		t.Fatal("the stream did not end")
	}
	if !*done {
		t.Fatal("no [DONE]")
	}
	if got, want := reasoning.String(), strings.Join(numbered("r", reason), ""); got != want {
		t.Errorf("reasoning = %q; want %q", got, want)
	}
	if got, want := content.String(), strings.Join(longAnswer(n, Mixed), ""); got != want {
		t.Errorf("content = %q; want %q", got, want)
	}
}
