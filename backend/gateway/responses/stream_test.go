package responses

import (
	"errors"
	"strings"
	"testing"

	"thinkcloud/backend/gateway"
)

func plan(t *testing.T, body string) *Plan {
	t.Helper()
	req, e := Parse([]byte(body))
	if e != nil {
		t.Fatal(e)
	}
	target, e := testRouter(t).Target(req.Model)
	if e != nil {
		t.Fatal(e)
	}
	p, e := Build(req, nil, target, Options{Sealer: testSealer()})
	if e != nil {
		t.Fatal(e)
	}
	return p
}

// TestTranslatorSummaryNone checks that reasoning.summary "none" gets the
// raw reasoning as reasoning_text, as if no summary was asked for.
func TestTranslatorSummaryNone(t *testing.T) {
	t.Parallel()
	var types []string
	tr := NewTranslator(plan(t, `{"model":"deepseek-v4-pro","input":"x","reasoning":{"summary":"none"}}`),
		TranslatorOptions{Emit: func(ev Event) error { types = append(types, ev.Type); return nil }})
	tr.Start()
	tr.Feed(gateway.Delta{Reasoning: "r"})
	tr.Feed(gateway.Delta{Content: "c"})
	if _, err := tr.Finish(); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(types, " ")
	if !strings.Contains(got, "response.reasoning_text.delta") || strings.Contains(got, "summary") {
		t.Errorf("events: %s", got)
	}
}

// TestTranslatorClientGone checks that a failed write stops the
// translation with that error.
func TestTranslatorClientGone(t *testing.T) {
	t.Parallel()
	gone := errors.New("client gone")
	n := 0
	tr := NewTranslator(plan(t, `{"model":"deepseek-flash","input":"x"}`), TranslatorOptions{Emit: func(Event) error {
		if n++; n > 3 {
			return gone
		}
		return nil
	}})
	tr.Start()
	var err error
	for i := 0; i < 10 && err == nil; i++ {
		err = tr.Feed(gateway.Delta{Content: "word "})
	}
	if !errors.Is(err, gone) {
		t.Errorf("got %v; want the write error", err)
	}
}

// TestTranslatorItemsForTheStore checks what a later turn reads back: the
// reasoning in plain text, calls with their namespace, custom input.
func TestTranslatorItemsForTheStore(t *testing.T) {
	t.Parallel()
	p := plan(t, `{"model":"deepseek-v4-pro","input":"x","tools":[{"type":"namespace","name":"ns","tools":[{"type":"function","name":"f"}]},{"type":"custom","name":"c"}]}`)
	tr := NewTranslator(p, TranslatorOptions{})
	tr.Feed(gateway.Delta{Reasoning: "think"})
	tr.Feed(gateway.Delta{ToolCalls: []gateway.ToolCallDelta{{Index: 0, ID: "a", Name: "ns__f", Arguments: `{"k":1}`}, {Index: 1, ID: "b", Name: "c", Arguments: `{"input":"raw"}`}}})
	resp, err := tr.Finish()
	if err != nil || resp.Status != "completed" {
		t.Fatalf("%v %v", resp, err)
	}
	items := tr.Items()
	if len(items) != 3 || items[0].Content[0].Text != "think" || items[0].EncryptedContent != "" ||
		items[1].Namespace != "ns" || items[1].Name != "f" || items[1].Arguments != `{"k":1}` ||
		items[2].Type != TypeCustomCall || items[2].Input != "raw" {
		t.Errorf("items: %+v", items)
	}
	// Read back, they make the same chat turn again.
	m := &messages{names: p.names, replay: "reasoning_content", open: testSealer().opener()}
	for _, it := range items {
		if e := m.add("item", it); e != nil {
			t.Fatal(e)
		}
	}
	got := mustJSON(t, m.done())
	want := `[{"content":"","reasoning_content":"think","role":"assistant","tool_calls":[{"function":{"arguments":"{\"k\":1}","name":"ns__f"},"id":"a","type":"function"},{"function":{"arguments":"{\"input\":\"raw\"}","name":"c"},"id":"b","type":"function"}]}]`
	if string(got) != want {
		t.Errorf("read back:\n got %s\nwant %s", got, want)
	}
}
