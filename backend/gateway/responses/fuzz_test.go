package responses

import (
	"encoding/json"
	"testing"
)

// FuzzBuild feeds arbitrary bodies to Parse and Build: they must answer
// with a 4xx or a chat body that is JSON with messages and the upstream
// model, and never panic.
func FuzzBuild(f *testing.F) {
	for _, seed := range []string{
		`{"model":"deepseek-v4-pro","input":"hi"}`,
		`{"model":"kimi-k3","input":[{"role":"user","content":[{"type":"input_text","text":"a"},{"type":"input_image","image_url":"x"}]},{"type":"reasoning","summary":[{"type":"summary_text","text":"s"}]},{"type":"function_call","name":"f","namespace":"n","arguments":"{}","call_id":"c"},{"type":"function_call_output","call_id":"c","output":[{"type":"input_text","text":"o"}]}],"tools":[{"type":"namespace","name":"n","tools":[{"type":"function","name":"f"}]},{"type":"custom","name":"p","format":{"type":"grammar","syntax":"lark","definition":"x"}}],"tool_choice":{"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"f","namespace":"n"}]}}`,
		`{"model":"qwen-plus","input":[{"type":"local_shell_call","call_id":"c","action":{"type":"exec","command":["ls"]}},{"type":"local_shell_call_output","id":"c","output":"x"}],"tools":[{"type":"local_shell"},{"type":"web_search"}],"text":{"format":{"type":"json_schema","name":"n","schema":{}}},"reasoning":{"effort":"none"}}`,
		`{"model":"qwen-3.8-27b","input":[{"type":"reasoning","encrypted_content":"tc1_AAAA"}],"max_output_tokens":5,"parallel_tool_calls":true}`,
		`{"model":"deepseek-flash","input":[{"type":"custom_tool_call","name":"p","input":"x","call_id":"c"},{"type":"item_reference","id":"i"}]}`,
	} {
		f.Add([]byte(seed))
	}
	r := testRouter(f)
	sealer := testSealer()
	f.Fuzz(func(t *testing.T, body []byte) {
		req, e := Parse(body)
		if e != nil {
			if e.HTTPStatus() != 400 {
				t.Fatalf("Parse: status %d", e.HTTPStatus())
			}
			return
		}
		target, e := r.Target(req.Model)
		if e != nil {
			return
		}
		plan, e := Build(req, nil, target, Options{DropTools: []string{"web_search"}, Sealer: sealer})
		if e != nil {
			if s := e.HTTPStatus(); s != 400 && s != 404 {
				t.Fatalf("Build: status %d: %v", s, e)
			}
			return
		}
		var chat struct {
			Model    string            `json:"model"`
			Messages []json.RawMessage `json:"messages"`
		}
		if err := json.Unmarshal(plan.Body, &chat); err != nil || chat.Model != target.Model.Upstream || len(chat.Messages) == 0 {
			t.Fatalf("bad chat body %s: %v", plan.Body, err)
		}
	})
}
