package server_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"thinkcloud/backend/internal/testrig"
	"time"
)

// providerCases name one model per fake provider, with the field its
// thinking text arrives in ("" when it does not think).
var providerCases = []struct {
	kind, model, upstream, reasoningField string
}{
	{"cerebras", "cerebras/gpt-oss-120b", "gpt-oss-120b", "reasoning"},
	{"deepseek", "deepseek-v4-pro", "deepseek-v4-pro", "reasoning_content"},
	{"openai", "gpt-6-luna", "gpt-6-luna", ""},
	{"dashscope", "qwen-3-7b", "qwen3-8b", ""},
	{"kimi", "kimi-k3", "kimi-k3", "reasoning_content"},
}

func TestChatNonStreaming(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil)
	for _, tc := range providerCases {
		resp, body := s.do(t, "POST", "/v1/chat/completions", chatBody(tc.model, "hi", ""))
		if resp.StatusCode != 200 {
			t.Errorf("%s: got %d %s", tc.kind, resp.StatusCode, body)
			continue
		}
		if body[0] != '{' {
			t.Errorf("%s: body starts with %q; want the JSON object (keep-alive blank lines dropped)", tc.kind, body[:1])
		}
		var out struct {
			Object  string `json:"object"`
			Model   string `json:"model"`
			Choices []struct {
				Message map[string]any `json:"message"`
			} `json:"choices"`
			Usage map[string]any `json:"usage"`
		}
		if err := json.Unmarshal(body, &out); err != nil || len(out.Choices) != 1 {
			t.Fatalf("%s: got %s", tc.kind, body)
		}
		msg := out.Choices[0].Message
		if !strings.Contains(msg["content"].(string), "Hello from "+tc.kind) || out.Model != tc.upstream {
			t.Errorf("%s: got content %v model %q", tc.kind, msg["content"], out.Model)
		}
		if tc.reasoningField != "" && msg[tc.reasoningField] == nil && tc.kind != "dashscope" {
			t.Errorf("%s: message lacks %s: %v", tc.kind, tc.reasoningField, msg)
		}
		if out.Usage["prompt_tokens"] == nil {
			t.Errorf("%s: usage missing: %s", tc.kind, body)
		}
		if tc.kind == "deepseek" && out.Usage["prompt_cache_hit_tokens"] == nil {
			t.Errorf("deepseek usage extras were dropped: %v", out.Usage)
		}
	}
}

func TestChatStreaming(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil)
	for _, tc := range providerCases {
		for _, includeUsage := range []bool{false, true} {
			extra := `,"stream":true`
			if includeUsage {
				extra += `,"stream_options":{"include_usage":true}`
			}
			resp, body := s.do(t, "POST", "/v1/chat/completions", chatBody(tc.model, "hi", extra))
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
				t.Fatalf("%s: got %d %q", tc.kind, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			if resp.Header.Get("Cache-Control") != "no-cache" || resp.Header.Get("X-Accel-Buffering") != "no" || resp.ContentLength != -1 {
				t.Errorf("%s: SSE headers wrong: %v", tc.kind, resp.Header)
			}
			datas, done := events(t, body)
			if !done {
				t.Fatalf("%s: no [DONE]", tc.kind)
			}
			chunks := decodeChunks(t, datas)
			var content, reasoning strings.Builder
			usageChunks, finish := 0, ""
			for i, c := range chunks {
				if c.Object != "chat.completion.chunk" {
					t.Errorf("%s: chunk %d object %q", tc.kind, i, c.Object)
				}
				if len(c.Choices) == 0 {
					usageChunks++
					if c.Usage == nil {
						t.Errorf("%s: empty-choices chunk without usage", tc.kind)
					}
					continue
				}
				d := c.Choices[0].Delta
				if i == 0 && d["role"] != "assistant" {
					t.Errorf("%s: first delta %v lacks the role", tc.kind, d)
				}
				if v, ok := d["content"].(string); ok {
					content.WriteString(v)
				}
				if tc.reasoningField != "" {
					if v, ok := d[tc.reasoningField].(string); ok {
						reasoning.WriteString(v)
					}
				}
				if c.Choices[0].FinishReason != nil {
					finish = *c.Choices[0].FinishReason
				}
			}
			if !strings.Contains(content.String(), "Hello from "+tc.kind) || finish != "stop" {
				t.Errorf("%s: got content %q finish %q", tc.kind, content.String(), finish)
			}
			if tc.reasoningField != "" && !strings.Contains(reasoning.String(), "step by step") {
				t.Errorf("%s: %s not passed through: %q", tc.kind, tc.reasoningField, reasoning.String())
			}
			wantUsage := 0
			if includeUsage {
				wantUsage = 1
			}
			if usageChunks != wantUsage {
				t.Errorf("%s include_usage=%v: got %d empty-choices chunks; want %d", tc.kind, includeUsage, usageChunks, wantUsage)
			}
		}
	}
}

