package fakeupstream

import (
	"bufio"
	"net/http"
	"strings"
	"testing"
	"time"
)

// trigger:endless keeps sending until its client leaves, then counts the
// stream as cancelled, never as completed.
func TestEndlessStreamsUntilClientLeaves(t *testing.T) {
	t.Parallel()
	f := NewFake(OpenAI, "k", false)
	ts := f.Start()
	defer ts.Close()
	body := `{"model":"gpt-6-luna","stream":true,"messages":[{"role":"user","content":"trigger:endless"}]}`
	req, _ := http.NewRequest("POST", ts.URL+"/v1/chat/completions", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer k")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(resp.Body)
	for words := 0; words < 3; {
		if !sc.Scan() {
			t.Fatalf("the stream ended after %d words: %v", words, sc.Err())
		}
		words += strings.Count(sc.Text(), `"content":" word"`)
	}
	resp.Body.Close()
	for deadline := time.Now().Add(hang); f.Cancelled() == 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the fake did not see its client leave")
		}
	}
	if f.Completed() != 0 {
		t.Errorf("completed = %d; want 0", f.Completed())
	}
}
