package desktop

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/adrg/xdg"

	"thinkcloud/backend/history"
)

// exportFormat is one way to save a conversation to a file.
type exportFormat struct {
	ext     string
	title   string // of the save dialog, when the window gives none
	filters []FileFilter
	render  func(h *history.Store, ctx context.Context, id string) ([]byte, error)
}

var allFiles = FileFilter{Name: "All files", Pattern: "*"}

// exportFormats are keyed by the names the window uses.
var exportFormats = map[string]exportFormat{
	"markdown": {ext: ".md", title: "Export conversation as Markdown",
		filters: []FileFilter{{Name: "Markdown", Pattern: "*.md;*.markdown"}, allFiles},
		render: func(h *history.Store, ctx context.Context, id string) ([]byte, error) {
			s, err := h.ExportMarkdown(ctx, id)
			return []byte(s), err
		}},
	"json": {ext: ".json", title: "Export conversation as JSON",
		filters: []FileFilter{{Name: "JSON", Pattern: "*.json"}, allFiles},
		render:  (*history.Store).ExportJSON},
}

var errNoDialogs error = newProblem(ProblemNoDialogs, errors.New("file dialogs are not available"))

// ExportFile asks where to save the conversation as format ("markdown" or
// "json"), proposing a file name made from its title, and writes the file
// there. heading is the dialog's title in the window's language ("":
// English). It returns the path written, or "" if the user cancelled. A
// failed write leaves no partial file and any existing file as it was.
func (s *HistoryService) ExportFile(id, format, heading string) (string, error) {
	f, ok := exportFormats[format]
	if !ok {
		return "", fmt.Errorf("export conversation: unknown format %q (want markdown or json)", format)
	}
	if s.files == nil {
		return "", fmt.Errorf("export conversation: %w", errNoDialogs)
	}
	// Load and render before asking: a conversation deleted meanwhile
	// fails without a dialog that leads nowhere.
	hist, err := s.store()
	if err != nil {
		return "", err
	}
	data, err := f.render(hist, s.base, id)
	if err != nil {
		return "", err
	}
	c, _, err := hist.GetConversation(s.base, id)
	if err != nil {
		return "", fmt.Errorf("export conversation: %w", err)
	}
	path, err := s.files.SaveFile(FileRequest{Title: dialogTitle(heading, f.title), DefaultName: fileName(c.Title, f.ext),
		DefaultDir: s.dialogDir(), Filters: f.filters})
	if err != nil {
		return "", fmt.Errorf("save dialog: %w", err)
	}
	if path == "" {
		return "", nil
	}
	if err := saveFile(s.ops, path, data); err != nil {
		return "", err
	}
	s.rememberDir(path)
	return path, nil
}

// ImportFile asks for a file written by ExportFile as JSON and adds it as a
// new conversation, returning it, or nil if the user cancelled. heading
// is as for ExportFile. A file that is not a valid export changes nothing;
// the error names the file and the part that is wrong.
func (s *HistoryService) ImportFile(heading string) (*ConversationView, error) {
	if s.files == nil {
		return nil, fmt.Errorf("import conversation: %w", errNoDialogs)
	}
	hist, err := s.store() // before the dialog: no file chosen for nothing
	if err != nil {
		return nil, err
	}
	path, err := s.files.OpenFile(FileRequest{Title: dialogTitle(heading, "Import conversation from JSON"),
		DefaultDir: s.dialogDir(), Filters: exportFormats["json"].filters})
	if err != nil {
		return nil, fmt.Errorf("open dialog: %w", err)
	}
	if path == "" {
		return nil, nil
	}
	s.rememberDir(path)
	data, err := readImportFile(path)
	if err != nil {
		return nil, err
	}
	c, err := hist.ImportJSONFrom(s.base, data, filepath.Base(path))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	v := conversationView(c)
	return &v, nil
}

// dialogDir is the folder of the last file exported or imported in this
// session, if it still exists, so a series of exports lands together;
// else the user's Documents folder, else home. Never "" (GTK then opened
// in the process's working directory, often / or the install folder).
func (s *HistoryService) dialogDir() string {
	s.mu.Lock()
	dirs := []string{s.lastDir}
	s.mu.Unlock()
	dirs = append(dirs, userDirs()...)
	for _, dir := range dirs {
		if st, err := os.Stat(dir); dir != "" && err == nil && st.IsDir() {
			return dir
		}
	}
	return ""
}

// userDirs are where a first dialog opens, best first: XDG's Documents
// (read from user-dirs.dirs, localized names included) and home.
func userDirs() []string {
	home, _ := os.UserHomeDir()
	return []string{xdg.UserDirs.Documents, home}
}

func (s *HistoryService) rememberDir(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastDir = filepath.Dir(path)
}

// dialogTitle is the heading the window gave, or def when it gave none.
func dialogTitle(heading, def string) string {
	if strings.TrimSpace(heading) == "" {
		return def
	}
	return heading
}
