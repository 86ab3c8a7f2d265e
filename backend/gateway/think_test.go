package gateway

import (
	"strings"
	"testing"
)

func TestThinkSplitter(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name               string
		pieces             []string
		content, reasoning string
	}{
		{"plain", []string{"Hello", " world"}, "Hello world", ""},
		{"whole tags", []string{"<think>hmm</think>answer"}, "answer", "hmm"},
		{"split tags", []string{"<thi", "nk>a", "b</th", "ink>\n\nc", "d"}, "cd", "ab"},
		{"leading space", []string{"  ", "<think>x</think>y"}, "y", "x"},
		{"tag later is text", []string{"Use the ", "<think> tag"}, "Use the <think> tag", ""},
		{"lone <", []string{"<", "b>bold"}, "<b>bold", ""},
		{"unclosed", []string{"<think>still thinking"}, "", "still thinking"},
		{"second block is text", []string{"<think>a</think>b<think>c</think>"}, "b<think>c</think>", "a"},
	} {
		var ts thinkSplitter
		var c, r strings.Builder
		for _, p := range tc.pieces {
			x, y := ts.feed(p)
			c.WriteString(x)
			r.WriteString(y)
			x, y = ts.flush()
			c.WriteString(x)
			r.WriteString(y)
		}
		x, y := ts.end()
		c.WriteString(x)
		r.WriteString(y)
		if c.String() != tc.content || r.String() != tc.reasoning {
			t.Errorf("%s: got content %q thinking %q; want %q %q", tc.name, c.String(), r.String(), tc.content, tc.reasoning)
		}
	}
}
