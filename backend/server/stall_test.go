package server_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/fakeupstream"
	"thinkcloud/backend/gateway"
	"thinkcloud/backend/server"
)

// liveness bounds every wait in these tests: a server that never answers
// fails the test instead of hanging it. It is not a timing assertion; the
// behaviour under test happens in milliseconds.
const liveness = 30 * time.Second

const goodToken = "tc-the-right-token"

// tokenEndpoint runs the real endpoint as `serve --host 0.0.0.0` does
// (token required, any Host) on a loopback port, in front of a fake
// DeepSeek, with the body limits set by opts.
func tokenEndpoint(t *testing.T, opts func(*server.Options)) string {
	t.Helper()
	fake := fakeupstream.NewFake(fakeupstream.DeepSeek, "up-key", false)
	up := fake.Start()
	t.Cleanup(up.Close)
	cat, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	o := server.Options{
		Catalog: cat,
		HasKey:  func(string) bool { return true },
		Router: &gateway.Router{Catalog: cat, Upstream: func(string) (gateway.Upstream, error) {
			return gateway.Upstream{BaseURL: up.URL + "/v1", Key: "up-key"}, nil
		}},
		Guard: server.Guard{RequireToken: true, AnyHost: true, Token: func() string { return goodToken }},
	}
	if opts != nil {
		opts(&o)
	}
	var ep server.Endpoint
	if err := ep.Start("127.0.0.1", 0, server.New(o)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Bounded: a server that still holds stalled connections is
		// closed rather than waited for.
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		ep.Stop(ctx)
	})
	return ep.Status().Addr
}

// stall opens a connection and sends a chat request's headers and the
// first bytes of a body that it then never finishes.
func stall(addr, token string) (net.Conn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	auth := ""
	if token != "" {
		auth = "Authorization: Bearer " + token + "\r\n"
	}
	_, err = fmt.Fprintf(c, "POST /v1/chat/completions HTTP/1.1\r\nHost: 192.0.2.1:8000\r\n%sContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"model\":\"deep", auth)
	if err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// answerAndClose reads what the server sends on c until it closes the
// connection, and returns the status line. It fails when the server does
// not both answer and close.
func answerAndClose(c net.Conn, deadline time.Time) (string, error) {
	defer c.Close()
	c.SetReadDeadline(deadline)
	br := bufio.NewReader(c)
	status, err := br.ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("no answer: %w", err)
	}
	// EOF or a reset: either way the server closed the connection (it
	// resets one whose unread body it dropped, once the answer had time
	// to arrive).
	if _, err := io.Copy(io.Discard, br); err != nil && !errors.Is(err, syscall.ECONNRESET) {
		return status, fmt.Errorf("answered %q but kept the connection open: %w", strings.TrimSpace(status), err)
	}
	return strings.TrimSpace(status), nil
}

