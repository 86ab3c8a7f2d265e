package gateway

import (
	"errors"
	"fmt"
	"io"
	"net/http"
)

// RedirectError is a provider's 3xx answer, which the transport refuses
// to hand on: an API gateway never follows a redirect. A 307 or 308
// would post the prompt and the key again to wherever it points (by
// net/http's rules even from https to http on the same host, in clear
// text), a 302 would become a GET whose answer passes for the reply, and
// a loop would cost a request per hop.
type RedirectError struct {
	// Status is the provider's 3xx status.
	Status int
	// Host is the host[:port] the Location header points at; "" when
	// there is none. Never the path or query, which may hold secrets.
	Host string
}

func (e *RedirectError) Error() string {
	to := "without a Location"
	if e.Host != "" {
		to = "pointing to " + e.Host
	}
	return fmt.Sprintf("answered %d %s, a redirect %s; ThinkCloud never follows a provider's redirects (they would carry the prompt and the key elsewhere): check the base URL",
		e.Status, http.StatusText(e.Status), to)
}

// noRedirects is the upstream transport: an http.Transport whose 3xx
// answers become *RedirectError. Refusing here, not in a client's
// CheckRedirect, covers every client built over NewTransport: chat calls
// of both doors, model lists and `keys test`.
type noRedirects struct {
	*http.Transport
}

func (t noRedirects) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.Transport.RoundTrip(req)
	if err != nil || resp.StatusCode < 300 || resp.StatusCode > 399 {
		return resp, err
	}
	e := &RedirectError{Status: resp.StatusCode}
	if loc, err := resp.Location(); err == nil {
		e.Host = loc.Host
	}
	io.CopyN(io.Discard, resp.Body, 4<<10) // a short body: keep the connection
	resp.Body.Close()
	return nil, e
}

// redirected is the client's error for a refused redirect, or nil.
func redirected(provider string, err error) *Error {
	re, ok := asRedirect(err)
	if !ok {
		return nil
	}
	return &Error{Status: 502, Type: "server_error", Code: "upstream_redirect", Provider: provider,
		Message: provider + " " + re.Error(),
		// It will redirect again: neither we nor the SDKs should retry.
		Header: http.Header{"X-Should-Retry": {"false"}}}
}

func asRedirect(err error) (*RedirectError, bool) {
	var re *RedirectError
	return re, errors.As(err, &re)
}
