package anthropic

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestChatBodyGolden translates each request in testdata/requests for the
// model it names and compares the chat-completions body with its golden
// file (NAME.chat.golden.json).
func TestChatBodyGolden(t *testing.T) {
	t.Parallel()
	r := testRouter(t)
	files, _ := filepath.Glob(filepath.Join("testdata", "requests", "*.json"))
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".golden.json") {
			continue
		}
		n++
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			req, e := Parse(body, true)
			if e != nil {
				t.Fatal(e)
			}
			out, e := ChatBody(req, target(t, r, req.Model), r.SigningKey)
			if e != nil {
				t.Fatal(e)
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, out, "", "  "); err != nil {
				t.Fatal(err)
			}
			pretty.WriteByte('\n')
			golden(t, filepath.Join("requests", name+".chat.golden.json"), pretty.Bytes())
		})
	}
	if n < 6 {
		t.Fatalf("found %d request files; want the 6 in testdata/requests", n)
	}
}

// TestChatBodyClampsMaxTokens: Claude Code asks for more tokens than many
// models can write; the translation lowers the limit to the model's.
func TestChatBodyClampsMaxTokens(t *testing.T) {
	t.Parallel()
	r := testRouter(t)
	for _, tc := range []struct {
		maxOutput int
		asked     int64
		want      float64
	}{{16384, 64000, 16384}, {16384, 1000, 1000}, {0, 64000, 64000}} {
		req, e := Parse([]byte(fmt.Sprintf(`{"model":"cerebras/any","max_tokens":%d,"messages":[{"role":"user","content":"hi"}]}`, tc.asked)), true)
		if e != nil {
			t.Fatal(e)
		}
		tg := target(t, r, req.Model)
		tg.Model.MaxOutput = tc.maxOutput
		out, e := ChatBody(req, tg, r.SigningKey)
		if e != nil {
			t.Fatal(e)
		}
		var body map[string]any
		json.Unmarshal(out, &body)
		if got := body[tg.MaxTokensField()]; got != tc.want {
			t.Errorf("model limit %d, asked %d: sent %v; want %v", tc.maxOutput, tc.asked, got, tc.want)
		}
	}
}