// TestStreamGolden pins the relayed bytes of a DeepSeek reasoner stream:
// keep-alive comments passed on, every event unchanged, usage chunk kept.
func TestStreamGolden(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "deepseek")
	_, body := s.do(t, "POST", "/v1/chat/completions",
		chatBody("deepseek-v4-pro", "hi", `,"stream":true,"stream_options":{"include_usage":true}`))
	const golden = "testdata/deepseek-v4-pro.sse"
	if os.Getenv("UPDATE_GOLDEN") != "" {
		os.MkdirAll("testdata", 0o755)
		os.WriteFile(golden, body, 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create it)", err)
	}
	if string(body) != string(want) {
		t.Errorf("relayed stream differs from %s:\ngot\n%s\nwant\n%s", golden, body, want)
	}
}

func TestFidelity(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "cerebras")
	in := `{"model":"qwen-3.8-27b","temperature":0,"top_p":1,"seed":42,"stop":["\n\n"],"user":"u1","logprobs":false,` +
		`"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{}}}}],"tool_choice":"auto",` +
		`"response_format":{"type":"json_object"},"enable_thinking":true,"thinking":{"type":"enabled"},"reasoning_effort":"low",` +
		`"x_unknown":{"nested":[1,2.50,"\u00e9"]},` +
		`"messages":[{"role":"user","content":[{"type":"text","text":"what is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]}`
	resp, body := s.do(t, "POST", "/v1/chat/completions", in)
	if resp.StatusCode != 200 {
		t.Fatalf("got %d %s", resp.StatusCode, body)
	}
	want := strings.Replace(in, `"model":"qwen-3.8-27b"`, `"model":"qwen-3.8-27b"`, 1)
	if got := string(s.fakes["cerebras"].Last()); got != want {
		t.Errorf("provider received\n%s\nwant\n%s", got, want)
	}
}

func TestProviderErrors(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil)
	for _, tc := range []struct {
		name, kind, model, trigger string
		status                     int
		inMessage                  string
		wantCalls                  int
	}{
		{"deepseek balance", "deepseek", "deepseek-flash", "trigger:402", 402, "Insufficient Balance", 1},
		{"kimi quota", "kimi", "kimi-k2.6", "trigger:quota", 429, "suspended", 1},
		{"openai quota", "openai", "gpt-6-luna", "trigger:quota", 429, "exceeded your current quota", 1},
		{"rate limit retried", "dashscope", "qwen-plus", "trigger:429x2", 200, "", 3},
		{"overloaded", "cerebras", "gpt-oss-120b", "trigger:503", 503, "overloaded", 3},
	} {
		before := len(s.fakes[tc.kind].Requests())
		resp, body := s.do(t, "POST", "/v1/chat/completions", chatBody(tc.model, tc.trigger, ""))
		calls := len(s.fakes[tc.kind].Requests()) - before
		if resp.StatusCode != tc.status || calls != tc.wantCalls {
			t.Errorf("%s: got %d after %d calls (%s); want %d after %d", tc.name, resp.StatusCode, calls, body, tc.status, tc.wantCalls)
			continue
		}
		if tc.status != 200 {
			if msg, _, _, _ := errorOf(t, body); !strings.Contains(msg, tc.inMessage) {
				t.Errorf("%s: got message %q; want the provider's words %q", tc.name, msg, tc.inMessage)
			}
		}
		if tc.name == "overloaded" && resp.Header.Get("X-Should-Retry") != "false" {
			t.Errorf("%s: got x-should-retry %q; want false after our retries", tc.name, resp.Header.Get("X-Should-Retry"))
		}
	}
}

