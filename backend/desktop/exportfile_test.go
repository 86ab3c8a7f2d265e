package desktop

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"thinkcloud/backend/internal/atomicfile"

	"thinkcloud/backend/history"
)

// fakeChooser answers every dialog with path and err and records what was
// asked.
type fakeChooser struct {
	path string
	err  error
	reqs []FileRequest
	kind []string
}

func (f *fakeChooser) SaveFile(r FileRequest) (string, error) {
	f.reqs, f.kind = append(f.reqs, r), append(f.kind, "save")
	return f.path, f.err
}

func (f *fakeChooser) OpenFile(r FileRequest) (string, error) {
	f.reqs, f.kind = append(f.reqs, r), append(f.kind, "open")
	return f.path, f.err
}

func (f *fakeChooser) OpenFiles(r FileRequest) ([]string, error) {
	f.reqs, f.kind = append(f.reqs, r), append(f.kind, "open-many")
	if f.path == "" {
		return nil, f.err
	}
	return []string{f.path}, f.err
}

// historyRig is a HistoryService on a fresh database holding one
// conversation, with a fake chooser.
type historyRig struct {
	svc    *HistoryService
	hist   *history.Store
	files  *fakeChooser
	convID string
}

func newHistoryRig(t *testing.T, title string) *historyRig {
	t.Helper()
	ctx := context.Background()
	h, err := history.Open(ctx, filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatalf("history.Open: %v", err)
	}
	t.Cleanup(func() { h.Close() })
	c, err := h.CreateConversation(ctx, history.Conversation{Title: title, Model: "deepseek-flash", Provider: "deepseek"})
	if err != nil {
		t.Fatalf("CreateConversation: %v", err)
	}
	if _, err := h.AddMessage(ctx, history.Message{ConversationID: c.ID, Role: history.RoleUser, Content: "Why is the sky blue? 天空"}); err != nil {
		t.Fatalf("AddMessage: %v", err)
	}
	id, err := h.BeginAssistant(ctx, c.ID, "deepseek-flash", "deepseek")
	if err != nil {
		t.Fatalf("BeginAssistant: %v", err)
	}
	if err := h.Finish(ctx, id, history.Final{Status: history.StatusComplete, Content: "Rayleigh scattering."}); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	files := &fakeChooser{}
	return &historyRig{svc: NewHistoryService(ctx, ReadyHistory(h), files), hist: h, files: files, convID: c.ID}
}

func (r *historyRig) count(t *testing.T) int {
	t.Helper()
	list, err := r.hist.ListConversations(context.Background(), 0, 0)
	if err != nil {
		t.Fatalf("ListConversations: %v", err)
	}
	return len(list)
}

// dirNames lists dir, to prove no temporary file was left behind.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestExportFileWritesWhatWasChosen(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		format, wantName, wantPattern string
		render                        func(r *historyRig) (string, error)
	}{
		{"markdown", "Sky- why blue-.md", "*.md;*.markdown", func(r *historyRig) (string, error) {
			return r.hist.ExportMarkdown(context.Background(), r.convID)
		}},
		{"json", "Sky- why blue-.json", "*.json", func(r *historyRig) (string, error) {
			b, err := r.hist.ExportJSON(context.Background(), r.convID)
			return string(b), err
		}},
	} {
		t.Run(tc.format, func(t *testing.T) {
			t.Parallel()
			r := newHistoryRig(t, "Sky: why blue?")
			dir := t.TempDir()
			r.files.path = filepath.Join(dir, "chosen name")
			got, err := r.svc.ExportFile(r.convID, tc.format, "")
			if err != nil || got != r.files.path {
				t.Fatalf("ExportFile = %q, %v; want %q, nil", got, err, r.files.path)
			}
			// The title's ":" and "?" are refused by Windows file systems.
			req := r.files.reqs[0]
			if r.files.kind[0] != "save" || req.DefaultName != tc.wantName || req.Filters[0].Pattern != tc.wantPattern || !slices.Contains(userDirs(), req.DefaultDir) || req.DefaultDir == "" {
				t.Errorf("dialog %s %+v; want save proposing %q, filter %q, in Documents or home %q", r.files.kind[0], req, tc.wantName, tc.wantPattern, userDirs())
			}
			data, err := os.ReadFile(got)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := tc.render(r)
			// A JSON export says when it was made, to the second: the two
			// may fall on either side of a second's boundary.
			stamp := regexp.MustCompile(`"exportedAt": *"[^"]*"`)
			if stamp.ReplaceAllString(string(data), "") != stamp.ReplaceAllString(want, "") {
				t.Errorf("file holds %q; want the export %q", data, want)
			}
			if !strings.Contains(string(data), "Rayleigh scattering.") {
				t.Errorf("file lacks the answer: %q", data)
			}
			if names := dirNames(t, dir); !reflect.DeepEqual(names, []string{"chosen name"}) {
				t.Errorf("folder holds %q; want only the export", names)
			}
			// The next dialog opens where this export went.
			r.files.path = ""
			if _, err := r.svc.ExportFile(r.convID, tc.format, ""); err != nil || r.files.reqs[1].DefaultDir != dir {
				t.Errorf("second export: %v, dialog folder %q; want %q", err, r.files.reqs[1].DefaultDir, dir)
			}
		})
	}
}

