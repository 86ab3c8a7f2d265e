package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// ---- load ----

type target struct {
	name string
	url  string // .../v1/chat/completions, or /v1/messages or /v1/responses for door
	auth string
	pid  int // process whose CPU and RSS are measured; 0 for none
	// door is the API the request speaks: "" (chat completions),
	// modeMessages or modeResponses.
	door string
	// model is the model asked for; "" is modelName.
	model string
}

// Modes of request the benchmark sends.
const (
	modeStream    = "stream"
	modeNonStream = "non-stream"
	// modeUsage streams with stream_options.include_usage, to which
	// OpenAI answers with "usage": null on every chunk.
	modeUsage = "stream+usage"
	// modeMessages streams through serve's /v1/messages (Anthropic),
	// translated to the OpenAI fake's chat completions, against serve's
	// /v1/chat/completions streaming to the same model.
	modeMessages = "messages"
	// modeResponses streams through serve's /v1/responses, translated to
	// chat completions (responsesModel), against serve's
	// /v1/chat/completions streaming to the same model.
	modeResponses = "responses"
)

// responsesModel is a model whose provider translates /v1/responses (only
// OpenAI's are passed through natively): DeepSeek's provider, pointed at
// the OpenAI fake (serveEnv), asking for gpt-6-luna, so the upstream stream is
// byte for byte the one the chat-completions baseline gets.
const responsesModel = "deepseek/gpt-6-luna"

func isStream(mode string) bool { return mode != modeNonStream }

// isDoor says whether mode compares serve's translating doors with its
// own chat completions, rather than serve with the proxy.
func isDoor(mode string) bool { return mode == modeMessages || mode == modeResponses }

type cell struct {
	target  string
	mode    string
	conc    int
	n       int
	errs    int
	firstEr string
	rps     float64
	p50     time.Duration
	p99     time.Duration
	cpu     time.Duration // per request, of the measured process
	fakeCPU time.Duration // per request, of the fake
	sysr    float64       // read syscalls per request, of the measured process
	sysw    float64       // write syscalls per request
	rss     int64         // peak during the cell
}

func newClient(conns int) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns * 2,
		MaxIdleConnsPerHost: conns * 2,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}}
}

func requestBody(mode string, prompt string) []byte {
	return target{}.body(mode, prompt)
}

// body is the request t gets in mode: a chat completion, or the
// equivalent Anthropic message or Responses request for a door.
func (t target) body(mode string, prompt string) []byte {
	model := t.model
	if model == "" {
		model = modelName
	}
	var body map[string]any
	switch t.door {
	case modeMessages:
		body = map[string]any{"model": model, "stream": true, "max_tokens": 1024,
			"messages": []any{map[string]any{"role": "user", "content": prompt}}}
	case modeResponses:
		body = map[string]any{"model": model, "stream": true, "store": false, "input": prompt}
	default:
		body = map[string]any{"model": model, "stream": isStream(mode),
			"messages": []any{map[string]any{"role": "user", "content": prompt}}}
		if mode == modeUsage {
			body["stream_options"] = map[string]any{"include_usage": true}
		}
	}
	b, _ := json.Marshal(body)
	return b
}

var (
	doneMarker        = []byte("data: [DONE]\n\n")
	messageStop       = []byte("event: message_stop\n")
	responseCompleted = []byte("event: response.completed\n")
)

// complete says whether buf is a whole answer for t: [DONE] ends a chat
// stream, message_stop an Anthropic one, response.completed a Responses
// one.
func (t target) complete(buf []byte, stream bool) error {
	switch {
	case t.door == modeMessages && !bytes.Contains(buf, messageStop):
		return fmt.Errorf("messages stream without message_stop: %.200s", buf)
	case t.door == modeResponses && !bytes.Contains(buf, responseCompleted):
		return fmt.Errorf("responses stream without response.completed: %.200s", buf)
	case t.door != "":
		return nil
	case stream && !bytes.HasSuffix(buf, doneMarker):
		return fmt.Errorf("stream without [DONE]: %.200s", buf)
	case !stream && !bytes.Contains(buf, []byte(`"chat.completion"`)):
		return fmt.Errorf("not a completion: %.200s", buf)
	}
	return nil
}

// do sends one request and reads the whole answer; it returns an error
// unless the answer is complete (200 and [DONE] for streams, a
// chat.completion object otherwise).
func do(ctx context.Context, c *http.Client, t target, body []byte, stream bool, buf *bytes.Buffer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+t.auth)
	if t.door == modeMessages {
		req.Header.Set("anthropic-version", "2023-06-01")
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	buf.Reset()
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != 200 {
		return fmt.Errorf("status %d: %.200s", resp.StatusCode, buf.Bytes())
	}
	return t.complete(buf.Bytes(), stream)
}

// sample is one round of one cell.
type sample struct {
	lats      []time.Duration
	errs      int
	firstErr  string
	cpu, fake time.Duration // CPU of the measured process and of the fake
	sysr      int64         // read syscalls of the measured process (the fake's for direct)
	sysw      int64         // write syscalls
	rss       int64
	dur       time.Duration
}

