package gateway

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func TestSSEEventCap(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", MaxEventBytes)
	mib := big[:1<<20]
	for _, tc := range []struct {
		name  string
		parts []string // the stream between a first event "ok" and [DONE]
		want  error    // of the second Next
	}{
		{"at the cap", []string{"data: ", big, "\n\n"}, nil},
		{"one line past it", []string{"data: ", big, "y\n\n"}, ErrEventTooLarge},
		{"many lines past it", append(repeat("data: "+mib+"\n", 17), "\n"), ErrEventTooLarge},
	} {
		var rs []io.Reader
		for _, p := range append(append([]string{"data: ok\n\n"}, tc.parts...), "data: [DONE]\n\n") {
			rs = append(rs, strings.NewReader(p))
		}
		r := NewSSEReader(io.MultiReader(rs...))
		if ev, err := r.Next(); err != nil || string(ev.Data) != "ok" {
			t.Fatalf("%s: first event %q, %v", tc.name, ev.Data, err)
		}
		ev, err := r.Next()
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: got %d bytes, %v; want %v", tc.name, len(ev.Data), err, tc.want)
		}
		if tc.want == nil {
			if _, err := r.Next(); err != io.EOF {
				t.Errorf("%s: after the big event got %v; want io.EOF at [DONE]", tc.name, err)
			}
		}
		r.Release()
	}
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}
