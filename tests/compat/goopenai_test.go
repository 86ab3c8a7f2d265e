package compat

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// The test builds thinkcloud and fakeupstream with `go build` (cached
// builds take a few seconds) unless THINKCLOUD_BIN and FAKEUPSTREAM_BIN
// name binaries already built.

var kinds = []string{"cerebras", "deepseek", "openai", "dashscope", "kimi"}

type fakeInfo struct {
	BaseURL string `json:"baseURL"`
	Key     string `json:"key"`
	Root    string `json:"root"`
}

type env struct {
	baseURL string
	fakes   map[string]fakeInfo
	client  *openai.Client
}

// moduleRoot is two levels up from this package.
func moduleRoot(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(wd, "..", "..")
}

func binaries(t *testing.T) (serve, fake string) {
	serve, fake = os.Getenv("THINKCLOUD_BIN"), os.Getenv("FAKEUPSTREAM_BIN")
	if serve != "" && fake != "" {
		return serve, fake
	}
	dir := t.TempDir()
	start := time.Now()
	for _, b := range []struct{ out, pkg string }{{"thinkcloud", "."}, {"fakeupstream", "./tests/fakeupstream"}} {
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, b.out), b.pkg)
		cmd.Dir = moduleRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", b.pkg, err, out)
		}
	}
	t.Logf("built thinkcloud and fakeupstream in %v", time.Since(start).Round(time.Millisecond))
	if serve == "" {
		serve = filepath.Join(dir, "thinkcloud")
	}
	if fake == "" {
		fake = filepath.Join(dir, "fakeupstream")
	}
	return serve, fake
}

// cleanEnv drops real keys, base URLs, proxies and XDG dirs from the
// environment and points ThinkCloud's files into dir.
func cleanEnv(dir string) []string {
	var out []string
	drop := regexp.MustCompile(`(?i)^([A-Z0-9_]+_(API_KEY|BASE_URL)|(HTTPS?|NO|ALL)_PROXY|THINKCLOUD_[A-Z_]*|XDG_[A-Z_]+|DBUS_SESSION_BUS_ADDRESS|HOME)=`)
	for _, kv := range os.Environ() {
		if !drop.MatchString(kv) {
			out = append(out, kv)
		}
	}
	return append(out, "DBUS_SESSION_BUS_ADDRESS=disabled:", "HOME="+dir,
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_CACHE_HOME="+filepath.Join(dir, "cache"),
		"XDG_DATA_HOME="+filepath.Join(dir, "data"))
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// stop ends a child with SIGTERM, then SIGKILL after 5 s.
func stop(cmd *exec.Cmd, done <-chan struct{}) {
	if cmd.Process == nil {
		return
	}
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

// startBound bounds each step of starting serve and the fakes: a hang, not
// a slow machine (they are up in well under a second on an idle one).
const startBound = 2 * time.Minute

func start(t *testing.T) *env {
	t.Helper()
	serveBin, fakeBin := binaries(t)
	dir := t.TempDir()
	wd := filepath.Join(dir, "wd")
	if err := os.MkdirAll(wd, 0o755); err != nil {
		t.Fatal(err)
	}
	environ := cleanEnv(dir)

	// Fakes: they exit when their stdin closes.
	fake := exec.Command(fakeBin)
	fake.Dir, fake.Env, fake.Stderr = wd, environ, os.Stderr
	stdin, err := fake.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := fake.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	fakeDone := make(chan struct{})
	go func() { fake.Wait(); close(fakeDone) }()
	t.Cleanup(func() { stdin.Close(); stop(fake, fakeDone) })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("fakeupstream printed no address line: %v", err)
	}
	go io.Copy(io.Discard, stdout)
	e := &env{fakes: map[string]fakeInfo{}}
	if err := json.Unmarshal([]byte(line), &e.fakes); err != nil {
		t.Fatalf("fakeupstream line %q: %v", line, err)
	}
	for _, k := range kinds {
		f := e.fakes[k]
		environ = append(environ, strings.ToUpper(k)+"_API_KEY="+f.Key, strings.ToUpper(k)+"_BASE_URL="+f.BaseURL)
	}

	// serve, on a free loopback port; its stdout carries the banner.
	serve := exec.Command(serveBin, "serve", "--host", "127.0.0.1", "--port", fmt.Sprint(freePort(t)))
	serve.Dir, serve.Env = wd, environ
	logFile, err := os.Create(filepath.Join(dir, "serve.log"))
	if err != nil {
		t.Fatal(err)
	}
	serve.Stderr = logFile
	out, err := serve.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	serveDone := make(chan struct{})
	go func() { serve.Wait(); close(serveDone) }()
	t.Cleanup(func() {
		stop(serve, serveDone)
		logFile.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logFile.Name())
			t.Logf("serve log:\n%s", b)
		}
	})
	found := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`Base URL\s+(http://127\.0\.0\.1:\d+/v1)`)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		close(found)
	}()
	select {
	case u, ok := <-found:
		if !ok {
			b, _ := os.ReadFile(logFile.Name())
			t.Fatalf("serve exited before printing its base URL:\n%s", b)
		}
		e.baseURL = u
	case <-time.After(startBound):
		t.Fatalf("serve printed no base URL within %v", startBound)
	}
	health := strings.TrimSuffix(e.baseURL, "/v1") + "/health"
	for deadline := time.Now().Add(startBound); ; time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(health)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /health: %v", err)
		}
	}
	// serve fetches every provider's /models in the background at start;
	// wait for those calls so per-test request counts are exact.
	for _, k := range kinds {
		for deadline := time.Now().Add(startBound); e.stats(t, k).Requests == 0; time.Sleep(25 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("serve never fetched %s's model list", k)
			}
		}
	}
	cfg := openai.DefaultConfig("sk-local-anything")
	cfg.BaseURL = e.baseURL
	e.client = openai.NewClientWithConfig(cfg)
	return e
}

