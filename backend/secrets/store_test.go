package secrets

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func newTestStore(f *fakeKeyring) *Store {
	return NewStore(Options{Keyring: f, LookupEnv: noEnv, Timeout: 2 * time.Second})
}

func TestStoreSetGetDelete(t *testing.T) {
	t.Parallel()
	f := newFake()
	s := newTestStore(f)

	if err := s.Set("deepseek", "  sk-abc123\n"); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if got, _ := f.stored("deepseek"); got != "sk-abc123" {
		t.Errorf("stored %q; want %q", got, "sk-abc123")
	}
	got, err := s.Get("deepseek")
	if err != nil || got != "sk-abc123" {
		t.Errorf("Get = %q, %v; want %q, nil", got, err, "sk-abc123")
	}
	if err := s.Delete("deepseek"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, ok := f.stored("deepseek"); ok {
		t.Errorf("entry still in keyring after Delete")
	}
	if _, err := s.Get("deepseek"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Delete: got %v; want ErrNotFound", err)
	}
	if err := s.Delete("deepseek"); err != nil {
		t.Errorf("second Delete: got %v; want nil", err)
	}
}

func TestStoreSetRejectsBadKeys(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, value string
		want        error
	}{
		{"empty", "", ErrEmptyKey},
		{"whitespace", " \n\t", ErrEmptyKey},
		{"too long", strings.Repeat("k", MaxKeyBytes+1), ErrKeyTooLong},
		{"too long after trim", " " + strings.Repeat("k", MaxKeyBytes+1) + "\n", ErrKeyTooLong},
		{"inner newline", "sk-abc\ndef", ErrInvalidKey},
		{"inner NUL", "sk-abc\x00def", ErrInvalidKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			err := newTestStore(f).Set("openai", tc.value)
			if !errors.Is(err, tc.want) {
				t.Errorf("Set: got %v; want %v", err, tc.want)
			}
			if n := f.sets.Load(); n != 0 {
				t.Errorf("keyring Set called %d times; want 0", n)
			}
		})
	}
	if err := newTestStore(newFake()).Set("openai", strings.Repeat("k", MaxKeyBytes)); err != nil {
		t.Errorf("Set of exactly %d bytes: got %v; want nil", MaxKeyBytes, err)
	}
}

func TestStoreRejectsBadNames(t *testing.T) {
	t.Parallel()
	s := newTestStore(newFake())
	for _, name := range []string{"", " openai", "open\nai"} {
		if _, err := s.Get(name); err == nil {
			t.Errorf("Get(%q): got nil error; want one", name)
		}
		if err := s.Set(name, "sk-x"); err == nil {
			t.Errorf("Set(%q): got nil error; want one", name)
		}
	}
}

func TestStoreCachesReads(t *testing.T) {
	t.Parallel()
	f := newFake()
	f.put("openai", "sk-one")
	s := newTestStore(f)
	for range 3 {
		if got, err := s.Get("openai"); err != nil || got != "sk-one" {
			t.Fatalf("Get = %q, %v; want sk-one, nil", got, err)
		}
		if _, err := s.Get("kimi"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Get kimi: got %v; want ErrNotFound", err)
		}
	}
	if n := f.gets.Load(); n != 2 {
		t.Errorf("keyring Get calls = %d; want 2 (one per name)", n)
	}
	f.put("openai", "sk-changed-outside")
	if got, _ := s.Get("openai"); got != "sk-one" {
		t.Errorf("cached Get = %q; want sk-one", got)
	}
	if err := s.Set("kimi", "sk-kimi"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get("kimi"); got != "sk-kimi" {
		t.Errorf("Get after Set = %q; want sk-kimi", got)
	}
	s.Forget()
	if got, _ := s.Get("openai"); got != "sk-changed-outside" {
		t.Errorf("Get after Forget = %q; want sk-changed-outside", got)
	}
}

func TestStoreDoesNotCacheErrors(t *testing.T) {
	t.Parallel()
	f := newFake()
	f.put("openai", "sk-one")
	f.setErr(&UnavailableError{Reason: "locked"})
	s := newTestStore(f)
	if _, err := s.Get("openai"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Get: got %v; want ErrUnavailable", err)
	}
	f.setErr(nil)
	if got, err := s.Get("openai"); err != nil || got != "sk-one" {
		t.Errorf("Get after unlock = %q, %v; want sk-one, nil", got, err)
	}
}

func TestStoreTimeout(t *testing.T) {
	t.Parallel()
	f := newFake()
	gate := make(chan struct{})
	t.Cleanup(func() { close(gate) })
	f.setGate(gate)
	s := NewStore(Options{Keyring: f, LookupEnv: noEnv, Timeout: 50 * time.Millisecond})

	// The keyring never answers (the gate opens after the test), so Get
	// returns only through its timeout: the error says which way it went.
	_, err := s.Get("openai")
	if !errors.Is(err, ErrTimeout) || !errors.Is(err, ErrUnavailable) {
		t.Errorf("Get: got %v; want ErrTimeout wrapped in ErrUnavailable", err)
	}
	if err == nil || !strings.Contains(err.Error(), "did not answer") {
		t.Errorf("Get error %q; want it to say the keyring did not answer", err)
	}
}

func TestStoreConcurrentGetsShareOneCall(t *testing.T) {
	t.Parallel()
	f := newFake()
	f.put("openai", "sk-one")
	gate := make(chan struct{})
	f.setGate(gate)
	s := newTestStore(f)

	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for range 10 {
		wg.Go(func() {
			if got, err := s.Get("openai"); err != nil || got != "sk-one" {
				errs <- errors.New("got " + got)
			}
		})
	}
	time.Sleep(50 * time.Millisecond) // let the goroutines join the call
	close(gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := f.gets.Load(); n != 1 {
		t.Errorf("keyring Get calls = %d; want 1", n)
	}
}

func TestStoreSetDuringSlowGetWins(t *testing.T) {
	t.Parallel()
	f := newFake()
	f.put("openai", "sk-old")
	gate := make(chan struct{})
	f.setGate(gate)
	s := newTestStore(f)

	done := make(chan string)
	go func() { v, _ := s.Get("openai"); done <- v }()
	for f.gets.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	if err := s.Set("openai", "sk-new"); err != nil {
		t.Fatal(err)
	}
	close(gate)
	<-done // the slow read may return either value; it must not be cached
	if got, _ := s.Get("openai"); got != "sk-new" {
		t.Errorf("Get after Set = %q; want sk-new", got)
	}
}

func TestUnavailableErrorMessage(t *testing.T) {
	t.Parallel()
	err := error(&UnavailableError{Reason: "no Secret Service (org.freedesktop.secrets) is running"})
	if !errors.Is(err, ErrUnavailable) {
		t.Errorf("errors.Is(err, ErrUnavailable) = false; want true")
	}
	for _, want := range []string{"no Secret Service", "gnome-keyring", "KWallet", "_API_KEY"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q; want it to contain %q", err, want)
		}
	}
}
