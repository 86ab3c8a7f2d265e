package server_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"thinkcloud/backend/internal/testrig"
)

// respEvent is the part of a Responses event these tests read.
type respEvent struct {
	Type     string          `json:"type"`
	Seq      int             `json:"sequence_number"`
	Item     json.RawMessage `json:"item"`
	Delta    string          `json:"delta"`
	Response *struct {
		ID     string `json:"id"`
		Status string `json:"status"`
		Error  *struct {
			Code, Message string
		} `json:"error"`
		Output []map[string]any `json:"output"`
		Usage  map[string]any   `json:"usage"`
	} `json:"response"`
}

// respEvents reads a Responses stream: "event:" and "data:" lines, the
// event name equal to the data's type, sequence numbers counting up.
func respEvents(t *testing.T, body []byte) []respEvent {
	t.Helper()
	var out []respEvent
	name := ""
	sc := bufio.NewScanner(strings.NewReader(string(body)))
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "" || strings.HasPrefix(line, ":"):
		case strings.HasPrefix(line, "event: "):
			name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			var ev respEvent
			if err := json.Unmarshal([]byte(line[6:]), &ev); err != nil {
				t.Fatalf("event is not JSON: %s", line)
			}
			if ev.Type != name || ev.Seq != len(out) {
				t.Fatalf("event %d: name %q type %q sequence_number %d", len(out), name, ev.Type, ev.Seq)
			}
			out = append(out, ev)
		default:
			t.Fatalf("unexpected SSE line %q", line)
		}
	}
	return out
}

func types(evs []respEvent) string {
	var ts []string
	for _, e := range evs {
		ts = append(ts, strings.TrimPrefix(e.Type, "response."))
	}
	return strings.Join(ts, " ")
}

func TestResponsesTranslated(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "deepseek")
	resp, body := s.do(t, "POST", "/v1/responses", `{"model":"deepseek-flash","input":"hi","instructions":"Be brief."}`)
	if resp.StatusCode != 200 {
		t.Fatalf("got %d %s", resp.StatusCode, body)
	}
	var r struct {
		ID, Object, Status, Model string
		Output                    []struct {
			Type    string
			Content []struct{ Type, Text string }
		}
		Usage struct{ InputTokens, OutputTokens int } `json:"usage"`
	}
	json.Unmarshal(body, &r)
	if r.Object != "response" || r.Status != "completed" || r.Model != "deepseek-flash" || !strings.HasPrefix(r.ID, "resp_tc_") ||
		len(r.Output) != 1 || r.Output[0].Content[0].Text != "Hello from deepseek (deepseek-flash)." {
		t.Fatalf("got %s", body)
	}
	var sent struct {
		Model    string
		Stream   bool
		Messages []struct{ Role, Content string }
	}
	json.Unmarshal(s.fakes["deepseek"].Last(), &sent)
	if sent.Model != "deepseek-flash" || !sent.Stream || len(sent.Messages) != 2 || sent.Messages[0].Role != "system" {
		t.Errorf("the provider got %s", s.fakes["deepseek"].Last())
	}
	if !strings.Contains(s.logs.String(), "path=/v1/responses") || !strings.Contains(s.logs.String(), "provider=deepseek") {
		t.Errorf("no request log line: %s", s.logs.String())
	}
}

func TestResponsesStreamed(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "kimi")
	resp, body := s.do(t, "POST", "/v1/responses", `{"model":"kimi-k3","input":"hi","stream":true}`)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("got %d %s", resp.StatusCode, resp.Header)
	}
	evs := respEvents(t, body)
	want := "created in_progress output_item.added content_part.added reasoning_text.delta"
	if got := types(evs); !strings.HasPrefix(got, want) || !strings.HasSuffix(got, "output_text.done content_part.done output_item.done completed") {
		t.Fatalf("events: %s", got)
	}
	last := evs[len(evs)-1].Response
	if last.Status != "completed" || last.Usage["input_tokens"] != float64(9) || len(last.Output) != 2 {
		t.Errorf("completed: %+v", last)
	}
}

