package gateway

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
)

// Event is one server-sent event from an upstream stream.
type Event struct {
	// Data is the event's data, lines joined by "\n". It aliases the
	// reader's buffer and is valid until the next call to Next.
	Data []byte
	// Comment is true for comment lines (": keep-alive"), which carry no
	// data; DeepSeek sends them while a request waits in its queue.
	Comment bool
	// Name is the event's "event:" field ("message_start" in the
	// Anthropic dialect), empty when it has none. It aliases the reader's
	// buffer like Data.
	Name []byte
}

// ErrStreamCut is returned when the upstream stream ended without
// "data: [DONE]": to a client it must not look like a complete answer.
var ErrStreamCut = errors.New("upstream stream ended before [DONE]")

// MaxEventBytes caps one event from a provider. Real events are a few
// hundred bytes, a large tool call or image some megabytes; without a cap
// a provider (or whatever answers at its URL) could make the reader hold
// any amount of memory for a single line.
const MaxEventBytes = 16 << 20

// ErrEventTooLarge ends a stream whose next event passes MaxEventBytes.
var ErrEventTooLarge = fmt.Errorf("an event from the provider is larger than %d MiB", MaxEventBytes>>20)

// SSEReader reads server-sent events. Unlike bufio.Scanner its line
// length limit is MaxEventBytes, not 64 KB (a single chunk with a large
// tool-call argument or an image can pass that), and it accepts CRLF and
// "data:" with or without a space.
type SSEReader struct {
	r    *bufio.Reader
	line []byte
	data []byte
	name []byte
	done bool
}

// readerPool recycles SSE readers: a stream's 16 KB buffer would otherwise
// be allocated and zeroed for every request.
var readerPool = sync.Pool{New: func() any { return &SSEReader{r: bufio.NewReaderSize(nil, 16<<10)} }}

// NewSSEReader reads events from r. Release returns it for reuse.
func NewSSEReader(r io.Reader) *SSEReader {
	s := readerPool.Get().(*SSEReader)
	s.r.Reset(r)
	s.done = false
	return s
}

// Release gives the reader back for reuse; it must not be used after.
func (s *SSEReader) Release() {
	s.r.Reset(nil)
	if cap(s.line) > 1<<20 || cap(s.data) > 1<<20 {
		return // do not keep a huge buffer from one long line
	}
	s.line, s.data = s.line[:0], s.data[:0]
	readerPool.Put(s)
}

// Next returns the next event. It returns io.EOF after "data: [DONE]",
// ErrStreamCut (or the read error) when the stream ends without it, and
// ErrEventTooLarge for an event over MaxEventBytes.
func (s *SSEReader) Next() (Event, error) {
	if s.done {
		return Event{}, io.EOF
	}
	s.data, s.name = s.data[:0], s.name[:0]
	hasData := false
	for {
		line, err := s.readLine()
		if err != nil {
			if hasData && errors.Is(err, io.EOF) {
				// A last event without its blank line: deliver it, the
				// next call reports the cut.
				if bytes.Equal(s.data, []byte("[DONE]")) {
					s.done = true
					return Event{}, io.EOF
				}
				return Event{Data: s.data, Name: s.name}, nil
			}
			if errors.Is(err, io.EOF) {
				return Event{}, ErrStreamCut
			}
			return Event{}, err
		}
		switch {
		case len(line) == 0:
			if !hasData {
				continue // blank lines between events or before the body
			}
			if bytes.Equal(s.data, []byte("[DONE]")) {
				s.done = true
				return Event{}, io.EOF
			}
			return Event{Data: s.data, Name: s.name}, nil
		case line[0] == ':':
			if !hasData {
				return Event{Comment: true}, nil
			}
		case bytes.HasPrefix(line, []byte("data:")):
			v := line[5:]
			if len(v) > 0 && v[0] == ' ' {
				v = v[1:]
			}
			if len(s.data)+len(v) > MaxEventBytes {
				return Event{}, ErrEventTooLarge
			}
			if hasData {
				s.data = append(s.data, '\n')
			}
			s.data = append(s.data, v...)
			hasData = true
		case bytes.HasPrefix(line, []byte("event:")):
			s.name = append(s.name[:0], bytes.TrimSpace(line[6:])...)
		default:
			// id:, retry: and unknown fields carry nothing either
			// dialect uses.
		}
	}
}

// readLine returns one line without its line ending, up to
// MaxEventBytes long.
func (s *SSEReader) readLine() ([]byte, error) {
	s.line = s.line[:0]
	for {
		chunk, err := s.r.ReadSlice('\n')
		s.line = append(s.line, chunk...)
		if len(s.line) > MaxEventBytes+len("data: \r\n") {
			return nil, ErrEventTooLarge
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			if err == io.EOF && len(s.line) > 0 {
				return bytes.TrimRight(s.line, "\r\n"), nil
			}
			return nil, err
		}
		return bytes.TrimRight(s.line, "\r\n"), nil
	}
}

// EventBuffered reports whether a whole next event is already read from
// the network, so a relay can write it before flushing: one flush (one
// write syscall) for a burst, and no waiting, since nothing is waited for.
func (s *SSEReader) EventBuffered() bool {
	b, _ := s.r.Peek(s.r.Buffered())
	return bytes.Contains(b, []byte("\n\n")) || bytes.Contains(b, []byte("\r\n\r\n"))
}
