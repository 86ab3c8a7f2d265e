package history

import (
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

var (
	// ErrNotFound reports that a conversation or message id does not exist,
	// so the window can drop a stale entry instead of showing a failure.
	ErrNotFound = errors.New("not found")

	// ErrInvalid reports input the store refuses to save, such as an unknown
	// role or malformed import JSON; the error text says which field is wrong.
	ErrInvalid = errors.New("invalid input")

	// ErrNotStreaming reports an update to a message that is no longer being
	// streamed, for example one that Open already marked "interrupted".
	ErrNotStreaming = errors.New("message is not streaming")

	// ErrReadOnly reports that the database file or its directory cannot be
	// written; nothing already saved was changed.
	ErrReadOnly = errors.New("history database is read-only")

	// ErrDiskFull reports that a write did not fit on the disk; the write was
	// rolled back and nothing already saved was changed.
	ErrDiskFull = errors.New("disk is full")

	// ErrSchemaTooNew reports a database written by a newer build, which
	// this build refuses to touch so a downgrade cannot damage it.
	ErrSchemaTooNew = errors.New("history database was written by a newer version of the app")
)

// wrap adds the operation name to err once and, for the SQLite failures a
// user can act on (read-only storage, full disk), also makes the error match
// ErrReadOnly or ErrDiskFull.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) && !errors.Is(err, ErrReadOnly) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_READONLY:
			return fmt.Errorf("%s: %w: %w", op, ErrReadOnly, err)
		case sqlite3.SQLITE_FULL:
			return fmt.Errorf("%s: %w: %w", op, ErrDiskFull, err)
		}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// invalid builds an error matching ErrInvalid with a description of the
// offending input.
func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}
