package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"thinkcloud/backend/server"
)

const launchUsage = `Usage:
  thinkcloud launch claude|codex|opencode|qwen [--model M] [--host H] [--port P] [-- ARGS…]

Starts the coding tool pointed at the running endpoint (the window, or
` + "`thinkcloud serve`" + `): base URL, token and model are set for that one run;
the tool's own settings are left alone. ARGS after -- go to the tool.
`

// placeholderToken is sent when the endpoint takes no token: every tool
// insists on some key, and a loopback endpoint accepts any.
const placeholderToken = "thinkcloud-local"

// tool is a coding agent launch knows how to point at the endpoint.
type tool struct {
	// Command is the executable looked up on PATH.
	Command string
	// Package is the npm package that installs it.
	Package string
}

var tools = map[string]tool{
	"claude":   {Command: "claude", Package: "@anthropic-ai/claude-code"},
	"codex":    {Command: "codex", Package: "@openai/codex"},
	"opencode": {Command: "opencode", Package: "opencode-ai"},
	"qwen":     {Command: "qwen", Package: "@qwen-code/qwen-code"},
}

// target is where a tool is sent: the endpoint's root URL (no /v1), the
// token it must present, and the model the user asked for ("" leaves the
// tool's default).
type target struct {
	Root  string
	Token string
	Model string
	// Models are the endpoint's model ids, for tools that need a list.
	Models []string
}

// Launch runs `thinkcloud launch …`: it checks the tool is installed and
// the endpoint answers, prepares the tool's environment, runs it with this
// terminal and returns its exit code.
func Launch(args []string, env Env) int {
	name, opts, code := parseLaunch(args, env)
	if code >= 0 {
		return code
	}
	t := tools[name]
	exe, err := exec.LookPath(t.Command)
	if err != nil {
		fmt.Fprintf(env.Stderr, "thinkcloud: %s is not installed (no %q on PATH); install it with `npm install -g %s`\n", name, t.Command, t.Package)
		return 127
	}
	c, err := NewCore(opts.ov, env, slog.New(slog.DiscardHandler))
	if err != nil {
		fmt.Fprintln(env.Stderr, "thinkcloud:", err)
		return 1
	}
	cfg := c.Current().Endpoint
	if opts.ov.Host != "" {
		cfg.Host = opts.ov.Host
	}
	if opts.ov.Port != 0 {
		cfg.Port = opts.ov.Port
	}
	tg := target{Root: rootURL(cfg.Host, cfg.Port), Token: placeholderToken, Model: opts.model}
	if cfg.RequireToken || !server.IsLoopback(cfg.Host) {
		tok, err := c.AccessToken(false)
		if err != nil || tok == "" {
			fmt.Fprintf(env.Stderr, "thinkcloud: the endpoint requires its access token, and it cannot be read (%v); set THINKCLOUD_ACCESS_TOKEN or unlock the keyring\n", err)
			return 1
		}
		tg.Token = tok
	}
	client := &http.Client{Timeout: 3 * time.Second}
	var refused *refusedError
	if err := checkHealth(client, tg); errors.As(err, &refused) {
		fmt.Fprintf(env.Stderr, "thinkcloud: the endpoint at %s is running but refused the launch: %v\n", tg.Root, err)
		return 1
	} else if err != nil {
		fmt.Fprintf(env.Stderr, "thinkcloud: the endpoint at %s is not running (%v); open the ThinkCloud window or run `thinkcloud serve`, then try again\n", tg.Root, err)
		return 1
	}
	cacheDir := DefaultPaths().CacheDir
	return runTool(name, exe, tg, opts.rest, cacheDir, client, env)
}

type launchOptions struct {
	ov    Overrides
	model string
	rest  []string
}

// parseLaunch reads the tool name and flags; code is -1 to go on, else
// the exit code.
func parseLaunch(args []string, env Env) (string, launchOptions, int) {
	var o launchOptions
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(env.Stdout, launchUsage)
		return "", o, 0
	}
	name := args[0]
	if _, ok := tools[name]; !ok {
		fmt.Fprintf(env.Stderr, "thinkcloud launch: unknown tool %q; known: claude, codex, opencode, qwen\n\n%s", name, launchUsage)
		return "", o, 2
	}
	fs := flag.NewFlagSet("thinkcloud launch "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() { fmt.Fprint(env.Stderr, launchUsage) }
	fs.StringVar(&o.model, "model", "", "model the tool uses (any ThinkCloud model id)")
	fs.StringVar(&o.ov.Host, "host", "", "endpoint host (default from settings, 127.0.0.1)")
	fs.IntVar(&o.ov.Port, "port", 0, "endpoint port (default from settings, 8000)")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", o, 0
		}
		return "", o, 2
	}
	// flag stops at the first non-flag or at "--"; either way the rest is
	// the tool's.
	o.rest = fs.Args()
	return name, o, -1
}

