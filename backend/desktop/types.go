package desktop

import (
	"thinkcloud/backend/catalog"
	"thinkcloud/backend/gateway"
	"thinkcloud/backend/history"
)

// Params are a conversation's generation settings. A nil pointer means
// "not sent", so a temperature of 0 is sent as 0 — go-openai's omitempty
// float32 fields would drop it, which is one reason the chat builds its
// JSON itself.
type Params struct {
	Temperature      *float64 `json:"temperature"`
	TopP             *float64 `json:"topP"`
	MaxTokens        *int     `json:"maxTokens"`
	FrequencyPenalty *float64 `json:"frequencyPenalty"`
	PresencePenalty  *float64 `json:"presencePenalty"`
	// ReasoningEffort is "" (the model's default) or one of
	// catalog.Efforts; the gateway maps it onto the levels the model
	// accepts.
	ReasoningEffort string `json:"reasoningEffort"`
	// Thinking switches thinking on or off where the provider has a
	// switch; nil keeps the model's default.
	Thinking *bool `json:"thinking"`
	// ThinkingBudget caps thinking at this many tokens where the model
	// takes a budget; nil sends none.
	ThinkingBudget *int `json:"thinkingBudget"`
	// System is the conversation's system prompt.
	System string `json:"system"`
	// Context limits the earlier turns sent with each question; the zero
	// value sends them all.
	Context ContextLimit `json:"context"`
}

// SendRequest is one user turn from the composer.
type SendRequest struct {
	// StreamID names the answer's chat:stream events. The window chooses
	// it (see ChatService.claim), so it knows the events of its answer
	// from the first one, even one that arrives before Send returns.
	StreamID string `json:"streamId"`
	// ConversationID is "" to start a new conversation.
	ConversationID string   `json:"conversationId"`
	Model          string   `json:"model"`
	Text           string   `json:"text"`
	Images         []string `json:"images"` // data URLs
	Params         Params   `json:"params"`
	// Attachments are text files (and PDFs' text) sent with the text, as
	// AttachService read them; nil for none.
	Attachments []history.Attachment `json:"attachments,omitempty"`
}

// SendResult names what Send created; the answer then arrives as
// chat:stream events carrying the request's StreamID.
type SendResult struct {
	ConversationID     string `json:"conversationId"`
	UserMessageID      string `json:"userMessageId"`
	AssistantMessageID string `json:"assistantMessageId"`
	// Thinking is how the answer's model is asked to think, as
	// MessageView.Thinking shows it.
	Thinking string `json:"thinking,omitempty"`
}

// StreamEvent is the payload of the chat:stream event. Text is what is new
// since the previous event of the same kind.
type StreamEvent struct {
	StreamID       string     `json:"streamId"`
	ConversationID string     `json:"conversationId"`
	MessageID      string     `json:"messageId"`
	Seq            int        `json:"seq"`
	Kind           string     `json:"kind"` // delta, reasoning, done, error
	Text           string     `json:"text"`
	Usage          *UsageView `json:"usage,omitempty"`
	Stats          *StatsView `json:"stats,omitempty"`
	Error          *ChatError `json:"error,omitempty"`
	// SaveError, on the last event, says the answer could not be written
	// to the history (a full disk, say): it is on screen but will be gone
	// after a restart unless the user copies it.
	SaveError string `json:"saveError,omitempty"`
	// Model, on the last event, is the model that answered as
	// "provider/upstream-id": with an alias's fallback chain it may not
	// be the first choice. "" when no model answered.
	Model string `json:"model,omitempty"`
}

// Stream event kinds.
const (
	KindDelta     = "delta"
	KindReasoning = "reasoning"
	KindDone      = "done"
	KindError     = "error"
)

// UsageView is token accounting for the window.
type UsageView struct {
	PromptTokens     int64 `json:"promptTokens"`
	CompletionTokens int64 `json:"completionTokens"`
}

// StatsView is how fast an answer came.
type StatsView struct {
	TTFTMs       int64   `json:"ttftMs"`
	TokensPerSec float64 `json:"tokensPerSec"`
	ReasoningMs  int64   `json:"reasoningMs"`
	TotalMs      int64   `json:"totalMs"`
}

// ChatError is a failed answer in words a person can act on. Kind lets the
// window offer the right way out (settings for key problems, Retry for
// the rest).
type ChatError struct {
	Kind     string `json:"kind"`
	Message  string `json:"message"`
	Provider string `json:"provider"`
}

// Error kinds.
const (
	ErrNoKey               = gateway.KindNoKey
	ErrInvalidKey          = gateway.KindInvalidKey
	ErrInsufficientBalance = gateway.KindInsufficientBalance
	ErrRateLimited         = gateway.KindRateLimited
	ErrUnreachable         = gateway.KindUnreachable
	ErrTimeout             = gateway.KindTimeout
	ErrBadRequest          = gateway.KindBadRequest
	ErrRetired             = gateway.KindRetired
	ErrProviderError       = gateway.KindProviderError
	ErrStopped             = "stopped" // the user's doing, not the gateway's
	ErrOther               = gateway.KindOther
)

