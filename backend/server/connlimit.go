package server

import (
	"net"
	"sync"
)

// defaultConnsPerClient is the zero value of Endpoint.MaxConnsPerClient.
const defaultConnsPerClient = 64

// limitListener closes a new connection at once when its client address
// already holds max open ones. Loopback clients are exempt: every local
// tool shares 127.0.0.1, and a local process can do worse than open
// connections. Beyond loopback (`--host 0.0.0.0`, where the token is
// required) it keeps one machine from taking every file descriptor with
// connections it never authenticates.
type limitListener struct {
	net.Listener
	max    int
	exempt func(net.IP) bool

	mu   sync.Mutex
	open map[string]int
}

func newLimitListener(ln net.Listener, max int, exempt func(net.IP) bool) *limitListener {
	if max <= 0 {
		max = defaultConnsPerClient
	}
	if exempt == nil {
		exempt = net.IP.IsLoopback
	}
	return &limitListener{Listener: ln, max: max, exempt: exempt, open: map[string]int{}}
}

// Accept returns the next connection within the limit.
func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		key, ok := l.admit(c.RemoteAddr())
		if !ok {
			c.Close()
			continue
		}
		if key == "" {
			return c, nil
		}
		return &countedConn{Conn: c, release: func() { l.release(key) }}, nil
	}
}

// admit counts a connection from addr; key is "" for exempt clients.
func (l *limitListener) admit(addr net.Addr) (key string, ok bool) {
	tcp, isTCP := addr.(*net.TCPAddr)
	if !isTCP || l.exempt(tcp.IP) {
		return "", true
	}
	key = clientNet(tcp.IP)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[key] >= l.max {
		return "", false
	}
	l.open[key]++
	return key, true
}

func (l *limitListener) release(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[key]--; l.open[key] <= 0 {
		delete(l.open, key)
	}
}

// clientNet is what counts as one client: an IPv4 address, or an IPv6
// /64, the block one machine usually has to itself.
func clientNet(ip net.IP) string {
	if v4 := ip.To4(); v4 != nil {
		return v4.String()
	}
	return ip.Mask(net.CIDRMask(64, 128)).String()
}

// countedConn gives its slot back once, however often it is closed.
type countedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *countedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
