package fakeupstream

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
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
	}{{10000, Mixed}, {10000, Flat}, {10000, Code}, {170, Mixed}, {1, Mixed}, {1, Code}} {
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
	}
}

// The pacer keeps to its schedule: never early, and a stall is made up
// afterwards instead of delaying everything after it.
func TestPacerDoesNotDrift(t *testing.T) {
	t.Parallel()
	const n, rate = 200, 1000.0 // 199 ms of schedule
	p := newPacer(rate)
	ctx := context.Background()
	start := time.Now()
	for k := range n {
		if err := p.wait(ctx); err != nil {
			t.Fatal(err)
		}
		if k == 0 {
			start = time.Now()
		}
		if early := time.Duration(float64(k)/rate*float64(time.Second)) - time.Since(start); early > time.Millisecond {
			t.Fatalf("chunk %d went out %v early", k, early)
		}
		if k == 10 {
			time.Sleep(100 * time.Millisecond) // a slow write
		}
	}
	// A pacer that sleeps 1/rate after each send would need 100 ms more.
	if got := time.Since(start); got > 260*time.Millisecond {
		t.Errorf("%d chunks at %g/s with a 100 ms stall took %v; want about 199 ms", n, rate, got)
	}
}

func TestPacerStopsWhenClientLeaves(t *testing.T) {
	t.Parallel()
	p := newPacer(0.5) // one chunk every 2 s
	ctx, cancel := context.WithCancel(context.Background())
	if err := p.wait(ctx); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	if err := p.wait(ctx); err != context.Canceled {
		t.Fatalf("wait after cancel = %v; want context.Canceled", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("wait returned %v after the cancel; want at once", d)
	}
}

// Through HTTP: reasoning first, then content, all chunks on time and
// the whole stream about n/rate long.
func TestPacedStream(t *testing.T) {
	t.Parallel()
	f := NewFake(DeepSeek, "k", false)
	ts := f.Start()
	defer ts.Close()
	const reason, n, rate = 30, 120, 300.0
	body := `{"model":"deepseek-chat","stream":true,"messages":[{"role":"user","content":"trigger:tokens=120@300 trigger:reason=30"}]}`
	req, _ := http.NewRequest("POST", ts.URL+"/v1/chat/completions", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer k")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var reasoning, content strings.Builder
	var at []time.Duration // arrival of each reasoning or content chunk, from the first
	var first time.Time
	sc := bufio.NewScanner(resp.Body)
	done := false
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		if line == "[DONE]" {
			done = true
			break
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
			t.Fatalf("bad chunk %q: %v", line, err)
		}
		if len(c.Choices) == 0 {
			continue
		}
		d := c.Choices[0].Delta
		if d.Content == "" && d.ReasoningContent == "" {
			continue
		}
		if first.IsZero() {
			first = time.Now()
		}
		at = append(at, time.Since(first))
		if d.ReasoningContent != "" && content.Len() > 0 {
			t.Fatal("reasoning after content")
		}
		reasoning.WriteString(d.ReasoningContent)
		content.WriteString(d.Content)
	}
	if !done {
		t.Fatal("no [DONE]")
	}
	if got, want := reasoning.String(), strings.Join(numbered("r", reason), ""); got != want {
		t.Errorf("reasoning = %q; want %q", got, want)
	}
	if got, want := content.String(), strings.Join(longAnswer(n, Mixed), ""); got != want {
		t.Errorf("content = %q; want %q", got, want)
	}
	if len(at) != reason+n {
		t.Fatalf("%d chunks; want %d", len(at), reason+n)
	}
	for k, d := range at {
		// Chunk k leaves at k/rate after the first; it cannot arrive
		// much earlier than that (the first one's own trip is the slack).
		if due := time.Duration(float64(k) / rate * float64(time.Second)); d < due-5*time.Millisecond {
			t.Fatalf("chunk %d arrived at %v; due at %v", k, d, due)
		}
	}
	want := time.Duration(reason+n-1) * time.Second / rate
	if last := at[len(at)-1]; last > want+300*time.Millisecond {
		t.Errorf("last chunk at %v; want about %v", last, want)
	}
}
