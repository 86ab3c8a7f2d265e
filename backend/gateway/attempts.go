package gateway

import (
	"context"
	"sync/atomic"
)

type attemptsKey struct{}

// CountAttempts returns a context under which Send counts every attempt it
// makes upstream into the returned counter, so the request log can say how
// many retries a request took without Send's signature changing.
func CountAttempts(ctx context.Context) (context.Context, *atomic.Int32) {
	n := new(atomic.Int32)
	return context.WithValue(ctx, attemptsKey{}, n), n
}

func countAttempt(ctx context.Context) {
	if n, ok := ctx.Value(attemptsKey{}).(*atomic.Int32); ok {
		n.Add(1)
	}
}
