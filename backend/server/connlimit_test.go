package server

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// served sends GET /health on a new connection and reports whether it was
// answered; the connection is returned open (keep-alive) when it was.
func served(t *testing.T, addr string) (net.Conn, bool) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(30 * time.Second)) // liveness bound only
	io.WriteString(c, "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		c.Close()
		return nil, false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return c, resp.StatusCode == 200
}

func TestConnectionsPerClientCapped(t *testing.T) {
	t.Parallel()
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	for _, tc := range []struct {
		name     string
		exempt   func(net.IP) bool
		wantOpen int // connections served at once; 0 means all
	}{
		// Tests only reach loopback, so the cap is shown by counting
		// loopback as "beyond loopback".
		{"beyond loopback", func(net.IP) bool { return false }, 3},
		{"loopback exempt", nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ep := Endpoint{MaxConnsPerClient: 3, exempt: tc.exempt}
			if err := ep.Start("127.0.0.1", 0, ok); err != nil {
				t.Fatal(err)
			}
			defer ep.Stop(context.Background())
			addr := ep.Status().Addr
			var held []net.Conn
			defer func() {
				for _, c := range held {
					c.Close()
				}
			}()
			refused := 0
			for range 6 {
				c, ok := served(t, addr)
				if !ok {
					refused++
					continue
				}
				held = append(held, c)
			}
			if tc.wantOpen == 0 {
				if refused != 0 {
					t.Fatalf("%d of 6 loopback connections were refused; want none (loopback is exempt)", refused)
				}
				return
			}
			if len(held) != tc.wantOpen || refused != 6-tc.wantOpen {
				t.Fatalf("got %d connections served and %d closed; want %d and %d", len(held), refused, tc.wantOpen, 6-tc.wantOpen)
			}
			// A closed connection gives its slot back.
			held[0].Close()
			held = held[1:]
			for deadline := time.Now().Add(30 * time.Second); ; {
				if c, ok := served(t, addr); ok {
					held = append(held, c)
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("a slot freed by a closed connection was never given to a new one")
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
}

func TestClientNet(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"192.0.2.1", "192.0.2.1", true},
		{"192.0.2.1", "192.0.2.2", false},
		{"2001:db8::1", "2001:db8::ffff:1", true},
		{"2001:db8:0:1::1", "2001:db8:0:2::1", false},
		{"::ffff:192.0.2.1", "192.0.2.1", true},
	} {
		if got := clientNet(net.ParseIP(tc.a)) == clientNet(net.ParseIP(tc.b)); got != tc.same {
			t.Errorf("clientNet(%s) == clientNet(%s): %v; want %v", tc.a, tc.b, got, tc.same)
		}
	}
}
