package fakeupstream

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// pacer holds a stream to a rate: chunk k (from 0) goes out at start +
// k/rate. Deadlines come from the start time, not from the previous send,
// so time lost to a slow write or a late timer is made up by the next
// chunks instead of piling up; Go's time.Time carries a monotonic reading,
// so a wall-clock step does not move the schedule.
type pacer struct {
	rate  float64
	clock clock
	start time.Time
	sent  int
}

// newPacer returns a pacer for rate chunks per second on c (the real
// clock when nil); rate <= 0 means no pacing (wait returns at once).
func newPacer(rate float64, c clock) *pacer {
	if c == nil {
		c = &realClock{}
	}
	return &pacer{rate: rate, clock: c}
}

// wait blocks until the next chunk is due, or the client leaves.
func (p *pacer) wait(ctx context.Context) error {
	if p.rate <= 0 {
		return ctx.Err()
	}
	now := p.clock.now()
	if p.sent == 0 {
		p.start = now
	}
	due := p.start.Add(time.Duration(float64(p.sent) / p.rate * float64(time.Second)))
	p.sent++
	if !due.After(now) {
		return ctx.Err()
	}
	return p.clock.sleepUntil(ctx, due)
}

// clock is where a pacer reads the time and waits. Tests give a Fake one
// they move by hand, so what they check is the schedule the pacer keeps,
// not how promptly a busy machine runs its timers.
type clock interface {
	now() time.Time
	// sleepUntil returns at t, or with ctx's error when ctx ends first.
	sleepUntil(ctx context.Context, t time.Time) error
}

// realClock is time itself. It keeps one timer for the stream it paces.
type realClock struct{ timer *time.Timer }

func (c *realClock) now() time.Time { return time.Now() }

func (c *realClock) sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	if c.timer == nil {
		c.timer = time.NewTimer(d)
	} else {
		c.timer.Reset(d)
	}
	select {
	case <-c.timer.C:
		return nil
	case <-ctx.Done():
		c.timer.Stop()
		return ctx.Err()
	}
}

// Layouts of longAnswer.
const (
	// Mixed is the default: paragraphs with bold and inline code, a
	// bullet list, a fenced code block, repeating every 200 chunks.
	Mixed = "mixed"
	// Flat is one paragraph: the worst case for a renderer that
	// re-parses the last block.
	Flat = "flat"
	// Code is one fenced code block of 8-word lines: a long generated
	// file, re-highlighted whole by such a renderer.
	Code = "code"
	// Math is Mixed with some paragraph and list words typeset as inline
	// math ($\text{w12}^{2}$) and a display formula closing each
	// paragraph, as DeepSeek, Qwen and Kimi write: KaTeX in the stream.
	Math = "math"
)

// longAnswer lays out n content chunks as a long markdown answer, the kind
// a window must keep up with. Every chunk holds exactly one numbered word,
// w1 … wn, so a reader can tell from the last number on screen how far
// the answer has been rendered, whatever markdown made of the text
// around it.
func longAnswer(n int, layout string) []string {
	out := make([]string, n)
	for i := range out {
		word := "w" + strconv.Itoa(i+1)
		switch {
		case layout == Flat:
			out[i] = " " + word
		case layout == Code && i == 0:
			out[i] = "```go\n" + word
		case layout == Code && i%codeLine == 0:
			out[i] = "\n" + word
		case layout == Code:
			out[i] = " " + word
		case layout == Math:
			out[i] = layoutPrefix(i) + mathStyled(i, word)
		default:
			out[i] = layoutPrefix(i) + styled(i, word)
		}
	}
	if n > 0 && (layout == Code || (layout != Flat && (n-1)%cycleLen >= 4*paraLen)) {
		out[n-1] += "\n```" // close the code block the answer ends in
	}
	return out
}

// One cycle of the layout, in chunks: two paragraphs, a five-item list,
// a paragraph, a five-line code block.
const (
	paraLen  = 40
	itemLen  = 8
	codeLine = 8
	cycleLen = 200
)

// layoutPrefix is what goes before chunk i (from 0): a separator, the
// start of a block, the end of a code block.
func layoutPrefix(i int) string {
	pos := i % cycleLen
	start := ""
	if i > 0 && pos == 0 {
		start = "\n```" // the previous cycle ended inside the code block
	}
	switch {
	case pos < 2*paraLen || (pos >= 3*paraLen && pos < 4*paraLen):
		if pos%paraLen == 0 {
			if i == 0 {
				return ""
			}
			return start + "\n\n"
		}
		return " "
	case pos < 3*paraLen:
		if (pos-2*paraLen)%itemLen == 0 {
			if pos == 2*paraLen {
				return "\n\n- "
			}
			return "\n- "
		}
		return " "
	default:
		if pos == 4*paraLen {
			return "\n\n```go\n"
		}
		if (pos-4*paraLen)%codeLine == 0 {
			return "\n"
		}
		return " "
	}
}

// styled marks some words in paragraphs and lists as bold or code, as a
// real answer does; words in the code block stay plain.
func styled(i int, word string) string {
	if i%cycleLen >= 4*paraLen {
		return word
	}
	switch {
	case i%7 == 3:
		return "**" + word + "**"
	case i%11 == 5:
		return "`" + word + "`"
	}
	return word
}

// mathStyled is styled with math: every fifth paragraph or list word is an
// inline formula holding the word, and the last word of a paragraph ends
// with a display formula on its own lines.
func mathStyled(i int, word string) string {
	pos := i % cycleLen
	switch {
	case pos >= 4*paraLen:
		return word
	case pos%paraLen == paraLen-1 && (pos < 2*paraLen || pos >= 3*paraLen):
		return word + "\n\n$$\\sum_{k=1}^{n} \\frac{1}{k^2} = \\frac{\\pi^2}{6}$$\n"
	case i%5 == 1:
		return "$\\text{" + word + "}^{2}$"
	}
	return styled(i, word)
}

// numbered returns n reasoning chunks " r1" … " rn" (plain text: the
// window shows reasoning as it comes).
func numbered(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = " " + prefix + strconv.Itoa(i+1)
	}
	return out
}

// tokensTrigger reads "trigger:tokens=N" or "trigger:tokens=N@R" from
// text: N chunks, R per second (0: as fast as possible).
func tokensTrigger(text string) (n int, rate float64) {
	i := strings.Index(text, "trigger:tokens=")
	arg := strings.Fields(text[i+len("trigger:tokens="):] + " ")[0]
	count, per, _ := strings.Cut(arg, "@")
	n, _ = strconv.Atoi(count)
	rate, _ = strconv.ParseFloat(per, 64)
	return max(n, 0), max(rate, 0)
}

// intArg reads the number after a "trigger:NAME=" word, 0 if absent.
func intArg(text, name string) int {
	i := strings.Index(text, "trigger:"+name+"=")
	if i < 0 {
		return 0
	}
	n, _ := strconv.Atoi(strings.Fields(text[i+len("trigger:"+name+"="):] + " ")[0])
	return max(n, 0)
}
