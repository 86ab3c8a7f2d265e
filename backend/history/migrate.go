package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// schemaState is what Open needs to know about a file before touching it.
type schemaState struct {
	version int
	appID   int64
	objects int
}

func (s *Store) readSchemaState(ctx context.Context) (schemaState, error) {
	var st schemaState
	err := s.db.QueryRowContext(ctx, `SELECT
		(SELECT user_version FROM pragma_user_version),
		(SELECT application_id FROM pragma_application_id),
		(SELECT count(*) FROM sqlite_schema)`).Scan(&st.version, &st.appID, &st.objects)
	return st, err
}

// migrate brings the schema to the newest version, refusing files that are
// not ours or are newer than this build, and backing up an existing database
// before the first step that changes it.
func (s *Store) migrate(ctx context.Context) error {
	st, err := s.readSchemaState(ctx)
	if err != nil {
		return err
	}
	latest := len(migrations)
	switch {
	case st.appID != 0 && st.appID != applicationID:
		return invalid("not a ThinkCloud history database (application_id %#x)", st.appID)
	case st.version == 0 && st.objects > 0:
		return invalid("not a ThinkCloud history database (unversioned schema)")
	case st.version > latest:
		return fmt.Errorf("%w: schema v%d, this build supports up to v%d", ErrSchemaTooNew, st.version, latest)
	case st.version == latest:
		return nil
	}
	if st.version > 0 && s.upgrading != nil {
		s.upgrading(st.version, latest)
	}
	if st.version > 0 {
		if err := s.backup(ctx, st.version); err != nil {
			return err
		}
	}
	for v := st.version; v < latest; v++ {
		if err := s.applyMigration(ctx, v); err != nil {
			return fmt.Errorf("migrate schema to v%d: %w", v+1, err)
		}
	}
	return nil
}

// applyMigration runs migrations[from] and records the new version in one
// transaction. It re-reads the version under the write lock so that two
// processes opening the same old file do not both apply a step.
func (s *Store) applyMigration(ctx context.Context, from int) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var current int
		if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&current); err != nil {
			return err
		}
		if current != from {
			return nil
		}
		if _, err := tx.ExecContext(ctx, migrations[from]); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", from+1))
		return err
	})
}

// backup writes a consistent, compacted copy of the database next to it with
// VACUUM INTO, named after the version it holds and the time it was taken.
// A copy cut short (say, by a full disk) is removed.
func (s *Store) backup(ctx context.Context, version int) error {
	base := fmt.Sprintf("%s.bak-v%d-%d", s.path, version, time.Now().Unix())
	target := base
	for i := 2; ; i++ {
		_, err := os.Lstat(target)
		if errors.Is(err, fs.ErrNotExist) {
			break
		}
		if err != nil {
			return fmt.Errorf("back up database: %w", err)
		}
		target = fmt.Sprintf("%s-%d", base, i)
	}
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, target); err != nil {
		_ = os.Remove(target)
		return fmt.Errorf("back up database to %s: %w", target, err)
	}
	return nil
}
