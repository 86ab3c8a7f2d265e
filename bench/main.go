// Command bench measures what `thinkcloud serve` costs on top of a
// provider, against the floor cost of one Go HTTP hop (a bare
// httputil.ReverseProxy), in one run of about two minutes:
//
//	go run ./bench                      (make bench)
//	go run ./bench -d 5s -rounds 2 -c 1,8,64 -streams 2000
//	go run ./bench -perf 4              also `perf record` proxy and serve
//
// Three targets get the same closed-loop load from this process over
// keep-alive connections: the fake provider directly, the bare reverse
// proxy in front of it, and `thinkcloud serve` in front of it, streaming
// (trigger:tokens=20) and not, at each concurrency. The fake
// (cmd/fakeupstream -record=false), the proxy and serve each run as their
// own process, so the CPU time and syscalls read from /proc/<pid> are the
// proxy's alone. Each cell runs in rounds, the targets taking turns, so
// the noise of a shared machine falls on all three alike. Then 1,000
// streams are held open through serve at once.
//
// It builds thinkcloud and fakeupstream with `go build` into a temporary
// directory; everything listens on 127.0.0.1. It is a benchmark, not a
// test: it prints a Markdown table and which targets were met, and exits
// 0 unless something could not run.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"thinkcloud/backend/gateway"
)

var (
	cellDur   = flag.Duration("d", 2*time.Second, "measured time per cell and round")
	nRounds   = flag.Int("rounds", 3, "rounds per cell; the targets take turns each round")
	warmup    = flag.Duration("warmup", 300*time.Millisecond, "unmeasured load before each round")
	concList  = flag.String("c", "1,16,64", "concurrency levels")
	tokens    = flag.Int("tokens", 20, "content chunks per streamed answer")
	nStreams  = flag.Int("streams", 1000, "streams held open at once through serve (0 skips)")
	keepDir   = flag.Bool("keep", false, "keep the temporary directory (binaries, serve log)")
	perfSecs  = flag.Int("perf", 0, "if >0, afterwards `perf record` the proxy and serve for this many seconds each of c=16 load (stream and not) and print `perf report`")
	asProxy   = flag.String("as-proxy", "", "internal: run as the bare reverse proxy to this URL")
	modelName = "gpt-4o" // served by the OpenAI fake, same id upstream
)

func main() {
	flag.Parse()
	if *asProxy != "" {
		runProxy(*asProxy)
		return
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// ---- the bare reverse proxy (a child process) ----

// runProxy serves a plain httputil.ReverseProxy to target, configured as
// fairly as serve: flush every write, the same upstream transport
// (gateway.NewTransport: 256 idle connections per host, no compression)
// and the same http.Server limits. It prints its address and serves until
// SIGTERM or stdin closes.
func runProxy(target string) {
	u, err := url.Parse(target)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	rp := &httputil.ReverseProxy{
		Rewrite:       func(pr *httputil.ProxyRequest) { pr.SetURL(u) },
		Transport:     gateway.NewTransport(gateway.TransportOptions{}),
		FlushInterval: -1,
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	// Full duplex: without it net/http consumes and closes the request
	// body when the first response bytes are flushed, racing the
	// transport that is still copying that body upstream; the loser gets
	// "invalid Read on closed Body", the transport drops the upstream
	// connection mid-answer and the client sees a cut stream (about 1 in
	// 40 requests here at c=1). serve reads the whole body first, so it
	// does not have the problem.
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.NewResponseController(w).EnableFullDuplex()
		rp.ServeHTTP(w, r)
	})
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 1 << 20}
	go srv.Serve(ln)
	fmt.Println(ln.Addr().String())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	go func() { io.Copy(io.Discard, os.Stdin); sig <- syscall.SIGTERM }()
	<-sig
}

// ---- processes ----

