package anthropic

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"thinkcloud/backend/gateway"
)

// Event is one server-sent event of the Anthropic dialect.
type Event struct {
	Name string
	Data []byte
}

// StreamOptions describe the answer a Stream writes.
type StreamOptions struct {
	// ID is the message id ("msg_…").
	ID string
	// Model is the model that answers, as the client should see it.
	Model string
	// Provider signs thinking blocks with Key.
	Provider string
	Key      []byte
	// InputTokens is the estimate message_start carries; the provider's
	// count follows in message_delta.
	InputTokens int
	// Record keeps the whole answer for Message (non-streaming clients).
	Record bool
	// OmitThinking sends thinking blocks without their text, which their
	// signature carries instead (the client asked for display "omitted").
	OmitThinking bool
}

// Block kinds.
const (
	kindNone = iota
	kindText
	kindThinking
	kindTool
)

// Stream turns a provider's answer, read as gateway.Deltas, into the
// events the Anthropic SDKs and Claude Code parse: message_start once,
// each block's start, deltas and stop, message_delta with the stop
// reason and usage, message_stop. Reasoning becomes thinking blocks
// whose signature carries what is needed to send it back (signature.go).
type Stream struct {
	o        StreamOptions
	index    int // the open block's index; -1 before the first
	open     int // its kind
	toolCall int // the provider's index of the open tool call
	seen     map[int]bool
	thinking strings.Builder
	usedTool bool
	finish   string
	usage    *gateway.Usage
	blocks   []map[string]any // with Record: the answer so far
	args     strings.Builder  // with Record: the open tool call's arguments
}

// NewStream starts the translation of one answer.
func NewStream(o StreamOptions) *Stream {
	return &Stream{o: o, index: -1, seen: map[int]bool{}}
}

func event(name string, v any) Event {
	b, _ := json.Marshal(v)
	return Event{Name: name, Data: b}
}

type obj = map[string]any

// Start returns message_start and a ping, sent as soon as the provider
// accepted the call.
func (s *Stream) Start() []Event {
	msg := obj{"id": s.o.ID, "type": "message", "role": "assistant", "model": s.o.Model, "content": []any{},
		"stop_reason": nil, "stop_sequence": nil, "usage": obj{"input_tokens": s.o.InputTokens, "output_tokens": 0}}
	return []Event{event("message_start", obj{"type": "message_start", "message": msg}), Ping()}
}

// Ping is the event that keeps a client's read timeout at bay while the
// provider queues (it sends keep-alive comments meanwhile).
func Ping() Event { return Event{Name: "ping", Data: []byte(`{"type": "ping"}`)} }

// Delta translates one piece of the answer. A provider that interleaves
// the pieces of parallel tool calls cannot be followed (a closed block
// cannot reopen): that is an error, never a silently garbled call.
func (s *Stream) Delta(d gateway.Delta) ([]Event, error) {
	var out []Event
	if d.Reasoning != "" {
		out = s.ensure(out, kindThinking, nil)
		s.thinking.WriteString(d.Reasoning)
		if !s.o.OmitThinking {
			out = append(out, s.delta("thinking_delta", "thinking", d.Reasoning))
		}
	}
	if d.Content != "" {
		out = s.ensure(out, kindText, nil)
		s.record(func(b map[string]any) { b["text"] = b["text"].(string) + d.Content })
		out = append(out, s.delta("text_delta", "text", d.Content))
	}
	for _, tc := range d.ToolCalls {
		if s.open != kindTool || tc.Index != s.toolCall {
			if s.seen[tc.Index] {
				return out, fmt.Errorf("the provider interleaved the arguments of parallel tool calls (call %d resumed after another began)", tc.Index)
			}
			s.seen[tc.Index], s.usedTool = true, true
			id := tc.ID
			if id == "" {
				id = fmt.Sprintf("toolu_%s_%d", strings.TrimPrefix(s.o.ID, "msg_"), tc.Index)
			}
			out = s.ensure(out, kindTool, obj{"type": "tool_use", "id": id, "name": tc.Name, "input": obj{}})
			s.toolCall = tc.Index
		}
		if tc.Arguments != "" {
			s.args.WriteString(tc.Arguments)
			out = append(out, s.delta("input_json_delta", "partial_json", tc.Arguments))
		}
	}
	if d.FinishReason != "" {
		s.finish = d.FinishReason
	}
	if d.Usage != nil {
		s.usage = d.Usage
	}
	return out, nil
}

