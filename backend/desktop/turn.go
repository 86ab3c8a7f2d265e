package desktop

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"thinkcloud/backend/catalog"

	"thinkcloud/backend/gateway"
	"thinkcloud/backend/history"
)

// Context modes: how many earlier turns a request carries.
const (
	ContextAll    = "all"    // every earlier turn (also the zero value, "")
	ContextTurns  = "turns"  // the last ContextLimit.Turns turns
	ContextBudget = "budget" // as many recent turns as fit the model's context window
)

// ContextLimit is a conversation's choice of how much of it is sent with
// each question. It is part of Params, so it is kept per conversation.
type ContextLimit struct {
	// Mode is "" or "all", "turns" or "budget".
	Mode string `json:"mode"`
	// Turns is how many earlier exchanges "turns" keeps; 0 sends none.
	Turns int `json:"turns"`
}

// ContextCount is what the composer shows: how many earlier exchanges the
// next question carries out of how many the conversation has, and an
// estimate of their tokens (with the system prompt).
type ContextCount struct {
	Sent   int `json:"sent"`
	Total  int `json:"total"`
	Tokens int `json:"tokens"`
	// Window is the model's context window in tokens, 0 when unknown.
	Window int `json:"window"`
}

// exchange is one earlier turn as sent: a user message and its answer.
type exchange struct {
	user, answer history.Message
}

// failed says whether an answer is no part of what the model said: it
// ended in an error or brought nothing back.
func failed(m history.Message) bool {
	return m.Status == history.StatusError || m.Content == ""
}

// exchanges pairs the path's messages into the earlier turns that can be
// sent, and returns the last user message (the question) when the path
// ends with one. A user message whose answer failed, or that has none (it
// is followed by another user message, or its answer was deleted), is a
// failed turn: it is left out until the user retries it, so a request
// never carries bare user messages in a row. An answer without its
// question (the question was deleted) is left out too.
func exchanges(msgs []history.Message) (done []exchange, question *history.Message) {
	var pending *history.Message
	for i := range msgs {
		m := msgs[i]
		switch m.Role {
		case history.RoleUser:
			pending = &msgs[i]
		case history.RoleAssistant:
			if pending != nil && !failed(m) {
				done = append(done, exchange{*pending, m})
			}
			pending = nil
		}
	}
	return done, pending
}

// estimateTokens is a cheap, deliberately high guess at a text's tokens:
// a token per four bytes of ASCII and one per other character (CJK text
// runs about a token per character), plus a little per message.
func estimateTokens(s string) int {
	ascii, other := 0, 0
	for _, r := range s {
		if r < utf8.RuneSelf {
			ascii++
		} else {
			other++
		}
	}
	return 4 + (ascii+3)/4 + other
}

func (e exchange) tokens() int {
	return estimateTokens(sentText(e.user)) + estimateTokens(e.answer.Content)
}

// replyReserve is what the budget keeps free for the answer: the user's
// max tokens, or a quarter of the window (at most 8,192).
func replyReserve(p Params, window int) int {
	if p.MaxTokens != nil && *p.MaxTokens > 0 {
		return *p.MaxTokens
	}
	return min(window/4, 8192)
}

// selectContext applies the limit: it returns the earlier exchanges to
// send (the most recent ones) and the count the composer shows. window
// is the model's context window in tokens (0 when unknown: "budget" then
// sends everything).
func selectContext(msgs []history.Message, p Params, window int) ([]exchange, *history.Message, ContextCount) {
	done, question := exchanges(msgs)
	keep := len(done)
	switch p.Context.Mode {
	case ContextTurns:
		keep = min(max(p.Context.Turns, 0), len(done))
	case ContextBudget:
		if window > 0 {
			used := estimateTokens(p.System) + replyReserve(p, window)
			if question != nil {
				used += estimateTokens(sentText(*question))
			}
			keep = 0
			for i := len(done) - 1; i >= 0; i-- {
				if used += done[i].tokens(); used > window {
					break
				}
				keep++
			}
		}
	}
	sent := done[len(done)-keep:]
	count := ContextCount{Sent: keep, Total: len(done), Window: window, Tokens: estimateTokens(p.System)}
	for _, e := range sent {
		count.Tokens += e.tokens()
	}
	return sent, question, count
}

// turn is a conversation as the gateway takes it: the gateway, not the
// window's side, knows how each provider spells the request. msgs is the
// active path up to the question; window is the model's context window.
func turn(model string, msgs []history.Message, p Params, window int) gateway.Turn {
	t := gateway.Turn{Model: model, System: p.System, Params: gateway.Params{
		Temperature: p.Temperature, TopP: p.TopP, MaxTokens: p.MaxTokens,
		FrequencyPenalty: p.FrequencyPenalty, PresencePenalty: p.PresencePenalty,
		ReasoningEffort: p.ReasoningEffort, Thinking: p.Thinking, ThinkingBudget: p.ThinkingBudget,
	}}
	sent, question, _ := selectContext(msgs, p, window)
	for _, e := range sent {
		t.Messages = append(t.Messages, turnMessage(e.user), turnMessage(e.answer))
	}
	if question != nil {
		t.Messages = append(t.Messages, turnMessage(*question))
	}
	return t
}

// forModel fits t to what m can read: for a model that cannot read images
// (and is not retired, which the gateway words), images in earlier turns
// are left out, each message saying how many were, so that switching a
// conversation with pictures to a text-only model goes on instead of
// failing on the provider's error. The question itself was checked before
// anything was saved (canRead).
func forModel(t gateway.Turn, m catalog.Model) gateway.Turn {
	if m.Vision || m.Retired {
		return t
	}
	for i, msg := range t.Messages {
		if n := len(msg.Images); n > 0 {
			note := fmt.Sprintf("[%d image(s) not shown: %s cannot read images]", n, m.ID)
			if strings.TrimSpace(msg.Content) != "" {
				note = msg.Content + "\n\n" + note
			}
			t.Messages[i].Content, t.Messages[i].Images = note, nil
		}
	}
	return t
}

func turnMessage(m history.Message) gateway.TurnMessage {
	images, files := history.SplitImages(m.Images)
	return gateway.TurnMessage{Role: string(m.Role), Content: withFiles(m.Content, files), Images: images, Reasoning: m.Reasoning}
}
