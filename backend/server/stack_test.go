package server_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"thinkcloud/backend/core"
	"thinkcloud/backend/fakeupstream"
	"thinkcloud/backend/internal/testrig"
)

// stack is the real endpoint (core wiring included) in front of fake
// providers.
type stack struct {
	url   string
	fakes map[string]*fakeupstream.Fake
	logs  *testrig.Buffer
	core  *core.Core
}

// newStack starts fakes for kinds (all five when empty) and an endpoint
// whose env holds their keys and base URLs.
func newStack(t *testing.T, extraEnv map[string]string, kinds ...string) *stack {
	t.Helper()
	return newStackWith(t, testrig.Options{Env: extraEnv, Fakes: kinds})
}

// newStackWith is newStack with settings.json and the rest of the rig's
// options; no Fakes means all five.
func newStackWith(t *testing.T, opts testrig.Options) *stack {
	t.Helper()
	if len(opts.Fakes) == 0 {
		opts.Fakes = fakeupstream.Kinds
	}
	rig := testrig.New(t, opts)
	h, err := rig.Core.Handler()
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return &stack{url: ts.URL, fakes: rig.Fakes, logs: rig.Logs, core: rig.Core}
}

func (s *stack) do(t *testing.T, method, path, body string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, s.url+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer anything")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func chatBody(model, text string, extra string) string {
	return `{"model":"` + model + `","messages":[{"role":"user","content":"` + text + `"}]` + extra + `}`
}

// events reads an SSE response the way the OpenAI SDKs do: data lines up
// to a blank line; comments skipped.
func events(t *testing.T, body []byte) (datas []string, done bool) {
	t.Helper()
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "" || strings.HasPrefix(line, ":"):
		case line == "data: [DONE]":
			done = true
		case strings.HasPrefix(line, "data: "):
			if done {
				t.Fatalf("event after [DONE]: %s", line)
			}
			datas = append(datas, strings.TrimPrefix(line, "data: "))
		default:
			t.Fatalf("unexpected SSE line %q", line)
		}
	}
	return datas, done
}

// chunk is the subset of a stream chunk these tests read.
type chunk struct {
	Object  string `json:"object"`
	Choices []struct {
		Delta        map[string]any `json:"delta"`
		FinishReason *string        `json:"finish_reason"`
		Usage        map[string]any `json:"usage"`
	} `json:"choices"`
	Usage map[string]any `json:"usage"`
	Error *struct {
		Message string `json:"message"`
	} `json:"error"`
}

func decodeChunks(t *testing.T, datas []string) []chunk {
	t.Helper()
	var out []chunk
	for _, d := range datas {
		var c chunk
		if err := json.Unmarshal([]byte(d), &c); err != nil {
			t.Fatalf("event is not JSON: %s", d)
		}
		out = append(out, c)
	}
	return out
}

func errorOf(t *testing.T, body []byte) (msg, typ, code string, param *string) {
	t.Helper()
	var env struct {
		Error *struct {
			Message string  `json:"message"`
			Type    string  `json:"type"`
			Code    *string `json:"code"`
			Param   *string `json:"param"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &env); err != nil || env.Error == nil {
		t.Fatalf("not an OpenAI error envelope: %s", body)
	}
	c := ""
	if env.Error.Code != nil {
		c = *env.Error.Code
	}
	return env.Error.Message, env.Error.Type, c, env.Error.Param
}
