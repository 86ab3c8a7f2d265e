package history

import (
	"bytes"
	"encoding/json"
	"time"
)

// Role says who wrote a message. It is a named string so the Wails bindings
// still see a plain string while Go callers get the constants below.
type Role string

// The roles the chat APIs of every supported provider understand.
const (
	RoleSystem    Role = "system"
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
)

// Status tells the window how a message ended, so it can offer "continue" or
// "retry" for answers that did not complete.
type Status string

// The statuses a message can have. Only an assistant message being received
// is StatusStreaming; Open turns any left over from a crash into
// StatusInterrupted.
const (
	StatusComplete    Status = "complete"
	StatusStreaming   Status = "streaming"
	StatusInterrupted Status = "interrupted"
	StatusError       Status = "error"
	StatusStopped     Status = "stopped"
)

// Conversation is one chat thread with the settings used to continue it.
// Params is stored and returned verbatim (it must be valid JSON) so the
// provider layer can evolve its options without a schema change here.
// UpdatedAt moves when a message is added, finished or deleted, not when the
// conversation is renamed, pinned or reconfigured, so the list reflects chat
// activity rather than housekeeping.
type Conversation struct {
	ID           string          `json:"id"`
	Title        string          `json:"title"`
	Model        string          `json:"model"`
	Provider     string          `json:"provider"`
	SystemPrompt string          `json:"systemPrompt"`
	Params       json.RawMessage `json:"params,omitempty"`
	Pinned       bool            `json:"pinned"`
	CreatedAt    time.Time       `json:"createdAt"`
	UpdatedAt    time.Time       `json:"updatedAt"`
	// ImportedAt is when an import made this conversation (zero for one
	// made here) and ImportedFrom the name of the file it read ("" when
	// the import named none).
	ImportedAt   time.Time `json:"importedAt,omitzero"`
	ImportedFrom string    `json:"importedFrom,omitempty"`
}

// Usage is the token accounting a provider reported for one answer, kept so
// the window can show cost without asking the provider again.
type Usage struct {
	PromptTokens     int64 `json:"promptTokens"`
	CompletionTokens int64 `json:"completionTokens"`
}

// Stats are the timings the client measured for one answer.
type Stats struct {
	FirstTokenMs    int64   `json:"firstTokenMs"`
	TokensPerSecond float64 `json:"tokensPerSecond"`
	ReasoningMs     int64   `json:"reasoningMs"`
}

// Message is one turn of a conversation. Position is the order in which a
// conversation's messages were written (1, 2, 3, ...), across branches. Images, when present, is a JSON array of data
// URLs or file paths, stored verbatim. Reasoning holds the "thinking" text of
// reasoning models, which is shown separately from Content. Error is the
// text of the failure a message with StatusError ended in, and ErrorKind
// the caller's name for its kind (such as "invalid_key"), stored verbatim so
// the window can offer the right way out after a restart; both are empty
// otherwise, and ErrorKind is empty for answers saved before schema v4.
type Message struct {
	ID             string          `json:"id"`
	ConversationID string          `json:"conversationId"`
	Position       int64           `json:"position"`
	Role           Role            `json:"role"`
	Content        string          `json:"content"`
	Reasoning      string          `json:"reasoning"`
	Images         json.RawMessage `json:"images,omitempty"`
	Model          string          `json:"model"`
	Provider       string          `json:"provider"`
	Status         Status          `json:"status"`
	Error          string          `json:"error"`
	ErrorKind      string          `json:"errorKind"`
	Usage          Usage           `json:"usage"`
	Stats          Stats           `json:"stats"`
	// Thinking says how the model was asked to think for this answer
	// ("off", "high", "on, 8192 tokens"); "" when nothing was asked.
	Thinking  string    `json:"thinking"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
	// ParentID is the message this one follows ("" for the first); the
	// messages sharing a parent are versions of one turn.
	ParentID string `json:"parentId,omitempty"`
	// Versions are the ids of this message's versions, itself included,
	// oldest first; filled for the messages of an active path only.
	Versions []string `json:"versions,omitempty"`
}

// Patch lists the conversation fields to change; nil fields are left alone,
// which lets the window send only what the user edited. A Params pointing at
// an empty or JSON null value clears the stored params.
type Patch struct {
	Title        *string          `json:"title,omitempty"`
	Model        *string          `json:"model,omitempty"`
	Provider     *string          `json:"provider,omitempty"`
	SystemPrompt *string          `json:"systemPrompt,omitempty"`
	Params       *json.RawMessage `json:"params,omitempty"`
	Pinned       *bool            `json:"pinned,omitempty"`
}

// Final is the end state of a streamed answer, passed to Store.Finish. Status
// must not be StatusStreaming; Error carries the provider's message and
// ErrorKind its kind when Status is StatusError.
type Final struct {
	Status    Status `json:"status"`
	Content   string `json:"content"`
	Reasoning string `json:"reasoning"`
	Usage     Usage  `json:"usage"`
	Stats     Stats  `json:"stats"`
	Error     string `json:"error"`
	ErrorKind string `json:"errorKind"`
	// Model and Provider, when set, replace the message's: the model
	// that answered when it was not the one asked (an alias's chain fell
	// back). "" keeps what the turn stored.
	Model    string `json:"model,omitempty"`
	Provider string `json:"provider,omitempty"`
}

// Hit is one search result: enough to open the conversation at the matching
// message and to show a highlighted snippet (see MarkStart and MarkEnd).
type Hit struct {
	ConversationID    string    `json:"conversationId"`
	ConversationTitle string    `json:"conversationTitle"`
	MessageID         string    `json:"messageId"`
	Role              Role      `json:"role"`
	Snippet           string    `json:"snippet"`
	CreatedAt         time.Time `json:"createdAt"`
}

func (r Role) valid() bool {
	return r == RoleSystem || r == RoleUser || r == RoleAssistant
}

func (s Status) valid() bool {
	switch s {
	case StatusComplete, StatusStreaming, StatusInterrupted, StatusError, StatusStopped:
		return true
	}
	return false
}

// jsonColumn validates raw and returns what to store: nil (SQL NULL) for an
// empty or null value, otherwise the compacted text. wantArray rejects
// anything but a JSON array.
func jsonColumn(field string, raw json.RawMessage, wantArray bool) (any, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		return nil, nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, trimmed); err != nil {
		return nil, invalid("%s is not valid JSON: %v", field, err)
	}
	if wantArray && trimmed[0] != '[' {
		return nil, invalid("%s must be a JSON array", field)
	}
	return buf.String(), nil
}

// millis converts t to the stored representation, using now for a zero t so
// callers may leave timestamps unset.
func millis(t time.Time, now int64) int64 {
	if t.IsZero() {
		return now
	}
	return t.UnixMilli()
}

// fromMillis converts a stored timestamp back to a UTC time.
func fromMillis(ms int64) time.Time {
	return time.UnixMilli(ms).UTC()
}