// rootURL is the endpoint's address as a client dials it: a wildcard
// listen address is reached through loopback.
func rootURL(host string, port int) string {
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(port))
}

// refusedError is an endpoint that answers /health with an error: it
// runs, but will not serve this launch (wrong token, host not allowed).
type refusedError struct{ status, message string }

func (e *refusedError) Error() string {
	return "GET /health answered " + e.status + ": " + e.message
}

// checkHealth asks GET /health with the token the tool will send.
func checkHealth(client *http.Client, tg target) error {
	req, err := http.NewRequest(http.MethodGet, tg.Root+"/health", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tg.Token)
	resp, err := client.Do(req)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) {
			return op.Err
		}
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var body struct {
			Error struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&body)
		return &refusedError{status: resp.Status, message: body.Error.Message}
	}
	return nil
}

// endpointModels lists the endpoint's model ids. It is best effort: a tool
// that needs a list still starts with the one the user named.
func endpointModels(client *http.Client, tg target) []string {
	req, err := http.NewRequest(http.MethodGet, tg.Root+"/v1/models", nil)
	if err != nil {
		return nil
	}
	req.Header.Set("Authorization", "Bearer "+tg.Token)
	resp, err := client.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	var body struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, 8<<20)).Decode(&body) != nil {
		return nil
	}
	ids := make([]string, 0, len(body.Data))
	for _, m := range body.Data {
		ids = append(ids, m.ID)
	}
	return ids
}

// runTool prepares the tool's environment (and config files, removed when
// it exits), runs it on this terminal and returns its exit code.
func runTool(name, exe string, tg target, args []string, cacheDir string, client *http.Client, env Env) int {
	var setup launchSetup
	var err error
	switch name {
	case "claude":
		setup = launchSetup{Env: claudeEnv(tg), Unset: []string{"ANTHROPIC_API_KEY"}}
	case "qwen":
		setup = launchSetup{Env: qwenEnv(tg)}
	case "codex":
		setup, err = codexSetup(tg, cacheDir)
	case "opencode":
		tg.Models = endpointModels(client, tg)
		setup, err = opencodeSetup(tg, cacheDir)
	}
	if setup.Cleanup != nil {
		defer setup.Cleanup()
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, "thinkcloud:", err)
		return 1
	}
	fmt.Fprintf(env.Stderr, "thinkcloud: starting %s against %s (%s)\n", name, tg.Root, setup.describe())
	return execTool(exe, args, mergeEnv(os.Environ(), setup.Env, setup.Unset), env)
}

// launchSetup is what a tool gets: variables to set and unset, and a
// cleanup for files written for it.
type launchSetup struct {
	Env     []string
	Unset   []string
	Note    string
	Cleanup func()
}

func (s launchSetup) describe() string {
	var names []string
	for _, kv := range s.Env {
		k, _, _ := strings.Cut(kv, "=")
		names = append(names, k)
	}
	d := "set " + strings.Join(names, ", ")
	if s.Note != "" {
		d += "; " + s.Note
	}
	return d
}

// mergeEnv returns base with set applied and unset removed; later
// entries win, as for exec.Cmd.Env, but without duplicates.
func mergeEnv(base, set, unset []string) []string {
	drop := map[string]bool{}
	for _, k := range unset {
		drop[k] = true
	}
	for _, kv := range set {
		k, _, _ := strings.Cut(kv, "=")
		drop[k] = true
	}
	out := make([]string, 0, len(base)+len(set))
	for _, kv := range base {
		if k, _, _ := strings.Cut(kv, "="); !drop[k] {
			out = append(out, kv)
		}
	}
	return append(out, set...)
}

// execTool runs exe on this terminal. Ctrl+C reaches the tool (it is in
// the terminal's process group); launch only waits for it to end.
func execTool(exe string, args, environ []string, env Env) int {
	cmd := exec.CommandContext(context.Background(), exe, args...)
	cmd.Env = environ
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if env.Stdin != nil {
		cmd.Stdin = env.Stdin
	}
	if env.Stdout != nil {
		cmd.Stdout = env.Stdout
	}
	if env.Stderr != nil {
		cmd.Stderr = env.Stderr
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	defer signal.Stop(sig)
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		if code := ee.ExitCode(); code >= 0 {
			return code
		}
		return 1 // killed by a signal
	case err != nil:
		fmt.Fprintf(env.Stderr, "thinkcloud: run %s: %v\n", exe, err)
		return 1
	}
	return 0
}
