package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"thinkcloud/backend/internal/atomicfile"
	"time"

	"github.com/adrg/xdg"
)

// DefaultPath returns the per-user settings path,
// $XDG_CONFIG_HOME/thinkcloud/settings.json or the platform equivalent.
// It creates the thinkcloud directory if needed, which is why it is a
// separate call and not part of NewStore.
func DefaultPath() (string, error) {
	p, err := xdg.ConfigFile("thinkcloud/settings.json")
	if err != nil {
		return "", fmt.Errorf("locate settings: %w", err)
	}
	return p, nil
}

// Notice reports that the settings file could not be used and was moved
// aside, so the window can tell the user what happened. It is not an error:
// the app continues on default settings.
type Notice struct {
	// Message is a complete sentence for the user.
	Message string `json:"message"`
	// Problem is the parse or validation error that caused the move.
	Problem string `json:"problem"`
	// Path is the settings file that could not be used.
	Path string `json:"path"`
	// MovedTo is where the unusable file now is.
	MovedTo string `json:"movedTo"`
	// Err is Problem as an error, when Problem is that error's text alone:
	// a *FieldError in it lets the window word the rule.
	Err error `json:"-"`
}

// Store reads and writes one settings file. It is safe for concurrent use:
// Load, Save and Update are serialized, and every save replaces the file
// atomically, so readers never see a torn file.
type Store struct {
	path string
	mu   sync.Mutex
	ops  atomicfile.Ops
	now  func() time.Time
	held error // why the file is left alone and never written; see hold
}

// NewStore returns a Store for the settings file at path (usually
// DefaultPath; tests use a temporary directory). It performs no I/O.
func NewStore(path string) *Store {
	return &Store{path: path, ops: atomicfile.OS(), now: time.Now}
}

// Path returns the settings file's path, for messages and "open folder"
// buttons.
func (s *Store) Path() string { return s.path }

// Load reads the settings. A missing file yields Defaults. A file that is
// not valid JSON or fails validation is renamed to
// settings.json.corrupt-<UTC time> and Load returns Defaults with a Notice
// explaining it. A file that cannot be read (a directory named
// settings.json, no permission) or cannot be moved aside (a read-only
// config directory) is left exactly as it is: Load returns Defaults with a
// Notice, and from then on Save and Update refuse to write, so the user's
// file is never overwritten; the app runs on settings kept in memory. The
// error is nil in all these cases, since none of them should stop the app;
// it is kept for failures a future version may not be able to recover
// from.
//
// Files from older versions are migrated in memory; the next Save writes
// the current version. Files from newer versions are loaded as far as this
// version understands them, and the rest is kept for Save; if a field this
// version knows holds a value it cannot accept, the file is moved aside like
// any invalid file, so the newer app's settings are kept, not overwritten.
func (s *Store) Load() (Settings, *Notice, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.load()
}

func (s *Store) load() (Settings, *Notice, error) {
	data, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return Defaults(), nil, nil
	}
	if err != nil {
		return s.hold(fmt.Errorf("it cannot be read: %w", err), nil)
	}
	st, problem := decode(data)
	if problem == nil {
		return st, nil, nil
	}
	moved, err := s.moveAside()
	if err != nil {
		return s.hold(problem, err)
	}
	return Defaults(), &Notice{
		Message: fmt.Sprintf("Your settings file could not be used (%v), so ThinkCloud started with default settings. The old file was moved to %s.", problem, moved),
		Problem: problem.Error(),
		Path:    s.path,
		MovedTo: moved,
		Err:     problem,
	}, nil
}

