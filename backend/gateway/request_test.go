package gateway

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestParseRequest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		body      string
		wantParam string // "" with wantErr=false means valid
		wantErr   bool
	}{
		{"valid", `{"model":"m","messages":[{"role":"user","content":"hi"}]}`, "", false},
		{"valid all roles", `{"model":"m","messages":[{"role":"system"},{"role":"developer"},{"role":"user"},{"role":"assistant"},{"role":"tool"}]}`, "", false},
		{"temperature zero", `{"model":"m","messages":[{"role":"user"}],"temperature":0}`, "", false},
		{"bad json", `{"model":`, "", true},
		{"not an object", `[1,2]`, "", true},
		{"missing model", `{"messages":[{"role":"user"}]}`, "model", true},
		{"empty model", `{"model":"","messages":[{"role":"user"}]}`, "model", true},
		{"model not a string", `{"model":5,"messages":[{"role":"user"}]}`, "model", true},
		{"missing messages", `{"model":"m"}`, "messages", true},
		{"null messages", `{"model":"m","messages":null}`, "messages", true},
		{"messages not array", `{"model":"m","messages":"hi"}`, "messages", true},
		{"empty messages", `{"model":"m","messages":[]}`, "messages", true},
		{"message not object", `{"model":"m","messages":["hi"]}`, "messages", true},
		{"message without role", `{"model":"m","messages":[{"role":"user"},{"content":"x"}]}`, "messages[1].role", true},
		{"bad role", `{"model":"m","messages":[{"role":"robot"}]}`, "messages[0].role", true},
		{"temperature high", `{"model":"m","messages":[{"role":"user"}],"temperature":2.5}`, "temperature", true},
		{"temperature negative", `{"model":"m","messages":[{"role":"user"}],"temperature":-0.1}`, "temperature", true},
		{"temperature string", `{"model":"m","messages":[{"role":"user"}],"temperature":"hot"}`, "temperature", true},
		{"top_p high", `{"model":"m","messages":[{"role":"user"}],"top_p":1.01}`, "top_p", true},
		{"frequency penalty", `{"model":"m","messages":[{"role":"user"}],"frequency_penalty":-2.5}`, "frequency_penalty", true},
		{"presence penalty", `{"model":"m","messages":[{"role":"user"}],"presence_penalty":3}`, "presence_penalty", true},
		{"max_tokens zero", `{"model":"m","messages":[{"role":"user"}],"max_tokens":0}`, "max_tokens", true},
		{"max_completion_tokens negative", `{"model":"m","messages":[{"role":"user"}],"max_completion_tokens":-1}`, "max_completion_tokens", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, e := ParseRequest([]byte(tc.body))
			if !tc.wantErr {
				if e != nil {
					t.Fatalf("got error %v; want none", e)
				}
				return
			}
			if e == nil {
				t.Fatalf("got no error; want 400 on %q", tc.wantParam)
			}
			if e.HTTPStatus() != 400 || e.Param != tc.wantParam {
				t.Errorf("got status %d param %q; want 400 %q (%s)", e.HTTPStatus(), e.Param, tc.wantParam, e.Message)
			}
		})
	}
}

func TestParseRequestStreamFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		body                string
		stream, includeUsed bool
	}{
		{`{"model":"m","messages":[{"role":"user"}]}`, false, false},
		{`{"model":"m","messages":[{"role":"user"}],"stream":true}`, true, false},
		{`{"model":"m","messages":[{"role":"user"}],"stream":true,"stream_options":{"include_usage":true}}`, true, true},
		{`{"model":"m","messages":[{"role":"user"}],"stream":false,"stream_options":{"include_usage":true}}`, false, false},
	} {
		r, e := ParseRequest([]byte(tc.body))
		if e != nil {
			t.Fatal(e)
		}
		if r.Stream != tc.stream || r.IncludeUsage != tc.includeUsed {
			t.Errorf("%s: got stream=%v usage=%v; want %v %v", tc.body, r.Stream, r.IncludeUsage, tc.stream, tc.includeUsed)
		}
	}
}

func TestReplaceModel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{`{"model":"a","messages":[]}`, `{"model":"B","messages":[]}`},
		{`{"messages":[{"model":"inner","content":"\"model\":\"x\""}], "model" : "a" ,"x":1}`, `{"messages":[{"model":"inner","content":"\"model\":\"x\""}], "model" : "B" ,"x":1}`},
		{"{\n  \"temperature\": 0,\n  \"model\": \"a\"\n}", "{\n  \"temperature\": 0,\n  \"model\": \"B\"\n}"},
		{`{"m\"odel":"keep","model":"a"}`, `{"m\"odel":"keep","model":"B"}`},
		{`{"model":"a","model":"b"}`, `{"model":"a","model":"B"}`},
		{`{"tools":[{"a":[1,{"b":"}"}]}],"model":"\u00e9"}`, `{"tools":[{"a":[1,{"b":"}"}]}],"model":"B"}`},
	} {
		got, err := ReplaceModel([]byte(tc.in), "B")
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if string(got) != tc.want {
			t.Errorf("got %s; want %s", got, tc.want)
		}
	}
	for _, bad := range []string{``, `[]`, `{"model":"a"`, `{"x":1}`, `{"model" "a"}`} {
		if _, err := ReplaceModel([]byte(bad), "B"); err == nil {
			t.Errorf("ReplaceModel(%q): got no error; want one", bad)
		}
	}
}

// FuzzReplaceModel checks that for any JSON object with a model field the
// edit changes the model and nothing else.
func FuzzReplaceModel(f *testing.F) {
	for _, s := range []string{
		`{"model":"a","messages":[{"role":"user","content":"hi"}]}`,
		`{"temperature":0,"model":"x","tools":[{"type":"function"}],"enable_thinking":true}`,
		`{"a":"\\\"","model":"m","b":{"model":"n"}}`,
		` { "model" : "a" } `,
	} {
		f.Add([]byte(s), "new-model")
	}
	f.Fuzz(func(t *testing.T, body []byte, model string) {
		var before map[string]any
		if json.Unmarshal(body, &before) != nil {
			return // ParseRequest rejects such bodies before any edit
		}
		if _, ok := before["model"]; !ok {
			return
		}
		out, err := ReplaceModel(body, model)
		if err != nil {
			t.Fatalf("ReplaceModel(%q): %v", body, err)
		}
		var after map[string]any
		if err := json.Unmarshal(out, &after); err != nil {
			t.Fatalf("output %q is not JSON: %v", out, err)
		}
		var want string // invalid UTF-8 is sent as U+FFFD, as encoding/json does
		b, _ := json.Marshal(model)
		json.Unmarshal(b, &want)
		if after["model"] != want {
			t.Fatalf("got model %v; want %q", after["model"], want)
		}
		delete(before, "model")
		delete(after, "model")
		if !reflect.DeepEqual(before, after) {
			t.Fatalf("other fields changed: %v -> %v", before, after)
		}
	})
}
