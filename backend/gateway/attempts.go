package gateway

import (
	"context"
	"sync/atomic"
)

// counterKey names a counter Send adds to through the context, so the
// request log can say how a request went without Send's signature
// changing.
type counterKey int

const (
	attemptsKey counterKey = iota
	fallbacksKey
)

// CountAttempts returns a context under which Send counts every attempt it
// makes upstream into the returned counter (the log's retries).
func CountAttempts(ctx context.Context) (context.Context, *atomic.Int32) {
	return counting(ctx, attemptsKey)
}

// CountFallbacks returns a context under which Send counts every move to
// the next model of a chain (an alias's fallback) into the returned
// counter, for the request log's fallbacks column.
func CountFallbacks(ctx context.Context) (context.Context, *atomic.Int32) {
	return counting(ctx, fallbacksKey)
}

func counting(ctx context.Context, k counterKey) (context.Context, *atomic.Int32) {
	n := new(atomic.Int32)
	return context.WithValue(ctx, k, n), n
}

func bump(ctx context.Context, k counterKey) {
	if n, ok := ctx.Value(k).(*atomic.Int32); ok {
		n.Add(1)
	}
}

func countAttempt(ctx context.Context)  { bump(ctx, attemptsKey) }
func countFallback(ctx context.Context) { bump(ctx, fallbacksKey) }
