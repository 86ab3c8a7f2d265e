//go:build unix

// Package asnobody runs the current test binary again as an unprivileged
// user, for tests about file permissions, which do not stop root. The
// child is told what to do through an environment variable its package's
// TestMain reads; it is given -test.run=^$ so it runs no tests itself.
package asnobody

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// UID is the account the child runs as (nobody).
const UID = 65534

// Run makes each of reach readable and searchable by everyone (t.TempDir
// makes private directories), runs a public copy of the test binary as
// UID with env ("NAME=value") added, and fails t unless the child exits 0
// and prints want. It returns the child's output.
func Run(t testing.TB, env, want string, reach ...string) string {
	t.Helper()
	for _, d := range reach {
		st, err := os.Stat(d)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, st.Mode().Perm()|0o055); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(publicCopy(t), "-test.run=^$")
	cmd.Env = append(os.Environ(), env)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: UID, Gid: UID}}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), want) {
		t.Fatalf("child as uid %d (%s): %v\n%s", UID, env, err, out)
	}
	return string(out)
}

// publicCopy copies the running test binary where every user can run it,
// since the build cache is private.
func publicCopy(t testing.TB) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	src, err := os.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	bin := filepath.Join(dir, filepath.Base(exe))
	dst, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return bin
}