// TestResponsesToolRoundTrip is Codex's loop against a thinking model: a
// call comes back with sealed reasoning; sent back with the tool's output,
// the reasoning reaches the provider as reasoning_content (DeepSeek
// refuses the turn otherwise, and so does its fake).
func TestResponsesToolRoundTrip(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "deepseek")
	tools := `"tools":[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}]`
	first := `{"model":"deepseek-v4-pro","stream":true,"store":false,"include":["reasoning.encrypted_content"],"reasoning":{"summary":"auto"},` + tools +
		`,"input":[{"role":"user","content":"trigger:call=get_weather trigger:args={\"city\":\"Paris\"}"}]}`
	_, body := s.do(t, "POST", "/v1/responses", first)
	evs := respEvents(t, body)
	out := evs[len(evs)-1].Response.Output
	if len(out) != 2 || out[0]["type"] != "reasoning" || out[1]["type"] != "function_call" || out[1]["name"] != "get_weather" {
		t.Fatalf("output: %v", out)
	}
	sealed, _ := out[0]["encrypted_content"].(string)
	if !strings.HasPrefix(sealed, "tc1_") || strings.Contains(sealed, "think") {
		t.Fatalf("encrypted_content %q", sealed)
	}
	reasoning, _ := json.Marshal(out[0])
	call, _ := json.Marshal(out[1])
	callID := out[1]["call_id"].(string)
	second := func(withReasoning bool) string {
		items := `{"role":"user","content":"trigger:call=get_weather trigger:args={\"city\":\"Paris\"}"},`
		if withReasoning {
			items += string(reasoning) + ","
		}
		items += string(call) + `,{"type":"function_call_output","call_id":"` + callID + `","output":"sunny"}`
		return `{"model":"deepseek-v4-pro","store":false,"include":["reasoning.encrypted_content"],` + tools + `,"input":[` + items + `]}`
	}
	resp, body := s.do(t, "POST", "/v1/responses", second(true))
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Tool said: sunny") {
		t.Fatalf("got %d %s", resp.StatusCode, body)
	}
	var sent struct {
		Messages []map[string]any `json:"messages"`
	}
	json.Unmarshal(s.fakes["deepseek"].Last(), &sent)
	if rc := sent.Messages[1]["reasoning_content"]; rc != "Let me think about this step by step." {
		t.Errorf("reasoning_content sent back: %v", rc)
	}
	// Without its reasoning the turn is refused, as DeepSeek refuses it.
	resp, body = s.do(t, "POST", "/v1/responses", second(false))
	if msg, _, _, _ := errorOf(t, body); resp.StatusCode != 400 || !strings.Contains(msg, "reasoning_content") {
		t.Errorf("without reasoning: got %d %s", resp.StatusCode, body)
	}
	// A sealed blob that was altered is refused before the provider.
	before := len(s.fakes["deepseek"].Requests())
	forged := strings.Replace(second(true), sealed, sealed[:len(sealed)-4]+"AAAA", 1)
	resp, body = s.do(t, "POST", "/v1/responses", forged)
	if _, _, code, _ := errorOf(t, body); resp.StatusCode != 400 || code != "invalid_encrypted_content" || len(s.fakes["deepseek"].Requests()) != before {
		t.Errorf("forged: got %d %s", resp.StatusCode, body)
	}
}

