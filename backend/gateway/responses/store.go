package responses

import (
	"encoding/json"
	"fmt"
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
	size   int
	used   time.Time
	last   uint64
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

// Save keeps response id, which continued parent ("" for none) with
// items: the input items it added, then its output.
func (s *Store) Save(id, parent string, items []Item) {
	b, _ := json.Marshal(items)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.entries == nil {
		s.entries = map[string]*entry{}
	}
	now := s.now()
	s.sweep(now)
	s.tick++
	e := &entry{parent: parent, items: items, size: len(b), used: now, last: s.tick}
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
