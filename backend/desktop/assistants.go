package desktop

import (
	"context"
	"fmt"
	"os"
	"sync"

	"thinkcloud/backend/config"
	"thinkcloud/backend/core"
	"thinkcloud/backend/internal/atomicfile"
)

// AssistantsService is bound to the window: the chat presets ("assistants")
// and the prompt library the composer's "/" offers. They are kept in
// settings.json (config.Assistants); the built-in assistants come with the
// app in the window's language and are never stored.
type AssistantsService struct {
	core    *core.Core
	base    context.Context
	started *started // gates core until Services.Start (nil: core is set)
	files   FileChooser
	ops     atomicfile.Ops

	mu sync.Mutex // one read-modify-write of the settings at a time
}

// AssistantsView is what the window shows: the built-ins in the asked
// language, then the user's own, the prompts and the default's id.
type AssistantsView struct {
	Builtins []config.Assistant `json:"builtins"`
	Mine     config.Assistants  `json:"mine"`
}

// NewAssistantsService returns the assistants service; files shows the
// export and import dialogs.
func NewAssistantsService(base context.Context, c *core.Core, files FileChooser) *AssistantsService {
	return &AssistantsService{core: c, base: base, files: files, ops: atomicfile.OS()}
}

// List returns the built-in assistants worded in lang ("zh-CN" or
// English) and the user's assistants and prompts.
func (s *AssistantsService) List(lang string) (AssistantsView, error) {
	if err := s.started.wait(s.base); err != nil {
		return AssistantsView{}, err
	}
	return AssistantsView{Builtins: config.BuiltinAssistants(lang), Mine: s.core.Current().Assistants}, nil
}

// Save replaces the user's assistants, prompts and default. Invalid input
// changes nothing; the error names the field.
func (s *AssistantsService) Save(a config.Assistants) error {
	if err := s.started.wait(s.base); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return fmt.Errorf("save assistants: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.core.Current()
	cur.Assistants = a
	if err := s.core.ApplySettings(cur); err != nil {
		return fmt.Errorf("save assistants: %w", err)
	}
	return nil
}

// ExportJSON is the export file's content: the user's assistants and
// prompts, without the built-ins.
func (s *AssistantsService) ExportJSON() (string, error) {
	if err := s.started.wait(s.base); err != nil {
		return "", err
	}
	b, err := config.ExportAssistants(s.core.Current().Assistants)
	return string(b), err
}

// ImportJSON merges an exported file's assistants and prompts into the
// user's (an id already there is replaced) and saves the result, which
// it returns. A file that is not valid changes nothing.
func (s *AssistantsService) ImportJSON(data string) (config.Assistants, error) {
	if err := s.started.wait(s.base); err != nil {
		return config.Assistants{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.core.Current()
	merged, err := config.ImportAssistants(cur.Assistants, []byte(data))
	if err != nil {
		return cur.Assistants, err
	}
	cur.Assistants = merged
	if err := s.core.ApplySettings(cur); err != nil {
		return config.Assistants{}, fmt.Errorf("save assistants: %w", err)
	}
	return merged, nil
}

var assistantFilters = []FileFilter{{Name: "JSON", Pattern: "*.json"}, allFiles}

// ExportFile asks where to save ExportJSON's content and writes it there,
// returning the path, or "" if the user cancelled. heading is the dialog's
// title in the window's language.
func (s *AssistantsService) ExportFile(heading string) (string, error) {
	data, err := s.ExportJSON()
	if err != nil {
		return "", err
	}
	if s.files == nil {
		return "", fmt.Errorf("export assistants: %w", errNoDialogs)
	}
	path, err := s.files.SaveFile(FileRequest{Title: dialogTitle(heading, "Export assistants"),
		DefaultName: "thinkcloud-assistants.json", DefaultDir: firstUserDir(), Filters: assistantFilters})
	if err != nil || path == "" {
		return "", err
	}
	return path, saveFile(s.ops, path, []byte(data))
}

// ImportFile asks for a file written by ExportFile and imports it as
// ImportJSON does; nil and no error when the user cancelled.
func (s *AssistantsService) ImportFile(heading string) (*config.Assistants, error) {
	if s.files == nil {
		return nil, fmt.Errorf("import assistants: %w", errNoDialogs)
	}
	path, err := s.files.OpenFile(FileRequest{Title: dialogTitle(heading, "Import assistants"),
		DefaultDir: firstUserDir(), Filters: assistantFilters})
	if err != nil || path == "" {
		return nil, err
	}
	data, err := readImportFile(path)
	if err != nil {
		return nil, err
	}
	a, err := s.ImportJSON(string(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &a, nil
}

// firstUserDir is where the assistants dialogs open: Documents, else home
// (never "", which GTK takes as the process's working directory).
func firstUserDir() string {
	for _, dir := range userDirs() {
		if st, err := os.Stat(dir); dir != "" && err == nil && st.IsDir() {
			return dir
		}
	}
	return ""
}
