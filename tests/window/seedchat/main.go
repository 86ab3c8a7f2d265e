// Command seedchat writes one conversation into a history database through
// the history package, for the README's screenshots of the real window
// (tests/window/conversations.sh):
//
//	go run ./tests/window/seedchat -db "$XDG_DATA_HOME/thinkcloud/thinkcloud.db" -kind branches
//
// -kind branches: a question whose answer was regenerated twice, the
// second version chosen (‹ 2/3 ›) with a follow-up turn under it.
// -kind math: an answer with inline and displayed TeX in all four
// delimiters and a task list.
//
// The turns are stored as the chat stores them (BeginTurn, then Finish),
// so the tree, versions and chosen path are the app's own.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"thinkcloud/backend/history"
)

const model, provider = "deepseek-v4-pro", "deepseek"

var catAnswers = []string{
	"**Boxley.** Short, friendly, and it says exactly what the cat loves.",
	"**Cardboard Cassidy** — Cass for short. A cat that treats every delivery as a gift deserves a name with a little swagger.\n\nOther ideas: *Flap*, *Parcel*, *Tuck*.",
	"**Schrödinger.** Every box is a possibility, and you never know whether the cat is inside until you look.",
}

const mathAnswer = `The roots of \(x^2 - 5x + 6 = 0\) come from the quadratic formula:

$$x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a} = \frac{5 \pm \sqrt{25 - 24}}{2}$$

so $x_1 = 3$ and $x_2 = 2$. Check with Vieta: $x_1 + x_2 = 5$ and $x_1 x_2 = 6$.

The same idea gives the Gaussian integral:

\[\int_{-\infty}^{\infty} e^{-x^2}\,dx = \sqrt{\pi}\]

- [x] factor: \((x-2)(x-3) = 0\)
- [x] check both roots
- [ ] plot \(y = x^2 - 5x + 6\)`

func main() {
	db := flag.String("db", "", "the history database (created if missing)")
	kind := flag.String("kind", "branches", "branches or math")
	flag.Parse()
	if err := run(*db, *kind); err != nil {
		fmt.Fprintln(os.Stderr, "seedchat:", err)
		os.Exit(1)
	}
}

// turn stores a question (nil: none, a regenerate) and its finished answer.
func turn(ctx context.Context, s *history.Store, t history.TurnStart, answer string, out int64) (history.TurnStarted, error) {
	t.Model, t.Provider = model, provider
	started, err := s.BeginTurn(ctx, t)
	if err != nil {
		return started, err
	}
	err = s.Finish(ctx, started.AssistantMessageID, history.Final{
		Status:  history.StatusComplete,
		Content: answer,
		Usage:   history.Usage{PromptTokens: 24, CompletionTokens: out},
		Stats:   history.Stats{FirstTokenMs: 420, TokensPerSecond: 61.5},
	})
	return started, err
}

func user(text string) *history.Message {
	return &history.Message{Role: history.RoleUser, Content: text, Status: history.StatusComplete}
}

func run(db, kind string) error {
	ctx := context.Background()
	s, err := history.Open(ctx, db)
	if err != nil {
		return err
	}
	defer s.Close()
	switch kind {
	case "math":
		q := "Solve x² − 5x + 6 = 0 and show the formula"
		_, err = turn(ctx, s, history.TurnStart{New: history.Conversation{Title: q, Model: model, Provider: provider}, User: user(q)}, mathAnswer, 160)
		return err
	case "branches":
		q := "Suggest a name for a cat that sleeps in boxes"
		first, err := turn(ctx, s, history.TurnStart{New: history.Conversation{Title: q, Model: model, Provider: provider}, User: user(q)}, catAnswers[0], 18)
		if err != nil {
			return err
		}
		id := first.ConversationID
		// Two regenerates: three versions of the answer.
		second, err := turn(ctx, s, history.TurnStart{ConversationID: id, VersionOf: first.AssistantMessageID}, catAnswers[1], 52)
		if err != nil {
			return err
		}
		if _, err := turn(ctx, s, history.TurnStart{ConversationID: id, VersionOf: first.AssistantMessageID}, catAnswers[2], 30); err != nil {
			return err
		}
		// Back to version 2, which gets a follow-up of its own.
		if err := s.SelectMessage(ctx, id, second.AssistantMessageID); err != nil {
			return err
		}
		_, err = turn(ctx, s, history.TurnStart{ConversationID: id, User: user("Why Cassidy?")},
			"It sounds like *cardboard* and *classy* at once, and \"Cass\" is easy to call across a room full of boxes.", 27)
		return err
	}
	return fmt.Errorf("unknown -kind %q (branches or math)", kind)
}
