package desktop

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/history"
)

// sentMessages is the role:content of each message of the fake's last
// chat request.
func sentMessages(t *testing.T, body []byte) []string {
	t.Helper()
	var req struct {
		Messages []struct {
			Role    string `json:"role"`
			Content any    `json:"content"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		t.Fatalf("request body: %v", err)
	}
	var out []string
	for _, m := range req.Messages {
		s, _ := m.Content.(string)
		out = append(out, m.Role+":"+s)
	}
	return out
}

// A failed turn (its answer an error) is not sent again: the next
// question goes out right after the last good exchange, never after the
// failed questions (two user messages in a row, which DeepSeek's reasoner
// refused with a 400 in 2025). A retry (a regenerate of the failed answer)
// does send the failed question.
func TestFailedTurnsAreNotResent(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, "deepseek")
	first, evs := r.send(t, SendRequest{Model: "deepseek-v4-pro", Text: "hello"})
	answer := joined(evs, KindDelta)
	conv := first.ConversationID
	for _, text := range []string{"trigger:402 one", "trigger:402 two"} {
		_, evs := r.send(t, SendRequest{ConversationID: conv, Model: "deepseek-v4-pro", Text: text})
		if last := evs[len(evs)-1]; last.Kind != KindError {
			t.Fatalf("%q: last event %+v; want an error", text, last)
		}
	}
	_, evs = r.send(t, SendRequest{ConversationID: conv, Model: "deepseek-v4-pro", Text: "still there?"})
	if last := evs[len(evs)-1]; last.Kind != KindDone {
		t.Fatalf("after failed turns: %+v; want an answer", last)
	}
	want := []string{"user:hello", "assistant:" + answer, "user:still there?"}
	if got := sentMessages(t, r.fakes["deepseek"].Last()); !slices.Equal(got, want) {
		t.Errorf("sent %q;\nwant %q", got, want)
	}

	// Retrying the first failed answer sends its question again, after the
	// exchange before it.
	msgs := r.stored(t, conv)
	failedAnswer := msgs[3].ID
	if msgs[2].Content != "trigger:402 one" || msgs[3].Status != history.StatusError {
		t.Fatalf("stored path %+v", msgs)
	}
	if _, err := r.chat.Regenerate("retry", conv, failedAnswer, "deepseek-v4-pro", Params{}); err != nil {
		t.Fatal(err)
	}
	r.rec.wait(t, "retry")
	want = []string{"user:hello", "assistant:" + answer, "user:trigger:402 one"}
	if got := sentMessages(t, r.fakes["deepseek"].Last()); !slices.Equal(got, want) {
		t.Errorf("retry sent %q;\nwant %q", got, want)
	}
}

func TestContextLimitTurns(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, "openai")
	res, _ := r.send(t, SendRequest{Model: "gpt-6-luna", Text: "one"})
	conv := res.ConversationID
	r.send(t, SendRequest{ConversationID: conv, Model: "gpt-6-luna", Text: "two"})
	r.send(t, SendRequest{ConversationID: conv, Model: "gpt-6-luna", Text: "three"})
	last := Params{Context: ContextLimit{Mode: ContextTurns, Turns: 1}}
	count, err := r.chat.ContextCount(conv, "gpt-6-luna", last)
	if err != nil || count.Sent != 1 || count.Total != 3 || count.Tokens <= 0 || count.Window <= 0 {
		t.Errorf("ContextCount = %+v, %v; want 1 of 3 turns, some tokens, the model's window", count, err)
	}
	r.send(t, SendRequest{ConversationID: conv, Model: "gpt-6-luna", Text: "four", Params: last})
	got := sentMessages(t, r.fakes["openai"].Last())
	if len(got) != 3 || got[0] != "user:three" || got[2] != "user:four" {
		t.Errorf("last 1 turn sent %q; want three, its answer, four", got)
	}
	none := Params{Context: ContextLimit{Mode: ContextTurns, Turns: 0}}
	r.send(t, SendRequest{ConversationID: conv, Model: "gpt-6-luna", Text: "five", Params: none})
	if got := sentMessages(t, r.fakes["openai"].Last()); !slices.Equal(got, []string{"user:five"}) {
		t.Errorf("0 turns sent %q; want only the question", got)
	}
	// The limit is the conversation's: it comes back with it.
	d, err := NewHistoryService(r.chat.base, ReadyHistory(r.hist), nil).Get(conv)
	if err != nil || d.Conversation.Params == nil || d.Conversation.Params.Context != none.Context {
		t.Errorf("stored params %+v, %v; want the context limit kept", d.Conversation.Params, err)
	}
}

func msg(role history.Role, content string, status history.Status) history.Message {
	return history.Message{Role: role, Content: content, Status: status}
}

func TestSelectContext(t *testing.T) {
	t.Parallel()
	ok, bad := history.StatusComplete, history.StatusError
	long := strings.Repeat("word ", 800) // about 1,000 tokens
	path := []history.Message{
		msg(history.RoleUser, "q1", ok), msg(history.RoleAssistant, long, ok),
		msg(history.RoleUser, "q2 failed", ok), msg(history.RoleAssistant, "", bad),
		msg(history.RoleUser, "q3 no answer", ok),
		msg(history.RoleUser, "q4", ok), msg(history.RoleAssistant, "half", bad),
		msg(history.RoleAssistant, "orphan answer", ok),
		msg(history.RoleUser, "q5", ok), msg(history.RoleAssistant, "a5", ok),
		msg(history.RoleUser, "question", ok),
	}
	flat := func(p Params, window int) ([]string, ContextCount) {
		sent, q, c := selectContext(path, p, window)
		var out []string
		for _, e := range sent {
			out = append(out, e.user.Content, e.answer.Content)
		}
		if q != nil {
			out = append(out, q.Content)
		}
		return out, c
	}
	for _, tc := range []struct {
		name   string
		p      Params
		window int
		want   []string
		count  ContextCount
	}{
		{"all", Params{}, 0, []string{"q1", long, "q5", "a5", "question"}, ContextCount{Sent: 2, Total: 2}},
		{"last 1", Params{Context: ContextLimit{Mode: ContextTurns, Turns: 1}}, 0, []string{"q5", "a5", "question"}, ContextCount{Sent: 1, Total: 2}},
		{"last 9", Params{Context: ContextLimit{Mode: ContextTurns, Turns: 9}}, 0, []string{"q1", long, "q5", "a5", "question"}, ContextCount{Sent: 2, Total: 2}},
		// 1,000 tokens: a quarter is kept for the answer, so the long
		// first answer does not fit and only the last exchange goes.
		{"budget small", Params{Context: ContextLimit{Mode: ContextBudget}}, 1000, []string{"q5", "a5", "question"}, ContextCount{Sent: 1, Total: 2, Window: 1000}},
		{"budget large", Params{Context: ContextLimit{Mode: ContextBudget}}, 128000, []string{"q1", long, "q5", "a5", "question"}, ContextCount{Sent: 2, Total: 2, Window: 128000}},
		{"budget unknown window", Params{Context: ContextLimit{Mode: ContextBudget}}, 0, []string{"q1", long, "q5", "a5", "question"}, ContextCount{Sent: 2, Total: 2}},
	} {
		got, c := flat(tc.p, tc.window)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: sent %.40q; want %.40q", tc.name, got, tc.want)
		}
		c.Tokens = 0
		if c != tc.count {
			t.Errorf("%s: count %+v; want %+v", tc.name, c, tc.count)
		}
	}
	// No two user messages in a row, whatever the path.
	tr := turn("m", path, Params{}, 0)
	for i := 1; i < len(tr.Messages); i++ {
		if tr.Messages[i].Role == tr.Messages[i-1].Role {
			t.Errorf("messages %d and %d are both %s", i-1, i, tr.Messages[i].Role)
		}
	}
}

// A conversation with a picture in an earlier turn goes on with a model
// that cannot read images: the picture is left out, and the message says
// so, instead of the provider refusing the whole request. A model that
// reads images gets it as it was.
func TestEarlierImagesForATextOnlyModel(t *testing.T) {
	t.Parallel()
	ok := history.StatusComplete
	withImage := msg(history.RoleUser, "what is in this picture?", ok)
	withImage.Images = history.JoinImages([]string{"data:image/png;base64,AAAA"}, []history.Attachment{{Name: "notes.txt", Kind: "text", Size: 5, Text: "hello"}})
	path := []history.Message{withImage, msg(history.RoleAssistant, "a cat", ok), msg(history.RoleUser, "and its colour?", ok)}

	text := forModel(turn("deepseek-v4-pro", path, Params{}, 0), catalog.Model{ID: "deepseek-v4-pro", Provider: "deepseek"})
	first := text.Messages[0]
	if len(first.Images) != 0 {
		t.Errorf("a text-only model was sent %d images", len(first.Images))
	}
	if !strings.Contains(first.Content, "File: notes.txt") || !strings.HasSuffix(first.Content, "what is in this picture?\n\n[1 image(s) not shown: deepseek-v4-pro cannot read images]") {
		t.Errorf("the earlier question as sent: %q", first.Content)
	}
	if got := text.Messages[2]; got.Content != "and its colour?" || len(got.Images) != 0 {
		t.Errorf("the question: %+v", got)
	}

	vision := forModel(turn("gpt-6-luna", path, Params{}, 0), catalog.Model{ID: "gpt-6-luna", Provider: "openai", Vision: true})
	if got := vision.Messages[0]; len(got.Images) != 1 || strings.Contains(got.Content, "not shown") {
		t.Errorf("a model that reads images: %+v", got)
	}
}
