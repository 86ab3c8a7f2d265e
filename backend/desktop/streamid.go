package desktop

import (
	"fmt"
	"regexp"
)

// The window chooses each answer's stream id and sends it with the request
// (SendRequest.StreamID, and the first argument of Regenerate and Edit), so
// it knows the answer's chat:stream events from the first one, even one
// that arrives before the request returns. Go checks the id and keeps it
// in ChatService.streams while the answer runs; a nil cancel func there
// means claimed, not started yet.

// streamIDs are what a window may call a stream: a UUID or any short run
// of letters, digits, '-' and '_'.
var streamIDs = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// checkStreamID says why id cannot name a new stream: malformed, or the
// name of one running (or being started) now.
func (s *ChatService) checkStreamID(id string) error { return s.streamID(id, false) }

// claim reserves the stream id the window chose, so that a second request
// with the same id fails while this one is being started; start then
// puts the stream's cancel func in its place (Stop before that does
// nothing, which the window allows for).
func (s *ChatService) claim(id string) error { return s.streamID(id, true) }

func (s *ChatService) streamID(id string, reserve bool) error {
	if !streamIDs.MatchString(id) {
		return fmt.Errorf("stream id %q: want 1 to 64 letters, digits, '-' or '_'", id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.streams[id]; ok {
		return fmt.Errorf("stream id %q is already in use", id)
	}
	if reserve {
		s.streams[id] = nil
	}
	return nil
}

// releaseUnless gives a claimed id back when the request failed (*err is
// set) before its stream started.
func (s *ChatService) releaseUnless(id string, err *error) {
	if *err == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.streams[id] == nil {
		delete(s.streams, id)
	}
}