// ensure opens a block of kind unless one is open; start is the
// content_block of a tool call, which always opens a new block.
func (s *Stream) ensure(out []Event, kind int, start obj) []Event {
	if s.open == kind && kind != kindTool {
		return out
	}
	out = s.closeBlock(out)
	s.index++
	s.open = kind
	switch kind {
	case kindText:
		start = obj{"type": "text", "text": ""}
	case kindThinking:
		start = obj{"type": "thinking", "thinking": "", "signature": ""}
	}
	if s.o.Record {
		b := map[string]any{}
		for k, v := range start {
			b[k] = v
		}
		s.blocks = append(s.blocks, b)
	}
	return append(out, event("content_block_start", obj{"type": "content_block_start", "index": s.index, "content_block": start}))
}

// delta is a content_block_delta event whose delta has one field beside
// its type. It is written by hand, with the keys in the order
// json.Marshal gives a map (the goldens hold it to that), because it is
// the event of every chunk: marshalling maps was most of what the door
// cost per chunk.
func (s *Stream) delta(typ, field, value string) Event {
	b := make([]byte, 0, 80+len(value))
	b = append(b, `{"delta":{"`...)
	b = append(b, field...)
	b = append(b, `":`...)
	b = gateway.AppendJSONString(b, value, true)
	b = append(b, `,"type":"`...)
	b = append(b, typ...)
	b = append(b, `"},"index":`...)
	b = strconv.AppendInt(b, int64(s.index), 10)
	b = append(b, `,"type":"content_block_delta"}`...)
	return Event{Name: "content_block_delta", Data: b}
}

func (s *Stream) record(fn func(map[string]any)) {
	if s.o.Record && len(s.blocks) > 0 {
		fn(s.blocks[len(s.blocks)-1])
	}
}

// closeBlock ends the open block; a thinking block gets its signature
// first, as Anthropic sends it.
func (s *Stream) closeBlock(out []Event) []Event {
	switch s.open {
	case kindNone:
		return out
	case kindThinking:
		text := s.thinking.String()
		sig := Sign(s.o.Key, s.o.Provider, text)
		if s.o.OmitThinking {
			sig = SignCarrying(s.o.Key, s.o.Provider, text)
			text = ""
		}
		s.record(func(b map[string]any) { b["thinking"], b["signature"] = text, sig })
		s.thinking.Reset()
		out = append(out, s.delta("signature_delta", "signature", sig))
	case kindTool:
		args := s.args.String()
		s.record(func(b map[string]any) {
			if strings.TrimSpace(args) != "" {
				b["input"] = json.RawMessage(args)
			}
		})
		s.args.Reset()
	}
	s.open = kindNone
	return append(out, event("content_block_stop", obj{"type": "content_block_stop", "index": s.index}))
}

// End closes the answer after the provider's [DONE]: the last block,
// message_delta with the stop reason and the provider's usage, and
// message_stop.
func (s *Stream) End() []Event {
	out := s.closeBlock(nil)
	delta := obj{"stop_reason": s.StopReason(), "stop_sequence": nil}
	out = append(out, event("message_delta", obj{"type": "message_delta", "delta": delta, "usage": s.Usage()}))
	return append(out, event("message_stop", obj{"type": "message_stop"}))
}

// StopReason is Anthropic's word for why the answer ended.
func (s *Stream) StopReason() string {
	switch s.finish {
	case "length":
		return "max_tokens"
	case "tool_calls", "function_call":
		return "tool_use"
	case "content_filter":
		return "refusal"
	}
	if s.usedTool {
		return "tool_use" // some providers end a tool call with "stop"
	}
	return "end_turn"
}

// Usage is the provider's count in Anthropic's terms: input_tokens
// excludes what the prompt cache served, which cache_read_input_tokens
// counts. Before the provider counted, the estimate stands.
func (s *Stream) Usage() obj {
	if s.usage == nil {
		return obj{"input_tokens": s.o.InputTokens, "output_tokens": 0}
	}
	u := s.usage
	return obj{"input_tokens": u.PromptTokens - u.CachedTokens, "output_tokens": u.CompletionTokens,
		"cache_read_input_tokens": u.CachedTokens, "cache_creation_input_tokens": 0}
}

// Message is the whole answer as a non-streaming response; call it after
// End, on a Stream made with Record.
func (s *Stream) Message() ([]byte, error) {
	content := make([]any, 0, len(s.blocks))
	for _, b := range s.blocks {
		if in, ok := b["input"].(json.RawMessage); ok && !json.Valid(in) {
			return nil, fmt.Errorf("the provider sent tool call arguments that are not JSON: %.200s", in)
		}
		content = append(content, b)
	}
	return json.Marshal(obj{"id": s.o.ID, "type": "message", "role": "assistant", "model": s.o.Model, "content": content,
		"stop_reason": s.StopReason(), "stop_sequence": nil, "usage": s.Usage()})
}

// ErrorEvent is the event that ends a stream the provider broke off: a
// client must never take a cut answer for a complete one.
func ErrorEvent(e *gateway.Error) Event { return Event{Name: "error", Data: ErrorBody(e)} }
