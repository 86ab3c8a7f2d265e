package core_test

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"testing"

	"thinkcloud/backend/config"
	"thinkcloud/backend/internal/testrig"
	"thinkcloud/backend/server"
)

func health(addr string) error {
	resp, err := http.Get("http://" + addr + "/health")
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return errors.New(resp.Status)
	}
	return nil
}

// Applying a port someone holds must not take the endpoint away, must not
// save a port that does not work, and Retry must work once it is free.
func TestPortInUseKeepsTheRunningEndpoint(t *testing.T) {
	t.Parallel()
	c := newCore(t, nil, "")
	s := c.Current()
	s.Endpoint.Port = testrig.FreePort(t)
	if err := c.ApplySettings(s); err != nil {
		t.Fatal(err)
	}
	running := c.EndpointStatus().Addr

	blocker, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	taken := blocker.Addr().(*net.TCPAddr).Port
	next := c.Current()
	next.Endpoint.Port = taken
	next.Language = "zh-CN" // another change in the same Save: it is kept
	if err := c.ApplySettings(next); !errors.Is(err, server.ErrPortInUse) {
		blocker.Close()
		t.Fatalf("got %v; want ErrPortInUse", err)
	}
	st := c.EndpointStatus()
	if st.State != server.StateListening || st.Addr != running {
		t.Errorf("status %+v; want still listening on %s", st, running)
	}
	if st.Wanted != "127.0.0.1:"+strconv.Itoa(taken) || st.Error == "" {
		t.Errorf("status %+v; want the failed address and why", st)
	}
	if err := health(running); err != nil {
		t.Errorf("the running endpoint stopped: %v", err)
	}
	saved, _, err := config.NewStore(c.SettingsPath()).Load()
	if err != nil {
		t.Fatal(err)
	}
	if saved.Endpoint.Port != s.Endpoint.Port || saved.Language != "zh-CN" {
		t.Errorf("saved port %d, language %q; want port %d kept and the language saved", saved.Endpoint.Port, saved.Language, s.Endpoint.Port)
	}
	if c.Current().Endpoint.Port != s.Endpoint.Port {
		t.Errorf("current port %d; want %d", c.Current().Endpoint.Port, s.Endpoint.Port)
	}

	// Still taken: Retry fails the same way and changes nothing.
	if err := c.RetryEndpoint(); !errors.Is(err, server.ErrPortInUse) {
		t.Errorf("retry while taken: %v", err)
	}
	if err := health(running); err != nil {
		t.Errorf("the running endpoint stopped on retry: %v", err)
	}

	// Freed: Retry moves the endpoint and saves the port.
	blocker.Close()
	if err := c.RetryEndpoint(); err != nil {
		t.Fatalf("retry once free: %v", err)
	}
	st = c.EndpointStatus()
	if st.State != server.StateListening || st.Wanted != "" || health("127.0.0.1:"+strconv.Itoa(taken)) != nil {
		t.Errorf("after retry: %+v", st)
	}
	if health(running) == nil {
		t.Error("the old port still answers after the move")
	}
	saved, _, _ = config.NewStore(c.SettingsPath()).Load()
	if saved.Endpoint.Port != taken {
		t.Errorf("saved port %d after retry; want %d", saved.Endpoint.Port, taken)
	}
}

// At start-up with the port taken (nothing running), Retry starts the saved endpoint once the port is free.
func TestRetryAfterStartupPortInUse(t *testing.T) {
	t.Parallel()
	blocker, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := blocker.Addr().(*net.TCPAddr).Port
	c := newCore(t, nil, `{"version":1,"endpoint":{"enabled":true,"host":"127.0.0.1","port":`+strconv.Itoa(port)+`}}`)
	if err := c.StartEndpoint(); !errors.Is(err, server.ErrPortInUse) {
		blocker.Close()
		t.Fatalf("got %v; want ErrPortInUse", err)
	}
	if c.EndpointStatus().State != server.StatePortInUse {
		t.Errorf("got %+v", c.EndpointStatus())
	}
	blocker.Close()
	if err := c.RetryEndpoint(); err != nil {
		t.Fatal(err)
	}
	if err := health("127.0.0.1:" + strconv.Itoa(port)); err != nil {
		t.Errorf("not serving after retry: %v", err)
	}
}
