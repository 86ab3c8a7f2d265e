package gateway

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzScanChunk holds Decode's fast path to json.Unmarshal: whenever
// scanChunk accepts a chunk, it read what json.Unmarshal reads, and it
// never accepts what json.Unmarshal rejects.
func FuzzScanChunk(f *testing.F) {
	for _, s := range []string{
		`{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}`,
		`{"choices":[{"delta":{"reasoning_content":"think \"hard\"\n","content":null}}],"usage":null}`,
		`{"choices":[{"delta":{"tool_calls":[{"index":1,"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]}}]}`,
		`{"choices":[{"index":0,"message":{"role":"assistant","content":"whole","reasoning":"r"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2}}`,
		`{"choices":[],"usage":{"prompt_tokens":3}}`,
		`{"error":{"message":"overloaded"}}`,
		`{"Choices":[{"delta":{"content":"x"}}]}`,
		`{"choices":[{"delta":{"CONTENT":"x"}}]}`,
		`{"choices":[{"delta":{"content":5}}]}`,
		`{"choices":[{"delta":{"tool_calls":[{"index":1.5}]}}]}`,
		`{"choices":[{"delta":{"tool_calls":[{"index":-0,"function":null},null]}}]}`,
		`{"choices":null}`, `null`, `[]`, `{}`, `{"a":[1,2e5,-0.5,true,false,null,{"b":"\u00e9\ud83d\ude00"}]}`,
		`{"choices":[{"delta":{"content":"bad \xff utf8"}}]}`, `{"choices":[{"delta":{"content":"a"},"delta":{"reasoning":"b"}}]}`,
		`{"choices":[{"delta":{"content":"x"}}],"choices":[]}`, `{"x":01}`, `{"x":1.}`, `{"x":"\q"}`, `{"x":"\u12"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var fast wireChunk
		if !scanChunk(data, &fast) {
			return
		}
		var slow wireChunk
		if err := json.Unmarshal(data, &slow); err != nil {
			t.Fatalf("scanChunk accepted what json.Unmarshal rejects (%v): %q", err, data)
		}
		if !reflect.DeepEqual(normalChunk(fast), normalChunk(slow)) {
			t.Fatalf("%q\nfast %+v\nslow %+v", data, fast, slow)
		}
	})
}

// normalChunk makes empty slices nil: the two readers differ there, and
// Decode does not care.
func normalChunk(c wireChunk) wireChunk {
	if len(c.Choices) == 0 {
		c.Choices = nil
	}
	for i := range c.Choices {
		for _, t := range []*wireText{&c.Choices[i].Delta, &c.Choices[i].Message} {
			if len(t.ToolCalls) == 0 {
				t.ToolCalls = nil
			}
		}
	}
	return c
}

// TestScanChunkTakesThePlainShape makes sure the fast path is the one
// taken for what providers send, or it saves nothing.
func TestScanChunkTakesThePlainShape(t *testing.T) {
	for _, s := range []string{
		`{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi\n"},"logprobs":null,"finish_reason":null}],"usage":null}`,
		`{"choices":[{"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]}}]}`,
		`{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"prompt_tokens_details":{"cached_tokens":0}}}`,
	} {
		var c wireChunk
		if !scanChunk([]byte(s), &c) {
			t.Errorf("fast path refused %s", s)
		}
	}
	var c wireChunk
	if !scanChunk([]byte(`{"choices":[{"delta":{"content":"a\"b","tool_calls":[{"index":2,"function":{"arguments":"{}"}}]},"finish_reason":"tool_calls"}]}`), &c) ||
		c.Choices[0].Delta.Content != `a"b` || c.Choices[0].Delta.ToolCalls[0].Index != 2 || c.Choices[0].FinishReason != "tool_calls" {
		t.Errorf("read %+v", c)
	}
}
