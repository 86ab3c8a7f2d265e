package desktop

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"unicode"
	"unicode/utf8"
)

// fileOps are the filesystem calls a save makes. Production uses the os
// package; tests replace single calls to simulate a full disk, which no
// test can produce for real without privileges.
type fileOps struct {
	create func(name string) (*os.File, error)
	write  func(f *os.File, b []byte) (int, error)
	rename func(oldpath, newpath string) error
	// syncDir flushes a folder's entries to disk, so a renamed file is
	// still there after a power cut.
	syncDir func(dir string) error
}

func osFileOps() fileOps {
	return fileOps{
		// 0o666 before the umask, like any editor's new file, rather
		// than os.CreateTemp's 0o600.
		create: func(name string) (*os.File, error) {
			return os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		},
		write:   (*os.File).Write,
		rename:  os.Rename,
		syncDir: syncDir,
	}
}

func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil // folders cannot be opened for syncing; NTFS journals renames
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

// saveFile replaces path with data so that the file is either the old one
// or the complete new one, never half written: it writes a temporary file
// in the same directory, syncs it, renames it over path and syncs the
// directory. On an error before the rename the temporary file is removed
// and path is left as it was. A symlink at path is followed, so the file
// it points to is replaced, not the link.
func saveFile(ops fileOps, path string, data []byte) (err error) {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	old, statErr := os.Stat(path)
	if statErr == nil && !old.Mode().IsRegular() {
		return saveError(path, fmt.Errorf("%s is not a regular file", filepath.Base(path)))
	}
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp-"+randomSuffix())
	f, err := ops.create(tmp)
	if err != nil {
		return saveError(path, err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	// Replacing a file keeps its permissions, so a private export stays
	// private.
	if statErr == nil && runtime.GOOS != "windows" {
		if err := f.Chmod(old.Mode().Perm()); err != nil {
			return saveError(path, err)
		}
	}
	if _, err := ops.write(f, data); err != nil {
		return saveError(path, err)
	}
	if err := f.Sync(); err != nil {
		return saveError(path, err)
	}
	if err := f.Close(); err != nil {
		return saveError(path, err)
	}
	if err := ops.rename(tmp, path); err != nil {
		return saveError(path, err)
	}
	if err := ops.syncDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("cannot save %s: the file is written, but its folder could not be flushed to disk: %w", path, bareSyscallError(err))
	}
	return nil
}

// saveError names the file the user chose, never the temporary one, and
// says in words what the common failures mean.
func saveError(path string, err error) error {
	err = bareSyscallError(err)
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return fmt.Errorf("cannot save %s: the disk is full: %w", path, err)
	case errors.Is(err, syscall.EROFS):
		return fmt.Errorf("cannot save %s: the disk or folder is read-only: %w", path, err)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("cannot save %s: no permission to write in %s: %w", path, filepath.Dir(path), err)
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("cannot save %s: the folder %s does not exist: %w", path, filepath.Dir(path), err)
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

func randomSuffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
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
	tooLarge := fmt.Errorf("cannot import %s: the file is larger than %d MiB, too large for a conversation export", path, maxImportBytes>>20)
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
