package desktop

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"thinkcloud/backend/gateway"
	"thinkcloud/backend/history"
	"thinkcloud/backend/usage"
)

// answer is one streaming assistant reply: it reads provider events,
// batches text to the window, and saves progress to history.
type answer struct {
	svc      *ChatService
	hist     *history.Store
	streamID string
	convID   string
	msgID    string
	provider string
	asked    string // the model name the user picked
	ran      string // "provider/upstream-id" of the model that answered
	// autoTitle is the title a new conversation got from its first
	// message; "" for a later turn. Once the answer completes, the title
	// model may replace it.
	autoTitle string

	seq                int
	content, reasoning strings.Builder
	pendC, pendR       strings.Builder
	dec                gateway.Decoder
	start              time.Time
	first, answerStart time.Time
	chunks             int
	usage              *gateway.Usage
	// For the request log: the model asked for, the upstream attempts,
	// and the status a door would have answered with.
	model    string
	attempts *atomic.Int32
	moves    *atomic.Int32 // to a chain's next model
	status   int
	errKind  string
}

// piece is what the reader goroutine hands to the batching loop.
type piece struct {
	data []byte // one chunk
	err  error  // terminal: nil with done=true means [DONE]
	done bool
}

func (a *answer) run(ctx context.Context, t gateway.Turn) {
	a.start = time.Now()
	ctx, a.attempts = gateway.CountAttempts(ctx)
	ctx, a.moves = gateway.CountFallbacks(ctx)
	stream, ran, e := a.svc.core.OpenTurnAs(ctx, t) // Stop ends it, except after [DONE]
	if e == nil {
		a.provider, a.ran = ran.Provider, ran.Provider+"/"+ran.Upstream
	}
	if e != nil {
		if ctx.Err() != nil {
			a.stopped()
			return
		}
		a.fail(e)
		return
	}
	defer stream.Close()
	pieces := make(chan piece, 64)
	quit := make(chan struct{})
	defer close(quit)
	go readPieces(ctx, stream, pieces, quit)

	batch := time.NewTicker(orDefault(a.svc.BatchInterval, 30*time.Millisecond))
	defer batch.Stop()
	save := time.NewTicker(orDefault(a.svc.SaveInterval, time.Second))
	defer save.Stop()
	// Saving a long answer takes a while (the search index is rewritten
	// with it), so it runs beside this loop: text keeps reaching the window
	// meanwhile. One save at a time, a tick that finds one running is
	// skipped, and run returns only after the last one has ended.
	saving := make(chan struct{}, 1)
	defer func() { saving <- struct{}{} }()
	saveStreaming := a.svc.saveStreaming
	if saveStreaming == nil {
		saveStreaming = a.hist.UpdateStreaming
	}
	for {
		select {
		case p := <-pieces:
			if p.done {
				a.append(a.dec.End())
				a.flush()
				switch {
				case ctx.Err() != nil:
					a.stopped()
				case p.err != nil:
					a.fail(gateway.StreamFailure(a.provider, p.err))
				default:
					a.complete()
				}
				return
			}
			if !a.add(p.data) {
				return
			}
		case <-batch.C:
			a.flush()
		case <-save.C:
			select {
			case saving <- struct{}{}:
				content, reasoning := a.content.String(), a.reasoning.String()
				go func() {
					defer func() { <-saving }()
					saveStreaming(context.WithoutCancel(ctx), a.msgID, content, reasoning)
				}()
			default:
			}
		}
	}
}

// readPieces hands the stream's events to the batching loop as they come.
// It ends with a done piece, or when quit closes (the loop has ended).
func readPieces(ctx context.Context, s *gateway.Stream, out chan<- piece, quit <-chan struct{}) {
	send := func(p piece) bool {
		select {
		case out <- p:
			return true
		case <-quit:
			return false
		}
	}
	for {
		ev, err := s.Next()
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			send(piece{done: true, err: err})
			return
		}
		if ev.Comment {
			continue
		}
		if ctx.Err() != nil {
			send(piece{done: true})
			return
		}
		// ev.Data is the reader's buffer until the next Next.
		if !send(piece{data: bytes.Clone(ev.Data)}) {
			return
		}
	}
}

// add decodes one chunk into the answer. It reports false when the
// chunk was the provider's error event, which ends the answer.
func (a *answer) add(data []byte) bool {
	d, ok := a.dec.Decode(data)
	if !ok {
		return true // a chunk we cannot read is not worth failing the answer
	}
	if d.Err != nil {
		a.append(a.dec.End())
		a.flush()
		a.fail(gateway.StreamFailure(a.provider, d.Err))
		return false
	}
	if d.Usage != nil {
		a.usage = d.Usage
	}
	c, r := d.Content, d.Reasoning
	if c == "" && r == "" {
		return true
	}
	now := time.Now()
	if a.first.IsZero() {
		a.first = now
	}
	if c != "" && a.answerStart.IsZero() {
		a.answerStart = now
	}
	a.chunks++
	a.append(c, r)
	return true
}

// append adds text to the answer and to what the next event will carry.
func (a *answer) append(content, reasoning string) {
	a.content.WriteString(content)
	a.pendC.WriteString(content)
	a.reasoning.WriteString(reasoning)
	a.pendR.WriteString(reasoning)
}

// flush sends what arrived since the last event.
func (a *answer) flush() {
	a.append(a.dec.Flush())
	if a.pendR.Len() > 0 {
		a.send(StreamEvent{Kind: KindReasoning, Text: a.pendR.String()})
		a.pendR.Reset()
	}
	if a.pendC.Len() > 0 {
		a.send(StreamEvent{Kind: KindDelta, Text: a.pendC.String()})
		a.pendC.Reset()
	}
}

