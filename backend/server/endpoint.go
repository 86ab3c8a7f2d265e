package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Endpoint states, as the settings screen shows them.
const (
	StateListening = "listening"
	StatePortInUse = "port_in_use"
	StateOff       = "off"
	StateError     = "error"
)

// Status is what the window shows about the endpoint.
type Status struct {
	State string `json:"state"`
	Addr  string `json:"addr"`
	URL   string `json:"url,omitempty"`
	Error string `json:"error,omitempty"`
	// Wanted is the address a change asked for and could not get while
	// the endpoint kept serving on Addr; empty when nothing is pending.
	Wanted string `json:"wanted,omitempty"`
}

// ErrPortInUse is wrapped by Start when another program holds the port.
var ErrPortInUse = errors.New("address already in use")

// portInUseError is one sentence that names the address; it matches
// ErrPortInUse with errors.Is.
type portInUseError string

func (e portInUseError) Error() string {
	return string(e) + " is already in use by another program (another ThinkCloud?); pick another port with --port or in Settings"
}

func (e portInUseError) Is(target error) bool { return target == ErrPortInUse }

// Endpoint runs a handler on a TCP listener and can be stopped and started
// again in process, so a settings change never needs an app restart.
// The zero value is ready to use.
type Endpoint struct {
	// MaxConnsPerClient caps the open connections from one client address
	// beyond loopback; further ones are closed on arrival. Zero means 64.
	MaxConnsPerClient int
	// exempt tells the clients the cap does not apply to; nil means
	// loopback ones. Tests replace it, since they only talk to loopback.
	exempt func(net.IP) bool

	mu     sync.Mutex
	srv    *http.Server
	done   chan struct{}
	stop   context.CancelCauseFunc // ends the running server's requests
	status Status
}

// IsLoopback reports whether host only accepts connections from this
// machine.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Start listens on host:port and serves h. A server already running on
// another port keeps serving until the new listener is up: when host:port
// cannot be taken, the old one stays (its Status says it is still
// listening and names the address that failed in Wanted and Error), so a
// typo in Settings never takes the endpoint away from the tools using it.
// A server on the same port is stopped first (it holds the port). The
// returned error is one sentence a person can act on.
func (e *Endpoint) Start(host string, port int, h http.Handler) error {
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	e.mu.Lock()
	samePort := e.srv != nil && portOf(e.status.Addr) == strconv.Itoa(port)
	e.mu.Unlock()
	if samePort {
		e.Stop(context.Background())
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			err = portInUseError(addr)
		} else {
			err = fmt.Errorf("cannot listen on %s: %w", addr, err)
		}
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.srv != nil {
			e.status.Wanted, e.status.Error = addr, err.Error()
			return err
		}
		state := StateError
		if errors.Is(err, ErrPortInUse) {
			state = StatePortInUse
		}
		e.status = Status{State: state, Addr: addr, Error: err.Error()}
		return err
	}
	e.Stop(context.Background())
	stopCtx, stop := context.WithCancelCause(context.Background())
	srv := &http.Server{
		Handler:           withStop(stopCtx, h),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    1 << 20,
		// No WriteTimeout: it would cut long streams.
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(newLimitListener(ln, e.MaxConnsPerClient, e.exempt))
	}()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.srv, e.done, e.stop = srv, done, stop
	real := ln.Addr().String()
	e.status = Status{State: StateListening, Addr: real, URL: "http://" + real + "/v1"}
	return nil
}

func portOf(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}

// Stop shuts the server down: running requests end at once with cause
// ErrStopping (a stream sends its client an error event and ends its
// body cleanly) and get until ctx ends to do so; what is left then is
// closed.
func (e *Endpoint) Stop(ctx context.Context) error {
	e.mu.Lock()
	srv, done, stop := e.srv, e.done, e.stop
	e.srv, e.done, e.stop = nil, nil, nil
	if srv != nil {
		e.status = Status{State: StateOff, Addr: e.status.Addr}
	}
	e.mu.Unlock()
	if srv == nil {
		return nil
	}
	stop(ErrStopping)
	err := srv.Shutdown(ctx)
	if err != nil {
		srv.Close()
	}
	<-done
	return err
}

// Status returns the current state.
func (e *Endpoint) Status() Status {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.status.State == "" {
		return Status{State: StateOff}
	}
	return e.status
}
