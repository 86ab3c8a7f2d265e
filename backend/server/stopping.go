package server

import (
	"context"
	"errors"
	"net/http"

	"thinkcloud/backend/gateway"
)

// ErrStopping is the cause of a request's context when the endpoint stops
// under it (Quit, the tray's switch, a settings change). A stream then
// ends with an error event the client can read, not a connection reset
// after the server's grace period.
var ErrStopping = errors.New("the local endpoint is stopping")

// withStop gives every request a context that ends, with cause
// ErrStopping, when stop ends.
func withStop(stop context.Context, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithCancelCause(r.Context())
		defer cancel(nil)
		done := context.AfterFunc(stop, func() { cancel(ErrStopping) })
		defer done()
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// stopping reports whether r's context ended because the endpoint is
// stopping.
func stopping(r *http.Request) bool {
	return errors.Is(context.Cause(r.Context()), ErrStopping)
}

// clientGone reports whether the client left: its request's context
// ended for any reason but the endpoint stopping. A stream whose client
// is gone gets no more events; one cut by a stop gets an error event.
func clientGone(r *http.Request) bool {
	return r.Context().Err() != nil && !stopping(r)
}

// streamFailure is the error event for a stream that broke off: the
// endpoint stopping, else the provider's stream failing with err.
func streamFailure(r *http.Request, provider string, err error) *gateway.Error {
	if stopping(r) {
		return &gateway.Error{Status: 503, Type: "server_error", Code: "endpoint_stopping", Provider: provider,
			Message: "ThinkCloud's local endpoint stopped (the app quit or the endpoint was switched off) before the answer finished; the answer is incomplete"}
	}
	return gateway.StreamFailure(provider, err)
}