type proc struct {
	name  string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	done  chan struct{}
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

func (p *proc) stop() {
	if p == nil || p.cmd.Process == nil {
		return
	}
	if p.stdin != nil {
		p.stdin.Close()
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
}

// spawn starts a child that dies with us (Pdeathsig) and whose stdin is a
// pipe (the fake and the proxy exit when it closes). The first stdout line
// is returned when firstLine is set; otherwise stdout goes to out.
func spawn(name string, cmd *exec.Cmd, out io.Writer, firstLine bool) (*proc, string, error) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	p := &proc{name: name, cmd: cmd, done: make(chan struct{})}
	var err error
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, "", err
	}
	var stdout io.Reader
	if firstLine {
		r, err := cmd.StdoutPipe()
		if err != nil {
			return nil, "", err
		}
		stdout = r
		cmd.Stderr = out
	} else {
		cmd.Stdout, cmd.Stderr = out, out
	}
	if err := cmd.Start(); err != nil {
		return nil, "", fmt.Errorf("start %s: %w", name, err)
	}
	go func() { cmd.Wait(); close(p.done) }()
	if !firstLine {
		return p, "", nil
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		p.stop()
		return nil, "", fmt.Errorf("%s printed nothing: %w", name, err)
	}
	go io.Copy(io.Discard, stdout)
	return p, strings.TrimSpace(line), nil
}

// ---- /proc readings ----

var clkTck = clockTicks()

// clockTicks reads AT_CLKTCK from the auxiliary vector (sysconf needs cgo).
func clockTicks() float64 {
	b, err := os.ReadFile("/proc/self/auxv")
	if err == nil {
		for i := 0; i+16 <= len(b); i += 16 {
			if binary.LittleEndian.Uint64(b[i:]) == 17 { // AT_CLKTCK
				if v := binary.LittleEndian.Uint64(b[i+8:]); v > 0 {
					return float64(v)
				}
			}
		}
	}
	return 100
}

// cpuTime is utime+stime of pid.
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the ")" that ends the command name; utime and stime
	// are fields 14 and 15 of the whole line.
	s := string(b[bytes.LastIndexByte(b, ')')+2:])
	f := strings.Fields(s)
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return time.Duration((ut + st) / clkTck * float64(time.Second))
}

