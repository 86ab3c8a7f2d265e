package desktop

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// ScriptedDialogs answers file dialogs from files instead of showing them,
// for the end-to-end tests: there the page under test runs in a browser and
// a native dialog would open, unseen and blocking, on the app's own window.
// Only a build with the e2e tag uses it (see chooser_e2e.go).
//
// Each dialog writes its FileRequest, with "kind" "save" or "open", to
// Dir/request.json, then reads and deletes Dir/answer: its content is the
// path chosen (for a dialog of several files, one per line); an empty
// answer means the user cancelled; an answer ending
// in "/" means the proposed name in that folder. A dialog without an answer
// waiting is an error, so a test that did not expect one fails visibly.
type ScriptedDialogs struct {
	Dir string
	mu  sync.Mutex
}

// SaveFile answers a save dialog from Dir/answer.
func (d *ScriptedDialogs) SaveFile(req FileRequest) (string, error) {
	return d.answer("save", req)
}

// OpenFile answers an open dialog from Dir/answer.
func (d *ScriptedDialogs) OpenFile(req FileRequest) (string, error) {
	return d.answer("open", req)
}

// OpenFiles answers an open dialog for several files from Dir/answer:
// one path per line.
func (d *ScriptedDialogs) OpenFiles(req FileRequest) ([]string, error) {
	a, err := d.answer("open-many", req)
	if err != nil || a == "" {
		return nil, err
	}
	return strings.Split(a, "\n"), nil
}

func (d *ScriptedDialogs) answer(kind string, req FileRequest) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	rec, err := json.Marshal(struct {
		Kind string `json:"kind"`
		FileRequest
	}{kind, req})
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(d.Dir, "request.json"), rec, 0o600); err != nil {
		return "", fmt.Errorf("scripted %s dialog: %w", kind, err)
	}
	answerFile := filepath.Join(d.Dir, "answer")
	b, err := os.ReadFile(answerFile)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("scripted %s dialog: no answer waiting in %s", kind, answerFile)
	}
	if err != nil {
		return "", fmt.Errorf("scripted %s dialog: %w", kind, err)
	}
	if err := os.Remove(answerFile); err != nil {
		return "", fmt.Errorf("scripted %s dialog: %w", kind, err)
	}
	path := strings.TrimSpace(string(b))
	if strings.HasSuffix(path, "/") {
		path += req.DefaultName
	}
	return path, nil
}