func (a *answer) send(ev StreamEvent) {
	a.seq++
	ev.StreamID, ev.ConversationID, ev.MessageID, ev.Seq = a.streamID, a.convID, a.msgID, a.seq
	Topics.ChatStream.Emit(a.svc.emit, ev)
}

func (a *answer) stats() StatsView {
	end := time.Now()
	st := StatsView{TotalMs: end.Sub(a.start).Milliseconds()}
	if !a.first.IsZero() {
		st.TTFTMs = a.first.Sub(a.start).Milliseconds()
		tokens := float64(a.chunks)
		if a.usage != nil && a.usage.CompletionTokens > 0 {
			tokens = float64(a.usage.CompletionTokens)
		}
		if secs := end.Sub(a.first).Seconds(); secs > 0 {
			st.TokensPerSec = tokens / secs
		}
	}
	if !a.first.IsZero() && a.reasoning.Len() > 0 {
		stop := a.answerStart
		if stop.IsZero() {
			stop = end
		}
		st.ReasoningMs = stop.Sub(a.first).Milliseconds()
	}
	return st
}

func (a *answer) usageView() *UsageView {
	if a.usage == nil {
		return nil
	}
	return &UsageView{PromptTokens: int64(a.usage.PromptTokens), CompletionTokens: int64(a.usage.CompletionTokens)}
}

// finish saves the final state, with the error's text and kind when the
// answer failed; it must survive a cancelled stream context. A failed save
// is returned as text for the window: the answer is on screen, not on disk.
func (a *answer) finish(status history.Status, fail ChatError) (StatsView, string) {
	st := a.stats()
	u := history.Usage{}
	if a.usage != nil {
		u = history.Usage{PromptTokens: int64(a.usage.PromptTokens), CompletionTokens: int64(a.usage.CompletionTokens)}
	}
	err := a.hist.Finish(context.WithoutCancel(a.svc.base), a.msgID, history.Final{
		Status: status, Content: a.content.String(), Reasoning: a.reasoning.String(), Usage: u,
		Error: fail.Message, ErrorKind: fail.Kind,
		Stats: history.Stats{FirstTokenMs: st.TTFTMs, TokensPerSecond: st.TokensPerSec, ReasoningMs: st.ReasoningMs},
		Model: a.ranOther(), Provider: a.provider,
	})
	a.record(status)
	if err != nil {
		a.svc.core.Logger().Error("answer not saved", "conversation", a.convID, "message", a.msgID, "error", err)
		return st, err.Error()
	}
	return st, ""
}

// ranOther is the model that answered when it is not the one asked (an
// alias, a chain that fell back), for the history; "" otherwise.
func (a *answer) ranOther() string {
	if a.ran == "" || a.ran == a.asked || strings.HasSuffix(a.ran, "/"+a.asked) {
		return ""
	}
	return a.ran
}

// record hands the answer's row to the request log (it never blocks).
// Without usage from the provider the output is estimated from the text
// and the row says so; the prompt is not re-read for an estimate.
func (a *answer) record(status history.Status) {
	ran := a.model
	if other := a.ranOther(); other != "" {
		ran = other // "provider/upstream": an alias's model, or a fallback
	}
	r := usage.Record{At: a.start, Model: ran, ModelAsked: a.asked, Provider: a.provider, Status: a.status, ErrorKind: a.errKind,
		Latency: time.Since(a.start)}
	if !a.first.IsZero() {
		r.TTFT = a.first.Sub(a.start)
	}
	switch {
	case status == history.StatusStopped:
		r.Status, r.ErrorKind = 499, "client_closed_request"
	case r.Status == 0:
		r.Status = 200
	}
	if a.attempts != nil {
		r.Retries = max(int(a.attempts.Load())-1, 0)
	}
	if a.moves != nil {
		r.Fallbacks = int(a.moves.Load())
	}
	if u := a.usage; u != nil {
		r.Input, r.Output, r.Reasoning, r.Cached = u.PromptTokens, u.CompletionTokens, u.ReasoningTokens, u.CachedTokens
	} else if a.content.Len()+a.reasoning.Len() > 0 {
		r.Output, r.Estimated = usage.Estimate(a.content.String())+usage.Estimate(a.reasoning.String()), true
	}
	a.svc.core.RecordWindow(r)
}

func (a *answer) complete() {
	st, saveErr := a.finish(history.StatusComplete, ChatError{})
	a.send(StreamEvent{Kind: KindDone, Usage: a.usageView(), Stats: &st, SaveError: saveErr, Model: a.ran})
	if a.autoTitle != "" && saveErr == "" {
		a.svc.nameConversation(a.convID, a.autoTitle)
	}
}

func (a *answer) stopped() {
	a.flush()
	st, saveErr := a.finish(history.StatusStopped, ChatError{})
	a.send(StreamEvent{Kind: KindDone, Usage: a.usageView(), Stats: &st, SaveError: saveErr, Model: a.ran,
		Error: &ChatError{Kind: ErrStopped, Message: "Stopped", Provider: a.provider}})
}

func (a *answer) fail(e *gateway.Error) {
	a.status, a.errKind = e.HTTPStatus(), e.Code
	if a.errKind == "" {
		a.errKind = e.Type
	}
	ce := classify(e, a.provider)
	st, saveErr := a.finish(history.StatusError, ce)
	a.send(StreamEvent{Kind: KindError, Usage: a.usageView(), Stats: &st, Error: &ce, SaveError: saveErr, Model: a.ran})
}

// classify puts a gateway error into the kinds the window knows.
func classify(e *gateway.Error, provider string) ChatError {
	return ChatError{Kind: e.Kind(), Message: e.Message, Provider: provider}
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
