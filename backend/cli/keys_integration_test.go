//go:build keyring_integration

// This test runs the real binary against a real gnome-keyring: run it
// through scripts/keyring-test.sh with THINKCLOUD_BIN set (make
// test-keyring does both).
package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"thinkcloud/backend/fakeupstream"
)

const secretKey = "test-key-deepseek" // what the fake DeepSeek accepts

type env struct {
	bin  string
	dirs []string
	vars []string
}

func newEnv(t *testing.T) *env {
	bin := os.Getenv("THINKCLOUD_BIN")
	if bin == "" {
		t.Fatal("THINKCLOUD_BIN must name the built thinkcloud binary (make test-keyring sets it)")
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" || os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "disabled:" {
		t.Fatal("no session bus: run through scripts/keyring-test.sh")
	}
	root := t.TempDir()
	e := &env{bin: bin}
	for _, d := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"} {
		p := filepath.Join(root, strings.ToLower(d))
		os.MkdirAll(p, 0o700)
		e.dirs = append(e.dirs, p)
		e.vars = append(e.vars, d+"="+p)
	}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !strings.HasSuffix(k, "_API_KEY") && !strings.HasPrefix(k, "XDG_") {
			e.vars = append(e.vars, kv)
		}
	}
	return e
}

func (e *env) run(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(e.bin, args...)
	cmd.Env, cmd.Dir = e.vars, e.dirs[0]
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

func TestKeysCLIAndServeWithRealKeyring(t *testing.T) {
	e := newEnv(t)
	fake := fakeupstream.NewFake("deepseek", secretKey, true)
	ts := fake.Start()
	defer ts.Close()
	e.vars = append(e.vars, "DEEPSEEK_BASE_URL="+ts.URL+"/v1")

	out, stderr, code := e.run(t, secretKey+"\n", "keys", "set", "deepseek")
	if code != 0 || !strings.Contains(out, "Saved the DeepSeek key") {
		t.Fatalf("keys set: %d %s %s", code, out, stderr)
	}
	if strings.Contains(out+stderr, secretKey) {
		t.Fatalf("keys set echoed the key: %s", out)
	}
	out, _, _ = e.run(t, "", "keys", "list")
	if !strings.Contains(out, "deepseek") || !regexpLine(out, "deepseek", "keyring") || strings.Contains(out, secretKey) {
		t.Fatalf("keys list: got\n%s", out)
	}
	out, stderr, code = e.run(t, "", "keys", "test", "deepseek")
	if code != 0 || !strings.Contains(out, "OK") || !strings.Contains(out, "2 models") {
		t.Fatalf("keys test: %d %s %s", code, out, stderr)
	}
	_, stderr, code = e.run(t, "", "keys", "set", "nope")
	if code != 2 || !strings.Contains(stderr, "unknown provider") {
		t.Fatalf("keys set nope: %d %s", code, stderr)
	}

	// serve picks the key up from the keyring (no DEEPSEEK_API_KEY set).
	logs := serveOnce(t, e)
	if strings.Contains(logs, secretKey) {
		t.Fatalf("serve logged the key:\n%s", logs)
	}
	if got := fake.Requests(); len(got) == 0 || got[len(got)-1].Authorization != "Bearer "+secretKey {
		t.Fatalf("the provider did not receive the keyring's key")
	}

	// No file under the XDG dirs holds the key.
	for _, d := range e.dirs {
		filepath.WalkDir(d, func(p string, de fs.DirEntry, err error) error {
			if err == nil && !de.IsDir() {
				if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(secretKey)) {
					t.Errorf("%s contains the key", p)
				}
			}
			return nil
		})
	}

	// A second key under a label: stored in the real keyring beside the
	// default one, listed by label, deleted by label.
	const workKey = "sk-labelled-work-key-123"
	out, stderr, code = e.run(t, workKey+"\n", "keys", "add", "deepseek", "--label", "work")
	if code != 0 || strings.Contains(out+stderr, workKey) {
		t.Fatalf("keys add --label work: %d %s %s", code, out, stderr)
	}
	out, _, _ = e.run(t, "", "keys", "list")
	if !regexpLine(out, "deepseek", "work") || !regexpLine(out, "deepseek", "default") || strings.Contains(out, workKey) {
		t.Fatalf("keys list with a labelled key:\n%s", out)
	}
	if _, stderr, code := e.run(t, "", "keys", "delete", "deepseek", "--label", "work"); code != 0 {
		t.Fatalf("keys delete --label work: %s", stderr)
	}
	out, _, _ = e.run(t, "", "keys", "list")
	if regexpLine(out, "deepseek", "work") || !regexpLine(out, "deepseek", "default") {
		t.Fatalf("after deleting the work key:\n%s", out)
	}

	if _, stderr, code := e.run(t, "", "keys", "delete", "deepseek"); code != 0 {
		t.Fatalf("keys delete: %s", stderr)
	}
	out, _, _ = e.run(t, "", "keys", "list")
	if !regexpLine(out, "deepseek", "none") {
		t.Fatalf("after delete: %s", out)
	}
}

// regexpLine reports whether the line starting with first also holds want.
func regexpLine(out, first, want string) bool {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, first+" ") && strings.Contains(l, want) {
			return true
		}
	}
	return false
}

// serveOnce starts `thinkcloud serve`, checks /health and one chat, stops
// it with SIGINT and returns everything it printed.
func serveOnce(t *testing.T, e *env) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.bin, "serve", "--port", strconv.Itoa(port))
	cmd.Env, cmd.Dir = e.vars, e.dirs[0]
	var buf, errBuf bytes.Buffer // stdout read here; stderr copied by exec
	cmd.Stderr = &errBuf
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		buf.WriteString(sc.Text() + "\n")
		if strings.HasPrefix(sc.Text(), "Press Ctrl+C") {
			break
		}
	}
	rest := make(chan string)
	go func() {
		var b strings.Builder
		for sc.Scan() {
			b.WriteString(sc.Text() + "\n")
		}
		rest <- b.String()
	}()
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	resp, err := http.Get(base + "/health")
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("serve: %v\nstdout:\n%s\nstderr:\n%s", err, buf.String(), errBuf.String())
	}
	var health bytes.Buffer
	health.ReadFrom(resp.Body)
	resp.Body.Close()
	if !strings.Contains(health.String(), `"deepseek":true`) {
		t.Fatalf("serve did not see the keyring key: %s", health.String())
	}
	resp, err = http.Post(base+"/v1/chat/completions", "application/json",
		strings.NewReader(`{"model":"deepseek-flash","messages":[{"role":"user","content":"hi"}]}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("chat through serve: %v %v", err, resp)
	}
	resp.Body.Close()
	cmd.Process.Signal(os.Interrupt)
	buf.WriteString(<-rest)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve did not stop cleanly on SIGINT: %v\n%s%s", err, buf.String(), errBuf.String())
	}
	buf.Write(errBuf.Bytes())
	if !strings.Contains(buf.String(), "deepseek (1 of 5 have a key)") {
		t.Errorf("banner: %s", buf.String())
	}
	return buf.String()
}