// runOnce drives t with conc closed-loop workers for warmup+d and measures
// the requests that end inside the last d.
func runOnce(ctx context.Context, t target, fakePID int, mode string, conc int, d time.Duration) sample {
	stream := isStream(mode)
	client := newClient(conc)
	defer client.CloseIdleConnections()
	prompt := "hi"
	if stream {
		prompt = "trigger:tokens=" + strconv.Itoa(*tokens)
	}
	body := t.body(mode, prompt)

	start := time.Now()
	mStart, mEnd := start.Add(*warmup), start.Add(*warmup+d)
	var (
		mu sync.Mutex
		wg sync.WaitGroup
		sm = sample{dur: d}
	)
	for i := 0; i < conc; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			local := make([]time.Duration, 0, 4096)
			lerr, lfirst := 0, ""
			for {
				t0 := time.Now()
				if t0.After(mEnd) || ctx.Err() != nil {
					break
				}
				err := do(ctx, client, t, body, stream, &buf)
				t1 := time.Now()
				if t1.Before(mStart) || t1.After(mEnd) {
					continue
				}
				if err != nil {
					lerr++
					if lfirst == "" {
						lfirst = err.Error()
					}
					time.Sleep(time.Millisecond)
					continue
				}
				local = append(local, t1.Sub(t0))
			}
			mu.Lock()
			sm.lats = append(sm.lats, local...)
			sm.errs += lerr
			if sm.firstErr == "" {
				sm.firstErr = lfirst
			}
			mu.Unlock()
		}()
	}
	// Read the counters at the window's edges.
	pid := t.pid
	if pid == 0 {
		pid = fakePID
	}
	time.Sleep(time.Until(mStart))
	rctx, stopRSS := context.WithCancel(ctx)
	peakRSS := rssSampler(rctx, pid)
	cpu0, fake0 := cpuTime(pid), cpuTime(fakePID)
	r0, w0 := syscalls(pid)
	time.Sleep(time.Until(mEnd))
	cpu1, fake1 := cpuTime(pid), cpuTime(fakePID)
	r1, w1 := syscalls(pid)
	stopRSS()
	wg.Wait()
	sm.cpu, sm.fake, sm.sysr, sm.sysw, sm.rss = cpu1-cpu0, fake1-fake0, r1-r0, w1-w0, peakRSS()
	return sm
}

// merge pools the rounds of one cell.
func merge(name string, mode string, conc int, ss []sample) cell {
	c := cell{target: name, mode: mode, conc: conc}
	var lats []time.Duration
	var dur, cpu, fake time.Duration
	var sysr, sysw int64
	for _, s := range ss {
		lats = append(lats, s.lats...)
		c.errs += s.errs
		if c.firstEr == "" {
			c.firstEr = s.firstErr
		}
		dur += s.dur
		cpu += s.cpu
		fake += s.fake
		sysr += s.sysr
		sysw += s.sysw
		c.rss = max(c.rss, s.rss)
	}
	c.n = len(lats)
	c.rps = float64(c.n) / dur.Seconds()
	if c.n > 0 {
		slices.Sort(lats)
		c.p50 = lats[c.n*50/100]
		c.p99 = lats[min(c.n-1, c.n*99/100)]
		c.cpu = cpu / time.Duration(c.n)
		c.fakeCPU = fake / time.Duration(c.n)
		c.sysr = float64(sysr) / float64(c.n)
		c.sysw = float64(sysw) / float64(c.n)
	}
	return c
}

// holdStreams opens n slow streams (40 chunks, 50 ms apart: 2 s each) at
// once and reads them to the end. peak is how many had their first chunk
// and were not finished at the same moment.
type holdResult struct {
	n, errs, peak int
	firstErr      string
	took          time.Duration
	rss           int64
	firstChunkP99 time.Duration
}

func holdStreams(ctx context.Context, t target, n int) holdResult {
	client := newClient(n)
	defer client.CloseIdleConnections()
	body := requestBody(modeStream, "trigger:slow")
	var (
		open, peak atomic.Int64
		wg         sync.WaitGroup
		mu         sync.Mutex
		res        = holdResult{n: n}
		firsts     []time.Duration
	)
	rctx, stopRSS := context.WithCancel(ctx)
	peakRSS := rssSampler(rctx, t.pid)
	start := time.Now()
	gate := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			err := func() error {
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+t.auth)
				resp, err := client.Do(req)
				if err != nil {
					return err
				}
				defer resp.Body.Close()
				if resp.StatusCode != 200 {
					b, _ := io.ReadAll(resp.Body)
					return fmt.Errorf("status %d: %.200s", resp.StatusCode, b)
				}
				br := bufio.NewReader(resp.Body)
				var last []byte
				counted := false
				for {
					line, err := br.ReadBytes('\n')
					if len(line) > 0 && bytes.HasPrefix(line, []byte("data: ")) {
						last = line
						if !counted {
							counted = true
							mu.Lock()
							firsts = append(firsts, time.Since(start))
							mu.Unlock()
							if o := open.Add(1); o > peak.Load() {
								for {
									p := peak.Load()
									if o <= p || peak.CompareAndSwap(p, o) {
										break
									}
								}
							}
						}
					}
					if err == io.EOF {
						break
					}
					if err != nil {
						if counted {
							open.Add(-1)
						}
						return err
					}
				}
				if counted {
					open.Add(-1)
				}
				if !bytes.Equal(last, []byte("data: [DONE]\n")) {
					return fmt.Errorf("stream ended without [DONE] (last line %q)", last)
				}
				return nil
			}()
			if err != nil {
				mu.Lock()
				res.errs++
				if res.firstErr == "" {
					res.firstErr = err.Error()
				}
				mu.Unlock()
			}
		}()
	}
	close(gate)
	wg.Wait()
	res.took = time.Since(start)
	stopRSS()
	res.rss = peakRSS()
	res.peak = int(peak.Load())
	if len(firsts) > 0 {
		slices.Sort(firsts)
		res.firstChunkP99 = firsts[min(len(firsts)-1, len(firsts)*99/100)]
	}
	return res
}