func TestDeadProvider(t *testing.T) {
	t.Parallel()
	s := newStack(t, map[string]string{"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": "http://127.0.0.1:1/v1"}, "deepseek")
	resp, body := s.do(t, "POST", "/v1/chat/completions", chatBody("gpt-6-luna", "hi", ""))
	if resp.StatusCode != 502 {
		t.Fatalf("got %d %s; want 502", resp.StatusCode, body)
	}
}

func TestBrokenStreams(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "deepseek")
	for _, trigger := range []string{"trigger:cut", "trigger:miderror"} {
		_, body := s.do(t, "POST", "/v1/chat/completions", chatBody("deepseek-flash", trigger, `,"stream":true`))
		datas, done := events(t, body)
		if done {
			t.Errorf("%s: the stream ended with [DONE]; a broken stream must not look complete", trigger)
		}
		chunks := decodeChunks(t, datas)
		errs := 0
		for _, c := range chunks {
			if c.Error != nil {
				errs++
			}
		}
		if errs != 1 || chunks[len(chunks)-1].Error == nil {
			t.Errorf("%s: got %d error events (last %+v); want exactly one, last", trigger, errs, chunks[len(chunks)-1])
		}
	}
}

func TestStreamQuirks(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "openai")
	_, body := s.do(t, "POST", "/v1/chat/completions", chatBody("gpt-6-luna", "trigger:crlf", `,"stream":true`))
	if datas, done := events(t, body); !done || len(datas) < 3 {
		t.Errorf("CRLF stream: got %d events, done=%v", len(datas), done)
	}
	_, body = s.do(t, "POST", "/v1/chat/completions", chatBody("gpt-6-luna", "trigger:long", `,"stream":true`))
	datas, done := events(t, body)
	total := 0
	for _, c := range decodeChunks(t, datas) {
		if len(c.Choices) > 0 {
			if v, ok := c.Choices[0].Delta["content"].(string); ok {
				total += len(v)
			}
		}
	}
	if !done || total != 200<<10 {
		t.Errorf("long line: got %d bytes of content, done=%v; want %d", total, done, 200<<10)
	}
}

func TestClientDisconnectCancelsUpstream(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "kimi")
	// trigger:endless: the stream goes on until the client leaves, so only
	// a cancel that reaches the provider ends it (trigger:slow would end by
	// itself after 2 s, before a cancel on a busy enough machine).
	req, _ := http.NewRequest("POST", s.url+"/v1/chat/completions", strings.NewReader(chatBody("kimi-k2.6", "trigger:endless", `,"stream":true`)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(resp.Body).ReadString('\n')
	if !strings.HasPrefix(line, "data: ") {
		t.Fatalf("got %q; want a first event", line)
	}
	resp.Body.Close() // the client leaves mid-answer
	// The cancel is on its way at once; the deadline only bounds a hang.
	deadline := time.Now().Add(time.Minute)
	for s.fakes["kimi"].Cancelled() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the provider request was not cancelled")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestLogsOneLinePerRequestWithoutKeys(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "deepseek")
	s.do(t, "POST", "/v1/chat/completions", chatBody("deepseek-flash", "hi", ""))
	s.do(t, "POST", "/v1/chat/completions", chatBody("deepseek-flash", "trigger:402", ""))
	s.do(t, "GET", "/v1/models", "")
	logs := s.logs.String()
	if strings.Contains(logs, "test-key") || strings.Contains(logs, "Bearer") {
		t.Fatalf("a key or Authorization reached the log:\n%s", logs)
	}
	lines := strings.Count(logs, "msg=request")
	if lines != 3 {
		t.Errorf("got %d request lines; want 3:\n%s", lines, logs)
	}
	for _, want := range []string{"model=deepseek-flash", "provider=deepseek", "status=402", "prompt_tokens=9", "id=req_"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, `"content"`) {
		t.Error("a request body reached the log")
	}
}

// A stream's headers normally ride with its first event; when the
// provider is slow to send that event, the client must still get the
// headers (its request was accepted) long before the answer starts.
func TestStreamHeadersBeforeSlowFirstEvent(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(200)
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
			return
		case <-time.After(10 * time.Second):
		}
		io.WriteString(w, "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"late\"}}]}\n\ndata: [DONE]\n\n")
	}))
	defer up.Close()
	s := newStack(t, map[string]string{"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": up.URL + "/v1"}, "deepseek")
	type result struct {
		resp *http.Response
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Post(s.url+"/v1/chat/completions", "application/json", strings.NewReader(chatBody("gpt-6-luna", "hi", `,"stream":true`)))
		got <- result{resp, err}
	}()
	var res result
	select {
	case res = <-got:
	case <-time.After(3 * time.Second):
		close(release)
		t.Fatal("no response headers within 3s while the provider held back its first event")
	}
	if res.err != nil {
		t.Fatal(res.err)
	}
	defer res.resp.Body.Close()
	if ct := res.resp.Header.Get("Content-Type"); res.resp.StatusCode != 200 || !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("got %d %q; want 200 text/event-stream", res.resp.StatusCode, ct)
	}
	close(release)
	body, err := io.ReadAll(res.resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	datas, done := events(t, body)
	if !done || len(datas) != 1 || !strings.Contains(datas[0], `"late"`) {
		t.Fatalf("got events %q done=%v; want the late chunk and [DONE]", datas, done)
	}
}

