// Package atomicfile replaces files so that readers, and the disk after a
// crash or a power cut, see either the old file or the whole new one.
// Settings, exports and model-list caches all save through it.
package atomicfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// Ops are the filesystem calls a write makes. OS returns the real ones;
// tests replace single calls to simulate a full disk or a read-only
// folder, which no test can produce for real without privileges (and
// which root ignores when made with chmod).
type Ops struct {
	// Create makes the new temporary file, failing if it exists.
	Create func(name string, perm os.FileMode) (*os.File, error)
	// Write writes the data to it.
	Write func(f *os.File, b []byte) (int, error)
	// Rename moves it over the target.
	Rename func(oldpath, newpath string) error
	// SyncDir flushes a folder's entries, so the rename survives a power
	// cut.
	SyncDir func(dir string) error
}

// OS returns the operating system's calls.
func OS() Ops {
	return Ops{
		Create: func(name string, perm os.FileMode) (*os.File, error) {
			return os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		},
		Write:   (*os.File).Write,
		Rename:  os.Rename,
		SyncDir: SyncDir,
	}
}

// ErrNotFlushed wraps a failure after the rename: the new file is in
// place, but its folder's entry may not survive a power cut.
var ErrNotFlushed = errors.New("the file is written, but its folder could not be flushed to disk")

// Write replaces path with data: it writes a temporary file beside path,
// syncs it, renames it over path and syncs the folder. perm is the new
// file's mode, set exactly; zero means 0666 less the umask, as an editor
// makes a new file. On an error before the rename the temporary file is
// removed and path is left as it was. Errors are the filesystem's own
// (naming the temporary file), for the caller to put in words.
func Write(ops Ops, path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	create := perm
	if create == 0 {
		create = 0o666
	}
	tmp := filepath.Join(dir, "."+filepath.Base(path)+".tmp-"+randomSuffix())
	f, err := ops.Create(tmp, create)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if perm != 0 && runtime.GOOS != "windows" {
		if err := f.Chmod(perm); err != nil {
			return err
		}
	}
	if _, err := ops.Write(f, data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := ops.Rename(tmp, path); err != nil {
		return err
	}
	if err := ops.SyncDir(dir); err != nil {
		return fmt.Errorf("%w: %w", ErrNotFlushed, err)
	}
	return nil
}

// SyncDir makes a rename in dir durable. Windows cannot open a folder for
// syncing and journals renames itself, so it is skipped there.
func SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

func randomSuffix() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
