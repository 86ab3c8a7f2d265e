package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestEndpointPortInUse(t *testing.T) {
	t.Parallel()
	var a, b Endpoint
	if err := a.Start("127.0.0.1", 0, http.NotFoundHandler()); err != nil {
		t.Fatal(err)
	}
	defer a.Stop(context.Background())
	port := a.Status().Addr[strings.LastIndex(a.Status().Addr, ":")+1:]
	var p int
	for _, c := range port {
		p = p*10 + int(c-'0')
	}
	err := b.Start("127.0.0.1", p, http.NotFoundHandler())
	if !errors.Is(err, ErrPortInUse) || !strings.Contains(err.Error(), a.Status().Addr) {
		t.Fatalf("got %v; want ErrPortInUse naming %s", err, a.Status().Addr)
	}
	if st := b.Status(); st.State != StatePortInUse || st.Error == "" {
		t.Errorf("got status %+v; want port_in_use", st)
	}
	// Restart in place on another port, as a settings change does.
	if err := a.Start("127.0.0.1", 0, http.NotFoundHandler()); err != nil || a.Status().State != StateListening {
		t.Fatalf("restart: %v %+v", err, a.Status())
	}
	a.Stop(context.Background())
	if a.Status().State != StateOff {
		t.Errorf("got %+v after Stop; want off", a.Status())
	}
}
