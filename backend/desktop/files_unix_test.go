//go:build unix

package desktop

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"thinkcloud/backend/internal/atomicfile"

	"thinkcloud/backend/internal/asnobody"
)

// readOnlyEnv tells a re-executed test binary to play the child half of
// TestSaveToReadOnlyFolder on the path it names.
const readOnlyEnv = "DESKTOP_TEST_READONLY_SAVE"

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
	err := saveFile(atomicfile.OS(), path, []byte("new export"))
	want := "cannot save " + path + ": no permission to write in " + filepath.Dir(path) + ": permission denied"
	if err == nil || !errors.Is(err, fs.ErrPermission) || err.Error() != want {
		return fmt.Errorf("saveFile into a read-only folder: %v; want %q", err, want)
	}
	return nil
}

// runAsNobody runs the child half as an unprivileged user, who must be
// able to reach the folder (t.TempDir makes private parents).
func runAsNobody(t *testing.T, path string) {
	t.Helper()
	asnobody.Run(t, readOnlyEnv+"="+path, "refused as expected", filepath.Dir(filepath.Dir(path)), filepath.Dir(path))
}