// The window gives the dialogs their titles in its language; without one
// they are in English.
func TestFileDialogTitles(t *testing.T) {
	t.Parallel()
	r := newHistoryRig(t, "Sky")
	for _, tc := range []struct {
		call  func() error
		title string
	}{
		{func() error {
			_, err := r.svc.ExportFile(r.convID, "markdown", "将对话导出为 Markdown")
			return err
		}, "将对话导出为 Markdown"},
		{func() error { _, err := r.svc.ExportFile(r.convID, "json", " "); return err }, "Export conversation as JSON"},
		{func() error { _, err := r.svc.ExportFile(r.convID, "markdown", ""); return err }, "Export conversation as Markdown"},
		{func() error { _, err := r.svc.ImportFile("从 JSON 文件导入对话"); return err }, "从 JSON 文件导入对话"},
		{func() error { _, err := r.svc.ImportFile(""); return err }, "Import conversation from JSON"},
	} {
		n := len(r.files.reqs)
		if err := tc.call(); err != nil {
			t.Fatal(err)
		}
		if got := r.files.reqs[n].Title; got != tc.title {
			t.Errorf("dialog titled %q; want %q", got, tc.title)
		}
	}
}

func TestExportFileCancelled(t *testing.T) {
	t.Parallel()
	r := newHistoryRig(t, "kept")
	got, err := r.svc.ExportFile(r.convID, "markdown", "")
	if got != "" || err != nil || len(r.files.reqs) != 1 {
		t.Errorf("cancelled export = %q, %v after %d dialogs; want \"\", nil after 1", got, err, len(r.files.reqs))
	}
}