func TestResponsesPreviousID(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "dashscope")
	_, body := s.do(t, "POST", "/v1/responses", `{"model":"qwen-plus","input":"first"}`)
	var r struct{ ID string }
	json.Unmarshal(body, &r)
	resp, body := s.do(t, "POST", "/v1/responses", `{"model":"qwen-plus","input":"second","previous_response_id":"`+r.ID+`"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("follow-up: %d %s", resp.StatusCode, body)
	}
	var sent struct {
		Messages []struct{ Role, Content string }
	}
	json.Unmarshal(s.fakes["dashscope"].Last(), &sent)
	if len(sent.Messages) != 3 || sent.Messages[0].Content != "first" || sent.Messages[1].Role != "assistant" || sent.Messages[2].Content != "second" {
		t.Errorf("the provider got %s", s.fakes["dashscope"].Last())
	}
	for _, tc := range []struct{ id, code string }{
		{"resp_tc_000000000000000000000000", "previous_response_expired"},
		{"resp_abc", "previous_response_not_found"},
	} {
		resp, body := s.do(t, "POST", "/v1/responses", `{"model":"qwen-plus","input":"x","previous_response_id":"`+tc.id+`"}`)
		if _, _, code, _ := errorOf(t, body); resp.StatusCode != 400 || code != tc.code {
			t.Errorf("%s: got %d %s", tc.id, resp.StatusCode, body)
		}
	}
}

// TestResponsesKeptAndDeleted walks the stored-response routes the
// OpenAI SDK's responses.retrieve, inputItems.list and delete call.
func TestResponsesKeptAndDeleted(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "dashscope")
	_, created := s.do(t, "POST", "/v1/responses", `{"model":"qwen-plus","instructions":"be brief","input":[{"role":"user","content":"one"},{"role":"user","content":"two"}]}`)
	var r struct{ ID, Status string }
	json.Unmarshal(created, &r)
	resp, got := s.do(t, "GET", "/v1/responses/"+r.ID, "")
	if resp.StatusCode != 200 || string(got) != string(created) {
		t.Fatalf("GET the response: %d\n%s\nwant what POST gave:\n%s", resp.StatusCode, got, created)
	}
	resp, body := s.do(t, "GET", "/v1/responses/"+r.ID+"/input_items", "")
	var list struct {
		Object  string
		HasMore bool   `json:"has_more"`
		FirstID string `json:"first_id"`
		Data    []struct {
			ID      string
			Content []struct{ Text string }
		}
	}
	json.Unmarshal(body, &list)
	if resp.StatusCode != 200 || list.Object != "list" || len(list.Data) != 2 || list.Data[0].Content[0].Text != "two" || list.Data[0].ID == "" || list.FirstID != list.Data[0].ID || list.HasMore {
		t.Errorf("input items (newest first): %d %s", resp.StatusCode, body)
	}
	_, body = s.do(t, "GET", "/v1/responses/"+r.ID+"/input_items?order=asc&limit=1", "")
	json.Unmarshal(body, &list)
	if len(list.Data) != 1 || list.Data[0].Content[0].Text != "one" || !list.HasMore {
		t.Errorf("asc, limit 1: %s", body)
	}
	_, body = s.do(t, "GET", "/v1/responses/"+r.ID+"/input_items?order=asc&after="+list.Data[0].ID, "")
	json.Unmarshal(body, &list)
	if len(list.Data) != 1 || list.Data[0].Content[0].Text != "two" || list.HasMore {
		t.Errorf("after the first: %s", body)
	}
	if resp, body := s.do(t, "GET", "/v1/responses/"+r.ID+"/input_items?limit=500", ""); resp.StatusCode != 400 {
		t.Errorf("limit 500: %d %s", resp.StatusCode, body)
	}
	resp, body = s.do(t, "DELETE", "/v1/responses/"+r.ID, "")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"deleted":true`) {
		t.Errorf("DELETE: %d %s", resp.StatusCode, body)
	}
	for _, path := range []string{"/v1/responses/" + r.ID, "/v1/responses/" + r.ID + "/input_items", "/v1/responses/resp_from_openai"} {
		resp, body := s.do(t, "GET", path, "")
		if msg, _, code, _ := errorOf(t, body); resp.StatusCode != 404 || code != "response_not_found" || !strings.Contains(msg, "not found") {
			t.Errorf("GET %s after DELETE: %d %s", path, resp.StatusCode, body)
		}
	}
	if resp, body := s.do(t, "DELETE", "/v1/responses/"+r.ID, ""); resp.StatusCode != 404 {
		t.Errorf("DELETE twice: %d %s", resp.StatusCode, body)
	}
	resp, body = s.do(t, "POST", "/v1/responses", `{"model":"qwen-plus","input":"x","previous_response_id":"`+r.ID+`"}`)
	if _, _, code, _ := errorOf(t, body); resp.StatusCode != 400 || code != "previous_response_expired" {
		t.Errorf("continuing a deleted response: %d %s", resp.StatusCode, body)
	}
	// A streamed response is kept as its response.completed event carried it.
	_, stream := s.do(t, "POST", "/v1/responses", `{"model":"qwen-plus","input":"streamed","stream":true}`)
	var completed struct {
		Response json.RawMessage
	}
	for _, line := range strings.Split(string(stream), "\n") {
		if data, ok := strings.CutPrefix(line, "data: "); ok && strings.Contains(data, `"type":"response.completed"`) {
			json.Unmarshal([]byte(data), &completed)
		}
	}
	json.Unmarshal(completed.Response, &r)
	if resp, got := s.do(t, "GET", "/v1/responses/"+r.ID, ""); resp.StatusCode != 200 || string(got) != string(completed.Response) {
		t.Errorf("GET a streamed response: %d\n%s\nwant its completed event's\n%s", resp.StatusCode, got, completed.Response)
	}
	_, unkept := s.do(t, "POST", "/v1/responses", `{"model":"qwen-plus","input":"x","store":false}`)
	json.Unmarshal(unkept, &r)
	if resp, body := s.do(t, "GET", "/v1/responses/"+r.ID, ""); resp.StatusCode != 404 {
		t.Errorf("a response sent with store false was kept: %d %s", resp.StatusCode, body)
	}
	if resp, body := s.do(t, "PUT", "/v1/responses/"+r.ID, ""); resp.StatusCode != 405 || resp.Header.Get("Allow") != "GET, DELETE" {
		t.Errorf("PUT: %d %s %q", resp.StatusCode, body, resp.Header.Get("Allow"))
	}
}

