package history

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writerEnv tells a re-executed test binary to act as the crashing writer.
const writerEnv = "HISTORY_TEST_WRITER_DB"

// streamed returns what the writer has received after n chunks; each
// version extends the previous one, as a real stream does.
func streamed(prefix string, n int) string {
	var sb strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&sb, "%s %d; ", prefix, i)
	}
	return sb.String()
}

// crashWriter is the child half of TestCrashDuringStreaming, run by
// TestMain in a re-executed test binary: it streams an answer into the
// database, reporting each committed update on stdout, until the parent
// kills it. It returns an error only if something went wrong first.
func crashWriter(path string) error {
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		return err
	}
	c, err := s.CreateConversation(ctx, Conversation{Title: "crash"})
	if err != nil {
		return err
	}
	if _, err := s.AddMessage(ctx, Message{ConversationID: c.ID, Role: RoleUser, Content: "tell me a story", Status: StatusComplete}); err != nil {
		return err
	}
	id, err := s.BeginAssistant(ctx, c.ID, "deepseek-v4-pro", "deepseek")
	if err != nil {
		return err
	}
	for i := 1; i <= 10000; i++ {
		if err := s.UpdateStreaming(ctx, id, streamed("chunk", i), streamed("thought", i)); err != nil {
			return err
		}
		fmt.Printf("saved %s %s %d\n", c.ID, id, i)
		time.Sleep(2 * time.Millisecond)
	}
	return errors.New("the parent never killed this writer")
}

// TestCrashDuringStreaming kills a writer with SIGKILL in the middle of a
// streamed answer and checks that reopening keeps every committed update,
// marks the answer interrupted and leaves a sound database.
func TestCrashDuringStreaming(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "crash.db")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), writerEnv+"="+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start writer: %v", err)
	}
	var convID, msgID string
	saved := 0
	for lines := bufio.NewScanner(out); saved < 5 && lines.Scan(); {
		_, _ = fmt.Sscanf(lines.Text(), "saved %s %s %d", &convID, &msgID, &saved)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatalf("kill writer: %v", err)
	}
	waitErr := cmd.Wait()
	if saved < 5 {
		t.Fatalf("writer reported %d updates before exiting (%v); stderr:\n%s", saved, waitErr, stderr.String())
	}
	var exitErr *exec.ExitError
	if !errors.As(waitErr, &exitErr) || exitErr.Exited() {
		t.Fatalf("writer wait = %v; want death by signal", waitErr)
	}
	checkRecovered(t, path, convID, msgID, saved)
}

func checkRecovered(t *testing.T, path, convID, msgID string, saved int) {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer s.Close()
	checkIntegrity(t, s)
	_, msgs, err := s.GetConversation(context.Background(), convID)
	if err != nil || len(msgs) != 2 || msgs[1].ID != msgID {
		t.Fatalf("after kill: messages %+v, %v; want the question and the answer %s", msgs, err, msgID)
	}
	m := msgs[1]
	if m.Status != StatusInterrupted {
		t.Errorf("status after kill = %q; want %q", m.Status, StatusInterrupted)
	}
	// The writer may have committed a few more updates between its last
	// report and the kill, but never fewer, and never a torn one.
	n := strings.Count(m.Content, "chunk ")
	if n < saved || m.Content != streamed("chunk", n) || m.Reasoning != streamed("thought", n) {
		t.Errorf("after kill: %d chunks, content %.40q…, reasoning %.40q…; want >= %d intact chunks",
			n, m.Content, m.Reasoning, saved)
	}
	if err := s.UpdateStreaming(context.Background(), msgID, "late", ""); !errors.Is(err, ErrNotStreaming) {
		t.Errorf("UpdateStreaming on the interrupted answer = %v; want ErrNotStreaming", err)
	}
}
