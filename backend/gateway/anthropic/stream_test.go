package anthropic

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"thinkcloud/backend/gateway"
)

// TestStreamGolden feeds each provider stream in testdata/streams (chat
// completions SSE, as the provider named by the file's prefix sends it)
// through Answer twice: streaming, compared with NAME.events.golden (the
// Anthropic SSE a client receives), and gathered, compared with
// NAME.message.golden (the non-streaming answer, or the error response).
func TestStreamGolden(t *testing.T) {
	t.Parallel()
	r := testRouter(t)
	files, _ := filepath.Glob(filepath.Join("testdata", "streams", "*.sse"))
	if len(files) < 8 {
		t.Fatalf("found %d streams; want the 8 in testdata/streams", len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".sse")
		provider, _, _ := strings.Cut(name, "-")
		t.Run(name, func(t *testing.T) {
			o := StreamOptions{ID: "msg_test", Model: "test-model", Provider: provider, Key: signingKey(t, r, provider), InputTokens: 42}
			golden(t, filepath.Join("streams", name+".events.golden"), streamed(t, f, provider, o))
			o.Record = true
			golden(t, filepath.Join("streams", name+".message.golden"), gathered(t, f, provider, o))
		})
	}
}

func open(t *testing.T, path string) *gateway.SSEReader {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return gateway.NewSSEReader(bytes.NewReader(b))
}

// streamed is the SSE a streaming client gets, as the server writes it.
func streamed(t *testing.T, path, provider string, o StreamOptions) []byte {
	a := NewAnswer(open(t, path), provider, o)
	var out bytes.Buffer
	write := func(evs []Event) {
		for _, ev := range evs {
			fmt.Fprintf(&out, "event: %s\ndata: %s\n\n", ev.Name, ev.Data)
		}
	}
	write(a.Start())
	for {
		evs, done, e := a.Next()
		if e != nil {
			write([]Event{ErrorEvent(e)})
			break
		}
		write(evs)
		if done {
			break
		}
	}
	return out.Bytes()
}

// gathered is the body a non-streaming client gets.
func gathered(t *testing.T, path, provider string, o StreamOptions) []byte {
	a := NewAnswer(open(t, path), provider, o)
	for {
		_, done, e := a.Next()
		if e != nil {
			return []byte(fmt.Sprintf("HTTP %d\n%s\n", e.HTTPStatus(), ErrorBody(e)))
		}
		if done {
			break
		}
	}
	msg, err := a.Message()
	if err != nil {
		return []byte("error: " + err.Error() + "\n")
	}
	var pretty bytes.Buffer
	json.Indent(&pretty, msg, "", "  ")
	pretty.WriteByte('\n')
	return pretty.Bytes()
}

// TestStreamSignaturesVerify closes the loop: the signature a stream puts
// on a thinking block lets the block back in on the next turn.
func TestStreamSignaturesVerify(t *testing.T) {
	t.Parallel()
	r := testRouter(t)
	a := NewAnswer(open(t, filepath.Join("testdata", "streams", "kimi-tools.sse")), "kimi",
		StreamOptions{ID: "msg_x", Model: "m", Provider: "kimi", Key: signingKey(t, r, "kimi"), Record: true})
	for {
		_, done, e := a.Next()
		if e != nil {
			t.Fatal(e)
		}
		if done {
			break
		}
	}
	msg, err := a.Message()
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Content json.RawMessage `json:"content"`
	}
	json.Unmarshal(msg, &m)
	body := `[{"role":"user","content":"read"},{"role":"assistant","content":` + string(m.Content) +
		`},{"role":"user","content":[{"type":"tool_result","tool_use_id":"read_file:0","content":"A"},{"type":"tool_result","tool_use_id":"read_file:1","content":"B"}]}]`
	out, errText := translate(t, "kimi-k3", body, "")
	if errText != "" {
		t.Fatal(errText)
	}
	if got := msg0(out, 1)["reasoning_content"]; got != "Two files to read." {
		t.Errorf("reasoning_content: got %v; want the thinking text back", got)
	}
}

func msg0(body map[string]any, i int) map[string]any {
	return body["messages"].([]any)[i].(map[string]any)
}

// TestStreamOmittedThinking: with display "omitted" the client gets
// thinking blocks without text, the signature carries it, and it comes
// back to the provider on the next turn.
func TestStreamOmittedThinking(t *testing.T) {
	t.Parallel()
	r := testRouter(t)
	o := StreamOptions{ID: "msg_test", Model: "test-model", Provider: "deepseek", Key: signingKey(t, r, "deepseek"), OmitThinking: true}
	path := filepath.Join("testdata", "streams", "deepseek-reasoning.sse")
	events := string(streamed(t, path, "deepseek", o))
	if strings.Contains(events, "thinking_delta") || !strings.Contains(events, `"type":"signature_delta"`) {
		t.Fatalf("omitted thinking still streamed, or no signature:\n%s", events)
	}
	o.Record = true
	var m struct {
		Content []map[string]any `json:"content"`
	}
	json.Unmarshal(gathered(t, path, "deepseek", o), &m)
	if m.Content[0]["thinking"] != "" || strings.Count(m.Content[0]["signature"].(string), ".") != 3 {
		t.Fatalf("thinking block: %v", m.Content[0])
	}
	block, _ := json.Marshal(m.Content[0])
	body := `[{"role":"user","content":"hi"},{"role":"assistant","content":[` + string(block) + `,{"type":"tool_use","id":"c","name":"f","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"c","content":"x"}]}]`
	out, errText := translate(t, "deepseek-v4-pro", body, "")
	if errText != "" {
		t.Fatal(errText)
	}
	if got := msg0(out, 1)["reasoning_content"]; got != "The user greets me." {
		t.Errorf("reasoning_content: got %v", got)
	}
}
