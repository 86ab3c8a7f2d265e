package config

import (
	"os"
	"path/filepath"
	"runtime"
)

// fileOps are the filesystem calls a save makes. Production uses the os
// package; tests replace single calls to simulate a full disk or a
// read-only directory, because the tests run as root, where chmod cannot
// make a directory unwritable, and mounting a read-only filesystem needs
// privileges a test must not assume.
type fileOps struct {
	createTemp func(dir, pattern string) (*os.File, error)
	write      func(f *os.File, b []byte) (int, error)
	rename     func(oldpath, newpath string) error
	syncDir    func(dir string) error
}

func osFileOps() fileOps {
	return fileOps{
		createTemp: os.CreateTemp,
		write:      (*os.File).Write,
		rename:     os.Rename,
		syncDir:    syncDir,
	}
}

// writeAtomic replaces path with data so that readers see either the old
// or the new file, never a mix, even after a crash: write a temporary file
// in the same directory, fsync it, rename it over path, fsync the
// directory. On any error the temporary file is removed and path is left
// as it was.
func writeAtomic(ops fileOps, path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := ops.createTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		return err
	}
	if _, err := ops.write(f, data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := ops.rename(tmp, path); err != nil {
		return err
	}
	return ops.syncDir(dir)
}

// syncDir makes a rename in dir durable. Windows cannot fsync a directory
// and makes renames durable itself, so it is skipped there.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
