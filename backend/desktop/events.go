package desktop

import "thinkcloud/backend/core"

// Topic is an event the window subscribes to, named as frontend/src/api
// names it. T is its payload, so sending the wrong payload does not
// compile.
type Topic[T any] string

// Emit sends payload to the window on this topic.
func (t Topic[T]) Emit(emit Emit, payload T) { emit(string(t), payload) }

// Topics are every event Go sends to the window. The window's types
// (frontend/src/api/types.ts) are generated from this struct (see
// WindowContract), so every event goes through here: one emitted by a bare
// name would have no type in the window (internal/tsgen tests for that).
var Topics = struct {
	// ChatStream carries an answer as it arrives, batched (StreamEvent).
	ChatStream Topic[StreamEvent]
	// ModelsChanged reports each provider's model list refresh.
	ModelsChanged Topic[core.ModelEvent]
	// EndpointStatus reports the local endpoint's state when it changes.
	EndpointStatus Topic[core.EndpointStatus]
	// HistoryStatus reports the chat history opening, upgrading or failing.
	HistoryStatus Topic[HistoryStatus]
	// UpdateStatus reports the outcome of an update check.
	UpdateStatus Topic[UpdateView]
	// ConversationTitle says a model named a conversation.
	ConversationTitle Topic[TitleEvent]
}{
	ChatStream:        "chat:stream",
	ModelsChanged:     "models:changed",
	EndpointStatus:    "endpoint:status",
	HistoryStatus:     "history:status",
	UpdateStatus:      "update:status",
	ConversationTitle: "conversation:title",
}
