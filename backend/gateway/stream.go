package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"sync/atomic"
	"time"
)

// ErrIdle is returned by Stream.Next when the provider went quiet for
// longer than the router's IdleTimeout.
var ErrIdle = errors.New("the provider sent nothing for too long")

// Stream reads a provider's SSE answer event by event and ends the
// request when the provider stops sending (even keep-alives).
type Stream struct {
	sse      *SSEReader
	body     io.ReadCloser
	timer    *time.Timer
	idle     time.Duration
	lastRead atomic.Int64 // unix nanoseconds of the last byte
	expired  atomic.Bool
	done     bool // Next returned io.EOF: the provider sent [DONE]
	up       *CallContext
	redact   func(string) string // Router.Redact, for error events
}

// OpenStream wraps a successful streaming response whose request ran in
// up's context (nil if it ran in another). Close it when done.
func (r *Router) OpenStream(body io.ReadCloser, up *CallContext) *Stream {
	idle := r.IdleTimeout
	if idle == 0 {
		idle = 2 * time.Minute
	}
	s := &Stream{body: body, idle: idle, up: up, redact: r.Redact}
	s.lastRead.Store(time.Now().UnixNano())
	// Reads only stamp the time; the timer checks the stamp when it fires
	// and re-arms for the rest, which is far cheaper than a Reset per read.
	// Closing the body is the one way to unblock a Read in progress.
	s.timer = time.AfterFunc(time.Hour, s.check)
	s.timer.Reset(idle) // after the assignment, so check always sees s.timer
	s.sse = NewSSEReader(readerFunc(func(p []byte) (int, error) {
		n, err := body.Read(p)
		if n > 0 {
			s.lastRead.Store(time.Now().UnixNano())
		}
		return n, err
	}))
	return s
}

func (s *Stream) check() {
	quiet := time.Since(time.Unix(0, s.lastRead.Load()))
	if quiet < s.idle {
		s.timer.Reset(s.idle - quiet)
		return
	}
	s.expired.Store(true)
	s.body.Close()
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// Next returns the next event: io.EOF after [DONE], ErrIdle after a
// silence, ErrStreamCut or a read error when the stream broke.
func (s *Stream) Next() (Event, error) {
	ev, err := s.sse.Next()
	ev = s.redactEvent(ev)
	if err != nil && err != io.EOF && s.expired.Load() {
		return ev, ErrIdle
	}
	if err == io.EOF && !s.done {
		s.done = true
		s.up.Keep() // a client that leaves now costs nothing: let the body end
	}
	return ev, err
}

// EventBuffered reports whether the next event can be read without waiting
// for the network.
func (s *Stream) EventBuffered() bool { return s.sse.EventBuffered() }

// Close stops the idle timer and closes the body, cancelling the upstream
// request if it is still running. After [DONE] the rest of the body (the
// end of the chunked encoding, usually already on its way) is read first,
// in the background: a body closed before its end makes the transport
// close the connection, and the next request would pay for a new one
// (a TCP and, with a real provider, a TLS handshake). At c=1 in the
// benchmark that happened to about one streamed request in five.
func (s *Stream) Close() error {
	s.timer.Stop()
	if s.sse != nil {
		s.sse.Release()
		s.sse = nil
	}
	if s.done {
		go func() {
			drain(s.body)
			s.up.Release()
		}()
		return nil
	}
	err := s.body.Close()
	s.up.Release()
	return err
}

// drainLimit and drainWait bound what Close reads after [DONE]: a provider
// that keeps sending, or never ends the body, loses its connection.
const (
	drainLimit = 64 << 10
	drainWait  = 2 * time.Second
)

// CallContext is the context of one provider request. It is cancelled the
// moment the caller's context is (a client that leaves must stop a request
// that costs money), until Keep is called after a complete answer: from
// then on only Release ends it, so the end of the body can still be read
// after the caller has returned and the connection kept for the next
// request. A nil *CallContext does nothing.
type CallContext struct {
	ctx    context.Context
	cancel context.CancelFunc
	stop   func() bool
}

// NewCallContext derives a provider request's context from parent.
// Release it when the request is over.
func NewCallContext(parent context.Context) *CallContext {
	ctx, cancel := context.WithCancel(context.WithoutCancel(parent))
	return &CallContext{ctx: ctx, cancel: cancel, stop: context.AfterFunc(parent, cancel)}
}

// Context is the context to send the request with.
func (u *CallContext) Context() context.Context { return u.ctx }

// Keep detaches the request from the caller's context.
func (u *CallContext) Keep() {
	if u != nil {
		u.stop()
	}
}

// Release ends the request and frees the context.
func (u *CallContext) Release() {
	if u != nil {
		u.stop()
		u.cancel()
	}
}

func drain(body io.ReadCloser) {
	t := time.AfterFunc(drainWait, func() { body.Close() })
	io.CopyN(io.Discard, body, drainLimit)
	t.Stop()
	body.Close()
}

// Usage is token accounting as providers report it. Raw keeps the whole
// object (DeepSeek's cache counters, Cerebras's time_info) for clients.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
	// CachedTokens is the part of PromptTokens served from the provider's
	// prompt cache, whichever spelling it used (OpenAI's
	// prompt_tokens_details.cached_tokens, DeepSeek's
	// prompt_cache_hit_tokens, Kimi's cached_tokens).
	CachedTokens int `json:"-"`
	// ReasoningTokens are completion tokens spent thinking
	// (completion_tokens_details.reasoning_tokens), where reported.
	ReasoningTokens int `json:"-"`
}

