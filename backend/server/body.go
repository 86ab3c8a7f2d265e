package server

import (
	"errors"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"

	"thinkcloud/backend/gateway"
	"thinkcloud/backend/usage"
)

// Defaults of Options.BodyTimeout and Options.MinBodyRate.
const (
	defaultBodyTimeout = 10 * time.Second
	defaultMinBodyRate = 32 << 10
)

// readBody reads a request body under a deadline: BodyTimeout for the
// first bytes, plus the time the bytes received so far would take at
// MinBodyRate. A client that sends headers and part of a body and then
// goes silent (or trickles) would otherwise hold its connection, and a
// goroutine, forever. A large body sent at any sensible rate is never cut.
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request) ([]byte, *gateway.Error) {
	grace, rate := h.opts.BodyTimeout, h.opts.MinBodyRate
	if grace <= 0 {
		grace = defaultBodyTimeout
	}
	if rate <= 0 {
		rate = defaultMinBodyRate
	}
	rc := http.NewResponseController(w)
	d := &deadlineReader{r: http.MaxBytesReader(w, r.Body, MaxBodyBytes), rc: rc, start: time.Now(), grace: grace, rate: rate}
	d.extend()
	body, err := io.ReadAll(d)
	// From here on net/http reads the connection only to notice a client
	// that leaves, which must work for as long as an answer streams.
	rc.SetReadDeadline(time.Time{})
	if err == nil {
		return body, nil
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, &gateway.Error{Status: 413, Type: "invalid_request_error", Code: "request_too_large",
			Message: "Request body is larger than " + strconv.Itoa(MaxBodyBytes>>20) + " MiB"}
	case errors.Is(err, os.ErrDeadlineExceeded):
		return nil, &gateway.Error{Status: 408, Type: "invalid_request_error", Code: "request_timeout",
			Message: "The request body did not arrive in time (" + strconv.Itoa(len(body)) + " bytes received); send it at once, not in a trickle"}
	}
	return nil, gateway.InvalidRequest("", "could not read the request body: "+err.Error())
}

// deadlineReader moves the connection's read deadline as a body arrives.
type deadlineReader struct {
	r     io.Reader
	rc    *http.ResponseController
	start time.Time
	grace time.Duration
	rate  int
	n     int64
}

func (d *deadlineReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if n > 0 {
		d.n += int64(n)
		d.extend()
	}
	return n, err
}

func (d *deadlineReader) extend() {
	allowance := time.Duration(float64(d.n) / float64(d.rate) * float64(time.Second))
	d.rc.SetReadDeadline(d.start.Add(d.grace + allowance)) // not supported by test recorders: no deadline there
}

// bodyTracker notes whether a request body was read to its end, and
// feeds what it reads to the input's token estimate.
type bodyTracker struct {
	io.ReadCloser
	eof bool
	est *usage.Counter
}

func (b *bodyTracker) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.est.Add(p[:n])
	if err == io.EOF {
		b.eof = true
	}
	return n, err
}

// trackBody lets the recorder tell, when the answer starts, whether the
// request body is still unread.
func (rec *recorder) trackBody(r *http.Request) {
	if r.Body == nil || r.Body == http.NoBody {
		return
	}
	rec.body = &bodyTracker{ReadCloser: r.Body, est: &rec.in}
	r.Body = rec.body
}

// beforeHeader runs once, just before the status line is written. An
// answer given while the request body is unread (a refusal by the guards,
// an unknown route, a body that did not arrive in time) closes the
// connection instead of letting net/http drain the rest of the body
// first: a client that stops sending would otherwise never get its
// answer and hold the connection for good, before any authentication.
func (rec *recorder) beforeHeader() {
	if rec.headerDone {
		return
	}
	rec.headerDone = true
	if rec.body == nil || rec.body.eof {
		return
	}
	rec.Header().Set("Connection", "close")
	// net/http still reads a little of the body after the handler to
	// reuse the connection; with the deadline passed, that read ends at
	// once and the connection is closed.
	http.NewResponseController(rec.ResponseWriter).SetReadDeadline(time.Now())
}
