package history

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkStreamingSave times the once-a-second save of a long answer as
// it streams: a 10,000-word answer (≈ 66 KB, mixed English, Chinese and
// symbols) saved at every tenth of its length, then finished. One op is
// the whole answer: ten saves and the Finish.
//
//	go test -run '^$' -bench StreamingSave -benchtime 20x ./backend/history/
func BenchmarkStreamingSave(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "save.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	c, err := s.CreateConversation(ctx, Conversation{Title: "long"})
	if err != nil {
		b.Fatal(err)
	}
	var sb strings.Builder
	for i := range 10000 {
		fmt.Fprintf(&sb, "w%d ", i)
		if i%50 == 49 {
			sb.WriteString("世界 `x := 100%` 🚀\n\n")
		}
	}
	text := sb.String()
	b.ResetTimer()
	for b.Loop() {
		id, err := s.BeginAssistant(ctx, c.ID, "m", "p")
		if err != nil {
			b.Fatal(err)
		}
		for part := 1; part <= 10; part++ {
			if err := s.UpdateStreaming(ctx, id, text[:len(text)*part/10], ""); err != nil {
				b.Fatal(err)
			}
		}
		if err := s.Finish(ctx, id, Final{Status: StatusComplete, Content: text}); err != nil {
			b.Fatal(err)
		}
	}
}
