package gateway

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

// transcript renders what an SSEReader makes of a stream, one line per
// event, so golden files show the reader's view.
func transcript(r io.Reader) string {
	var b strings.Builder
	s := NewSSEReader(r)
	for i := 0; i < 10000; i++ {
		ev, err := s.Next()
		if err != nil {
			if err == io.EOF {
				b.WriteString("end EOF\n")
			} else {
				b.WriteString("end " + err.Error() + "\n")
			}
			return b.String()
		}
		if ev.Comment {
			b.WriteString("comment\n")
			continue
		}
		b.WriteString("data " + strings.ReplaceAll(string(ev.Data), "\n", `\n`) + "\n")
	}
	return b.String() + "end (too many events)\n"
}

func TestSSEReaderGolden(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("testdata/sse/*.sse")
	if len(files) < 5 {
		t.Fatalf("got %d transcripts; want at least 5", len(files))
	}
	for _, f := range files {
		in, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(strings.TrimSuffix(f, ".sse") + ".golden")
		if err != nil {
			t.Fatal(err)
		}
		// One byte at a time, so every line is split across reads.
		for name, r := range map[string]io.Reader{"whole": bytes.NewReader(in), "bytewise": iotest.OneByteReader(bytes.NewReader(in))} {
			if got := transcript(r); got != string(want) {
				t.Errorf("%s (%s):\ngot\n%s\nwant\n%s", f, name, got, want)
			}
		}
	}
}

func TestSSEReaderLongLine(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", 1<<20) // 16x bufio's buffer, 16x Scanner's limit
	s := NewSSEReader(strings.NewReader("data: " + big + "\n\ndata: [DONE]\n\n"))
	ev, err := s.Next()
	if err != nil || len(ev.Data) != len(big) {
		t.Fatalf("got %d bytes, %v; want %d bytes", len(ev.Data), err, len(big))
	}
	if _, err := s.Next(); err != io.EOF {
		t.Fatalf("got %v; want io.EOF after [DONE]", err)
	}
}

func TestSSEReaderReadError(t *testing.T) {
	t.Parallel()
	boom := errors.New("connection reset")
	s := NewSSEReader(io.MultiReader(strings.NewReader("data: {}\n\n"), iotest.ErrReader(boom)))
	if _, err := s.Next(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Next(); !errors.Is(err, boom) {
		t.Fatalf("got %v; want %v", err, boom)
	}
}

// FuzzSSEReader checks that any byte stream ends in a bounded number of
// events with EOF, a cut, or a read error, and never panics.
func FuzzSSEReader(f *testing.F) {
	files, _ := filepath.Glob("testdata/sse/*.sse")
	for _, p := range files {
		b, _ := os.ReadFile(p)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		s := NewSSEReader(bytes.NewReader(in))
		for i := 0; i <= len(in)+1; i++ {
			ev, err := s.Next()
			if err != nil {
				if err != io.EOF && !errors.Is(err, ErrStreamCut) {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if len(ev.Data) > len(in) {
				t.Fatalf("event of %d bytes from %d bytes of input", len(ev.Data), len(in))
			}
		}
		t.Fatalf("more events than input bytes")
	})
}