func TestExportFileReplacesKeepingMode(t *testing.T) {
	t.Parallel()
	r := newHistoryRig(t, "t")
	r.files.path = filepath.Join(t.TempDir(), "old.md")
	if err := os.WriteFile(r.files.path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.ExportFile(r.convID, "markdown", ""); err != nil {
		t.Fatalf("ExportFile: %v", err)
	}
	st, err := os.Stat(r.files.path)
	if err != nil || st.Mode().Perm() != 0o600 || st.Size() <= 3 {
		t.Errorf("replaced file: %v, %v; want the export with mode 0600", st, err)
	}
}

// The folder is flushed after the rename, so the new file survives a power cut.
func TestExportFileSyncsFolderAfterRename(t *testing.T) {
	t.Parallel()
	r := newHistoryRig(t, "t")
	dir := t.TempDir()
	r.files.path = filepath.Join(dir, "export.md")
	var synced []string
	r.svc.ops.SyncDir = func(d string) error {
		data, err := os.ReadFile(r.files.path)
		if err != nil || !strings.Contains(string(data), "Rayleigh") {
			t.Errorf("folder synced before the file was in place: %q, %v", data, err)
		}
		synced = append(synced, d)
		return atomicfile.SyncDir(d)
	}
	if _, err := r.svc.ExportFile(r.convID, "markdown", ""); err != nil {
		t.Fatal(err)
	}
	if want := []string{dir}; !reflect.DeepEqual(synced, want) {
		t.Errorf("synced folders %q; want %q", synced, want)
	}
	r.svc.ops.SyncDir = func(string) error { return &fs.PathError{Op: "sync", Path: dir, Err: syscall.EIO} }
	if _, err := r.svc.ExportFile(r.convID, "markdown", ""); err == nil || !strings.Contains(err.Error(), "export.md: the file is written, but its folder could not be flushed to disk") {
		t.Errorf("failed folder sync: %v; want it named", err)
	}
}

// TestExportFileFailures checks that each failure says what went wrong in
// words, and that a failed save leaves the chosen file as it was and no
// temporary file behind.
func TestExportFileFailures(t *testing.T) {
	t.Parallel()
	eacces := func(o *atomicfile.Ops) {
		o.Create = func(name string, _ os.FileMode) (*os.File, error) {
			return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EACCES}
		}
	}
	for _, tc := range []struct {
		name, id, format string
		dialogErr        error
		ops              func(*atomicfile.Ops)
		wantDialogs      int
		want             []string
		wantIs           error
	}{
		{name: "unknown format", format: "pdf", want: []string{`unknown format "pdf"`}},
		{name: "missing conversation", id: "nope", format: "json", want: []string{"export conversation: not found"}, wantIs: history.ErrNotFound},
		{name: "dialog fails", format: "json", dialogErr: errors.New("no display"), wantDialogs: 1, want: []string{"save dialog: no display"}},
		{name: "read-only folder", format: "markdown", ops: eacces, wantDialogs: 1,
			want: []string{"cannot save ", "export.md: no permission to write in ", "permission denied"}, wantIs: fs.ErrPermission},
		{name: "disk full mid-write", format: "markdown", wantDialogs: 1, ops: func(o *atomicfile.Ops) {
			o.Write = func(f *os.File, b []byte) (int, error) {
				n, _ := f.Write(b[:len(b)/2])
				return n, &fs.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
			}
		}, want: []string{"export.md: the disk is full: no space left on device"}, wantIs: syscall.ENOSPC},
		{name: "rename fails", format: "json", wantDialogs: 1, ops: func(o *atomicfile.Ops) {
			o.Rename = func(oldpath, newpath string) error {
				return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: syscall.EROFS}
			}
		}, want: []string{"export.md: the disk or folder is read-only"}, wantIs: syscall.EROFS},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newHistoryRig(t, "t")
			if tc.id == "" {
				tc.id = r.convID
			}
			dir := t.TempDir()
			r.files.path, r.files.err = filepath.Join(dir, "export.md"), tc.dialogErr
			if err := os.WriteFile(r.files.path, []byte("earlier export"), 0o644); err != nil {
				t.Fatal(err)
			}
			if tc.ops != nil {
				tc.ops(&r.svc.ops)
			}
			got, err := r.svc.ExportFile(tc.id, tc.format, "")
			if got != "" || err == nil {
				t.Fatalf("ExportFile = %q, %v; want an error", got, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), ".tmp-") {
				t.Errorf("error %q names the temporary file", err)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("error %v does not match %v", err, tc.wantIs)
			}
			if len(r.files.reqs) != tc.wantDialogs {
				t.Errorf("%d dialogs opened; want %d", len(r.files.reqs), tc.wantDialogs)
			}
			if b, _ := os.ReadFile(r.files.path); string(b) != "earlier export" {
				t.Errorf("chosen file now holds %q; want it unchanged", b)
			}
			if names := dirNames(t, dir); !reflect.DeepEqual(names, []string{"export.md"}) {
				t.Errorf("folder holds %q; want only the earlier file", names)
			}
		})
	}
}

func TestImportFile(t *testing.T) {
	t.Parallel()
	r := newHistoryRig(t, "Original")
	dir := t.TempDir()
	r.files.path = filepath.Join(dir, "original.json")
	if _, err := r.svc.ExportFile(r.convID, "json", ""); err != nil {
		t.Fatalf("ExportFile: %v", err)
	}
	v, err := r.svc.ImportFile("")
	if err != nil || v == nil {
		t.Fatalf("ImportFile = %v, %v; want the new conversation", v, err)
	}
	if v.ID == r.convID || v.Title != "Original" {
		t.Errorf("imported %+v; want a copy titled Original with a new id", v)
	}
	if v.ImportedFrom != "original.json" || v.ImportedAt == "" {
		t.Errorf("imported copy marked %q from %q; want now from original.json (the name, not the path)", v.ImportedAt, v.ImportedFrom)
	}
	if list, _ := r.svc.List(0, 0); len(list) != 2 || (list[0].ImportedFrom == "") == (list[1].ImportedFrom == "") {
		t.Errorf("list %+v; want the original unmarked and the copy marked", list)
	}
	req := r.files.reqs[1]
	if r.files.kind[1] != "open" || req.Filters[0].Pattern != "*.json" || req.DefaultDir != dir {
		t.Errorf("open dialog %s %+v; want open, *.json, in %s", r.files.kind[1], req, dir)
	}
	orig, _ := r.svc.Get(r.convID)
	copied, err := r.svc.Get(v.ID)
	if err != nil || len(copied.Messages) != len(orig.Messages) || copied.Messages[1].Content != "Rayleigh scattering." {
		t.Errorf("imported messages %+v, %v; want the original's", copied.Messages, err)
	}

	r.files.path = ""
	if v, err := r.svc.ImportFile(""); v != nil || err != nil {
		t.Errorf("cancelled import = %v, %v; want nil, nil", v, err)
	}
}

