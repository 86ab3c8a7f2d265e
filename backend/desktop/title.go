package desktop

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/core"
	"thinkcloud/backend/gateway"
	"thinkcloud/backend/history"
	"thinkcloud/backend/usage"
)

// Title costs: what writing titles with a model costs, for the picker in
// Settings (ModelInfo.TitleCost). Only these models may write titles.
const (
	// TitleFree models cost nothing: a price of zero, or a model the user
	// serves on this machine (core.Local).
	TitleFree = "free"
	// TitleCheap models have a known price of at most cheapInput and
	// cheapOutput per million tokens. They cost money, so the user says
	// yes to each one first (config.Titles.PaidModel).
	TitleCheap = "cheap"
)

// cheapLimits are the most per million tokens (input, output) a cheap
// model costs, by currency. A title is ~300 tokens in and ~20 out, so at
// these prices a thousand titles cost about $0.20.
var cheapLimits = map[string][2]float64{"USD": {0.5, 1.5}, "CNY": {4, 12}}

// Title request shape: thinking off and a few tokens, so a title costs
// little and comes quickly.
const (
	titleMaxTokens = 60 // ~60 CJK characters, or 12 English words with room
	titleMaxRunes  = 60
	titleExcerpt   = 2000 // of the question and of the answer, in runes
	titleTimeout   = time.Minute
	// titleClient marks the request log's row: the window's door, but not
	// an answer the user asked for.
	titleClient = "ThinkCloud title"
)

const titlePrompt = "You name conversations. Reply with a title of at most 8 words for the conversation below, " +
	"in the language the user wrote in. Reply with the title alone: no quotes, no final period, no explanation."

// TitleEvent (conversation:title) says a model named a conversation.
type TitleEvent struct {
	ConversationID string `json:"conversationId"`
	Title          string `json:"title"`
}

// titleCost says whether m may write titles, and at what cost: "" when
// its price is unknown or above cheapLimits, or when its thinking cannot
// be switched off (a title must not wait on, or pay for, a long think).
func titleCost(c *core.Core, m catalog.Model) string {
	if th := m.Think; th != nil && th.Mode == catalog.ReasoningAlways && !slices.Contains(th.Efforts, "none") {
		return ""
	}
	if len(m.Prices) == 0 {
		if c != nil && c.Local(m.Provider) {
			return TitleFree
		}
		return ""
	}
	p := m.Prices[0]
	for _, q := range m.Prices {
		if q.Currency == "USD" {
			p = q
		}
	}
	if p.Input == 0 && p.Output == 0 {
		return TitleFree
	}
	if l, ok := cheapLimits[p.Currency]; ok && p.Input <= l[0] && p.Output <= l[1] {
		return TitleCheap
	}
	return ""
}

// titleModel is the model the settings allow to write titles now, or ""
// with the reason it may not. Never a paid model the user did not agree
// to, whatever settings.json says.
func (s *ChatService) titleModel() (string, string) {
	cfg := s.core.Current().Titles
	if !cfg.Auto || cfg.Model == "" {
		return "", ""
	}
	m, err := s.core.Resolve(cfg.Model)
	if err != nil {
		return "", "the title model is not in the catalog"
	}
	switch titleCost(s.core, m) {
	case TitleFree:
		return cfg.Model, ""
	case TitleCheap:
		if cfg.PaidModel == cfg.Model {
			return cfg.Model, ""
		}
		return "", "the title model costs money and was not agreed to"
	}
	return "", "the title model is not a cheap one"
}

// nameConversation asks the title model, in the background, for a title
// for a new conversation whose first answer just completed; was is the
// title it was given from the first message. A failure is logged, never
// shown: the first-line title stays.
func (s *ChatService) nameConversation(convID, was string) {
	model, why := s.titleModel()
	if why != "" {
		s.core.Logger().Warn("no conversation title", "conversation", convID, "reason", why)
	}
	if model == "" {
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := s.writeTitle(convID, was, model); err != "" {
			s.core.Logger().Warn("no conversation title", "conversation", convID, "model", model, "error", err)
		}
	}()
}