// rss is VmRSS of pid in bytes.
func rss(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// syscalls returns the read and write syscall counts of pid.
func syscalls(pid int) (r, w int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "syscr: "); ok {
			r, _ = strconv.ParseInt(v, 10, 64)
		}
		if v, ok := strings.CutPrefix(line, "syscw: "); ok {
			w, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	return r, w
}

// rssSampler keeps the largest VmRSS of pid seen every 50 ms.
func rssSampler(ctx context.Context, pid int) func() int64 {
	var peak atomic.Int64
	peak.Store(rss(pid))
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			if r := rss(pid); r > peak.Load() {
				peak.Store(r)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() int64 { <-done; return peak.Load() }
}

// ---- load ----

type target struct {
	name string
	url  string // .../v1/chat/completions
	auth string
	pid  int // process whose CPU and RSS are measured; 0 for none
}

type cell struct {
	target  string
	stream  bool
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

func requestBody(stream bool, prompt string) []byte {
	b, _ := json.Marshal(map[string]any{
		"model": modelName, "stream": stream,
		"messages": []any{map[string]any{"role": "user", "content": prompt}},
	})
	return b
}

var doneMarker = []byte("data: [DONE]\n\n")

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
	if stream && !bytes.HasSuffix(buf.Bytes(), doneMarker) {
		return fmt.Errorf("stream without [DONE]: %.200s", buf.Bytes())
	}
	if !stream && !bytes.Contains(buf.Bytes(), []byte(`"chat.completion"`)) {
		return fmt.Errorf("not a completion: %.200s", buf.Bytes())
	}
	return nil
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
func runOnce(ctx context.Context, t target, fakePID int, stream bool, conc int, d time.Duration) sample {
	client := newClient(conc)
	defer client.CloseIdleConnections()
	prompt := "hi"
	if stream {
		prompt = "trigger:tokens=" + strconv.Itoa(*tokens)
	}
	body := requestBody(stream, prompt)

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
func merge(name string, stream bool, conc int, ss []sample) cell {
	c := cell{target: name, stream: stream, conc: conc}
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
	body := requestBody(true, "trigger:slow")
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

// ---- orchestration ----

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("run from inside the thinkcloud module")
	}
	return filepath.Dir(gomod), nil
}

func raiseFileLimit(want uint64) uint64 {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0
	}
	if l.Cur < want && l.Cur < l.Max {
		l.Cur = min(want, l.Max)
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
		syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l)
	}
	return l.Cur
}

// waitHealthy polls url until it answers with a status below 500 (the
// proxy relays the fake's 401 to a request without a key: that is fine).
func waitHealthy(ctx context.Context, url string) error {
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 500 {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s never answered", url)
}

func serveEnv(dir string, fakes map[string]fakeInfo) []string {
	var env []string
	drop := []string{"_API_KEY=", "_BASE_URL=", "_PROXY=", "_proxy="}
outer:
	for _, kv := range os.Environ() {
		for _, d := range drop {
			if strings.Contains(strings.SplitN(kv, "=", 2)[0]+"=", d) {
				continue outer
			}
		}
		if strings.HasPrefix(kv, "XDG_") || strings.HasPrefix(kv, "THINKCLOUD_") || strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "DBUS_SESSION_BUS_ADDRESS=disabled:",
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_CACHE_HOME="+filepath.Join(dir, "cache"),
		"XDG_DATA_HOME="+filepath.Join(dir, "data"))
	for kind, f := range fakes {
		env = append(env, strings.ToUpper(kind)+"_API_KEY="+f.Key, strings.ToUpper(kind)+"_BASE_URL="+f.BaseURL)
	}
	return env
}

type fakeInfo struct {
	BaseURL string `json:"baseURL"`
	Key     string `json:"key"`
	Root    string `json:"root"`
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func run() error {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	var concs []int
	for _, s := range strings.Split(*concList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("bad -c %q", *concList)
		}
		concs = append(concs, n)
	}
	fdLimit := raiseFileLimit(uint64(max(*nStreams, 64))*4 + 1024)

	root, err := moduleRoot()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "thinkcloud-bench-")
	if err != nil {
		return err
	}
	if *keepDir {
		fmt.Fprintln(os.Stderr, "bench: files in", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	t0 := time.Now()
	for _, b := range []struct{ out, pkg string }{{"thinkcloud", "."}, {"fakeupstream", "./cmd/fakeupstream"}} {
		cmd := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(dir, b.out), b.pkg)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %v\n%s", b.pkg, err, out)
		}
	}
	fmt.Fprintf(os.Stderr, "bench: built thinkcloud and fakeupstream in %v\n", time.Since(t0).Round(time.Millisecond))
	wd := filepath.Join(dir, "wd")
	os.MkdirAll(wd, 0o755)
	logFile, err := os.Create(filepath.Join(dir, "serve.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()

	// The fake providers.
	fakeCmd := exec.Command(filepath.Join(dir, "fakeupstream"), "-record=false")
	fakeCmd.Dir = wd
	fake, line, err := spawn("fakeupstream", fakeCmd, os.Stderr, true)
	if err != nil {
		return err
	}
	defer fake.stop()
	fakes := map[string]fakeInfo{}
	if err := json.Unmarshal([]byte(line), &fakes); err != nil {
		return fmt.Errorf("fakeupstream line %q: %w", line, err)
	}
	up := fakes["openai"]

	// The bare reverse proxy: this program again.
	self, err := os.Executable()
	if err != nil {
		return err
	}
	proxy, addr, err := spawn("proxy", exec.Command(self, "-as-proxy", up.Root), os.Stderr, true)
	if err != nil {
		return err
	}
	defer proxy.stop()

	// thinkcloud serve.
	port, err := freePort()
	if err != nil {
		return err
	}
	serveCmd := exec.Command(filepath.Join(dir, "thinkcloud"), "serve", "--host", "127.0.0.1", "--port", strconv.Itoa(port))
	serveCmd.Dir, serveCmd.Env = wd, serveEnv(dir, fakes)
	serve, _, err := spawn("serve", serveCmd, logFile, false)
	if err != nil {
		return err
	}
	defer serve.stop()
	serveRoot := "http://127.0.0.1:" + strconv.Itoa(port)
	if err := waitHealthy(ctx, serveRoot+"/health"); err != nil {
		b, _ := os.ReadFile(logFile.Name())
		return fmt.Errorf("%w\n%s", err, b)
	}
	if err := waitHealthy(ctx, "http://"+addr+"/v1/models"); err != nil {
		return fmt.Errorf("proxy: %w", err)
	}
	// Let serve's start-up model refresh finish, then read idle RSS.
	time.Sleep(time.Second)
	idle := map[string]int64{"proxy": rss(proxy.pid()), "serve": rss(serve.pid()), "fake": rss(fake.pid())}

	targets := []target{
		{name: "direct", url: up.BaseURL + "/chat/completions", auth: up.Key},
		{name: "proxy", url: "http://" + addr + "/v1/chat/completions", auth: up.Key, pid: proxy.pid()},
		{name: "serve", url: serveRoot + "/v1/chat/completions", auth: "sk-anything", pid: serve.pid()},
	}
	fmt.Fprintf(os.Stderr, "bench: GOMAXPROCS=%d NumCPU=%d fd limit %d, %d rounds of %v per cell, each after %v warm-up\n",
		runtime.GOMAXPROCS(0), runtime.NumCPU(), fdLimit, *nRounds, *cellDur, *warmup)

	// Rounds interleave the targets, so background noise on a shared
	// machine falls on all three alike; each cell pools its rounds.
	var cells []cell
	for _, stream := range []bool{true, false} {
		for _, c := range concs {
			rounds := make([][]sample, len(targets))
			for r := 0; r < *nRounds; r++ {
				for i := range targets {
					// Rotate the order each round.
					t := targets[(i+r)%len(targets)]
					if ctx.Err() != nil {
						return ctx.Err()
					}
					rounds[(i+r)%len(targets)] = append(rounds[(i+r)%len(targets)], runOnce(ctx, t, fake.pid(), stream, c, *cellDur))
				}
			}
			for i, t := range targets {
				x := merge(t.name, stream, c, rounds[i])
				fmt.Fprintf(os.Stderr, "bench: %-6s stream=%-5v c=%-3d %8.0f req/s p50 %v p99 %v errors %d\n",
					t.name, stream, c, x.rps, x.p50.Round(time.Microsecond), x.p99.Round(time.Microsecond), x.errs)
				if x.firstEr != "" {
					fmt.Fprintln(os.Stderr, "bench:   first error:", x.firstEr)
				}
				cells = append(cells, x)
			}
		}
	}

	var hold holdResult
	if *nStreams > 0 && ctx.Err() == nil {
		hold = holdStreams(ctx, targets[2], *nStreams)
		fmt.Fprintf(os.Stderr, "bench: %d streams through serve: peak open %d, errors %d, took %v\n", hold.n, hold.peak, hold.errs, hold.took.Round(time.Millisecond))
		if hold.firstErr != "" {
			fmt.Fprintln(os.Stderr, "bench:   first error:", hold.firstErr)
		}
	}
	idleAfter := rss(serve.pid())

	report(os.Stdout, cells, concs, idle, idleAfter, hold)

	if *perfSecs > 0 && ctx.Err() == nil {
		for _, stream := range []bool{true, false} {
			for _, t := range targets[1:] {
				if err := perfProfile(ctx, dir, t, fake.pid(), stream, *perfSecs); err != nil {
					fmt.Fprintln(os.Stderr, "bench: perf:", err)
				}
			}
		}
	}
	return nil
}

// perfProfile records t's process with perf while loading it at c=16
// and prints where its CPU goes.
func perfProfile(ctx context.Context, dir string, t target, fakePID int, stream bool, secs int) error {
	data := filepath.Join(dir, "perf.data")
	rec := exec.CommandContext(ctx, "perf", "record", "-q", "-F", "999", "-g", "-o", data, "-p", strconv.Itoa(t.pid), "--", "sleep", strconv.Itoa(secs))
	rec.Stderr = os.Stderr
	if err := rec.Start(); err != nil {
		return err
	}
	time.Sleep(100 * time.Millisecond)
	runOnce(ctx, t, fakePID, stream, 16, time.Duration(secs)*time.Second)
	if err := rec.Wait(); err != nil {
		return err
	}
	fmt.Printf("\n==== perf: %s, stream=%v, c=16, %d s ====\n", t.name, stream, secs)
	for _, v := range []struct {
		args []string
		max  int
	}{
		{[]string{"report", "-i", data, "--no-children", "--sort", "symbol", "--stdio", "-g", "none", "--percent-limit", "0.7"}, 30},
		{[]string{"report", "-i", data, "--children", "--sort", "symbol", "--stdio", "-g", "none", "--percent-limit", "2"}, 90},
	} {
		out, err := exec.CommandContext(ctx, "perf", v.args...).Output()
		if err != nil {
			return err
		}
		fmt.Printf("\n$ perf %s\n", strings.Join(v.args[:len(v.args)], " "))
		n := 0
		for _, l := range strings.Split(string(out), "\n") {
			if l != "" && !strings.HasPrefix(l, "#") && n < v.max {
				fmt.Println(strings.TrimRight(l, " -"))
				n++
			}
		}
	}
	return nil
}

// ---- report ----

func ms(d time.Duration) string { return fmt.Sprintf("%.3f", float64(d)/float64(time.Millisecond)) }
func us(d time.Duration) string { return fmt.Sprintf("%.0f", float64(d)/float64(time.Microsecond)) }
func mb(b int64) string         { return fmt.Sprintf("%.1f", float64(b)/(1<<20)) }
func ratio(a, b float64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

func report(w io.Writer, cells []cell, concs []int, idle map[string]int64, idleAfter int64, hold holdResult) {
	find := func(name string, stream bool, c int) cell {
		for _, x := range cells {
			if x.target == name && x.stream == stream && x.conc == c {
				return x
			}
		}
		return cell{}
	}
	fmt.Fprintf(w, "\nThinkCloud endpoint benchmark — %s, %d CPUs, %d rounds × %v per cell, streams of %d content chunks\n\n",
		time.Now().Format("2006-01-02 15:04"), runtime.NumCPU(), *nRounds, *cellDur, *tokens)
	fmt.Fprintln(w, "CPU, syscalls and RSS are the proxy process's own (for direct: the fake provider's).")
	fmt.Fprintln(w, "×proxy compares serve with the bare reverse proxy; ×direct compares with calling the fake directly;")
	fmt.Fprintln(w, "+p50 is the latency a hop adds to direct.")
	fmt.Fprintln(w)
	rows := [][]string{{"mode", "c", "target", "req/s", "p50 ms", "p99 ms", "+p50 ms", "CPU µs/req", "syscalls/req", "peak RSS MB", "errors", "req/s ×proxy", "req/s ×direct", "CPU ×proxy", "+p50 ×proxy"}}
	for _, stream := range []bool{true, false} {
		mode := "non-stream"
		if stream {
			mode = "stream"
		}
		for _, c := range concs {
			d, p := find("direct", stream, c), find("proxy", stream, c)
			for _, name := range []string{"direct", "proxy", "serve"} {
				x := find(name, stream, c)
				row := []string{mode, strconv.Itoa(c), name, fmt.Sprintf("%.0f", x.rps), ms(x.p50), ms(x.p99), "-",
					us(x.cpu), fmt.Sprintf("%.1f", x.sysr+x.sysw), mb(x.rss), strconv.Itoa(x.errs), "-", "-", "-", "-"}
				if name == "direct" {
					row[7], row[8], row[9] = row[7]+" (fake)", row[8]+" (fake)", row[9]+" (fake)"
				} else {
					row[6], row[12] = ms(x.p50-d.p50), ratio(x.rps, d.rps)
				}
				if name == "serve" {
					row[11], row[13], row[14] = ratio(x.rps, p.rps), ratio(float64(x.cpu), float64(p.cpu)), ratio(float64(x.p50-d.p50), float64(p.p50-d.p50))
				}
				rows = append(rows, row)
			}
		}
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	for i, r := range rows {
		var b strings.Builder
		for j, c := range r {
			pad := strings.Repeat(" ", widths[j]-len([]rune(c)))
			if j < 3 {
				b.WriteString("| " + c + pad + " ")
			} else {
				b.WriteString("| " + pad + c + " ")
			}
		}
		fmt.Fprintln(w, b.String()+"|")
		if i == 0 {
			b.Reset()
			for j := range r {
				if j < 3 {
					b.WriteString("|:" + strings.Repeat("-", widths[j]+1))
				} else {
					b.WriteString("|" + strings.Repeat("-", widths[j]+1) + ":")
				}
			}
			fmt.Fprintln(w, b.String()+"|")
		}
	}
	for _, x := range cells {
		if x.firstEr != "" {
			fmt.Fprintf(w, "first error of %s stream=%v c=%d: %s\n", x.target, x.stream, x.conc, x.firstEr)
		}
	}

	fmt.Fprintln(w)
	fmt.Fprintf(w, "RSS idle (after start-up and the model-list refresh): serve %s MB, bare proxy %s MB, fake %s MB; serve after the run: %s MB\n",
		mb(idle["serve"]), mb(idle["proxy"]), mb(idle["fake"]), mb(idleAfter))
	if hold.n > 0 {
		fmt.Fprintf(w, "%d concurrent streams through serve (trigger:slow, 2 s each): %d errors, peak %d open at once, all done in %v, last first-chunk at %v, serve peak RSS %s MB\n",
			hold.n, hold.errs, hold.peak, hold.took.Round(time.Millisecond), hold.firstChunkP99.Round(time.Millisecond), mb(hold.rss))
	}

	// Targets.
	fmt.Fprintln(w, "\nTargets (serve against the bare reverse proxy):")
	verdict := func(ok bool) string {
		if ok {
			return "met"
		}
		return "MISSED"
	}
	worstRPS, worstCPU := 1e9, 0.0
	var worstRPSAt, worstCPUAt string
	for _, stream := range []bool{true, false} {
		for _, c := range concs {
			s, p := find("serve", stream, c), find("proxy", stream, c)
			at := fmt.Sprintf("stream=%v c=%d", stream, c)
			if p.rps > 0 && s.rps/p.rps < worstRPS {
				worstRPS, worstRPSAt = s.rps/p.rps, at
			}
			if p.cpu > 0 && float64(s.cpu)/float64(p.cpu) > worstCPU {
				worstCPU, worstCPUAt = float64(s.cpu)/float64(p.cpu), at
			}
		}
	}
	fmt.Fprintf(w, "  throughput ≥ 0.9× proxy in every cell: worst %.2f× (%s) — %s\n", worstRPS, worstRPSAt, verdict(worstRPS >= 0.9))
	fmt.Fprintf(w, "  CPU per request ≤ 1.2× proxy in every cell: worst %.2f× (%s) — %s\n", worstCPU, worstCPUAt, verdict(worstCPU <= 1.2))
	for _, stream := range []bool{true, false} {
		d, p, s := find("direct", stream, 1), find("proxy", stream, 1), find("serve", stream, 1)
		if d.n == 0 {
			continue
		}
		addP, addS := p.p50-d.p50, s.p50-d.p50
		fmt.Fprintf(w, "  added p50 latency at c=1 (stream=%v) ≤ 1.2× proxy's: serve +%s ms, proxy +%s ms (%s) — %s\n",
			stream, ms(addS), ms(addP), ratio(float64(addS), float64(addP)), verdict(addP > 0 && float64(addS) <= 1.2*float64(addP)))
	}
	if hold.n > 0 {
		fmt.Fprintf(w, "  %d concurrent streams with zero errors: %d errors, peak %d open — %s\n", hold.n, hold.errs, hold.peak, verdict(hold.errs == 0 && hold.peak == hold.n))
	}
	fmt.Fprintf(w, "  serve RSS ≤ 30 MB idle: %s MB — %s\n", mb(idle["serve"]), verdict(idle["serve"] <= 30<<20))
	var rss64 int64
	for _, stream := range []bool{true, false} {
		rss64 = max(rss64, find("serve", stream, 64).rss)
	}
	if rss64 > 0 {
		fmt.Fprintf(w, "  serve RSS ≤ 60 MB at c=64: peak %s MB — %s\n", mb(rss64), verdict(rss64 <= 60<<20))
	}
}
