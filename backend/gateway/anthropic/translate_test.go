package anthropic

import (
	"bytes"
	"encoding/json"
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