// TestImportFileRefusals checks that a file that cannot be imported saves
// nothing, is left as it was, and is named in the error with what is wrong.
func TestImportFileRefusals(t *testing.T) {
	t.Parallel()
	const head = `{"format":"thinkcloud.conversation","version":1,"conversation":{"title":"t"},`
	for _, tc := range []struct {
		name, content string
		setup         func(t *testing.T, path string)
		want          []string
		wantIs        error
	}{
		{name: "bad role in the second message", content: head + `"messages":[{"role":"user"},{"role":"robot"}]}`,
			want: []string{"messages[1]", `role "robot" is not one of system, user, assistant`}, wantIs: history.ErrInvalid},
		{name: "syntax error", content: head + "\n\"messages\": [}", want: []string{"malformed JSON at line 2, column 14"}, wantIs: history.ErrInvalid},
		{name: "truncated", content: head + `"messages":[{"role":"user","content":"cut`, want: []string{"truncated JSON"}, wantIs: history.ErrInvalid},
		{name: "a Markdown export", content: "# Sky\n\n## User\n", want: []string{"malformed JSON at line 1, column 1"}, wantIs: history.ErrInvalid},
		{name: "missing file", want: []string{"cannot read "}, wantIs: fs.ErrNotExist},
		{name: "a folder", setup: func(t *testing.T, path string) {
			if err := os.Mkdir(path, 0o755); err != nil {
				t.Fatal(err)
			}
		}, want: []string{"not a regular file"}},
		{name: "too large", setup: func(t *testing.T, path string) {
			// Sparse: the size is refused before anything is read.
			if err := os.WriteFile(path, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(path, maxImportBytes+1); err != nil {
				t.Fatal(err)
			}
		}, want: []string{"larger than 256 MiB"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newHistoryRig(t, "t")
			r.files.path = filepath.Join(t.TempDir(), "in.json")
			if tc.content != "" {
				if err := os.WriteFile(r.files.path, []byte(tc.content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if tc.setup != nil {
				tc.setup(t, r.files.path)
			}
			v, err := r.svc.ImportFile("")
			if v != nil || err == nil {
				t.Fatalf("ImportFile = %+v, %v; want an error", v, err)
			}
			for _, w := range append(tc.want, r.files.path) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("error %v does not match %v", err, tc.wantIs)
			}
			if n := r.count(t); n != 1 {
				t.Errorf("%d conversations after a refused import; want 1", n)
			}
			if tc.content != "" {
				if b, _ := os.ReadFile(r.files.path); string(b) != tc.content {
					t.Errorf("import changed the file to %q", b)
				}
			}
		})
	}
}

func TestImportFileDialogFails(t *testing.T) {
	t.Parallel()
	r := newHistoryRig(t, "t")
	r.files.err = errors.New("no display")
	if v, err := r.svc.ImportFile(""); v != nil || err == nil || err.Error() != "open dialog: no display" {
		t.Errorf("ImportFile = %v, %v; want open dialog: no display", v, err)
	}
}

func TestNoDialogsBeforeTheWindow(t *testing.T) {
	t.Parallel()
	var d WindowDialogs
	if _, err := d.SaveFile(FileRequest{}); !errors.Is(err, errNoWindow) {
		t.Errorf("SaveFile before Attach: %v; want errNoWindow", err)
	}
	if _, err := d.OpenFile(FileRequest{}); !errors.Is(err, errNoWindow) {
		t.Errorf("OpenFile before Attach: %v; want errNoWindow", err)
	}
	r := newHistoryRig(t, "t")
	r.svc.files = nil
	if _, err := r.svc.ExportFile(r.convID, "json", ""); !errors.Is(err, errNoDialogs) {
		t.Errorf("ExportFile without dialogs: %v; want errNoDialogs", err)
	}
	if _, err := r.svc.ImportFile(""); !errors.Is(err, errNoDialogs) {
		t.Errorf("ImportFile without dialogs: %v; want errNoDialogs", err)
	}
}
