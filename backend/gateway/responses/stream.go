package responses

import (
	"time"

	"thinkcloud/backend/gateway"
)

// Event is one server-sent event of a streamed response: its type (the
// SSE event name) and its JSON data, which carries type and
// sequence_number too.
type Event struct {
	Type string
	Data []byte
}

// TranslatorOptions are the Translator's seams. Zero values are the real
// thing.
type TranslatorOptions struct {
	// Emit receives each event; nil emits none (a non-streaming client).
	// An error (the client left) stops the translation.
	Emit func(Event) error
	// Sealer seals reasoning when the client asked for encrypted_content.
	Sealer *Sealer
	// NewID makes ids; nil means NewID.
	NewID func(prefix string) string
	// Now stamps created_at; nil means time.Now.
	Now func() time.Time
}

// Translator turns a provider's answer, as gateway.Deltas, into the
// Responses events the official SDKs and Codex parse, in their order:
// response.created, response.in_progress, then per output item
// output_item.added, its content and deltas, their done events and
// output_item.done, and last response.completed (or .incomplete, or
// .failed) with usage. It also builds the final Response.
type Translator struct {
	plan  *Plan
	o     TranslatorOptions
	resp  Response
	seq   int
	items []*outItem
	open  *outItem         // the message or reasoning item being written
	calls map[int]*outItem // by chat tool call index
	usage *gateway.Usage
	stop  string // the provider's finish_reason
	// respJSON is the response as the last lifecycle event encoded it.
	respJSON []byte
}

// NewTranslator starts translating the answer to plan. Call Start, then
// Feed every delta, then Finish or Fail.
func NewTranslator(plan *Plan, o TranslatorOptions) *Translator {
	if o.NewID == nil {
		o.NewID = NewID
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	t := &Translator{plan: plan, o: o, calls: map[int]*outItem{}}
	t.resp = skeleton(o.NewID(IDPrefix), o.Now().Unix(), plan.Request)
	return t
}

// ID is the response's id.
func (t *Translator) ID() string { return t.resp.ID }

// Start emits response.created and response.in_progress.
func (t *Translator) Start() error {
	if err := t.lifecycle("response.created"); err != nil {
		return err
	}
	return t.lifecycle("response.in_progress")
}

// Feed translates one delta. A delta carrying the provider's own error
// event is not handled here: the caller fails the response with it.
func (t *Translator) Feed(d gateway.Delta) error {
	if d.Usage != nil {
		t.usage = d.Usage
	}
	if d.FinishReason != "" {
		t.stop = d.FinishReason
	}
	if d.Reasoning != "" {
		if err := t.text(TypeReasoning, d.Reasoning); err != nil {
			return err
		}
	}
	if d.Content != "" {
		if err := t.text(TypeMessage, d.Content); err != nil {
			return err
		}
	}
	for _, tc := range d.ToolCalls {
		if err := t.call(tc); err != nil {
			return err
		}
	}
	return nil
}

// Finish closes every item and emits response.completed, or
// response.incomplete when the provider stopped at the token limit or a
// content filter. It returns the final Response.
func (t *Translator) Finish() (*Response, error) {
	if err := t.closeOpen(); err != nil {
		return &t.resp, err
	}
	for _, idx := range sortedKeys(t.calls) {
		if err := t.closeCall(t.calls[idx]); err != nil {
			return &t.resp, err
		}
	}
	t.resp.Usage = toUsage(t.usage)
	t.resp.Status = "completed"
	event := "response.completed"
	switch t.stop {
	case "length":
		t.resp.Status, t.resp.IncompleteDetails, event = "incomplete", &Incomplete{Reason: "max_output_tokens"}, "response.incomplete"
	case "content_filter":
		t.resp.Status, t.resp.IncompleteDetails, event = "incomplete", &Incomplete{Reason: "content_filter"}, "response.incomplete"
	}
	t.snapshot(false)
	return &t.resp, t.lifecycle(event)
}

// Fail emits response.failed with e, what was written so far kept in
// output.
func (t *Translator) Fail(e *gateway.Error) error {
	t.resp.Status = "failed"
	code := e.Code
	if code == "" {
		code = "server_error"
	}
	t.resp.Error = &ResponseError{Code: code, Message: e.Message}
	t.resp.Usage = toUsage(t.usage)
	t.snapshot(true)
	return t.lifecycle("response.failed")
}

// Items are the output items as the store keeps them.
func (t *Translator) Items() []Item {
	out := make([]Item, 0, len(t.items))
	for _, o := range t.items {
		out = append(out, o.asItem())
	}
	return out
}

// Usage is the provider's token count, nil until it sent one.
func (t *Translator) Usage() *gateway.Usage { return t.usage }

// text adds to the open message or reasoning item, opening one of typ
// (and closing the other kind) when needed.
func (t *Translator) text(typ, s string) error {
	if t.open == nil || t.open.typ != typ {
		if err := t.closeOpen(); err != nil {
			return err
		}
		if err := t.add(&outItem{typ: typ, asSum: typ == TypeReasoning && t.plan.Request.wantsSummary()}); err != nil {
			return err
		}
		t.open = t.items[len(t.items)-1]
		if err := t.partAdded(t.open); err != nil {
			return err
		}
	}
	o := t.open
	o.text.WriteString(s)
	switch {
	case o.typ == TypeMessage:
		return t.delta("response.output_text.delta", o, `{"content_index":0,`, s, `,"logprobs":[]`, "")
	case o.asSum:
		return t.delta("response.reasoning_summary_text.delta", o, "{", s, "", `,"summary_index":0`)
	}
	return t.delta("response.reasoning_text.delta", o, `{"content_index":0,`, s, "", "")
}

// call adds a piece of a tool call. Function arguments stream as they
// come; a custom tool's input and a shell command are sent whole when the
// call ends, since they sit inside the chat function's JSON arguments.
func (t *Translator) call(tc gateway.ToolCallDelta) error {
	o := t.calls[tc.Index]
	if o == nil {
		if err := t.closeOpen(); err != nil {
			return err
		}
		ref := t.plan.names.lookup(tc.Name)
		o = &outItem{chatIndex: tc.Index, callID: tc.ID, ref: ref, typ: TypeFunctionCall}
		switch ref.kind {
		case kindCustom:
			o.typ = TypeCustomCall
		case kindLocalShell:
			o.typ = TypeLocalShellCall
		}
		if o.callID == "" {
			o.callID = t.o.NewID("call_")
		}
		t.calls[tc.Index] = o
		if err := t.add(o); err != nil {
			return err
		}
	}
	o.args.WriteString(tc.Arguments)
	if o.typ == TypeFunctionCall && tc.Arguments != "" {
		return t.delta("response.function_call_arguments.delta", o, "{", tc.Arguments, "", "")
	}
	return nil
}