type stats struct{ Cancelled, Completed, Requests int }

func (e *env) stats(t *testing.T, kind string) stats {
	t.Helper()
	resp, err := http.Get(e.fakes[kind].Root + "/_stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s stats
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func user(text string) []openai.ChatCompletionMessage {
	return []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: text}}
}

// readStream reads a stream to io.EOF and returns every response.
func readStream(t *testing.T, s *openai.ChatCompletionStream) []openai.ChatCompletionStreamResponse {
	t.Helper()
	defer s.Close()
	var out []openai.ChatCompletionStreamResponse
	for {
		r, err := s.Recv()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("Recv after %d chunks: %v", len(out), err)
		}
		out = append(out, r)
	}
}

func TestGoOpenAI(t *testing.T) {
	e := start(t)
	ctx := context.Background()

	t.Run("ListModels", func(t *testing.T) {
		raw, err := os.ReadFile(filepath.Join(moduleRoot(t), "backend", "catalog", "builtin.json"))
		if err != nil {
			t.Fatal(err)
		}
		var cat struct {
			Models []struct {
				ID, Shutdown string
				Retired      bool
			}
		}
		if err := json.Unmarshal(raw, &cat); err != nil {
			t.Fatal(err)
		}
		list, err := e.client.ListModels(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, m := range list.Models {
			ids = append(ids, m.ID)
			if m.Object != "model" || m.OwnedBy == "" || m.CreatedAt == 0 {
				t.Errorf("model %+v lacks object/owned_by/created", m)
			}
		}
		today := time.Now().UTC().Format(time.DateOnly) // the binary judges retirement by the same clock
		for _, m := range cat.Models {
			retired := m.Retired || (m.Shutdown != "" && m.Shutdown <= today)
			if slices.Contains(ids, m.ID) == retired {
				t.Errorf("built-in model %s: listed=%v retired=%v; the list has exactly the models not retired", m.ID, !retired, retired)
			}
		}
		if len(cat.Models) < 35 {
			t.Errorf("builtin.json has %d models, want at least 35", len(cat.Models))
		}
	})

	t.Run("GetModel", func(t *testing.T) {
		m, err := e.client.GetModel(ctx, "deepseek-v4-pro")
		if err != nil {
			t.Fatal(err)
		}
		if m.ID != "deepseek-v4-pro" || m.OwnedBy != "deepseek" {
			t.Errorf("GetModel = %+v", m)
		}
	})

	t.Run("CreateChatCompletion", func(t *testing.T) {
		resp, err := e.client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: "qwen-3.8-27b", Messages: user("hi")})
		if err != nil {
			t.Fatal(err)
		}
		if got := resp.Choices[0].Message.Content; got != "Hello from cerebras (qwen-3.8-27b)." {
			t.Errorf("content = %q", got)
		}
		if resp.Choices[0].FinishReason != openai.FinishReasonStop {
			t.Errorf("finish_reason = %q", resp.Choices[0].FinishReason)
		}
		if resp.Usage.PromptTokens != 9 || resp.Usage.TotalTokens != 9+4 {
			t.Errorf("usage = %+v", resp.Usage)
		}
		if !strings.HasPrefix(resp.Header().Get("X-Request-Id"), "req_") {
			t.Errorf("X-Request-Id = %q", resp.Header().Get("X-Request-Id"))
		}
	})

	t.Run("ReasoningContent", func(t *testing.T) {
		// DeepSeek sends blank lines before the JSON; the gateway trims them.
		resp, err := e.client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: "deepseek-v4-pro", Messages: user("hi")})
		if err != nil {
			t.Fatal(err)
		}
		msg := resp.Choices[0].Message
		if msg.ReasoningContent != "Let me think about this step by step." || msg.Content != "Hello from deepseek (deepseek-v4-pro)." {
			t.Errorf("message = %+v", msg)
		}
		s, err := e.client.CreateChatCompletionStream(ctx, openai.ChatCompletionRequest{Model: "deepseek-v4-pro", Messages: user("hi"), Stream: true})
		if err != nil {
			t.Fatal(err)
		}
		var reasoning, content strings.Builder
		for _, r := range readStream(t, s) {
			if len(r.Choices) > 0 {
				reasoning.WriteString(r.Choices[0].Delta.ReasoningContent)
				content.WriteString(r.Choices[0].Delta.Content)
			}
		}
		if reasoning.String() != "Let me think about this step by step." || content.String() != "Hello from deepseek (deepseek-v4-pro)." {
			t.Errorf("stream reasoning %q content %q", reasoning.String(), content.String())
		}
	})

	t.Run("CreateChatCompletionStream", func(t *testing.T) {
		// Default EmptyMessagesLimit (300): DeepSeek's ": keep-alive" and
		// the blank lines between events count against it per event, which
		// is far below the limit.
		for _, c := range []struct{ model, want string }{
			{"deepseek-flash", "Hello from deepseek (deepseek-flash)."},
			{"gpt-6-luna", "Hello from openai (gpt-6-luna)."},
			{"qwen-3.8-27b", "Hello from cerebras (qwen-3.8-27b)."},
			{"qwen-plus", "Hello from dashscope (qwen-plus)."},
			{"kimi-k3", "Hello from kimi (kimi-k3)."},
		} {
			s, err := e.client.CreateChatCompletionStream(ctx, openai.ChatCompletionRequest{
				Model: c.model, Messages: user("hi"), Stream: true,
				StreamOptions: &openai.StreamOptions{IncludeUsage: true},
			})
			if err != nil {
				t.Fatalf("%s: %v", c.model, err)
			}
			chunks := readStream(t, s)
			var content strings.Builder
			var finish openai.FinishReason
			for _, r := range chunks {
				if len(r.Choices) > 0 {
					content.WriteString(r.Choices[0].Delta.Content)
					if r.Choices[0].FinishReason != "" {
						finish = r.Choices[0].FinishReason
					}
				}
			}
			if content.String() != c.want || finish != openai.FinishReasonStop {
				t.Errorf("%s: content %q finish %q", c.model, content.String(), finish)
			}
			if len(chunks) == 0 || chunks[0].Choices[0].Delta.Role != openai.ChatMessageRoleAssistant {
				t.Errorf("%s: first chunk has no assistant role", c.model)
			}
			last := chunks[len(chunks)-1]
			if last.Usage == nil || last.Usage.PromptTokens != 9 {
				t.Errorf("%s: last chunk carries no usage: %+v", c.model, last)
			}
		}
	})

	t.Run("StreamToolCall", func(t *testing.T) {
		s, err := e.client.CreateChatCompletionStream(ctx, openai.ChatCompletionRequest{
			// Not gpt-6-luna: the SDK refuses tools with Luna's default
			// effort in chat completions, as OpenAI does.
			Model: "gpt-6.1-terra", Messages: user("trigger:tools"), Stream: true,
			Tools: []openai.Tool{{Type: openai.ToolTypeFunction, Function: &openai.FunctionDefinition{
				Name: "get_weather", Parameters: json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"}}}`)}}},
		})
		if err != nil {
			t.Fatal(err)
		}
		var name, args strings.Builder
		for _, r := range readStream(t, s) {
			for _, tc := range r.Choices[0].Delta.ToolCalls {
				name.WriteString(tc.Function.Name)
				args.WriteString(tc.Function.Arguments)
			}
		}
		if name.String() != "get_weather" || args.String() != `{"city":"Paris"}` {
			t.Errorf("tool call %q(%s)", name.String(), args.String())
		}
	})

	t.Run("APIError402", func(t *testing.T) {
		before := e.stats(t, "deepseek").Requests
		_, err := e.client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: "deepseek-flash", Messages: user("trigger:402")})
		var apiErr *openai.APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("err = %T %v, want *openai.APIError", err, err)
		}
		if apiErr.HTTPStatusCode != 402 || !strings.Contains(apiErr.Message, "Insufficient Balance") {
			t.Errorf("APIError = %+v", apiErr)
		}
		if n := e.stats(t, "deepseek").Requests - before; n != 1 {
			t.Errorf("fake saw %d requests, want 1", n)
		}
		// Streaming: the error comes back before any event.
		_, err = e.client.CreateChatCompletionStream(ctx, openai.ChatCompletionRequest{Model: "deepseek-flash", Messages: user("trigger:402"), Stream: true})
		if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 402 {
			t.Errorf("stream err = %T %v, want *openai.APIError 402", err, err)
		}
	})

	t.Run("BadRequestParam", func(t *testing.T) {
		_, err := e.client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: "deepseek-flash", Messages: user("hi"), Temperature: 3})
		var apiErr *openai.APIError
		if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 400 || apiErr.Param == nil || *apiErr.Param != "temperature" {
			t.Errorf("err = %v (%+v), want 400 with param temperature", err, apiErr)
		}
	})

	t.Run("UnknownModel404", func(t *testing.T) {
		_, err := e.client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: "no-such-model", Messages: user("hi")})
		var apiErr *openai.APIError
		if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 404 || apiErr.Code != "model_not_found" {
			t.Errorf("err = %v, want 404 model_not_found", err)
		}
	})

	t.Run("CancelledStream", func(t *testing.T) {
		before := e.stats(t, "deepseek")
		cctx, cancel := context.WithCancel(ctx)
		// trigger:endless lasts until the client leaves, so the fake ends
		// the stream only when the cancel reaches it.
		s, err := e.client.CreateChatCompletionStream(cctx, openai.ChatCompletionRequest{Model: "deepseek-flash", Messages: user("trigger:endless"), Stream: true})
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		if _, err := s.Recv(); err != nil {
			t.Fatal(err)
		}
		cancel()
		s.Close()
		for deadline := time.Now().Add(time.Minute); e.stats(t, "deepseek").Cancelled == before.Cancelled; time.Sleep(25 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("upstream stream not cancelled")
			}
		}
		if after := e.stats(t, "deepseek"); after.Completed != before.Completed {
			t.Errorf("upstream stream completed although the client left")
		}
	})
}