// TestResponsesHostedTools checks that hosted tools are refused by name,
// and dropped when the settings say so.
func TestResponsesHostedTools(t *testing.T) {
	t.Parallel()
	body := `{"model":"deepseek-flash","input":"hi","tools":[{"type":"web_search"},{"type":"function","name":"f","parameters":{}}]}`
	s := newStack(t, nil, "deepseek")
	resp, out := s.do(t, "POST", "/v1/responses", body)
	if msg, _, code, _ := errorOf(t, out); resp.StatusCode != 400 || code != "unsupported_tool" || !strings.Contains(msg, "web_search") {
		t.Errorf("got %d %s", resp.StatusCode, out)
	}
	rig := testrig.New(t, testrig.Options{Fakes: []string{"deepseek"},
		Settings: `{"version":1,"endpoint":{"enabled":true,"host":"127.0.0.1","port":8000,"dropHostedTools":["web_search"]}}`})
	h, err := rig.Core.Handler()
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	r, err := http.Post(ts.URL+"/v1/responses", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	var sent struct{ Tools []any }
	json.Unmarshal(rig.Fakes["deepseek"].Last(), &sent)
	if r.StatusCode != 200 || len(sent.Tools) != 1 {
		t.Errorf("dropped: got %d, tools sent %v", r.StatusCode, sent.Tools)
	}
}

func TestResponsesProviderErrors(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "deepseek")
	resp, body := s.do(t, "POST", "/v1/responses", `{"model":"deepseek-flash","input":"trigger:402","stream":true}`)
	if _, _, _, _ = errorOf(t, body); resp.StatusCode != 402 {
		t.Errorf("402: got %d %s", resp.StatusCode, body)
	}
	_, body = s.do(t, "POST", "/v1/responses", `{"model":"deepseek-flash","input":"trigger:miderror","stream":true}`)
	evs := respEvents(t, body)
	if last := evs[len(evs)-1]; last.Type != "response.failed" || last.Response.Error == nil || !strings.Contains(last.Response.Error.Message, "Internal error") {
		t.Errorf("mid-stream error: %s", types(evs))
	}
	resp, body = s.do(t, "POST", "/v1/responses", `{"model":"deepseek-flash","input":"trigger:cut"}`)
	if msg, _, _, _ := errorOf(t, body); resp.StatusCode != 502 || !strings.Contains(msg, "broke off") {
		t.Errorf("cut, not streamed: got %d %s", resp.StatusCode, body)
	}
}

