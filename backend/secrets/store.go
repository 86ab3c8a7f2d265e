package secrets

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// Options configures a Store. The zero value means the real OS keyring,
// service "ThinkCloud", a 3 s timeout, the process environment and no .env
// values.
type Options struct {
	// Service is the keyring service name; empty means DefaultService.
	// Tests use a unique name so they never see the user's real keys.
	Service string
	// Timeout bounds every keyring call; zero or negative means
	// DefaultTimeout.
	Timeout time.Duration
	// Keyring is the storage backend; nil means the OS keyring via
	// go-keyring, guarded by SessionBusAvailable.
	Keyring Keyring
	// LookupEnv reads environment variables; nil means os.LookupEnv. It is
	// injected so tests never depend on the developer's shell.
	LookupEnv func(string) (string, bool)
	// DotEnv holds values parsed from a .env file (see LoadDotEnv); they
	// are consulted after the environment and before the keyring. The map
	// is copied.
	DotEnv map[string]string
}

// Store reads and writes ThinkCloud's secrets. It is safe for concurrent
// use.
//
// Keyring reads are cached in memory for the life of the Store, including
// "not found" answers, so a request path never waits on D-Bus after the
// first lookup. Set, Delete and the access-token methods update the cache.
// Errors are not cached, so an unlocked keyring is picked up on the next
// call; call Forget to re-read entries changed outside the app.
type Store struct {
	service   string
	timeout   time.Duration
	kr        Keyring
	lookupEnv func(string) (string, bool)
	dotEnv    map[string]string

	mu       sync.Mutex
	cache    map[string]cached // keyring user -> last known value
	inflight map[string]*call  // keyring user -> running Get
	gen      uint64            // bumped by every write, see runGet

	tokenMu  sync.Mutex // serializes access-token creation
	labelsMu sync.Mutex // serializes edits of a provider's key labels
	keys     keySet     // every key handed out or stored, for Redact
}

type cached struct {
	value string
	found bool
}

type call struct {
	done  chan struct{}
	value string
	err   error
}

// NewStore returns a Store configured by opts. It performs no I/O; the
// keyring is first contacted by the first Get, Set or Delete.
func NewStore(opts Options) *Store {
	s := &Store{
		service:   opts.Service,
		timeout:   opts.Timeout,
		kr:        opts.Keyring,
		lookupEnv: opts.LookupEnv,
		dotEnv:    maps.Clone(opts.DotEnv),
		cache:     make(map[string]cached),
		inflight:  make(map[string]*call),
	}
	if s.service == "" {
		s.service = DefaultService
	}
	if s.timeout <= 0 {
		s.timeout = DefaultTimeout
	}
	if s.kr == nil {
		s.kr = newSystemKeyring()
	}
	if s.lookupEnv == nil {
		s.lookupEnv = os.LookupEnv
	}
	return s
}

// Get returns the keyring secret stored under name (a provider id or
// AccessTokenUser). It does not consult the environment; use ProviderKey
// for that. A missing entry yields an error matching ErrNotFound.
//
// Concurrent Gets of the same name share one keyring call, so a hung
// keyring costs at most one blocked goroutine per name.
func (s *Store) Get(name string) (string, error) {
	v, err := s.get(name)
	if err != nil {
		return "", fmt.Errorf("get %s: %w", name, err)
	}
	return v, nil
}

// get is Get without the error wrapping, for callers that add their own.
func (s *Store) get(name string) (string, error) {
	if err := validName(name); err != nil {
		return "", err
	}
	s.mu.Lock()
	if c, ok := s.cache[name]; ok {
		s.mu.Unlock()
		if !c.found {
			return "", ErrNotFound
		}
		return c.value, nil
	}
	c, running := s.inflight[name]
	if !running {
		c = &call{done: make(chan struct{})}
		s.inflight[name] = c
		go s.runGet(name, c, s.gen)
	}
	s.mu.Unlock()

	timer := time.NewTimer(s.timeout)
	defer timer.Stop()
	select {
	case <-c.done:
		return c.value, c.err
	case <-timer.C:
		return "", s.timeoutError()
	}
}

// runGet performs one keyring read and publishes it to waiters and, unless
// a write happened meanwhile (gen changed), to the cache.
func (s *Store) runGet(name string, c *call, gen uint64) {
	v, err := s.kr.Get(s.service, name)
	err = normalizeErr(err)
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.inflight, name)
	if s.gen == gen {
		switch {
		case err == nil:
			s.cache[name] = cached{value: v, found: true}
		case errors.Is(err, ErrNotFound):
			s.cache[name] = cached{}
		}
	}
	c.value, c.err = v, err
	close(c.done)
}

// Set stores value under name after trimming surrounding whitespace. Empty
// values, values over MaxKeyBytes and values with control characters are
// refused before the keyring is contacted.
func (s *Store) Set(name, value string) error {
	if err := validName(name); err != nil {
		return err
	}
	v, err := normalizeKey(value)
	if err != nil {
		return fmt.Errorf("set %s: %w", name, err)
	}
	if err := s.write(name, func() error { return s.kr.Set(s.service, name, v) }); err != nil {
		return fmt.Errorf("set %s: %w", name, err)
	}
	s.remember(name, cached{value: v, found: true})
	s.keys.add(v)
	return nil
}

// Delete removes the secret stored under name. Deleting a missing entry
// succeeds, so "remove key" buttons are idempotent.
func (s *Store) Delete(name string) error {
	if err := validName(name); err != nil {
		return err
	}
	err := s.write(name, func() error { return s.kr.Delete(s.service, name) })
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("delete %s: %w", name, err)
	}
	s.remember(name, cached{})
	return nil
}

// Forget drops every cached keyring value so the next reads go to the
// keyring again, for example after the user edited entries in Seahorse.
func (s *Store) Forget() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++
	clear(s.cache)
}

func (s *Store) remember(name string, c cached) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++
	s.cache[name] = c
}

// write runs a keyring mutation with the Store's timeout. On timeout the
// cached value is dropped because the write may still land later.
func (s *Store) write(name string, fn func() error) error {
	done := make(chan error, 1)
	go func() { done <- normalizeErr(fn()) }()
	timer := time.NewTimer(s.timeout)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		s.mu.Lock()
		s.gen++
		delete(s.cache, name)
		s.mu.Unlock()
		return s.timeoutError()
	}
}

func (s *Store) timeoutError() error {
	return &UnavailableError{
		Reason: fmt.Sprintf("the keyring did not answer within %s (it may be locked and waiting for a password prompt)", s.timeout),
		Err:    ErrTimeout,
	}
}

// normalizeErr lets injected backends use go-keyring's ErrNotFound as well
// as ours.
func normalizeErr(err error) error {
	if err != nil && !errors.Is(err, ErrNotFound) && errors.Is(err, keyring.ErrNotFound) {
		return ErrNotFound
	}
	return err
}