// wireUsage is every spelling of usage the providers send, read in one
// pass.
type wireUsage struct {
	PromptTokens        int `json:"prompt_tokens"`
	CompletionTokens    int `json:"completion_tokens"`
	TotalTokens         int `json:"total_tokens"`
	PromptCacheHit      int `json:"prompt_cache_hit_tokens"`
	CachedTokens        int `json:"cached_tokens"`
	PromptTokensDetails struct {
		CachedTokens int `json:"cached_tokens"`
	} `json:"prompt_tokens_details"`
	CompletionTokensDetails struct {
		ReasoningTokens int `json:"reasoning_tokens"`
	} `json:"completion_tokens_details"`
	// The Responses API's spelling (a /v1/responses body relayed as is).
	InputTokens        int `json:"input_tokens"`
	OutputTokens       int `json:"output_tokens"`
	InputTokensDetails struct {
		CachedTokens int `json:"cached_tokens"`
	} `json:"input_tokens_details"`
	OutputTokensDetails struct {
		ReasoningTokens int `json:"reasoning_tokens"`
	} `json:"output_tokens_details"`
}

// ChunkInfo is what the gateway looks at in a stream chunk or a
// non-streaming body: usage (wherever the provider put it) and whether
// the chunk is the usage-only one with empty choices.
type ChunkInfo struct {
	Usage     *Usage
	UsageRaw  json.RawMessage
	InChoice  bool // usage was in choices[0].usage (Kimi), not top level
	NoChoices bool // "choices": [] (or absent)
	ID        string
	Model     string
	Created   int64
	HasUsage  bool
}

var usageKey = []byte(`"usage"`)

// InspectChunk decodes the parts of data the gateway needs. Chunks without
// a "usage" key holding something other than null are not parsed at all:
// that is nearly every chunk, also from OpenAI, which sends "usage": null
// on every chunk of a stream whose client asked for usage.
func InspectChunk(data []byte) ChunkInfo {
	if !hasUsageValue(data) {
		return ChunkInfo{}
	}
	var c struct {
		ID      string          `json:"id"`
		Model   string          `json:"model"`
		Created int64           `json:"created"`
		Usage   json.RawMessage `json:"usage"`
		Choices []struct {
			Usage json.RawMessage `json:"usage"`
		} `json:"choices"`
	}
	if json.Unmarshal(data, &c) != nil {
		return ChunkInfo{}
	}
	info := ChunkInfo{ID: c.ID, Model: c.Model, Created: c.Created, NoChoices: len(c.Choices) == 0}
	raw := c.Usage
	if isNull(raw) && len(c.Choices) > 0 && !isNull(c.Choices[0].Usage) {
		raw, info.InChoice = c.Choices[0].Usage, true
	}
	if isNull(raw) {
		return info
	}
	var w wireUsage
	if json.Unmarshal(raw, &w) == nil {
		u := Usage{PromptTokens: max(w.PromptTokens, w.InputTokens), CompletionTokens: max(w.CompletionTokens, w.OutputTokens), TotalTokens: w.TotalTokens,
			CachedTokens:    max(w.PromptTokensDetails.CachedTokens, w.PromptCacheHit, w.CachedTokens, w.InputTokensDetails.CachedTokens),
			ReasoningTokens: max(w.CompletionTokensDetails.ReasoningTokens, w.OutputTokensDetails.ReasoningTokens)}
		info.Usage, info.UsageRaw, info.HasUsage = &u, append(json.RawMessage(nil), raw...), true
	}
	return info
}

// hasUsageValue reports whether data has a "usage" key whose value is not
// null, by a scan that allocates nothing. It may say yes for the word in
// a string (the decoder then finds no usage); it never says no for real
// usage.
func hasUsageValue(data []byte) bool {
	for rest := data; ; {
		i := bytes.Index(rest, usageKey)
		if i < 0 {
			return false
		}
		rest = rest[i+len(usageKey):]
		v := bytes.TrimLeft(rest, " \t\r\n")
		if len(v) == 0 || v[0] != ':' {
			continue // the word inside a string, not a key
		}
		v = bytes.TrimLeft(v[1:], " \t\r\n")
		if !bytes.HasPrefix(v, []byte("null")) {
			return true
		}
	}
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || bytes.Equal(raw, []byte("null"))
}

// Open sends a streaming call and returns its stream once the provider
// accepted it. The provider request ends with ctx, except after a
// complete answer (see CallContext); Close the stream when done.
func (r *Router) Open(ctx context.Context, call *Call) (*Stream, *Error) {
	up := NewCallContext(ctx)
	resp, e := r.Send(up.Context(), call)
	if e != nil {
		up.Release()
		return nil, e
	}
	return r.OpenStream(resp.Body, up), nil
}
