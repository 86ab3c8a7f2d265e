package desktop

import (
	"context"
	"errors"
	"sync"

	wailsruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// FileChooser asks the user for a file to save to or to open. An empty
// path with a nil error means the user cancelled, which is not a failure.
// The window's native dialogs implement it (WindowDialogs); tests inject
// their own.
type FileChooser interface {
	SaveFile(req FileRequest) (string, error)
	OpenFile(req FileRequest) (string, error)
	// OpenFiles is OpenFile for one or more files; none means cancelled.
	OpenFiles(req FileRequest) ([]string, error)
}

// FileRequest describes one file dialog.
type FileRequest struct {
	Title string `json:"title"`
	// DefaultName is the file name proposed by a save dialog; "" proposes none.
	DefaultName string `json:"defaultName,omitempty"`
	// DefaultDir is the folder the dialog opens in; "" leaves it to the toolkit.
	DefaultDir string       `json:"defaultDir,omitempty"`
	Filters    []FileFilter `json:"filters,omitempty"`
}

// FileFilter is one entry of a dialog's file type list.
type FileFilter struct {
	Name string `json:"name"`
	// Pattern is one or more globs separated by ";", e.g. "*.md;*.markdown".
	Pattern string `json:"pattern"`
}

// errNoWindow is returned when a dialog is asked for before the window
// exists (the Wails runtime would end the process instead).
var errNoWindow error = newProblem(ProblemWindowNotReady, errors.New("the window is not ready yet"))

// WindowDialogs shows the window's native file dialogs (a GTK file chooser
// on Linux). Its zero value is ready to use once Attach has given it the
// window's context.
type WindowDialogs struct {
	// mu allows one dialog at a time: Wails answers every file dialog on a
	// single shared channel, so two open at once could swap their answers.
	mu  sync.Mutex
	ctx context.Context
}

// Attach hands over the Wails context from OnStartup; dialogs asked for
// before that fail with a clear error.
func (d *WindowDialogs) Attach(ctx context.Context) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ctx = ctx
}

// SaveFile shows a save dialog; GTK asks before overwriting a file.
func (d *WindowDialogs) SaveFile(req FileRequest) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ctx == nil {
		return "", errNoWindow
	}
	return wailsruntime.SaveFileDialog(d.ctx, wailsruntime.SaveDialogOptions{
		Title: req.Title, DefaultFilename: req.DefaultName, DefaultDirectory: req.DefaultDir,
		Filters: wailsFilters(req.Filters), CanCreateDirectories: true,
	})
}

// OpenFile shows an open dialog for one existing file.
func (d *WindowDialogs) OpenFile(req FileRequest) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ctx == nil {
		return "", errNoWindow
	}
	return wailsruntime.OpenFileDialog(d.ctx, wailsruntime.OpenDialogOptions{
		Title: req.Title, DefaultDirectory: req.DefaultDir, Filters: wailsFilters(req.Filters),
	})
}

// OpenFiles shows an open dialog for one or more existing files.
func (d *WindowDialogs) OpenFiles(req FileRequest) ([]string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ctx == nil {
		return nil, errNoWindow
	}
	return wailsruntime.OpenMultipleFilesDialog(d.ctx, wailsruntime.OpenDialogOptions{
		Title: req.Title, DefaultDirectory: req.DefaultDir, Filters: wailsFilters(req.Filters),
	})
}

func wailsFilters(fs []FileFilter) []wailsruntime.FileFilter {
	out := make([]wailsruntime.FileFilter, len(fs))
	for i, f := range fs {
		out[i] = wailsruntime.FileFilter{DisplayName: f.Name, Pattern: f.Pattern}
	}
	return out
}
