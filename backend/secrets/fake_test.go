package secrets

import (
	"sync"
	"sync/atomic"
)

// fakeKeyring is an in-memory Keyring. gate, when non-nil, blocks Get
// after it has read its answer until gate is closed; err, when non-nil, is returned by every call.
type fakeKeyring struct {
	mu   sync.Mutex
	data map[string]string
	err  error
	gate chan struct{}

	gets atomic.Int32
	sets atomic.Int32
}

func newFake() *fakeKeyring { return &fakeKeyring{data: make(map[string]string)} }

func (f *fakeKeyring) Get(service, user string) (string, error) {
	f.gets.Add(1)
	// Read first, then wait on the gate: a slow keyring answers with the
	// value it saw when the call started.
	f.mu.Lock()
	gate, err := f.gate, f.err
	v, ok := f.data[service+"\x00"+user]
	f.mu.Unlock()
	if gate != nil {
		<-gate
	}
	switch {
	case err != nil:
		return "", err
	case !ok:
		return "", ErrNotFound
	}
	return v, nil
}

func (f *fakeKeyring) Set(service, user, pw string) error {
	f.sets.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	f.data[service+"\x00"+user] = pw
	return nil
}

func (f *fakeKeyring) Delete(service, user string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	k := service + "\x00" + user
	if _, ok := f.data[k]; !ok {
		return ErrNotFound
	}
	delete(f.data, k)
	return nil
}

func (f *fakeKeyring) stored(user string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.data[DefaultService+"\x00"+user]
	return v, ok
}

func (f *fakeKeyring) put(user, v string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.data[DefaultService+"\x00"+user] = v
}

func (f *fakeKeyring) setErr(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

func (f *fakeKeyring) setGate(ch chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gate = ch
}

// noEnv is a LookupEnv that finds nothing, so tests never see the
// developer's real variables.
func noEnv(string) (string, bool) { return "", false }

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}
