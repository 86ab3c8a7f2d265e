// Command seedhistory writes one conversation of N messages (user and
// assistant turns, alternating, with some markdown) into a history
// database, through the history package the app itself uses. For the
// footprint benchmark (tests/window/footprint.sh).
//
//	go run ./tests/seedhistory -db DIR/thinkcloud.db -messages 1000
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"thinkcloud/backend/history"
)

func main() {
	db := flag.String("db", "", "history database to create or add to")
	n := flag.Int("messages", 1000, "how many messages")
	flag.Parse()
	if *db == "" || *n < 1 {
		fmt.Fprintln(os.Stderr, "usage: seedhistory -db PATH [-messages N]")
		os.Exit(2)
	}
	if err := seed(*db, *n); err != nil {
		fmt.Fprintln(os.Stderr, "seedhistory:", err)
		os.Exit(1)
	}
}

func seed(path string, n int) error {
	ctx := context.Background()
	s, err := history.Open(ctx, path)
	if err != nil {
		return err
	}
	defer s.Close()
	c, err := s.CreateConversation(ctx, history.Conversation{Title: fmt.Sprintf("Footprint %d messages", n), Model: "deepseek-chat", Provider: "deepseek"})
	if err != nil {
		return err
	}
	for i := 1; i <= n; i++ {
		m := history.Message{ConversationID: c.ID, Role: history.RoleUser, Status: history.StatusComplete,
			Content: fmt.Sprintf("Question %d: how does step %d of the plan work?", i, i)}
		if i%2 == 0 {
			m.Role, m.Model, m.Provider = history.RoleAssistant, "deepseek-chat", "deepseek"
			m.Content = answer(i)
		}
		if _, err := s.AddMessage(ctx, m); err != nil {
			return fmt.Errorf("message %d: %w", i, err)
		}
	}
	fmt.Println(c.ID)
	return nil
}

// answer is a few paragraphs with a list and a code block, as answers are.
func answer(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Step %d works in **three** parts.\n\n", i)
	for k := 1; k <= 3; k++ {
		fmt.Fprintf(&b, "%d. Part %d reads the input, checks it and writes `result_%d`.\n", k, k, i)
	}
	fmt.Fprintf(&b, "\n```go\nfunc step%d(x int) int {\n\treturn x * %d\n}\n```\n\nThat is all for step %d.", i, i, i)
	return b.String()
}