// After [DONE] the upstream connection goes back to the pool even when the
// end of the chunked body arrives a moment later, and a provider that never
// ends its body after [DONE] does not hold up the client.
func TestStreamKeepsUpstreamConnection(t *testing.T) {
	t.Parallel()
	var conns atomic.Int32
	var hang atomic.Bool
	answered, ended := make(chan struct{}), make(chan string, 1)
	up := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\ndata: [DONE]\n\n")
		w.(http.Flusher).Flush()
		if hang.Load() {
			// [DONE] sent, and the body does not end until the client has
			// its answer (or the gateway drops it, or a minute passes).
			select {
			case <-answered:
				ended <- "answered"
			case <-r.Context().Done():
				ended <- "dropped"
			case <-time.After(time.Minute):
				ended <- "stuck"
			}
			return
		}
		time.Sleep(20 * time.Millisecond) // the chunked terminator comes later, on its own
	}))
	up.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	up.Start()
	defer up.Close()
	// The gateway's requests carry a trace that counts the times its
	// transport puts the connection back in the pool.
	var pooled atomic.Int32
	trace := &httptrace.ClientTrace{PutIdleConn: func(err error) {
		if err == nil {
			pooled.Add(1)
		}
	}}
	rig := testrig.New(t, testrig.Options{Fakes: []string{"deepseek"},
		Env:           map[string]string{"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": up.URL + "/v1"},
		WrapTransport: func(rt http.RoundTripper) http.RoundTripper { return traced{rt, trace} }})
	h, err := rig.Core.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	s := &stack{url: srv.URL, fakes: rig.Fakes, logs: rig.Logs, core: rig.Core}
	stream := func() {
		_, body := s.do(t, "POST", "/v1/chat/completions", chatBody("gpt-6-luna", "hi", `,"stream":true`))
		if datas, done := events(t, body); !done || len(datas) != 1 {
			t.Fatalf("got %q done=%v; want one chunk and [DONE]", datas, done)
		}
	}
	for i := range 10 {
		stream()
		// The background read after [DONE] hands the connection back.
		for deadline := time.Now().Add(time.Minute); pooled.Load() <= int32(i); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("stream %d: the upstream connection never went back to the pool", i+1)
			}
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("10 streams in a row opened %d upstream connections; want 1", n)
	}
	hang.Store(true)
	stream()
	close(answered)
	switch why := <-ended; why {
	case "dropped":
		t.Error("the client got its answer only after the gateway gave up on a provider body that never ends after [DONE]")
	case "stuck":
		t.Error("the client waited for a provider body that never ends after [DONE]")
	}
}

// traced adds a client trace to every request.
type traced struct {
	rt    http.RoundTripper
	trace *httptrace.ClientTrace
}

func (t traced) RoundTrip(req *http.Request) (*http.Response, error) {
	rt := t.rt
	if rt == nil {
		rt = http.DefaultTransport
	}
	return rt.RoundTrip(req.WithContext(httptrace.WithClientTrace(req.Context(), t.trace)))
}
