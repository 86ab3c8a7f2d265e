//go:build unix

package history

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// wOK is access(2)'s W_OK.
const wOK = 2

// unwritable asks the system whether the database's directory, then the
// database file, may be written, and says why not: a read-only file
// system (whoever asks, root included) or missing permission.
func unwritable(path string) error {
	for _, p := range []string{filepath.Dir(path), path} {
		err := syscall.Access(p, wOK)
		switch {
		case errors.Is(err, syscall.EROFS):
			return fmt.Errorf("%s is on a read-only file system", p)
		case errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
			return fmt.Errorf("no permission to write %s", p)
		case err != nil && !errors.Is(err, os.ErrNotExist):
			return nil
		}
	}
	return nil
}
