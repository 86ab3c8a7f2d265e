package secrets

import "sync"

// MemoryKeyring is an in-memory Keyring for tests of packages that use a
// Store: it behaves like the OS keyring (ErrNotFound for a missing entry)
// and never touches D-Bus. The zero value is ready to use.
type MemoryKeyring struct {
	mu sync.Mutex
	m  map[string]string
}

func (k *MemoryKeyring) key(service, user string) string { return service + "\x00" + user }

// Get returns the stored secret or ErrNotFound.
func (k *MemoryKeyring) Get(service, user string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if v, ok := k.m[k.key(service, user)]; ok {
		return v, nil
	}
	return "", ErrNotFound
}

// Set stores a secret.
func (k *MemoryKeyring) Set(service, user, password string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = map[string]string{}
	}
	k.m[k.key(service, user)] = password
	return nil
}

// Delete removes a secret; a missing one is not an error.
func (k *MemoryKeyring) Delete(service, user string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, k.key(service, user))
	return nil
}
