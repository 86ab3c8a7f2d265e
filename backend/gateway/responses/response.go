package responses

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strings"

	"thinkcloud/backend/gateway"
)

// Response is the Responses API response object, as the non-streaming
// answer and inside lifecycle events. Request fields are echoed the way
// OpenAI echoes them.
type Response struct {
	ID                 string          `json:"id"`
	Object             string          `json:"object"`
	CreatedAt          int64           `json:"created_at"`
	Status             string          `json:"status"`
	Error              *ResponseError  `json:"error"`
	IncompleteDetails  *Incomplete     `json:"incomplete_details"`
	Instructions       *string         `json:"instructions"`
	MaxOutputTokens    *int64          `json:"max_output_tokens"`
	Model              string          `json:"model"`
	Output             []any           `json:"output"`
	ParallelToolCalls  bool            `json:"parallel_tool_calls"`
	PreviousResponseID *string         `json:"previous_response_id"`
	Reasoning          ReasoningEcho   `json:"reasoning"`
	Store              bool            `json:"store"`
	Temperature        *float64        `json:"temperature"`
	Text               TextEcho        `json:"text"`
	ToolChoice         json.RawMessage `json:"tool_choice"`
	Tools              json.RawMessage `json:"tools"`
	TopP               *float64        `json:"top_p"`
	Truncation         string          `json:"truncation"`
	Usage              *Usage          `json:"usage"`
	User               *string         `json:"user"`
	Metadata           json.RawMessage `json:"metadata"`
}

// ResponseError is why a response failed.
type ResponseError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Incomplete says why a response stopped early.
type Incomplete struct {
	Reason string `json:"reason"`
}

// ReasoningEcho echoes the request's reasoning options.
type ReasoningEcho struct {
	Effort  *string `json:"effort"`
	Summary *string `json:"summary"`
}

// TextEcho echoes text.format.
type TextEcho struct {
	Format json.RawMessage `json:"format"`
}

// Usage is token accounting in the Responses spelling.
type Usage struct {
	InputTokens        int `json:"input_tokens"`
	InputTokensDetails struct {
		CachedTokens int `json:"cached_tokens"`
	} `json:"input_tokens_details"`
	OutputTokens        int `json:"output_tokens"`
	OutputTokensDetails struct {
		ReasoningTokens int `json:"reasoning_tokens"`
	} `json:"output_tokens_details"`
	TotalTokens int `json:"total_tokens"`
}

func toUsage(u *gateway.Usage) *Usage {
	if u == nil {
		return nil
	}
	out := &Usage{InputTokens: u.PromptTokens, OutputTokens: u.CompletionTokens, TotalTokens: u.TotalTokens}
	if out.TotalTokens == 0 {
		out.TotalTokens = u.PromptTokens + u.CompletionTokens
	}
	out.InputTokensDetails.CachedTokens = u.CachedTokens
	out.OutputTokensDetails.ReasoningTokens = u.ReasoningTokens
	return out
}

// skeleton is the response object before any output, echoing req.
func skeleton(id string, created int64, req *Request) Response {
	r := Response{ID: id, Object: "response", CreatedAt: created, Status: "in_progress", Model: req.Model,
		Output: []any{}, ParallelToolCalls: req.ParallelToolCalls == nil || *req.ParallelToolCalls,
		MaxOutputTokens: req.MaxOutputTokens, Store: req.Store, Temperature: req.Temperature, TopP: req.TopP,
		Truncation: "disabled", ToolChoice: req.ToolChoice, Tools: req.RawTools, Metadata: req.Metadata,
		Text: TextEcho{Format: req.Format}}
	if req.Instructions != "" {
		r.Instructions = &req.Instructions
	}
	if req.PreviousResponseID != "" {
		r.PreviousResponseID = &req.PreviousResponseID
	}
	if req.User != "" {
		r.User = &req.User
	}
	if req.Effort != "" {
		r.Reasoning.Effort = &req.Effort
	}
	if req.Summary != "" {
		r.Reasoning.Summary = &req.Summary
	}
	if r.ToolChoice == nil {
		r.ToolChoice = json.RawMessage(`"auto"`)
	}
	if r.Tools == nil {
		r.Tools = json.RawMessage(`[]`)
	}
	if r.Metadata == nil {
		r.Metadata = json.RawMessage(`{}`)
	}
	if r.Text.Format == nil {
		r.Text.Format = json.RawMessage(`{"type":"text"}`)
	}
	return r
}

// IDPrefix starts the id of every response ThinkCloud translated, so a
// previous_response_id it no longer keeps can be told from one it never
// made (a provider's own).
const IDPrefix = "resp_tc_"

// NewID returns a random id: prefix and 24 hex digits.
func NewID(prefix string) string {
	var b [12]byte
	rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// OutputText is the text of every message in output, as the SDKs'
// output_text helper reads it.
func (r *Response) OutputText() string {
	var b strings.Builder
	for _, o := range r.Output {
		m, _ := o.(map[string]any)
		if m["type"] != TypeMessage {
			continue
		}
		for _, c := range m["content"].([]any) {
			if p, _ := c.(map[string]any); p["type"] == PartOutputText {
				b.WriteString(p["text"].(string))
			}
		}
	}
	return b.String()
}

// JSON is the response object as a non-streaming answer's body.
func (r *Response) JSON() []byte {
	b, _ := marshal(r)
	return b
}