// decode parses, migrates and validates a settings file.
func decode(data []byte) (Settings, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return Settings{}, describeJSONError(data, err)
	}
	if top == nil {
		return Settings{}, newFieldError("", "json_not_object", "value", "null")
	}
	version := 0
	if raw, ok := top["version"]; ok {
		if err := json.Unmarshal(raw, &version); err != nil || version < 0 {
			return Settings{}, newFieldError("version", "version_int")
		}
	}
	if version < CurrentVersion {
		migrated, err := migrate(data, version)
		if err != nil {
			return Settings{}, fmt.Errorf("migrate from version %d: %w", version, err)
		}
		data = migrated
	}
	var st Settings
	if err := json.Unmarshal(data, &st); err != nil {
		return Settings{}, describeJSONError(data, err)
	}
	if err := st.Validate(); err != nil {
		return Settings{}, oneLine{err}
	}
	return st, nil
}

// oneLine is err with its lines (one per bad field) joined by "; ", for a
// sentence; errors.As still finds the FieldErrors in it.
type oneLine struct{ err error }

func (o oneLine) Error() string { return strings.ReplaceAll(o.err.Error(), "\n", "; ") }
func (o oneLine) Unwrap() error { return o.err }

// describeJSONError turns encoding/json errors into FieldErrors that name
// the line or the field (the window words their rules).
func describeJSONError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line := 1 + strings.Count(string(data[:min(int(syn.Offset), len(data))]), "\n")
		return newFieldError("", "json_syntax", "line", strconv.Itoa(line), "detail", syn.Error())
	case errors.As(err, &typ) && typ.Field != "":
		return newFieldError(typ.Field, "json_type", "kind", jsonKind(typ.Type.Kind().String()), "value", typ.Value)
	case errors.As(err, &typ):
		return newFieldError("", "json_not_object", "value", typ.Value)
	}
	return newFieldError("", "json_invalid", "detail", strings.TrimPrefix(err.Error(), "json: "))
}

func jsonKind(goKind string) string {
	switch {
	case strings.HasPrefix(goKind, "int"), strings.HasPrefix(goKind, "uint"), strings.HasPrefix(goKind, "float"):
		return "number"
	case goKind == "bool":
		return "boolean"
	case goKind == "slice":
		return "array"
	case goKind == "map", goKind == "struct":
		return "object"
	}
	return goKind
}

// moveAside renames the unusable file so a later save cannot overwrite it
// and the user can still recover it by hand.
func (s *Store) moveAside() (string, error) {
	base := s.path + ".corrupt-" + s.now().UTC().Format("20060102T150405Z")
	dst := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(dst); errors.Is(err, fs.ErrNotExist) {
			break
		}
		dst = fmt.Sprintf("%s-%d", base, i)
	}
	if err := s.ops.Rename(s.path, dst); err != nil {
		return "", err
	}
	return dst, nil
}

// Save validates st and atomically replaces the settings file with it
// (mode 0600). A version older than CurrentVersion is raised to it; a newer
// one is kept, as are unknown fields read by Load, so saving never
// downgrades a file written by a newer ThinkCloud. On error the previous
// file is left unchanged. Prefer Update for read-modify-write changes.
func (s *Store) Save(st Settings) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.save(st)
}

func (s *Store) save(st Settings) error {
	if s.held != nil {
		return fmt.Errorf("save settings: %w", s.held)
	}
	st.Version = max(st.Version, CurrentVersion)
	if err := st.Validate(); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	if err := atomicfile.Write(s.ops, s.path, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	return nil
}

// Update loads the settings, lets fn change them and saves the result, all
// under the Store's lock, so concurrent updates from different parts of the
// app never lose each other's changes. If fn returns an error nothing is
// saved. The Notice is the one Load would have returned.
func (s *Store) Update(fn func(*Settings) error) (Settings, *Notice, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held != nil {
		return Defaults(), nil, fmt.Errorf("update settings: %w", s.held)
	}
	st, notice, err := s.load()
	if err != nil {
		return st, notice, err
	}
	if err := fn(&st); err != nil {
		return st, notice, fmt.Errorf("update settings: %w", err)
	}
	if err := s.save(st); err != nil {
		return st, notice, err
	}
	st.Version = max(st.Version, CurrentVersion)
	return st, notice, nil
}
