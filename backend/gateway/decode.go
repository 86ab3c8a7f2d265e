package gateway

import (
	"encoding/json"
	"errors"
)

// Delta is what one chunk of an answer adds.
type Delta struct {
	// Content is answer text; Reasoning is thinking text, whichever
	// spelling the provider used (reasoning_content, reasoning, or a
	// leading <think> block in the content).
	Content, Reasoning string
	// ToolCalls are pieces of tool calls, as chat completions streams them:
	// the first piece of a call has its index, id and name, later ones add
	// to its arguments. A whole body has each call in one piece.
	ToolCalls []ToolCallDelta
	// FinishReason is why the answer ended ("stop", "length",
	// "tool_calls", …); "" until the last chunk.
	FinishReason string
	// Usage is the token count, wherever the provider put it; nil when the
	// chunk has none.
	Usage *Usage
	// Err is the provider's own error event: the answer ends with it.
	Err error
}

// Decoder turns a provider's stream chunks (or a whole non-streaming body)
// into Deltas. It is the one place that knows where providers put
// reasoning and usage; both doors and the window read answers through it
// or through InspectChunk, which it uses for usage. The zero value is
// ready to use; a Decoder holds state across chunks (a <think> tag may be
// split) and serves one answer.
type Decoder struct {
	think thinkSplitter
}

// ToolCallDelta is one piece of a tool call.
type ToolCallDelta struct {
	// Index tells the calls of one answer apart.
	Index int
	// ID and Name come with a call's first piece.
	ID, Name string
	// Arguments is the next part of the call's JSON arguments.
	Arguments string
}

type wireToolCall struct {
	Index    int    `json:"index"`
	ID       string `json:"id"`
	Function struct {
		Name      string `json:"name"`
		Arguments string `json:"arguments"`
	} `json:"function"`
}

// wireChunk is the part of a chunk the Decoder reads: deltas (streams) or
// messages (whole bodies), both reasoning spellings, and an error event.
type wireChunk struct {
	Choices []struct {
		Delta        wireText `json:"delta"`
		Message      wireText `json:"message"`
		FinishReason string   `json:"finish_reason"`
	} `json:"choices"`
	Error *struct {
		Message string `json:"message"`
	} `json:"error"`
}

type wireText struct {
	Content          string         `json:"content"`
	ReasoningContent string         `json:"reasoning_content"`
	Reasoning        string         `json:"reasoning"`
	ToolCalls        []wireToolCall `json:"tool_calls"`
}

// Decode reads one chunk. ok is false for a chunk that is not JSON, which
// is not worth failing an answer over.
func (d *Decoder) Decode(data []byte) (delta Delta, ok bool) {
	var c wireChunk
	if !scanChunk(data, &c) {
		c = wireChunk{}
		if json.Unmarshal(data, &c) != nil {
			return Delta{}, false
		}
	}
	if c.Error != nil {
		return Delta{Err: errors.New(c.Error.Message)}, true
	}
	var content, reasoning string
	for _, ch := range c.Choices {
		for _, t := range []wireText{ch.Delta, ch.Message} {
			content += t.Content
			reasoning += t.ReasoningContent + t.Reasoning
			for _, tc := range t.ToolCalls {
				delta.ToolCalls = append(delta.ToolCalls, ToolCallDelta{Index: tc.Index, ID: tc.ID, Name: tc.Function.Name, Arguments: tc.Function.Arguments})
			}
		}
		if ch.FinishReason != "" {
			delta.FinishReason = ch.FinishReason
		}
	}
	c2, r2 := d.think.feed(content)
	delta.Content, delta.Reasoning = c2, reasoning+r2
	delta.Usage = InspectChunk(data).Usage
	return delta, true
}

// Flush releases text held back in case it was the start of a <think>
// tag, once it can no longer be one. Call it when no chunk came for a
// while (the window does, every batch).
func (d *Decoder) Flush() (content, reasoning string) { return d.think.flush() }

// End releases everything held back; call it when the answer ends.
func (d *Decoder) End() (content, reasoning string) { return d.think.end() }
