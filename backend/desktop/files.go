package desktop

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"thinkcloud/backend/internal/atomicfile"
	"unicode"
	"unicode/utf8"
)

// saveFile replaces path with data so that the file is either the old one
// or the complete new one, never half written: it writes a temporary file
// in the same directory, syncs it, renames it over path and syncs the
// directory. On an error before the rename the temporary file is removed
// and path is left as it was. A symlink at path is followed, so the file
// it points to is replaced, not the link.
func saveFile(ops atomicfile.Ops, path string, data []byte) error {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	old, statErr := os.Stat(path)
	if statErr == nil && !old.Mode().IsRegular() {
		return saveError(path, fmt.Errorf("%s is not a regular file", filepath.Base(path)))
	}
	// Replacing a file keeps its permissions, so a private export stays
	// private; a new one gets an editor's usual mode.
	var perm os.FileMode
	if statErr == nil {
		perm = old.Mode().Perm()
	}
	err := atomicfile.Write(ops, path, data, perm)
	if errors.Is(err, atomicfile.ErrNotFlushed) {
		return fmt.Errorf("cannot save %s: %w: %w", path, atomicfile.ErrNotFlushed, bareSyscallError(err))
	}
	if err != nil {
		return saveError(path, err)
	}
	return nil
}

// saveError names the file the user chose, never the temporary one, and
// says in words what the common failures mean.
func saveError(path string, err error) error {
	err = bareSyscallError(err)
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return newProblem(ProblemDiskFull, fmt.Errorf("cannot save %s: the disk is full: %w", path, err), "path", path)
	case errors.Is(err, syscall.EROFS):
		return newProblem(ProblemReadOnly, fmt.Errorf("cannot save %s: the disk or folder is read-only: %w", path, err), "path", path)
	case errors.Is(err, fs.ErrPermission):
		return newProblem(ProblemNoPermission, fmt.Errorf("cannot save %s: no permission to write in %s: %w", path, filepath.Dir(path), err), "path", path, "dir", filepath.Dir(path))
	case errors.Is(err, fs.ErrNotExist):
		return newProblem(ProblemNoFolder, fmt.Errorf("cannot save %s: the folder %s does not exist: %w", path, filepath.Dir(path), err), "path", path, "dir", filepath.Dir(path))
	}
	return fmt.Errorf("cannot save %s: %w", path, err)
}

// bareSyscallError drops the *PathError or *LinkError around err, whose
// path would be the temporary file's.
func bareSyscallError(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}

// maxImportBytes bounds the file an import reads, so picking a disk image
// by mistake fails at once instead of filling memory. Exports with images
// inline as data URLs are the largest real files, far below this.
const maxImportBytes = 256 << 20

// readImportFile reads a file chosen for import, with the chosen path in
// every error.
func readImportFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, bareSyscallError(err))
	}
	defer f.Close()
	tooLarge := newProblem(ProblemImportTooLarge, fmt.Errorf("cannot import %s: the file is larger than %d MiB, too large for a conversation export", path, maxImportBytes>>20), "path", path, "mb", mb(maxImportBytes))
	if st, err := f.Stat(); err == nil && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("cannot read %s: not a regular file", path)
	} else if err == nil && st.Size() > maxImportBytes {
		return nil, tooLarge
	}
	// The limit holds for a file that grows while it is read, too.
	data, err := io.ReadAll(io.LimitReader(f, maxImportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, bareSyscallError(err))
	}
	if len(data) > maxImportBytes {
		return nil, tooLarge
	}
	return data, nil
}

// maxNameBytes keeps a proposed file name, extension included, well under
// the 255-byte limit of common file systems.
const maxNameBytes = 120

// windowsReserved are device names Windows refuses as file names, with
// any extension.
var windowsReserved = map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true,
	"COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true, "COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true, "LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true}

// fileName turns a conversation title into a file name proposed by the
// save dialog: letters of every script stay (a Chinese title stays
// Chinese), characters no common file system allows become "-", runs of
// spaces collapse, leading dots go (no hidden files), and the result is
// cut to maxNameBytes on a character boundary. An empty result becomes
// "conversation".
func fileName(title, ext string) string {
	var sb strings.Builder
	space := false
	for _, r := range title {
		switch {
		case unicode.IsSpace(r):
			space = sb.Len() > 0
			continue
		case r == utf8.RuneError || unicode.IsControl(r) || strings.ContainsRune(`/\:*?"<>|`, r):
			r = '-'
		case !unicode.IsPrint(r): // zero-width and other invisible characters
			continue
		}
		if space {
			sb.WriteByte(' ')
			space = false
		}
		sb.WriteRune(r)
	}
	name := strings.TrimLeft(sb.String(), ". -")
	for len(name)+len(ext) > maxNameBytes {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	// Windows drops trailing dots and spaces, which would change the name.
	name = strings.TrimRight(name, ". ")
	if name == "" {
		name = "conversation"
	}
	if stem, _, _ := strings.Cut(name, "."); windowsReserved[strings.ToUpper(stem)] {
		name = stem + "_" + name[len(stem):] // "nul.txt" → "nul_.txt"
	}
	return name + ext
}