// writeTitle asks model for the title and applies it unless the user
// renamed the conversation meanwhile. It returns why it did not, or "".
func (s *ChatService) writeTitle(convID, was, model string) string {
	hist, err := s.store()
	if err != nil {
		return err.Error()
	}
	_, msgs, err := hist.GetConversation(s.base, convID)
	if err != nil {
		return err.Error()
	}
	question, answer := firstExchange(msgs)
	if question == "" || answer == "" {
		return "no question and answer to name"
	}
	ctx, cancel := context.WithTimeout(s.base, titleTimeout)
	defer cancel()
	start := time.Now()
	ctx, attempts := gateway.CountAttempts(ctx)
	t := titleTurn(model, question, answer)
	got, ran, e := s.core.AskTurn(ctx, t)
	s.recordTitle(start, model, ran, attempts.Load(), got, e)
	if e != nil {
		return e.Error()
	}
	title := cleanTitle(got.Content)
	if title == "" {
		return "the model answered no title"
	}
	changed, err := hist.Retitle(s.base, convID, was, title)
	if err != nil {
		return err.Error()
	}
	if changed {
		Topics.ConversationTitle.Emit(s.emit, TitleEvent{ConversationID: convID, Title: title})
	}
	return ""
}

// titleTurn is the request: the conversation's first exchange, cut short,
// with thinking off and a small max_tokens.
func titleTurn(model, question, answer string) gateway.Turn {
	off, n := false, titleMaxTokens
	text := "User: " + excerpt(question) + "\n\nAssistant: " + excerpt(answer)
	return gateway.Turn{Model: model, System: titlePrompt,
		Messages: []gateway.TurnMessage{{Role: "user", Content: text}},
		Params:   gateway.Params{MaxTokens: &n, Thinking: &off}}
}

// firstExchange is the path's first question and its answer.
func firstExchange(msgs []history.Message) (string, string) {
	done, _ := exchanges(msgs)
	if len(done) == 0 {
		return "", ""
	}
	return done[0].user.Content, done[0].answer.Content
}

func excerpt(s string) string {
	if utf8.RuneCountInString(s) <= titleExcerpt {
		return s
	}
	return string([]rune(s)[:titleExcerpt]) + "…"
}

// cleanTitle makes a model's reply a title: its first non-empty line,
// without a "Title:" label, quotes, markdown marks or a final period, in
// at most titleMaxRunes characters.
func cleanTitle(reply string) string {
	line := ""
	for l := range strings.Lines(reply) {
		if line = strings.TrimSpace(l); line != "" {
			break
		}
	}
	for _, label := range []string{"title:", "title：", "标题:", "标题："} {
		if len(line) >= len(label) && strings.EqualFold(line[:len(label)], label) {
			line = strings.TrimSpace(line[len(label):])
		}
	}
	const marks = "\"'`*#_“”‘’「」『』《》"
	line = strings.Trim(line, marks+" ")
	line = strings.TrimRightFunc(line, func(r rune) bool { return r == '.' || r == '。' || unicode.IsSpace(r) })
	line = strings.Trim(line, marks+" ")
	line = strings.Join(strings.Fields(line), " ")
	if r := []rune(line); len(r) > titleMaxRunes {
		line = strings.TrimSpace(string(r[:titleMaxRunes]))
	}
	return line
}

// recordTitle logs the title request like any window request, marked by
// its client.
func (s *ChatService) recordTitle(start time.Time, asked string, ran catalog.Model, tries int32, got core.Answer, e *gateway.Error) {
	r := usage.Record{At: start, Model: asked, ModelAsked: asked, Provider: ran.Provider, Client: titleClient,
		Status: 200, Latency: time.Since(start), Retries: max(int(tries)-1, 0)}
	if ran.ID != "" {
		r.Model = ran.ID
	}
	if e != nil {
		r.Status, r.ErrorKind = e.HTTPStatus(), e.Code
		if r.ErrorKind == "" {
			r.ErrorKind = e.Type
		}
	}
	if u := got.Usage; u != nil {
		r.Input, r.Output, r.Reasoning, r.Cached = u.PromptTokens, u.CompletionTokens, u.ReasoningTokens, u.CachedTokens
	} else if got.Content != "" {
		r.Output, r.Estimated = usage.Estimate(got.Content), true
	}
	s.core.RecordWindow(r)
}
