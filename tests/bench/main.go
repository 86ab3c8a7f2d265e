// Command bench measures what `thinkcloud serve` costs on top of a
// provider, against the floor cost of one Go HTTP hop (a bare
// httputil.ReverseProxy), in one run of about two minutes:
//
//	go run ./tests/bench                      (make bench)
//	go run ./tests/bench -d 5s -rounds 2 -c 1,8,64 -streams 2000
//	go run ./tests/bench -perf 4              also `perf record` proxy and serve
//	go run ./tests/bench -c 1 -modes stream -streams 0 -rounds 8
//	                                    one cell, more rounds (less noise)
//	go run ./tests/bench -c 1,8 -modes stream,messages,responses -streams 0
//	                                    also the translating doors
//
// Three targets get the same closed-loop load from this process over
// keep-alive connections: the fake provider directly, the bare reverse
// proxy in front of it, and `thinkcloud serve` in front of it, streaming
// (trigger:tokens=20) and not, at each concurrency. The fake
// (tests/fakeupstream -record=false), the proxy and serve each run as their
// own process, so the CPU time and syscalls read from /proc/<pid> are the
// proxy's alone. Each cell runs in rounds, the targets taking turns, so
// the noise of a shared machine falls on all three alike. Then 1,000
// streams are held open through serve at once.
//
// The modes "messages" and "responses" measure serve's translating doors
// instead: the same streaming answer asked for through /v1/messages
// (Anthropic) or /v1/responses, translated to the fake's chat completions,
// takes turns with serve's own /v1/chat/completions stream to the same
// model; the report sets serve's CPU per request on each door against it.
//
// It builds thinkcloud (the static headless build, as `make build-headless`)
// and fakeupstream with `go build` into a temporary
// directory; everything listens on 127.0.0.1. It is a benchmark, not a
// test: it prints a Markdown table and which targets were met, and exits
// 0 unless something could not run.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

