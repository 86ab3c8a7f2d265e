package history

import (
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// openError explains a failed open. For a file system mounted read-only,
// or a directory it may not write in, SQLite says only "unable to open
// database file": the file system's own answer (see unwritable) tells a
// person what is wrong, and the error then matches ErrReadOnly, as for a
// read-only file.
func openError(path string, err error) error {
	var se *sqlite.Error
	if errors.Is(err, ErrReadOnly) || !errors.As(err, &se) {
		return err
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY:
	default:
		return err
	}
	if why := unwritable(path); why != nil {
		return fmt.Errorf("%w: %w: %w", ErrReadOnly, why, err)
	}
	return err
}