// ConversationView is a conversation as the window lists it.
type ConversationView struct {
	ID        string  `json:"id"`
	Title     string  `json:"title"`
	Model     string  `json:"model"`
	Provider  string  `json:"provider"`
	System    string  `json:"system"`
	Params    *Params `json:"params"`
	Pinned    bool    `json:"pinned"`
	CreatedAt string  `json:"createdAt"`
	UpdatedAt string  `json:"updatedAt"`
	// ImportedAt (RFC 3339) and ImportedFrom (a file name) mark a
	// conversation an import made; both absent for one made here.
	ImportedAt   string `json:"importedAt,omitempty"`
	ImportedFrom string `json:"importedFrom,omitempty"`
}

// MessageView is one message as the window shows it.
type MessageView struct {
	ID             string   `json:"id"`
	ConversationID string   `json:"conversationId"`
	Role           string   `json:"role"`
	Content        string   `json:"content"`
	Reasoning      string   `json:"reasoning"`
	Images         []string `json:"images"`
	// Attachments are a user message's text files; omitted for none.
	Attachments []history.Attachment `json:"attachments,omitempty"`
	Model       string               `json:"model"`
	Provider    string               `json:"provider"`
	Status      string               `json:"status"`
	Error       string               `json:"error"`
	ErrorKind   string               `json:"errorKind"` // an Err* kind; "" for none or one saved before kinds were kept
	// Thinking is how the model was asked to think for this answer
	// ("off", "high", "on, 8192 tokens"); "" when nothing was asked.
	Thinking  string     `json:"thinking,omitempty"`
	Usage     *UsageView `json:"usage"`
	Stats     *StatsView `json:"stats"`
	CreatedAt string     `json:"createdAt"`
	// Cost is what the answer cost per currency at the catalog's prices
	// and the time it was asked, the provider's main currency first;
	// empty when the model has no known price or it is not an answer.
	Cost []CostView `json:"cost,omitempty"`
	// CostEstimated says Cost is from estimated tokens: the provider
	// reported no usage.
	CostEstimated bool `json:"costEstimated,omitempty"`
	// ParentID is the message this one follows, "" for the first.
	ParentID string `json:"parentId"`
	// Versions are the ids of this message's versions (regenerated
	// answers, edited questions), itself included, oldest first.
	Versions []string `json:"versions"`
}

// DeleteResult names a soft delete, for HistoryService.UndoDelete and
// HistoryService.Purge.
type DeleteResult struct {
	Op string `json:"op"`
}

// ConversationDetail is a conversation with its messages.
type ConversationDetail struct {
	Conversation ConversationView `json:"conversation"`
	Messages     []MessageView    `json:"messages"`
	// Total is the sum of the shown answers' Cost per currency; empty
	// when no answer has a price.
	Total []CostView `json:"total,omitempty"`
	// TotalEstimated says some answer in Total was priced from estimated
	// tokens.
	TotalEstimated bool `json:"totalEstimated,omitempty"`
}

// HitView is one search result; the match in Snippet sits between \x02
// and \x03.
type HitView struct {
	ConversationID string `json:"conversationId"`
	Title          string `json:"title"`
	MessageID      string `json:"messageId"`
	Snippet        string `json:"snippet"`
}

// ModelInfo is one model in the picker.
type ModelInfo struct {
	ID             string             `json:"id"`
	Provider       string             `json:"provider"`
	ProviderName   string             `json:"providerName"`
	Upstream       string             `json:"upstream"`
	ContextWindow  int                `json:"contextWindow"`
	Reasoning      bool               `json:"reasoning"`
	Vision         bool               `json:"vision"`
	Tools          bool               `json:"tools"`
	ThinkingToggle bool               `json:"thinkingToggle"`
	Available      bool               `json:"available"`
	Source         string             `json:"source"`
	Retired        bool               `json:"retired"`
	Defaults       map[string]float64 `json:"defaults"`
	// Name is the display name; "" shows the id.
	Name string `json:"name"`
	// MaxOutput is the most tokens one answer may have; 0 when unknown.
	MaxOutput int `json:"maxOutput"`
	// Think is how the model reasons and the controls it takes; null
	// when unknown.
	Think *catalog.Thinking `json:"think"`
	// Prices per million tokens, main currency first; empty when unknown.
	Prices []catalog.Price `json:"prices"`
	// Shutdown is the date the provider shuts (or shut) it down; "" when
	// none is announced.
	Shutdown string `json:"shutdown"`
	// Successors are the models to use instead, best first.
	Successors []string `json:"successors"`
	// Unavailable is true when the provider's live list lacks it.
	Unavailable bool `json:"unavailable"`
	// Fixed lists the parameters the model fixes (body names such as
	// "temperature", "top_p"): shown disabled, never sent.
	Fixed []string `json:"fixed,omitempty"`
	// Chain is, for a user's alias (source "alias"), the models it tries
	// in order as "provider/upstream-id"; empty for a model.
	Chain []string `json:"chain"`
	// TitleCost is TitleFree or TitleCheap for a model that may write
	// conversation titles; "" for every other.
	TitleCost string `json:"titleCost,omitempty"`
}
