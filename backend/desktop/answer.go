package desktop

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/gateway"
	"thinkcloud/backend/history"
)

// answer is one streaming assistant reply: it reads provider events,
// batches text to the window, and saves progress to history.
type answer struct {
	svc      *ChatService
	hist     *history.Store
	streamID string
	convID   string
	msgID    string
	model    catalog.Model

	seq                int
	content, reasoning strings.Builder
	pendC, pendR       strings.Builder
	think              thinkSplitter
	start              time.Time
	first, answerStart time.Time
	chunks             int
	usage              *gateway.Usage
}

// piece is what the reader goroutine hands to the batching loop.
type piece struct {
	content, reasoning string
	usage              *gateway.Usage
	err                error // terminal: nil with done=true means [DONE]
	done               bool
}

func (a *answer) run(ctx context.Context, body []byte) {
	a.start = time.Now()
	call, e := a.svc.core.Router.Prepare(body)
	if e != nil {
		a.fail(e)
		return
	}
	up := gateway.NewCallContext(ctx) // Stop ends it, except after [DONE]
	resp, e := a.svc.core.Router.Send(up.Context(), call)
	if e != nil {
		up.Release()
		if ctx.Err() != nil {
			a.stopped()
			return
		}
		a.fail(e)
		return
	}
	stream := a.svc.core.Router.OpenStream(resp.Body, up)
	defer stream.Close()
	pieces := make(chan piece, 64)
	go readPieces(ctx, stream, pieces)

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
				a.append(a.think.end())
				a.flush()
				switch {
				case ctx.Err() != nil:
					a.stopped()
				case p.err != nil:
					a.fail(streamFailure(a.model.Provider, p.err))
				default:
					a.complete()
				}
				return
			}
			a.add(p)
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

// readPieces decodes provider chunks. It ends with a done piece.
func readPieces(ctx context.Context, s *gateway.Stream, out chan<- piece) {
	for {
		ev, err := s.Next()
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			out <- piece{done: true, err: err}
			return
		}
		if ev.Comment {
			continue
		}
		var c chunk
		if jerr := json.Unmarshal(ev.Data, &c); jerr != nil {
			continue // a chunk we cannot read is not worth failing the answer
		}
		if c.Error != nil {
			out <- piece{done: true, err: errors.New(c.Error.Message)}
			return
		}
		p := piece{usage: c.Usage}
		for _, ch := range c.Choices {
			p.content += ch.Delta.Content
			p.reasoning += ch.Delta.ReasoningContent + ch.Delta.Reasoning
			if p.usage == nil && ch.Usage != nil {
				p.usage = ch.Usage // Kimi puts stream usage here
			}
		}
		select {
		case out <- p:
		case <-ctx.Done():
			out <- piece{done: true}
			return
		}
	}
}

// chunk is the part of a stream chunk the chat reads: both reasoning
// spellings (reasoning_content from DeepSeek/Kimi/Qwen, reasoning from
// Cerebras) and usage at either place.
type chunk struct {
	Choices []struct {
		Delta struct {
			Content          string `json:"content"`
			ReasoningContent string `json:"reasoning_content"`
			Reasoning        string `json:"reasoning"`
		} `json:"delta"`
		Usage *gateway.Usage `json:"usage"`
	} `json:"choices"`
	Usage *gateway.Usage `json:"usage"`
	Error *struct {
		Message string `json:"message"`
	} `json:"error"`
}

func (a *answer) add(p piece) {
	if p.usage != nil {
		a.usage = p.usage
	}
	c, r := a.think.feed(p.content)
	r = p.reasoning + r
	if c == "" && r == "" {
		return
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
	a.append(a.think.flush())
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
	})
	if err != nil {
		a.svc.core.Logger().Error("answer not saved", "conversation", a.convID, "message", a.msgID, "error", err)
		return st, err.Error()
	}
	return st, ""
}

func (a *answer) complete() {
	st, saveErr := a.finish(history.StatusComplete, ChatError{})
	a.send(StreamEvent{Kind: KindDone, Usage: a.usageView(), Stats: &st, SaveError: saveErr})
}

func (a *answer) stopped() {
	a.flush()
	st, saveErr := a.finish(history.StatusStopped, ChatError{})
	a.send(StreamEvent{Kind: KindDone, Usage: a.usageView(), Stats: &st, SaveError: saveErr,
		Error: &ChatError{Kind: ErrStopped, Message: "Stopped", Provider: a.model.Provider}})
}

func (a *answer) fail(e *gateway.Error) {
	ce := classify(e, a.model.Provider)
	st, saveErr := a.finish(history.StatusError, ce)
	a.send(StreamEvent{Kind: KindError, Usage: a.usageView(), Stats: &st, Error: &ce, SaveError: saveErr})
}

func streamFailure(provider string, err error) *gateway.Error {
	if errors.Is(err, gateway.ErrIdle) {
		return &gateway.Error{Status: 504, Provider: provider, Message: provider + " sent nothing for too long; the answer is incomplete"}
	}
	return &gateway.Error{Status: 502, Provider: provider, Message: provider + " stream broke off: " + err.Error()}
}

// classify puts a gateway error into the kinds the window knows.
func classify(e *gateway.Error, provider string) ChatError {
	kind := ErrOther
	text := strings.ToLower(e.Code + " " + e.Type + " " + e.Message)
	switch {
	case e.Code == "missing_provider_key":
		kind = ErrNoKey
	case e.Status == 401 || (e.Status == 403 && e.Code != "provider_disabled"):
		kind = ErrInvalidKey
	case e.Status == 402 || strings.Contains(text, "quota") || strings.Contains(text, "balance"):
		kind = ErrInsufficientBalance
	case e.Status == 429:
		kind = ErrRateLimited
	case e.Status == 502:
		kind = ErrUnreachable
	case e.Status == 504:
		kind = ErrTimeout
	case e.Status == 400 || e.Status == 404 || e.Status == 413 || e.Status == 422:
		kind = ErrBadRequest
	}
	return ChatError{Kind: kind, Message: e.Message, Provider: provider}
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
