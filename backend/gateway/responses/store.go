package responses

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"thinkcloud/backend/gateway"
)

// Store keeps recent translated responses in memory, so a client can
// continue one with previous_response_id. Each response keeps only its
// own turn (the input items it added and its output) and a link to the
// one it continued; a conversation is read by following the links. It is
// bounded three ways, each with a default for its zero value: by count,
// by size, and by time since a response was last used. Nothing survives
// a restart. The zero value is ready to use.
type Store struct {
	// MaxEntries caps how many responses are kept; zero means 256.
	MaxEntries int
	// MaxBytes caps their total size (as JSON); zero means 32 MiB.
	MaxBytes int
	// TTL is how long a response is kept after it was last used
	// (written or continued); zero means one hour.
	TTL time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu      sync.Mutex
	entries map[string]*entry
	bytes   int
	tick    uint64 // orders uses, for eviction
}

type entry struct {
	parent string
	items  []Item
	// inputs is how many of items were the request's input.
	inputs int
	// response is the response object as the client got it, for
	// GET /v1/responses/{id}.
	response []byte
	size     int
	used     time.Time
	last     uint64
}

func (s *Store) limits() (int, int, time.Duration) {
	n, b, ttl := s.MaxEntries, s.MaxBytes, s.TTL
	if n == 0 {
		n = 256
	}
	if b == 0 {
		b = 32 << 20
	}
	if ttl == 0 {
		ttl = time.Hour
	}
	return n, b, ttl
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Save keeps response id, which continued parent ("" for none): the
// input items it added, its output items, and the response object as the
// client got it.
func (s *Store) Save(id, parent string, input, output []Item, response []byte) {
	items := append(append([]Item(nil), input...), output...)
	// The size counts the input as JSON and the response bytes, which hold
	// the output items (the output is not encoded a second time); without a
	// response (tests), the output is encoded for its size.
	b, _ := json.Marshal(input)
	if response == nil {
		out, _ := json.Marshal(output)
		b = append(b, out...)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.entries == nil {
		s.entries = map[string]*entry{}
	}
	now := s.now()
	s.sweep(now)
	s.tick++
	e := &entry{parent: parent, items: items, inputs: len(input), response: response, size: len(b) + len(response), used: now, last: s.tick}
	s.entries[id] = e
	s.bytes += e.size
	maxN, maxB, _ := s.limits()
	for len(s.entries) > maxN || (s.bytes > maxB && len(s.entries) > 1) {
		s.evictOldest(id)
	}
}

// History returns the items of the conversation that response id ends,
// oldest first, and marks every response on the way as used. A response
// it no longer keeps (expired, evicted, or from before a restart) is a
// 400 that says so; an id ThinkCloud never made is a 400 too.
func (s *Store) History(id string) ([]Item, *gateway.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.sweep(now)
	var chain []*entry
	for cur := id; cur != ""; {
		e := s.entries[cur]
		if e == nil {
			return nil, s.missing(id, cur)
		}
		chain = append(chain, e)
		cur = e.parent
		if len(chain) > len(s.entries) {
			break // a loop, which Save cannot make; stop anyway
		}
	}
	var items []Item
	for i := len(chain) - 1; i >= 0; i-- {
		s.tick++
		chain[i].used, chain[i].last = now, s.tick
		items = append(items, chain[i].items...)
	}
	return items, nil
}

// Response returns the response object kept for id, marking it used.
func (s *Store) Response(id string) ([]byte, *gateway.Error) {
	e, err := s.get(id)
	if err != nil {
		return nil, err
	}
	return e.response, nil
}

// InputItems returns the input items response id added (not those of the
// responses it continued), marking it used.
func (s *Store) InputItems(id string) ([]Item, *gateway.Error) {
	e, err := s.get(id)
	if err != nil {
		return nil, err
	}
	items := slices.Clone(e.items[:e.inputs])
	for i := range items {
		if items[i].ID == "" { // as OpenAI does, every listed item has an id
			items[i].ID = fmt.Sprintf("in_%s_%d", strings.TrimPrefix(id, IDPrefix), i)
		}
	}
	return items, nil
}

// Delete forgets response id. A response that continued it can no
// longer be continued in turn, as with OpenAI.
func (s *Store) Delete(id string) *gateway.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(s.now())
	if s.entries[id] == nil {
		return s.notFound(id)
	}
	s.drop(id)
	return nil
}

func (s *Store) get(id string) (*entry, *gateway.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.sweep(now)
	e := s.entries[id]
	if e == nil {
		return nil, s.notFound(id)
	}
	s.tick++
	e.used, e.last = now, s.tick
	return e, nil
}

// notFound is the 404 for a response id the store does not hold, saying
// why that may be.
func (s *Store) notFound(id string) *gateway.Error {
	why := "ThinkCloud did not make it: responses of providers that speak the Responses API themselves (OpenAI) stay with them"
	if strings.HasPrefix(id, IDPrefix) {
		n, _, ttl := s.limits()
		why = fmt.Sprintf("ThinkCloud keeps translated responses in memory for %s after their last use (at most %d), not across restarts, and only those sent with store on", ttl, n)
	}
	return &gateway.Error{Status: 404, Type: "invalid_request_error", Code: "response_not_found",
		Message: fmt.Sprintf("Response with id %q not found. %s", id, why)}
}

func (s *Store) missing(id, cur string) *gateway.Error {
	if !strings.HasPrefix(cur, IDPrefix) {
		return &gateway.Error{Status: 400, Type: "invalid_request_error", Param: "previous_response_id", Code: "previous_response_not_found",
			Message: fmt.Sprintf("Previous response with id %q not found: ThinkCloud did not make it (responses of providers that speak the Responses API themselves stay with them)", cur)}
	}
	n, b, ttl := s.limits()
	what := "it"
	if cur != id {
		what = fmt.Sprintf("%q, which it continues,", cur)
	}
	return &gateway.Error{Status: 400, Type: "invalid_request_error", Param: "previous_response_id", Code: "previous_response_expired",
		Message: fmt.Sprintf("Previous response %q has expired: %s is no longer kept. ThinkCloud keeps responses in memory for %s after their last use, at most %d of them and %d MiB, and not across restarts; send the whole conversation in input instead",
			id, what, ttl, n, b>>20)}
}

func (s *Store) sweep(now time.Time) {
	_, _, ttl := s.limits()
	for id, e := range s.entries {
		if now.Sub(e.used) > ttl {
			s.drop(id)
		}
	}
}

// evictOldest drops the least recently used response other than keep.
func (s *Store) evictOldest(keep string) {
	oldest := ""
	for id, e := range s.entries {
		if id != keep && (oldest == "" || e.last < s.entries[oldest].last) {
			oldest = id
		}
	}
	if oldest == "" {
		return
	}
	s.drop(oldest)
}

func (s *Store) drop(id string) {
	s.bytes -= s.entries[id].size
	delete(s.entries, id)
}

// Len is how many responses are kept.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}
