//go:build unix

package desktop

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
)

// readOnlyEnv tells a re-executed test binary to play the child half of
// TestSaveToReadOnlyFolder on the path it names.
const readOnlyEnv = "DESKTOP_TEST_READONLY_SAVE"

// nobody is the unprivileged account the root case switches to, because
// file permissions do not stop root.
const nobody = 65534

// TestMain lets the re-executed test binary run the child half instead of
// the tests.
func TestMain(m *testing.M) {
	if path := os.Getenv(readOnlyEnv); path != "" {
		if err := readOnlySave(path); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println("read-only save refused as expected")
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestSaveToReadOnlyFolder saves over a file in a really read-only folder
// (as an unprivileged user when the tests run as root): the save must fail
// with a permission error naming the chosen file, and leave the folder as
// it was.
func TestSaveToReadOnlyFolder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "export.md")
	if err := os.WriteFile(path, []byte("earlier export"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	if os.Geteuid() == 0 {
		runAsNobody(t, path)
	} else if err := readOnlySave(path); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "earlier export" {
		t.Errorf("file now holds %q; want it unchanged", b)
	}
	if names := dirNames(t, dir); !reflect.DeepEqual(names, []string{"export.md"}) {
		t.Errorf("folder holds %q; want only the earlier file", names)
	}
}

// readOnlySave returns nil when saving over path fails as a read-only
// folder should, and what went wrong otherwise.
func readOnlySave(path string) error {
	err := saveFile(osFileOps(), path, []byte("new export"))
	want := "cannot save " + path + ": no permission to write in " + filepath.Dir(path) + ": permission denied"
	if err == nil || !errors.Is(err, fs.ErrPermission) || err.Error() != want {
		return fmt.Errorf("saveFile into a read-only folder: %v; want %q", err, want)
	}
	return nil
}

func runAsNobody(t *testing.T, path string) {
	t.Helper()
	// t.TempDir makes private parents; the unprivileged user must reach
	// the folder and the test binary.
	for _, d := range []string{filepath.Dir(filepath.Dir(path)), filepath.Dir(path)} {
		st, err := os.Stat(d)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, st.Mode().Perm()|0o055); err != nil {
			t.Fatal(err)
		}
	}
	bin := publicCopyOfTestBinary(t)
	cmd := exec.Command(bin, "-test.run=^$")
	cmd.Env = append(os.Environ(), readOnlyEnv+"="+path)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "refused as expected") {
		t.Fatalf("read-only save as uid %d: %v\n%s", nobody, err, out)
	}
}

// publicCopyOfTestBinary copies the running test binary where every user
// can run it, since the build cache is private.
func publicCopyOfTestBinary(t *testing.T) string {
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
	bin := filepath.Join(dir, "desktop.test")
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
