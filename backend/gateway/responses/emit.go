package responses

// The Translator's writing side: opening and closing output items with
// their events, and encoding each event with its sequence number.

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"thinkcloud/backend/gateway"
)

func (t *Translator) add(o *outItem) error {
	prefix := map[string]string{TypeMessage: "msg_tc_", TypeReasoning: "rs_tc_", TypeFunctionCall: "fc_tc_", TypeCustomCall: "ctc_tc_", TypeLocalShellCall: "lsh_tc_"}[o.typ]
	o.id, o.index = t.o.NewID(prefix), len(t.items)
	t.items = append(t.items, o)
	return t.event("response.output_item.added", nil, map[string]any{"output_index": o.index, "item": o.wire(false)})
}

func (t *Translator) partAdded(o *outItem) error {
	switch {
	case o.typ == TypeMessage:
		return t.event("response.content_part.added", o, map[string]any{"content_index": 0, "part": textPart("")})
	case o.asSum:
		return t.event("response.reasoning_summary_part.added", o, map[string]any{"summary_index": 0, "part": map[string]any{"type": PartSummaryText, "text": ""}})
	}
	return t.event("response.content_part.added", o, map[string]any{"content_index": 0, "part": map[string]any{"type": PartReasoningText, "text": ""}})
}

// closeOpen ends the open message or reasoning item with its done events.
func (t *Translator) closeOpen() error {
	o := t.open
	if o == nil {
		return nil
	}
	t.open = nil
	text := o.text.String()
	var err error
	switch {
	case o.typ == TypeMessage:
		err = t.events(o,
			ev{"response.output_text.done", map[string]any{"content_index": 0, "text": text, "logprobs": []any{}}},
			ev{"response.content_part.done", map[string]any{"content_index": 0, "part": textPart(text)}})
	case o.asSum:
		part := map[string]any{"type": PartSummaryText, "text": text}
		err = t.events(o,
			ev{"response.reasoning_summary_text.done", map[string]any{"summary_index": 0, "text": text}},
			ev{"response.reasoning_summary_part.done", map[string]any{"summary_index": 0, "part": part}})
	default:
		part := map[string]any{"type": PartReasoningText, "text": text}
		err = t.events(o,
			ev{"response.reasoning_text.done", map[string]any{"content_index": 0, "text": text}},
			ev{"response.content_part.done", map[string]any{"content_index": 0, "part": part}})
	}
	if err != nil {
		return err
	}
	if o.typ == TypeReasoning && t.plan.Request.Encrypted() {
		if o.sealed, err = t.o.Sealer.Seal(text, t.plan.Target.Model.Upstream); err != nil {
			return err
		}
	}
	return t.itemDone(o)
}

func (t *Translator) closeCall(o *outItem) error {
	o.done = true
	var err error
	switch o.typ {
	case TypeFunctionCall:
		err = t.event("response.function_call_arguments.done", o, map[string]any{"arguments": o.arguments(), "name": o.ref.name})
	case TypeCustomCall:
		err = t.events(o,
			ev{"response.custom_tool_call_input.delta", map[string]any{"delta": o.input()}},
			ev{"response.custom_tool_call_input.done", map[string]any{"input": o.input()}})
	}
	if err != nil {
		return err
	}
	return t.itemDone(o)
}

func (t *Translator) itemDone(o *outItem) error {
	o.done = true
	return t.event("response.output_item.done", nil, map[string]any{"output_index": o.index, "item": o.wire(false)})
}

// snapshot puts the items into the response object.
func (t *Translator) snapshot(partial bool) {
	t.resp.Output = make([]any, 0, len(t.items))
	for _, o := range t.items {
		t.resp.Output = append(t.resp.Output, o.wire(partial))
	}
}

// lifecycle emits an event carrying the whole response. It is written
// by hand around the response's own encoding (keys in a map's order, as
// event writes them) so that the encoding of the last one can be kept
// (ResponseJSON) instead of made again for the store.
func (t *Translator) lifecycle(typ string) error {
	if t.o.Emit == nil {
		return nil
	}
	resp, err := marshal(t.resp)
	if err != nil {
		return err
	}
	t.respJSON = resp
	b := make([]byte, 0, len(resp)+80)
	b = append(b, `{"response":`...)
	b = append(b, resp...)
	b = append(b, `,"sequence_number":`...)
	b = strconv.AppendInt(b, int64(t.seq), 10)
	b = append(b, `,"type":`...)
	b = gateway.AppendJSONString(b, typ, false)
	b = append(b, '}')
	t.seq++
	return t.o.Emit(Event{Type: typ, Data: b})
}

// ResponseJSON is the response as the last lifecycle event carried it
// (after Finish, the final one); nil when no event was emitted.
func (t *Translator) ResponseJSON() []byte { return t.respJSON }

type ev struct {
	typ    string
	fields map[string]any
}

func (t *Translator) events(o *outItem, evs ...ev) error {
	for _, e := range evs {
		if err := t.event(e.typ, o, e.fields); err != nil {
			return err
		}
	}
	return nil
}

// event emits one event; o, when set, adds its item_id and output_index.
func (t *Translator) event(typ string, o *outItem, fields map[string]any) error {
	if t.o.Emit == nil {
		return nil
	}
	fields["type"], fields["sequence_number"] = typ, t.seq
	if o != nil {
		fields["item_id"], fields["output_index"] = o.id, o.index
	}
	t.seq++
	b, err := marshal(fields)
	if err != nil {
		return err
	}
	return t.o.Emit(Event{Type: typ, Data: b})
}

// delta is an event that carries one text delta of item o: what event
// would write for it, keys in the same (sorted) order, but written by
// hand, since it is the event of nearly every chunk and marshalling a map
// was most of what the door cost per chunk. head is what sorts before
// "delta" (it opens the object), mid what sorts between "item_id" and
// "output_index", tail what sorts between "sequence_number" and "type";
// each is "" or starts with a comma except head.
func (t *Translator) delta(typ string, o *outItem, head, s, mid, tail string) error {
	if t.o.Emit == nil {
		return nil
	}
	b := make([]byte, 0, 160+len(s))
	b = append(b, head...)
	b = append(b, `"delta":`...)
	b = gateway.AppendJSONString(b, s, false)
	b = append(b, `,"item_id":`...)
	b = gateway.AppendJSONString(b, o.id, false)
	b = append(b, mid...)
	b = append(b, `,"output_index":`...)
	b = strconv.AppendInt(b, int64(o.index), 10)
	b = append(b, `,"sequence_number":`...)
	b = strconv.AppendInt(b, int64(t.seq), 10)
	b = append(b, tail...)
	b = append(b, `,"type":"`...)
	b = append(b, typ...)
	b = append(b, `"}`...)
	t.seq++
	return t.o.Emit(Event{Type: typ, Data: b})
}

func sortedKeys(m map[int]*outItem) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// marshal encodes v without escaping <, > and &: tool arguments and code
// are full of them, and clients read JSON, not HTML.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
