package history

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// roFSEnv tells a re-executed test binary to mount a directory read-only
// in a mount namespace of its own and try to open a database in it.
const roFSEnv = "HISTORY_TEST_READONLY_FS"

func init() { childProcs[roFSEnv] = readOnlyFSChild }

// TestReadOnlyFileSystem opens the history on a really read-only file
// system, both an existing database and a new one, and wants ErrReadOnly
// with a message that says so, not SQLite's "unable to open database
// file". The file system is made read-only in a child process with its
// own mount namespace, so nothing outside the test sees it; permissions
// play no part (the child is root in its namespace).
func TestReadOnlyFileSystem(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		seed bool
	}{
		{"existing database", true},
		{"new database", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "history.db")
			if tc.seed {
				seedAndClose(t, path)
			}
			out, err := runInMountNamespace(t, roFSEnv+"="+path)
			if err != nil || !strings.Contains(out, "read-only file system check passed") {
				t.Fatalf("child: %v\n%s", err, out)
			}
		})
	}
}

// runInMountNamespace runs the test binary again in new user and mount
// namespaces (root inside, mapped to the current user); as root it
// falls back to a mount namespace alone where user namespaces are off.
func runInMountNamespace(t *testing.T, env string) (string, error) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	run := func(attr *syscall.SysProcAttr) (string, error) {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), env)
		cmd.SysProcAttr = attr
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run(&syscall.SysProcAttr{
		Cloneflags:  syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS,
		UidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getuid(), Size: 1}},
		GidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getgid(), Size: 1}},
	})
	var pe *os.PathError
	if errors.As(err, &pe) && os.Geteuid() == 0 { // user namespaces are off here
		out, err = run(&syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNS})
	}
	return out, err
}

// readOnlyFSChild mounts the database's directory read-only over itself
// and checks that Open refuses it as read-only.
func readOnlyFSChild(path string) error {
	dir := filepath.Dir(path)
	if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("make mounts private: %w", err)
	}
	if err := syscall.Mount(dir, dir, "", syscall.MS_BIND, ""); err != nil {
		return fmt.Errorf("bind %s: %w", dir, err)
	}
	if err := syscall.Mount("", dir, "", syscall.MS_REMOUNT|syscall.MS_BIND|syscall.MS_RDONLY, ""); err != nil {
		return fmt.Errorf("remount %s read-only: %w", dir, err)
	}
	s, err := Open(context.Background(), path)
	if err == nil {
		s.Close()
		return fmt.Errorf("Open(%s) succeeded on a read-only file system", path)
	}
	if !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), "read-only file system") || !strings.Contains(err.Error(), path) {
		return fmt.Errorf("Open error = %v; want ErrReadOnly saying the file system is read-only and naming %s", err, path)
	}
	os.Stdout.WriteString("read-only file system check passed\n")
	return nil
}
