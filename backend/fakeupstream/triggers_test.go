package fakeupstream

import (
	"bufio"
	"encoding/json"
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
	resp := postChat(t, ts.URL, body)
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

// trigger:echo answers the rest of the message exactly, backslashes,
// dollars and newlines included, in more than one chunk.
func TestEchoAnswersTheTextVerbatim(t *testing.T) {
	t.Parallel()
	f := NewFake(DeepSeek, "k", false)
	ts := f.Start()
	defer ts.Close()
	want := "Inline $x^2$ and \\(a+b\\)\n\n\\[\\frac{1}{2}\\]\n\n- [x] done"
	msg, _ := json.Marshal("trigger:echo " + want)
	body := `{"model":"deepseek-flash","stream":true,"messages":[{"role":"user","content":` + string(msg) + `}]}`
	resp := postChat(t, ts.URL, body)
	defer resp.Body.Close()
	deltas, done := readDeltas(t, resp)
	var got strings.Builder
	chunks := 0
	for d := range deltas {
		got.WriteString(d.content)
		chunks++
	}
	if !*done || got.String() != want || chunks < 2 {
		t.Fatalf("echo: done=%v, %d chunks, got %q; want %q", *done, chunks, got.String(), want)
	}
}

// postChat posts a chat request body to a fake whose key is "k".
func postChat(t *testing.T, url, body string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", url+"/v1/chat/completions", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer k")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}
