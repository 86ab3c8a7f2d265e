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

type fallbacksKey struct{}

// CountFallbacks returns a context under which Send counts every move to
// the next model of a chain (an alias's fallback) into the returned
// counter, for the request log's fallbacks column.
func CountFallbacks(ctx context.Context) (context.Context, *atomic.Int32) {
	n := new(atomic.Int32)
	return context.WithValue(ctx, fallbacksKey{}, n), n
}

func countFallback(ctx context.Context) {
	if n, ok := ctx.Value(fallbacksKey{}).(*atomic.Int32); ok {
		n.Add(1)
	}
}