var (
	cellDur   = flag.Duration("d", 2*time.Second, "measured time per cell and round")
	nRounds   = flag.Int("rounds", 3, "rounds per cell; the targets take turns each round")
	warmup    = flag.Duration("warmup", 300*time.Millisecond, "unmeasured load before each round")
	concList  = flag.String("c", "1,16,64", "concurrency levels")
	modeList  = flag.String("modes", "stream,stream+usage,non-stream,messages,responses", "which modes to measure (stream+usage asks for usage, which OpenAI answers with \"usage\": null on every chunk; messages and responses stream through serve's /v1/messages and /v1/responses against its /v1/chat/completions)")
	tokens    = flag.Int("tokens", 20, "content chunks per streamed answer")
	nStreams  = flag.Int("streams", 1000, "streams held open at once through serve (0 skips)")
	noLog     = flag.Bool("nolog", true, "also measure a second serve with the request log switched off (settings usage.disabled), as the target \"serve-nolog\", in the same rounds: the report sets the log's cost against it")
	otherBin  = flag.String("other", "", "also measure this thinkcloud binary (say, a build of an older commit) as the target \"other\", in the same rounds")
	keepDir   = flag.Bool("keep", false, "keep the temporary directory (binaries, serve log)")
	perfSecs  = flag.Int("perf", 0, "if >0, afterwards `perf record` the proxy and serve for this many seconds each of -perf-c load (stream and not) and print `perf report`")
	perfConc  = flag.Int("perf-c", 16, "concurrency of the -perf load")
	asProxy   = flag.String("as-proxy", "", "internal: run as the bare reverse proxy to this URL")
	modelName = "gpt-6-luna" // served by the OpenAI fake, same id upstream
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
		if kind == "deepseek" {
			// responsesModel: DeepSeek's provider (which translates
			// /v1/responses) in front of the very fake the baseline uses.
			f = fakes["openai"]
		}
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
	var modes []string
	for _, s := range strings.Split(*modeList, ",") {
		switch m := strings.TrimSpace(s); m {
		case modeStream, modeUsage, modeNonStream, modeMessages, modeResponses:
			modes = append(modes, m)
		default:
			return fmt.Errorf("bad -modes %q (stream, stream+usage, non-stream, messages, responses)", *modeList)
		}
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
	for _, b := range []struct{ out, pkg string }{{"thinkcloud", "."}, {"fakeupstream", "./tests/fakeupstream"}} {
		cmd := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(dir, b.out), b.pkg)
		// The headless build (make build-headless): what `serve` users on
		// a machine without a desktop run.
		cmd.Dir, cmd.Env = root, append(os.Environ(), "CGO_ENABLED=0")
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
	var other *proc
	otherRoot := ""
	if *otherBin != "" {
		oport, err := freePort()
		if err != nil {
			return err
		}
		odir := filepath.Join(dir, "other")
		os.MkdirAll(filepath.Join(odir, "wd"), 0o755)
		cmd := exec.Command(*otherBin, "serve", "--host", "127.0.0.1", "--port", strconv.Itoa(oport))
		cmd.Dir, cmd.Env = filepath.Join(odir, "wd"), serveEnv(odir, fakes)
		if other, _, err = spawn("other", cmd, logFile, false); err != nil {
			return err
		}
		defer other.stop()
		otherRoot = "http://127.0.0.1:" + strconv.Itoa(oport)
		if err := waitHealthy(ctx, otherRoot+"/health"); err != nil {
			return fmt.Errorf("other: %w", err)
		}
	}
	var nolog *proc
	nologRoot := ""
	if *noLog {
		if nolog, nologRoot, err = spawnNoLog(ctx, dir, fakes, logFile); err != nil {
			return err
		}
		defer nolog.stop()
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
	if nolog != nil {
		targets = append(targets, target{name: "serve-nolog", url: nologRoot + "/v1/chat/completions", auth: "sk-anything", pid: nolog.pid()})
	}
	if other != nil {
		targets = append(targets, target{name: "other", url: otherRoot + "/v1/chat/completions", auth: "sk-anything", pid: other.pid()})
	}
	fmt.Fprintf(os.Stderr, "bench: GOMAXPROCS=%d NumCPU=%d fd limit %d, %d rounds of %v per cell, each after %v warm-up\n",
		runtime.GOMAXPROCS(0), runtime.NumCPU(), fdLimit, *nRounds, *cellDur, *warmup)

	// Rounds interleave the targets, so background noise on a shared
	// machine falls on all three alike; each cell pools its rounds.
	var cells []cell
	for _, mode := range modes {
		targets := targets
		if isDoor(mode) {
			targets = doorTargets(serveRoot, serve.pid(), mode)
		}
		for _, c := range concs {
			rounds := make([][]sample, len(targets))
			for r := 0; r < *nRounds; r++ {
				for i := range targets {
					// Rotate the order each round.
					t := targets[(i+r)%len(targets)]
					if ctx.Err() != nil {
						return ctx.Err()
					}
					rounds[(i+r)%len(targets)] = append(rounds[(i+r)%len(targets)], runOnce(ctx, t, fake.pid(), mode, c, *cellDur))
				}
			}
			for i, t := range targets {
				x := merge(t.name, mode, c, rounds[i])
				fmt.Fprintf(os.Stderr, "bench: %-6s %-12s c=%-3d %8.0f req/s p50 %v p99 %v errors %d\n",
					t.name, mode, c, x.rps, x.p50.Round(time.Microsecond), x.p99.Round(time.Microsecond), x.errs)
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

	report(os.Stdout, cells, modes, concs, idle, idleAfter, hold)

	if *perfSecs > 0 && ctx.Err() == nil {
		for _, mode := range modes {
			ts := targets[1:]
			if isDoor(mode) {
				ts = doorTargets(serveRoot, serve.pid(), mode)
			}
			for _, t := range ts {
				if err := perfProfile(ctx, dir, t, fake.pid(), mode, *perfSecs); err != nil {
					fmt.Fprintln(os.Stderr, "bench: perf:", err)
				}
			}
		}
	}
	return nil
}

// doorTargets are serve's translating door for mode and, as the baseline,
// serve's /v1/chat/completions streaming to the same model.
func doorTargets(serveRoot string, pid int, mode string) []target {
	model, path := modelName, "/v1/messages"
	if mode == modeResponses {
		model, path = responsesModel, "/v1/responses"
	}
	return []target{
		{name: "serve", url: serveRoot + "/v1/chat/completions", auth: "sk-anything", pid: pid, model: model},
		{name: "serve" + path[3:], url: serveRoot + path, auth: "sk-anything", pid: pid, model: model, door: mode},
	}
}

// perfProfile records t's process with perf while loading it at -perf-c
// and prints where its CPU goes.
func perfProfile(ctx context.Context, dir string, t target, fakePID int, mode string, secs int) error {
	data := filepath.Join(dir, "perf.data")
	rec := exec.CommandContext(ctx, "perf", "record", "-q", "-F", "999", "-g", "-o", data, "-p", strconv.Itoa(t.pid), "--", "sleep", strconv.Itoa(secs))
	rec.Stderr = os.Stderr
	if err := rec.Start(); err != nil {
		return err
	}
	time.Sleep(100 * time.Millisecond)
	runOnce(ctx, t, fakePID, mode, *perfConc, time.Duration(secs)*time.Second)
	if err := rec.Wait(); err != nil {
		return err
	}
	fmt.Printf("\n==== perf: %s, %s, c=%d, %d s ====\n", t.name, mode, *perfConc, secs)
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

// spawnNoLog starts a second serve, like the first but with the request
// log switched off in its settings, so the log's cost is measured in the
// same rounds as serve itself.
func spawnNoLog(ctx context.Context, dir string, fakes map[string]fakeInfo, logFile *os.File) (*proc, string, error) {
	port, err := freePort()
	if err != nil {
		return nil, "", err
	}
	ndir := filepath.Join(dir, "nolog")
	os.MkdirAll(filepath.Join(ndir, "wd"), 0o755)
	os.MkdirAll(filepath.Join(ndir, "config", "thinkcloud"), 0o700)
	if err := os.WriteFile(filepath.Join(ndir, "config", "thinkcloud", "settings.json"), []byte(`{"version":1,"usage":{"disabled":true}}`), 0o600); err != nil {
		return nil, "", err
	}
	cmd := exec.Command(filepath.Join(dir, "thinkcloud"), "serve", "--host", "127.0.0.1", "--port", strconv.Itoa(port))
	cmd.Dir, cmd.Env = filepath.Join(ndir, "wd"), serveEnv(ndir, fakes)
	p, _, err := spawn("serve-nolog", cmd, logFile, false)
	if err != nil {
		return nil, "", err
	}
	root := "http://127.0.0.1:" + strconv.Itoa(port)
	if err := waitHealthy(ctx, root+"/health"); err != nil {
		p.stop()
		return nil, "", fmt.Errorf("serve-nolog: %w", err)
	}
	return p, root, nil
}
