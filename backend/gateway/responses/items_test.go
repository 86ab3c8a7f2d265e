package responses

import (
	"encoding/json"
	"strings"
	"testing"

	"thinkcloud/backend/gateway"
)

// TestItems translates each input item type on its own (after a user
// message where a call needs context) and compares the chat messages.
func TestItems(t *testing.T) {
	t.Parallel()
	sealed, err := testSealer().Seal("sealed thoughts", "m")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		items  string // a JSON array of items
		replay string // the dialect's reasoning field
		want   string // the chat messages, compact JSON
		err    string // a part of the error message instead
	}{
		{"user string", `[{"role":"user","content":"hi"}]`, "", `[{"content":"hi","role":"user"}]`, ""},
		{"user text parts joined", `[{"type":"message","role":"user","content":[{"type":"input_text","text":"a"},{"type":"input_text","text":"b"}]}]`, "", `[{"content":"a\n\nb","role":"user"}]`, ""},
		{"user image", `[{"role":"user","content":[{"type":"input_text","text":"see"},{"type":"input_image","image_url":"https://x/y.png","detail":"high"}]}]`, "",
			`[{"content":[{"text":"see","type":"text"},{"image_url":{"detail":"high","url":"https://x/y.png"},"type":"image_url"}],"role":"user"}]`, ""},
		{"image by file id", `[{"role":"user","content":[{"type":"input_image","file_id":"file-1"}]}]`, "", "", "uploaded files (file_id)"},
		{"input file", `[{"role":"user","content":[{"type":"input_file","file_data":"x"}]}]`, "", "", "input_file parts"},
		{"system and developer merge", `[{"role":"system","content":"a"},{"role":"developer","content":"b"},{"role":"user","content":"c"}]`, "",
			`[{"content":"a\n\nb","role":"system"},{"content":"c","role":"user"}]`, ""},
		{"bad role", `[{"role":"tool","content":"x"}]`, "", "", `"tool" is not one of`},
		{"assistant text", `[{"type":"message","role":"assistant","content":[{"type":"output_text","text":"ok"}]}]`, "", `[{"content":"ok","role":"assistant"}]`, ""},
		{"assistant refusal", `[{"type":"message","role":"assistant","content":[{"type":"refusal","refusal":"no"}]}]`, "", `[{"content":"no","role":"assistant"}]`, ""},
		{"text and calls make one message", `[{"role":"assistant","content":"let me"},{"type":"function_call","name":"f","arguments":"{}","call_id":"c1"},{"type":"function_call","name":"g","arguments":"","call_id":"c2"}]`, "",
			`[{"content":"let me","role":"assistant","tool_calls":[{"function":{"arguments":"{}","name":"f"},"id":"c1","type":"function"},{"function":{"arguments":"{}","name":"g"},"id":"c2","type":"function"}]}]`, ""},
		{"namespaced call", `[{"type":"function_call","namespace":"mcp__fs__","name":"read","arguments":"{}","call_id":"c"}]`, "",
			`[{"content":"","role":"assistant","tool_calls":[{"function":{"arguments":"{}","name":"mcp__fs__read"},"id":"c","type":"function"}]}]`, ""},
		{"custom call", `[{"type":"custom_tool_call","name":"apply_patch","input":"P","call_id":"c"}]`, "",
			`[{"content":"","role":"assistant","tool_calls":[{"function":{"arguments":"{\"input\":\"P\"}","name":"apply_patch"},"id":"c","type":"function"}]}]`, ""},
		{"local shell call", `[{"type":"local_shell_call","call_id":"c","status":"completed","action":{"type":"exec","command":["ls"]}}]`, "",
			`[{"content":"","role":"assistant","tool_calls":[{"function":{"arguments":"{\"command\":[\"ls\"]}","name":"local_shell"},"id":"c","type":"function"}]}]`, ""},
		{"function output", `[{"type":"function_call_output","call_id":"c","output":"42"}]`, "", `[{"content":"42","role":"tool","tool_call_id":"c"}]`, ""},
		{"function output parts", `[{"type":"function_call_output","call_id":"c","output":[{"type":"input_text","text":"a"},{"type":"input_text","text":"b"}]}]`, "", `[{"content":"a\nb","role":"tool","tool_call_id":"c"}]`, ""},
		{"custom output", `[{"type":"custom_tool_call_output","call_id":"c","output":"done"}]`, "", `[{"content":"done","role":"tool","tool_call_id":"c"}]`, ""},
		{"local shell output by id", `[{"type":"local_shell_call_output","id":"c","output":"a.txt"}]`, "", `[{"content":"a.txt","role":"tool","tool_call_id":"c"}]`, ""},
		{"output image after the tool messages", `[{"type":"function_call","name":"f","call_id":"c","arguments":"{}"},{"type":"function_call_output","call_id":"c","output":[{"type":"input_image","image_url":"data:image/png;base64,AA=="}]},{"role":"user","content":"next"}]`, "",
			`[{"content":"","role":"assistant","tool_calls":[{"function":{"arguments":"{}","name":"f"},"id":"c","type":"function"}]},{"content":"","role":"tool","tool_call_id":"c"},{"content":[{"text":"Images returned by the tool calls above:","type":"text"},{"image_url":{"url":"data:image/png;base64,AA=="},"type":"image_url"}],"role":"user"},{"content":"next","role":"user"}]`, ""},
		{"sealed reasoning replayed", `[{"type":"reasoning","summary":[],"encrypted_content":"` + sealed + `"},{"type":"function_call","name":"f","arguments":"{}","call_id":"c"}]`, "reasoning_content",
			`[{"content":"","reasoning_content":"sealed thoughts","role":"assistant","tool_calls":[{"function":{"arguments":"{}","name":"f"},"id":"c","type":"function"}]}]`, ""},
		{"summary reasoning replayed", `[{"type":"reasoning","summary":[{"type":"summary_text","text":"s1"},{"type":"summary_text","text":"s2"}]},{"role":"assistant","content":"x"}]`, "reasoning_content",
			`[{"content":"x","reasoning_content":"s1\n\ns2","role":"assistant"}]`, ""},
		{"raw reasoning replayed", `[{"type":"reasoning","summary":[],"content":[{"type":"reasoning_text","text":"raw"}]},{"role":"assistant","content":"x"}]`, "reasoning",
			`[{"content":"x","reasoning":"raw","role":"assistant"}]`, ""},
		{"reasoning dropped without a replay field", `[{"type":"reasoning","summary":[{"type":"summary_text","text":"s"}]},{"role":"assistant","content":"x"}]`, "",
			`[{"content":"x","role":"assistant"}]`, ""},
		{"reasoning before a user message is dropped", `[{"type":"reasoning","summary":[{"type":"summary_text","text":"s"}]},{"role":"user","content":"x"}]`, "reasoning_content",
			`[{"content":"x","role":"user"}]`, ""},
		{"foreign encrypted content", `[{"type":"reasoning","summary":[],"encrypted_content":"gAAAA"}]`, "reasoning_content", "", "was not made by ThinkCloud"},
		{"hosted call records skipped", `[{"role":"user","content":"q"},{"type":"web_search_call","id":"ws","status":"completed"},{"type":"image_generation_call","id":"ig"}]`, "", `[{"content":"q","role":"user"}]`, ""},
		{"item reference", `[{"type":"item_reference","id":"msg_1"}]`, "", "", "item_reference"},
		{"unknown item", `[{"type":"apply_patch_call","call_id":"c"}]`, "", "", `"apply_patch_call" cannot be translated`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var items []Item
			if err := json.Unmarshal([]byte(tc.items), &items); err != nil {
				t.Fatal(err)
			}
			for i := range items {
				if items[i].Type == "" {
					items[i].Type = TypeMessage
				}
			}
			m := &messages{names: newToolNames(), replay: tc.replay, open: testSealer().opener()}
			var e *gateway.Error
			for i, it := range items {
				if e = m.add("input["+string(rune('0'+i))+"]", it); e != nil {
					break
				}
			}
			if tc.err != "" {
				if e == nil || !strings.Contains(e.Message, tc.err) || e.Status != 400 {
					t.Fatalf("got error %v; want a 400 containing %q", e, tc.err)
				}
				return
			}
			if e != nil {
				t.Fatal(e)
			}
			got, _ := json.Marshal(m.done())
			if string(got) != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestParse checks request-level validation and the shapes input takes.
func TestParse(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body string
		param      string // the 400's param; "" for success
		check      func(*Request) bool
	}{
		{"string input", `{"model":"m","input":"hi"}`, "", func(r *Request) bool { return len(r.Input) == 1 && r.Input[0].Role == "user" && r.Store }},
		{"store false, stream, include", `{"model":"m","input":"x","store":false,"stream":true,"include":["reasoning.encrypted_content"]}`, "", func(r *Request) bool { return !r.Store && r.Stream && r.Encrypted() }},
		{"easy message gets its type", `{"model":"m","input":[{"role":"user","content":"x"}]}`, "", func(r *Request) bool { return r.Input[0].Type == TypeMessage }},
		{"reasoning options", `{"model":"m","input":"x","reasoning":{"effort":"high","summary":"auto"}}`, "", func(r *Request) bool { return r.Effort == "high" && r.Summary == "auto" }},
		{"previous id alone", `{"model":"m","previous_response_id":"resp_tc_1"}`, "", func(r *Request) bool { return r.PreviousResponseID == "resp_tc_1" }},
		{"no model", `{"input":"x"}`, "model", nil},
		{"empty input", `{"model":"m","input":[]}`, "input", nil},
		{"input of the wrong shape", `{"model":"m","input":{"a":1}}`, "input", nil},
		{"temperature too high", `{"model":"m","input":"x","temperature":3}`, "temperature", nil},
		{"top_p too high", `{"model":"m","input":"x","top_p":1.5}`, "top_p", nil},
		{"max_output_tokens zero", `{"model":"m","input":"x","max_output_tokens":0}`, "max_output_tokens", nil},
		{"tools not an array", `{"model":"m","input":"x","tools":{}}`, "tools", nil},
		{"stream of the wrong type", `{"model":"m","input":"x","stream":"yes"}`, "stream", nil},
		{"background", `{"model":"m","input":"x","background":true}`, "background", nil},
		{"conversation", `{"model":"m","input":"x","conversation":"conv_1"}`, "conversation", nil},
		{"prompt template", `{"model":"m","prompt":{"id":"p"}}`, "prompt", nil},
		{"not JSON", `{`, "", nil},
	} {
		req, e := Parse([]byte(tc.body))
		switch {
		case tc.check != nil && e != nil:
			t.Errorf("%s: %v", tc.name, e)
		case tc.check != nil && !tc.check(req):
			t.Errorf("%s: got %+v", tc.name, req)
		case tc.check == nil && (e == nil || e.Status != 400 || e.Param != tc.param):
			t.Errorf("%s: got %v; want a 400 for %q", tc.name, e, tc.param)
		}
	}
}

// TestToolNames checks that flat names stay valid, unique and map back.
func TestToolNames(t *testing.T) {
	t.Parallel()
	n := newToolNames()
	long := strings.Repeat("n", 70)
	a := n.add(toolRef{kind: kindFunction, namespace: "ns", name: "x"})
	b := n.add(toolRef{kind: kindFunction, name: "ns__x"}) // collides with a
	c := n.add(toolRef{kind: kindCustom, namespace: "mcp__srv__", name: "t.b"})
	d := n.add(toolRef{kind: kindFunction, namespace: long, name: "y"})
	if a != "ns__x" || b != "ns__x_2" || c != "mcp__srv__t_b" || len(d) != 64 {
		t.Fatalf("got %q %q %q %q", a, b, c, d)
	}
	if r := n.lookup(c); r.kind != kindCustom || r.namespace != "mcp__srv__" || r.name != "t.b" {
		t.Errorf("lookup(%q) = %+v", c, r)
	}
	if r := n.lookup(d); r.namespace != long || r.name != "y" {
		t.Errorf("lookup(%q) = %+v", d, r)
	}
	if r := n.lookup("invented"); r.kind != kindFunction || r.name != "invented" || r.namespace != "" {
		t.Errorf("lookup(invented) = %+v", r)
	}
	if n.chatName(toolRef{namespace: "ns", name: "x"}) != a || n.chatName(toolRef{namespace: "gone", name: "z"}) != "gone__z" {
		t.Error("chatName does not reuse registered names")
	}
}
