package fakeupstream

import (
	"encoding/json"
	"net/http"
	"time"
)

// script is what a stream will say.
type script struct {
	reasoning []string // sent before content, one chunk each
	content   []string
	toolCalls bool           // trigger:tools: the get_weather call, streamed in pieces
	calls     []scriptedCall // trigger:call: these calls, each in two pieces (script.go)
	call      *toolCall      // a planned tool call (plan.go)
	delay     time.Duration  // between content chunks
	rate      float64        // >0: chunks (reasoning and content) per second, held to a schedule
	cutAfter  int            // >0: close after this many content chunks, no [DONE]
	idleAfter int            // >0: go silent after this many content chunks
	crlf      bool           // CRLF line ends and "data:" without a space
	midError  bool           // an error event after the first chunk
}

type streamWriter struct {
	w    http.ResponseWriter
	rc   *http.ResponseController
	f    *Fake
	c    chatReq
	s    script
	base map[string]any
}

func (sw *streamWriter) event(payload []byte) error {
	var err error
	if sw.s.crlf {
		_, err = sw.w.Write(append(append([]byte("data:"), payload...), "\r\n\r\n"...))
	} else {
		_, err = sw.w.Write(append(append([]byte("data: "), payload...), "\n\n"...))
	}
	if err != nil {
		return err
	}
	return sw.rc.Flush()
}

// chunk sends one chat.completion.chunk with the given delta and extras.
func (sw *streamWriter) chunk(delta map[string]any, finish any, extra map[string]any) error {
	choice := map[string]any{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": nil}
	for k, v := range extra {
		if k == "choice_usage" {
			choice["usage"] = v
			continue
		}
		sw.base[k] = v
	}
	sw.base["choices"] = []any{choice}
	if _, ok := sw.base["usage"]; !ok && sw.f.Kind == OpenAI && sw.c.StreamOptions != nil && sw.c.StreamOptions.IncludeUsage {
		sw.base["usage"] = nil // OpenAI's "usage": null on every chunk of a stream that asked for usage
	}
	b, _ := json.Marshal(sw.base)
	delete(sw.base, "usage")
	delete(sw.base, "time_info")
	return sw.event(b)
}

// stream writes an SSE answer the way the fake's provider does.
func (f *Fake) stream(w http.ResponseWriter, r *http.Request, c chatReq, s script) {
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(200)
	sw := &streamWriter{w: w, rc: http.NewResponseController(w), f: f, c: c, s: s,
		base: map[string]any{"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1700000000, "model": c.Model}}
	if f.Kind == DeepSeek {
		w.Write([]byte(": keep-alive\n\n"))
		sw.rc.Flush()
	}
	if err := f.writeStream(r, sw); err != nil {
		if r.Context().Err() != nil {
			f.cancelled.Add(1)
		}
		return
	}
	f.completed.Add(1)
}

func (f *Fake) writeStream(r *http.Request, sw *streamWriter) error {
	s := sw.s
	if err := sw.chunk(map[string]any{"role": "assistant", "content": ""}, nil, nil); err != nil {
		return err
	}
	field := "reasoning_content"
	if f.Kind == Cerebras {
		field = "reasoning"
	}
	pace := newPacer(s.rate, f.clock)
	for _, word := range s.reasoning {
		if err := pace.wait(r.Context()); err != nil {
			return err
		}
		if err := sw.chunk(map[string]any{field: word}, nil, nil); err != nil {
			return err
		}
	}
	if s.toolCalls || s.call != nil {
		if err := sw.tools(); err != nil {
			return err
		}
	}
	for i, c := range s.calls {
		if err := sw.call(i, c); err != nil {
			return err
		}
	}
	for i, piece := range s.content {
		if err := pace.wait(r.Context()); err != nil {
			return err
		}
		if s.delay > 0 {
			select {
			case <-time.After(s.delay):
			case <-r.Context().Done():
				return r.Context().Err()
			}
		}
		if err := sw.chunk(map[string]any{"content": piece}, nil, nil); err != nil {
			return err
		}
		if s.midError && i == 0 {
			return sw.event([]byte(`{"error":{"message":"Internal error while generating","type":"server_error","code":"internal_error"}}`))
		}
		if s.cutAfter > 0 && i+1 == s.cutAfter {
			panic(http.ErrAbortHandler) // drop the connection like a dying upstream
		}
		if s.idleAfter > 0 && i+1 == s.idleAfter {
			<-r.Context().Done()
			return r.Context().Err()
		}
	}
	return f.finish(sw)
}

// finish sends the final chunk, usage where the provider puts it, and
// [DONE].
func (f *Fake) finish(sw *streamWriter) error {
	reason := "stop"
	if sw.s.toolCalls || len(sw.s.calls) > 0 || sw.s.call != nil {
		reason = "tool_calls"
	}
	completion := len(sw.s.content) + len(sw.s.reasoning)
	usage := f.usage(9, completion)
	var extra map[string]any
	switch f.Kind {
	case Cerebras:
		extra = map[string]any{"usage": usage, "time_info": map[string]any{"queue_time": 0.0001, "completion_time": 0.01}}
	case Kimi:
		extra = map[string]any{"choice_usage": usage}
	}
	if err := sw.chunk(map[string]any{}, reason, extra); err != nil {
		return err
	}
	if sw.c.StreamOptions != nil && sw.c.StreamOptions.IncludeUsage && f.Kind != Cerebras && f.Kind != Kimi {
		sw.base["usage"] = usage
		sw.base["choices"] = []any{}
		b, _ := json.Marshal(sw.base)
		delete(sw.base, "usage")
		if err := sw.event(b); err != nil {
			return err
		}
	}
	return sw.event([]byte("[DONE]"))
}

// tools streams one tool call in pieces, as OpenAI does.
func (sw *streamWriter) tools() error {
	if c := sw.s.call; c != nil {
		half := len(c.Args) / 2
		for _, p := range []map[string]any{
			{"tool_calls": []any{map[string]any{"index": 0, "id": c.ID, "type": "function", "function": map[string]any{"name": c.Name, "arguments": ""}}}},
			{"tool_calls": []any{map[string]any{"index": 0, "function": map[string]any{"arguments": c.Args[:half]}}}},
			{"tool_calls": []any{map[string]any{"index": 0, "function": map[string]any{"arguments": c.Args[half:]}}}},
		} {
			if err := sw.chunk(p, nil, nil); err != nil {
				return err
			}
		}
		return nil
	}
	parts := []map[string]any{
		{"tool_calls": []any{map[string]any{"index": 0, "id": "call_fake1", "type": "function", "function": map[string]any{"name": "get_weather", "arguments": ""}}}},
		{"tool_calls": []any{map[string]any{"index": 0, "function": map[string]any{"arguments": `{"city":`}}}},
		{"tool_calls": []any{map[string]any{"index": 0, "function": map[string]any{"arguments": `"Paris"}`}}}},
	}
	for _, p := range parts {
		if err := sw.chunk(p, nil, nil); err != nil {
			return err
		}
	}
	return nil
}

// call streams a scripted call: its id and name, then its arguments.
func (sw *streamWriter) call(index int, c scriptedCall) error {
	first := map[string]any{"index": index, "id": c.id, "type": "function", "function": map[string]any{"name": c.name, "arguments": ""}}
	if err := sw.chunk(map[string]any{"tool_calls": []any{first}}, nil, nil); err != nil {
		return err
	}
	rest := map[string]any{"index": index, "function": map[string]any{"arguments": c.args}}
	return sw.chunk(map[string]any{"tool_calls": []any{rest}}, nil, nil)
}
