package update

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"thinkcloud/backend/internal/atomicfile"
)

// Interval is how often a check may reach the feed.
const Interval = 24 * time.Hour

// Checker checks the feed at most once per Interval and remembers the
// last answer in a small state file, so a restart neither checks again
// nor forgets a notice.
type Checker struct {
	// Client makes the request; nil means a client with no timeout of
	// its own (Timeout bounds the call).
	Client *http.Client
	// Current is the running version.
	Current string
	// Platform is GOOS-GOARCH, the key of the manifest's downloads.
	Platform string
	// Managed is "" or the package manager owning this install.
	Managed string
	// StateFile is where the last check is remembered; "" keeps it in
	// memory only.
	StateFile string
	// Timeout bounds one check; zero means 15 seconds.
	Timeout time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu    sync.Mutex
	state *State
}

// State is the remembered outcome of the last check.
type State struct {
	// Checked is when the feed last answered (or failed to).
	Checked time.Time `json:"checked"`
	// Notice is the newer version found then; nil when none.
	Notice *Notice `json:"notice,omitempty"`
	// Error is why the last check failed; "" when it did not.
	Error string `json:"error,omitempty"`
}

func (c *Checker) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Last returns the remembered state (zero State when never checked). A
// notice for a version not newer than the running one (the user updated
// since) is dropped.
func (c *Checker) Last() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.loadLocked()
	if st.Notice != nil {
		if n, err := parseVersion(st.Notice.Version); err != nil {
			st.Notice = nil
		} else if cur, err := parseVersion(c.Current); err == nil && compare(n, cur) <= 0 {
			st.Notice = nil
		}
	}
	return st
}

func (c *Checker) loadLocked() State {
	if c.state != nil {
		return *c.state
	}
	var st State
	if c.StateFile != "" {
		if b, err := os.ReadFile(c.StateFile); err == nil {
			if json.Unmarshal(b, &st) != nil {
				st = State{} // a damaged state file only costs one check
			}
		}
	}
	c.state = &st
	return st
}

// Due reports whether a daily check should reach the feed now.
func (c *Checker) Due() bool {
	last := c.Last().Checked
	return last.IsZero() || c.now().Sub(last) >= Interval || c.now().Before(last)
}

// ErrOff is returned by Daily when the user has not turned checks on.
var ErrOff = errors.New("update check is off")

// Daily checks feed when enabled and due, else returns the remembered
// state without any network call (ErrOff when not enabled).
func (c *Checker) Daily(ctx context.Context, enabled bool, feed string) (State, error) {
	if !enabled {
		return State{}, ErrOff
	}
	if feed == "" {
		return State{}, ErrNoFeed
	}
	if !c.Due() {
		return c.Last(), nil
	}
	return c.CheckNow(ctx, feed)
}

// CheckNow checks feed at once (the "check now" button) and remembers the
// outcome. A failure is remembered too, so a dead feed is not hammered.
// With no feed (feed == "") it returns ErrNoFeed and remembers nothing.
func (c *Checker) CheckNow(ctx context.Context, feed string) (State, error) {
	if feed == "" {
		return State{}, ErrNoFeed
	}
	timeout := c.Timeout
	if timeout == 0 {
		timeout = 15 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := c.Client
	if client == nil {
		client = &http.Client{}
	}
	st := State{Checked: c.now()}
	m, err := Fetch(ctx, client, feed)
	if err == nil {
		st.Notice, err = NoticeFor(m, c.Current, c.Platform, c.Managed)
	}
	if err != nil {
		st.Error = err.Error()
	}
	c.mu.Lock()
	c.state = &st
	saveErr := c.saveLocked(st)
	c.mu.Unlock()
	if err != nil {
		return st, err
	}
	return st, saveErr
}

func (c *Checker) saveLocked(st State) error {
	if c.StateFile == "" {
		return nil
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(c.StateFile), 0o700); err != nil {
		return fmt.Errorf("save update state: %w", err)
	}
	if err := atomicfile.Write(atomicfile.OS(), c.StateFile, b, 0o600); err != nil {
		return fmt.Errorf("save update state: %w", err)
	}
	return nil
}