func TestResponsesClientLeaves(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "dashscope")
	req, _ := http.NewRequest("POST", s.url+"/v1/responses", strings.NewReader(`{"model":"qwen-plus","input":"trigger:slow","stream":true}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(resp.Body)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(line, "output_text.delta") {
			break
		}
	}
	resp.Body.Close()
	deadline := time.Now().Add(5 * time.Second) // a generous bound, not a measurement
	for s.fakes["dashscope"].Cancelled() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the provider call was not cancelled")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestResponsesNative checks the pass-through to a provider that speaks
// the Responses API: the body reaches it byte for byte (model rewritten
// only when the name differs), its events come back as they were.
func TestResponsesNative(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "openai")
	in := `{"model":"gpt-6-luna", "input":"hi","tools":[{"type":"web_search"}],"stream":true}`
	resp, body := s.do(t, "POST", "/v1/responses", in)
	if resp.StatusCode != 200 || string(s.fakes["openai"].LastAt("/responses")) != in {
		t.Fatalf("got %d; the provider got %s", resp.StatusCode, s.fakes["openai"].LastAt("/responses"))
	}
	evs := respEvents(t, body)
	if evs[len(evs)-1].Type != "response.completed" || strings.Contains(string(body), "[DONE]") {
		t.Errorf("events: %s", types(evs))
	}
	_, body = s.do(t, "POST", "/v1/responses", `{"model":"openai/gpt-5.6-luna","input":"hi"}`)
	if !strings.Contains(string(body), "Hello from openai (gpt-5.6-luna) via /responses.") {
		t.Errorf("not streamed: %s", body)
	}
	if got := string(s.fakes["openai"].LastAt("/responses")); got != `{"model":"gpt-5.6-luna","input":"hi"}` {
		t.Errorf("model not rewritten: %s", got)
	}
}

func TestEmbeddingsAndCompletions(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "openai", "dashscope", "deepseek", "kimi")
	for _, tc := range []struct {
		path, body, fake, fakePath string
		status                     int
		contains                   string
	}{
		{"/v1/embeddings", `{"model":"openai/text-embedding-3-small","input":["a","b"]}`, "openai", "/v1/embeddings", 200, `"index":1`},
		{"/v1/embeddings", `{"model":"dashscope/text-embedding-v4","input":"a"}`, "dashscope", "/v1/embeddings", 200, `"embedding"`},
		{"/v1/embeddings", `{"model":"kimi-k2.6","input":"a"}`, "", "", 404, "has no embeddings API"},
		{"/v1/completions", `{"model":"deepseek-flash","prompt":"def f(","suffix":"return 1"}`, "deepseek", "/beta/completions", 200, "between 6 and 8"},
		{"/v1/completions", `{"model":"deepseek-flash","prompt":"x","stream":true}`, "deepseek", "/beta/completions", 200, "data: [DONE]"},
		{"/v1/completions", `{"model":"gpt-6-luna","prompt":"x"}`, "", "", 404, "has no completions API"},
		{"/v1/embeddings", `{"input":"a"}`, "", "", 400, "model"},
		// Forwarded as bytes, a body must read one way only (issue 10).
		{"/v1/embeddings", `{"model":"openai/text-embedding-3-small","Model":"dashscope/text-embedding-v4","input":"a"}`, "", "", 400, "Model"},
		{"/v1/completions", `{"model":"deepseek-flash","prompt":"x","prompt":"y"}`, "", "", 400, "prompt"},
		{"/v1/frobnicate", `{}`, "", "", 404, "POST /v1/responses"},
	} {
		resp, body := s.do(t, "POST", tc.path, tc.body)
		if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.contains) {
			t.Errorf("%s %s: got %d %s", tc.path, tc.body, resp.StatusCode, body)
			continue
		}
		if strings.Contains(string(body), "lives under /v1") {
			t.Errorf("%s: a /v1 caller is told to use /v1: %s", tc.path, body)
		}
		if tc.fake != "" {
			reqs := s.fakes[tc.fake].Requests()
			if last := reqs[len(reqs)-1]; last.Path != tc.fakePath {
				t.Errorf("%s reached %s; want %s", tc.body, last.Path, tc.fakePath)
			}
		}
	}
	var sent struct{ Model string }
	json.Unmarshal(s.fakes["dashscope"].LastAt("/embeddings"), &sent)
	if sent.Model != "text-embedding-v4" {
		t.Errorf("embeddings model sent as %q", sent.Model)
	}
}

// TestNewRoutesDocumented checks that / and /openapi.json list the new
// routes, so tools that read them find the doors.
func TestNewRoutesDocumented(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil, "deepseek")
	_, body := s.do(t, "GET", "/", "")
	var info struct{ Endpoints map[string]string }
	json.Unmarshal(body, &info)
	_, spec := s.do(t, "GET", "/openapi.json", "")
	var doc struct{ Paths map[string]map[string]any }
	if err := json.Unmarshal(spec, &doc); err != nil {
		t.Fatal(err)
	}
	for name, path := range map[string]string{"responses": "/v1/responses", "embeddings": "/v1/embeddings", "completions": "/v1/completions"} {
		if info.Endpoints[name] != path {
			t.Errorf("/ lists %s as %q; want %q", name, info.Endpoints[name], path)
		}
		if doc.Paths[path]["post"] == nil {
			t.Errorf("openapi.json lacks POST %s", path)
		}
	}
	resp, body := s.do(t, "GET", "/v1/responses", "")
	if _, _, code, _ := errorOf(t, body); resp.StatusCode != 405 || code != "method_not_allowed" {
		t.Errorf("GET /v1/responses: %d %s", resp.StatusCode, body)
	}
}
