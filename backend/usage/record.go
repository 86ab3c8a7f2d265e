// Package usage is the request log: one row per request through any door
// (the window's chat, /v1/chat/completions, /v1/messages, /v1/responses,
// /v1/embeddings, /v1/completions), with who asked, what ran, how it went,
// the tokens and what it cost. Never a prompt, an answer or a key.
//
// Rows live in their own SQLite file (usage.db beside the history's
// thinkcloud.db), written by one goroutine in batches: a request only
// hands its Record to a bounded channel and never waits; a full channel
// drops the row and counts it, and a failing disk makes the log report
// itself behind (Health) instead of failing anyone's request.
package usage

import (
	"time"

	"thinkcloud/backend/catalog"
)

// Doors name where a request came in (Record.Door).
const (
	DoorWindow      = "window"
	DoorChat        = "chat"
	DoorMessages    = "messages"
	DoorResponses   = "responses"
	DoorEmbeddings  = "embeddings"
	DoorCompletions = "completions"
)

// Who asked, when no named token did (Record.Token).
const (
	// TokenWindow is the desktop chat.
	TokenWindow = "window"
	// TokenAnonymous is an endpoint client without a known token; its
	// User-Agent family is in Record.Client.
	TokenAnonymous = "anonymous"
)

// Record is one request. Zero fields mean unknown or none.
type Record struct {
	// ID is the row's id, set when read back.
	ID int64 `json:"id"`
	// At is when the request arrived.
	At time.Time `json:"at"`
	// Door is one of the Door constants.
	Door string `json:"door"`
	// TokenID is the named token's id ("" for the window and anonymous
	// clients); Token is its name at the time, or TokenWindow, or
	// TokenAnonymous.
	TokenID string `json:"tokenId,omitempty"`
	Token   string `json:"token"`
	// Client is the User-Agent's family ("OpenAI/Python", "curl").
	Client string `json:"client,omitempty"`
	// Provider and Model are what ran; ModelAsked is the name the client
	// sent.
	Provider   string `json:"provider,omitempty"`
	ModelAsked string `json:"modelAsked,omitempty"`
	Model      string `json:"model,omitempty"`
	// Status is the HTTP status the client got (499: it left first).
	Status int `json:"status"`
	// ErrorKind is the error's code or type ("" on success).
	ErrorKind string `json:"errorKind,omitempty"`
	// Retries counts repeated attempts upstream; Fallbacks, other models
	// tried.
	Retries   int `json:"retries,omitempty"`
	Fallbacks int `json:"fallbacks,omitempty"`
	// Latency is until the answer ended; TTFT until its first byte.
	Latency time.Duration `json:"latencyNs"`
	TTFT    time.Duration `json:"ttftNs"`
	// Tokens as the provider reported them (or estimated: Estimated).
	Input     int `json:"input"`
	Output    int `json:"output"`
	Reasoning int `json:"reasoning,omitempty"`
	Cached    int `json:"cached,omitempty"`
	// Costs is the price in each currency the model has one in, the
	// provider's main currency first; empty when the catalog has no price.
	Costs []catalog.Cost `json:"costs,omitempty"`
	// Estimated marks token counts (and so costs) ThinkCloud estimated
	// because the provider reported none.
	Estimated bool `json:"estimated,omitempty"`
}

// Price fills r.Costs from m's prices for r's tokens at r.At.
func (r *Record) Price(m catalog.Model) {
	r.Costs = m.Cost(catalog.Usage{Input: r.Input, CachedInput: r.Cached, Output: r.Output}, r.At)
}

// Estimate is the token count of text by the rule count_tokens uses:
// about four ASCII characters per token, and one token per other
// character (a CJK character is about one token in the providers'
// tokenizers; Latin accents and emoji are rarer and come out a little
// high). It is EstimateBytes over text's bytes.
func Estimate(text string) int {
	var c Counter
	c.AddString(text)
	return c.Tokens()
}

// EstimateBytes is Estimate over UTF-8 bytes, without decoding them.
func EstimateBytes(b []byte) int {
	var c Counter
	c.Add(b)
	return c.Tokens()
}

// Counter is the one token estimator (Estimate, EstimateBytes), fed in
// pieces: the doors count a request body as it is read and an answer's
// text as it is written, and ask for Tokens only when the provider
// reported no usage. The zero value is ready.
type Counter struct {
	ascii, other int
}

// Add counts b: each ASCII byte a quarter token, each UTF-8 lead byte
// (one per non-ASCII character) a token; continuation bytes are free.
func (c *Counter) Add(b []byte) {
	for _, x := range b {
		if x < 0x80 {
			c.ascii++
		} else if x >= 0xC0 {
			c.other++
		}
	}
}

// AddString is Add for a string.
func (c *Counter) AddString(s string) {
	for i := 0; i < len(s); i++ {
		if x := s[i]; x < 0x80 {
			c.ascii++
		} else if x >= 0xC0 {
			c.other++
		}
	}
}

// Tokens is the estimate of everything added.
func (c *Counter) Tokens() int { return (c.ascii+3)/4 + c.other }

// Empty reports whether nothing was added.
func (c *Counter) Empty() bool { return c.ascii == 0 && c.other == 0 }

// ClientFamily reduces a User-Agent to its product ("OpenAI/Python 1.2"
// → "OpenAI/Python"), so the log groups clients without keeping versions
// or platform details.
func ClientFamily(ua string) string {
	if ua == "" {
		return ""
	}
	f := ua
	for i, c := range ua {
		if c == ' ' || c == '(' {
			f = ua[:i]
			break
		}
	}
	// "curl/8.5.0" → "curl"; "OpenAI/Python" keeps its slash when the
	// part after it is not a version.
	if i := lastSlash(f); i > 0 && i+1 < len(f) && f[i+1] >= '0' && f[i+1] <= '9' {
		f = f[:i]
	}
	if len(f) > 40 {
		f = f[:40]
	}
	return f
}

func lastSlash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return i
		}
	}
	return -1
}
