package anthropic

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzChatBody feeds arbitrary bodies to the request translator: it must
// never panic, and whatever it accepts must come out as a JSON object
// with the upstream model and a message list, for a provider that wants
// reasoning back and one that takes a budget.
func FuzzChatBody(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "requests", "*.json"))
	for _, file := range files {
		if strings.HasSuffix(file, ".golden.json") {
			continue
		}
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"model":"m","messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"x","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]}]}]}`))
	r := testRouter(f)
	targets := []string{"deepseek-v4-pro", "qwen-plus"}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, e := Parse(body, false)
		if e != nil {
			if e.Status != 400 {
				t.Fatalf("Parse failed with status %d", e.Status)
			}
			return
		}
		if CountTokens(req) < 1 {
			t.Fatal("CountTokens < 1")
		}
		for _, name := range targets {
			tg, _ := r.Target(name)
			out, e := ChatBody(req, tg, r.SigningKey)
			if e != nil {
				if e.Status != 400 {
					t.Fatalf("ChatBody failed with status %d: %v", e.Status, e)
				}
				continue
			}
			var got struct {
				Model    string            `json:"model"`
				Messages []json.RawMessage `json:"messages"`
			}
			if err := json.Unmarshal(out, &got); err != nil || got.Model != tg.Model.Upstream {
				t.Fatalf("ChatBody wrote %s (%v)", out, err)
			}
		}
	})
}