// TestStalledBodiesDoNotStarveTheEndpoint runs the attack from issue 10
// on loopback, bounded: clients send headers and part of a body, then go
// silent. Those without the token must get their 401 at once, on a
// closed connection; those with it must be cut off (408) once the body
// deadline passes; and a client with the token must be served while the
// attack runs.
func TestStalledBodiesDoNotStarveTheEndpoint(t *testing.T) {
	// Not parallel: a few thousand connections are enough load for the
	// package's other tests to share the machine with.
	addr := tokenEndpoint(t, func(o *server.Options) { o.BodyTimeout = 2 * time.Second })
	const holders, attackers, workers = 500, 2000, 16

	held := make([]net.Conn, 0, holders)
	t.Cleanup(func() {
		for _, c := range held {
			c.Close()
		}
	})
	for range holders {
		c, err := stall(addr, goodToken)
		if err != nil {
			t.Fatalf("opening stalled connection %d: %v", len(held), err)
		}
		held = append(held, c)
	}

	var made, refused atomic.Int32
	var failMu sync.Mutex
	var failure error
	underWay := make(chan struct{}) // closed once the attack is well under way or over
	var underWayOnce sync.Once
	goodDone := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if made.Load() >= attackers {
					select {
					case <-goodDone:
						return
					default: // keep attacking until the good client is done
					}
				}
				n := made.Add(1)
				if n == attackers/4 {
					underWayOnce.Do(func() { close(underWay) })
				}
				c, err := stall(addr, "")
				if err == nil {
					var status string
					status, err = answerAndClose(c, time.Now().Add(liveness))
					if err == nil && !strings.Contains(status, " 401 ") {
						err = fmt.Errorf("got %q; want 401", status)
					}
				}
				if err != nil {
					failMu.Lock()
					failure = errors.Join(failure, fmt.Errorf("stalled client without the token: %w", err))
					failMu.Unlock()
					underWayOnce.Do(func() { close(underWay) })
					return
				}
				refused.Add(1)
			}
		}()
	}

	<-underWay
	client := &http.Client{Timeout: liveness}
	req, _ := http.NewRequest("POST", "http://"+addr+"/v1/chat/completions",
		strings.NewReader(`{"model":"deepseek-flash","messages":[{"role":"user","content":"hi"}]}`))
	req.Header.Set("Authorization", "Bearer "+goodToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	close(goodDone)
	if err != nil {
		t.Errorf("the client with the token got no answer during the attack: %v", err)
	} else {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), "Hello from deepseek") {
			t.Errorf("the client with the token got %d %s; want 200 and the answer", resp.StatusCode, body)
		}
	}
	wg.Wait()
	if failure != nil {
		t.Errorf("after %d refusals: %v", refused.Load(), failure)
	}
	if refused.Load() < attackers {
		t.Errorf("%d stalled clients without the token were refused; want at least %d", refused.Load(), attackers)
	}

	cut, deadline := 0, time.Now().Add(liveness)
	for i, c := range held {
		status, err := answerAndClose(c, deadline)
		if err != nil || !strings.Contains(status, " 408 ") {
			t.Errorf("stalled client %d with the token: got %q, %v; want 408 and a closed connection after the body deadline", i, status, err)
			if i > 5 {
				break
			}
			continue
		}
		cut++
	}
	if cut != holders {
		t.Errorf("%d of %d stalled clients with the token were cut off", cut, holders)
	}
}

// TestRefusalDoesNotWaitForBody: a refused request gets its answer while
// its body is still on its way, and the connection is closed rather than
// drained.
func TestRefusalDoesNotWaitForBody(t *testing.T) {
	t.Parallel()
	addr := tokenEndpoint(t, nil)
	c, err := stall(addr, "tc-wrong")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(liveness))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer while the body is pending: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 401 || !resp.Close || !strings.Contains(string(body), `"invalid_api_key"`) {
		t.Errorf("got %d close=%v %s; want 401 in the envelope with Connection: close", resp.StatusCode, resp.Close, body)
	}
	if _, err := c.Read(make([]byte, 1)); err != io.EOF && !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("after the refusal the connection read %v; want EOF (closed by the server)", err)
	}
}

// TestSlowBodyBelowMinimumRateIsCut: a client with the token that sends
// its body a few bytes at a time, slower than the minimum rate, is cut off
// with a 408 instead of holding its connection for as long as it likes.
func TestSlowBodyBelowMinimumRateIsCut(t *testing.T) {
	t.Parallel()
	addr := tokenEndpoint(t, func(o *server.Options) {
		o.BodyTimeout = 200 * time.Millisecond
		o.MinBodyRate = 1000 // bytes per second; the client sends about 100
	})
	c, err := stall(addr, goodToken)
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
			if _, err := c.Write([]byte(" ")); err != nil {
				return
			}
		}
	}()
	status, err := answerAndClose(c, time.Now().Add(liveness))
	close(stop)
	if err != nil || !strings.Contains(status, " 408 ") {
		t.Fatalf("got %q, %v; want 408 and a closed connection", status, err)
	}
}
