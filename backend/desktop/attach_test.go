package desktop

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"thinkcloud/backend/history"
)

// pngHeader is the start of a PNG: enough for content sniffing.
var pngHeader = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")

func TestAttachDecidesByContent(t *testing.T) {
	t.Parallel()
	s := NewAttachService(context.Background(), nil)
	utf16le := []byte{0xFF, 0xFE, 'h', 0, 'i', 0, 0x60, 0x4F} // "hi你"
	for _, tc := range []struct {
		name, file string
		data       []byte
		kind, lang string
		text       string
		image      bool
		problem    string
	}{
		{name: "go code", file: "main.go", data: []byte("package main\n"), kind: "code", lang: "go", text: "package main\n"},
		{name: "python", file: "a.py", data: []byte("print('你好')\r\n"), kind: "code", lang: "python", text: "print('你好')\n"},
		{name: "markdown", file: "README.md", data: []byte("# Title\n"), kind: "text", lang: "markdown", text: "# Title\n"},
		{name: "csv", file: "t.csv", data: []byte("a,b\n1,2\n"), kind: "text", lang: "csv", text: "a,b\n1,2\n"},
		{name: "json", file: "x.JSON", data: []byte(`{"a":1}`), kind: "code", lang: "json", text: `{"a":1}`},
		{name: "Makefile", file: "Makefile", data: []byte("all:\n\tgo build\n"), kind: "code", lang: "makefile", text: "all:\n\tgo build\n"},
		{name: "no name", file: "", data: []byte("pasted"), kind: "text", text: "pasted"},
		{name: "unknown extension, text content", file: "notes.weird", data: []byte("plain words"), kind: "text", text: "plain words"},
		{name: "UTF-8 BOM dropped", file: "b.txt", data: []byte("\xEF\xBB\xBFbom"), kind: "text", text: "bom"},
		{name: "UTF-16 with BOM", file: "w.txt", data: utf16le, kind: "text", text: "hi你"},
		{name: "ANSI colours in a log", file: "build.log", data: []byte(strings.Repeat("\x1b[31mred\x1b[0m ok\n", 50)), kind: "text", text: strings.Repeat("\x1b[31mred\x1b[0m ok\n", 50)},
		{name: "png by content, whatever the name", file: "photo.txt", data: pngHeader, image: true},
		{name: "binary with NULs", file: "data.bin", data: []byte("ELF\x00\x01\x02\x00\x00"), problem: ProblemBinary},
		{name: "binary named as code", file: "evil.go", data: []byte("package x\x00\x00\x00"), problem: ProblemBinary},
		{name: "zip (docx)", file: "a.docx", data: []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"), problem: ProblemBinary},
		{name: "invalid UTF-8", file: "latin1.txt", data: []byte("caf\xe9 cr\xe8me"), problem: ProblemBinary},
		{name: "blank", file: "empty.txt", data: []byte(" \n\t\n"), problem: ProblemEmpty},
		{name: "text over the limit", file: "big.txt", data: bytes.Repeat([]byte("a"), MaxAttachText+1), problem: ProblemTextTooLarge},
		{name: "raw over the limit", file: "huge.txt", data: bytes.Repeat([]byte("a"), MaxAttachBytes+1), problem: ProblemTooLarge},
		{name: "named .pdf, not a PDF", file: "x.pdf", data: []byte("\x00\x01garbage"), problem: ProblemPDFBroken},
		{name: "pdf", file: "r.pdf", data: latinPDF("Hello PDF"), kind: "pdf", text: "Hello PDF"},
		{name: "pdf without text", file: "scan.pdf", data: buildPDF("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"), problem: ProblemPDFNoText},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := s.FromData(tc.file, base64.StdEncoding.EncodeToString(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			if res.Problem != tc.problem {
				t.Fatalf("problem %q (%s); want %q", res.Problem, res.Detail, tc.problem)
			}
			wantName := tc.file
			if wantName == "" {
				wantName = "file"
			}
			if res.Name != wantName {
				t.Errorf("name %q; want %q", res.Name, wantName)
			}
			if tc.image != (res.Image != "") {
				t.Errorf("image %.40q; want an image: %v", res.Image, tc.image)
			}
			if tc.kind == "" {
				if res.File != nil {
					t.Errorf("got file %+v; want none", res.File)
				}
				return
			}
			f := res.File
			if f == nil {
				t.Fatalf("got no file")
			}
			if f.Kind != tc.kind || f.Lang != tc.lang || f.Text != tc.text || f.Size != int64(len(tc.data)) || f.Name != wantName {
				t.Errorf("got %+v; want kind %q lang %q text %q size %d", *f, tc.kind, tc.lang, tc.text, len(tc.data))
			}
		})
	}
}

func TestAttachFromPathAndDialog(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "notes.md")
	if err := os.WriteFile(path, []byte("# 笔记\nhello"), 0o600); err != nil {
		t.Fatal(err)
	}
	dialogs := &ScriptedDialogs{Dir: dir}
	s := NewAttachService(context.Background(), dialogs)
	if err := os.WriteFile(filepath.Join(dir, "answer"), []byte(path), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := s.Pick("")
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].File == nil || res[0].File.Text != "# 笔记\nhello" || res[0].File.Name != "notes.md" {
		t.Errorf("picked %+v; want notes.md's text", res)
	}
	// Several files at once, one of them gone since: each gets its result,
	// in order, and the unreadable one says why without losing the others.
	other := filepath.Join(dir, "main.go")
	os.WriteFile(other, []byte("package main\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "answer"), []byte(path+"\n"+filepath.Join(dir, "gone.txt")+"\n"+other), 0o600)
	res, err = s.Pick("")
	if err != nil || len(res) != 3 {
		t.Fatalf("picked three: %+v, %v", res, err)
	}
	if res[0].File == nil || res[0].File.Name != "notes.md" || res[2].File == nil || res[2].File.Name != "main.go" || res[2].File.Kind != "code" {
		t.Errorf("the readable two: %+v and %+v", res[0], res[2])
	}
	if res[1].Problem != ProblemUnreadable || res[1].Name != "gone.txt" || !strings.Contains(res[1].Detail, "gone.txt") {
		t.Errorf("the gone one: %+v; want an unreadable problem naming it", res[1])
	}
	// Cancelled: nothing, and no error.
	os.WriteFile(filepath.Join(dir, "answer"), nil, 0o600)
	if res, err := s.Pick(""); err != nil || len(res) != 0 {
		t.Errorf("cancelled: %+v, %v; want nothing", res, err)
	}
	if _, err := s.fromPath(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a folder: %v; want not a regular file", err)
	}
	if _, err := s.fromPath(filepath.Join(dir, "gone.txt")); err == nil || !strings.Contains(err.Error(), "gone.txt") {
		t.Errorf("a missing file: %v; want an error naming it", err)
	}
}

func TestAttachmentStoredForm(t *testing.T) {
	t.Parallel()
	a := history.Attachment{Name: "报告; v2,final%.txt", Kind: "text", Size: 42, Text: "第一行\n```\ncode\n```"}
	raw := history.JoinImages([]string{"data:image/png;base64,AAAA"}, []history.Attachment{a})
	images, files := history.SplitImages(raw)
	if len(images) != 1 || images[0] != "data:image/png;base64,AAAA" {
		t.Errorf("images %q", images)
	}
	if len(files) != 1 || files[0] != a {
		t.Errorf("files %+v; want %+v", files, a)
	}
	// The fence is longer than any backtick run in the text.
	if got := history.FencedFile(a); !strings.HasPrefix(got, "File: 报告; v2,final%.txt\n````\n") || !strings.HasSuffix(got, "\n````") {
		t.Errorf("fenced %q", got)
	}
}

func TestCheckAttachments(t *testing.T) {
	t.Parallel()
	big := history.Attachment{Name: "a.txt", Text: strings.Repeat("x", MaxAttachText)}
	for _, tc := range []struct {
		name   string
		images int
		files  []history.Attachment
		want   string
	}{
		{"within", 1, []history.Attachment{big}, ""},
		{"total over", 0, []history.Attachment{big, big, {Name: "b", Text: "x"}}, "together"},
		{"one file over", 0, []history.Attachment{{Name: "c.txt", Text: strings.Repeat("x", MaxAttachText+1)}}, "c.txt"},
		{"too many", MaxAttachments, []history.Attachment{{Name: "d", Text: "x"}}, "at most"},
	} {
		err := checkAttachments(make([]string, tc.images), tc.files)
		if (err == nil) != (tc.want == "") || err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want %q", tc.name, err, tc.want)
		}
	}
}

// The provider gets each file's text in a fenced block headed by its
// name, before the question; the history keeps the file (and shows it
// as an attachment, not as text of the message), so a regenerate and a
// later turn send it again.
func TestAttachmentsReachProvider(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, "deepseek")
	file := history.Attachment{Name: "main.go", Kind: "code", Lang: "go", Size: 13, Text: "package main\n"}
	pdfFile := history.Attachment{Name: "报告.pdf", Kind: "pdf", Size: 900, Text: "季度报告"}
	res, evs := r.send(t, SendRequest{Model: "deepseek-v4-pro", Text: "What does this do?", Attachments: []history.Attachment{file, pdfFile}})
	if last := evs[len(evs)-1]; last.Kind != KindDone {
		t.Fatalf("last event %+v", last)
	}
	want := "user:File: main.go\n```go\npackage main\n```\n\nFile: 报告.pdf\n```\n季度报告\n```\n\nWhat does this do?"
	if got := sentMessages(t, r.fakes["deepseek"].Last()); len(got) != 1 || got[0] != want {
		t.Errorf("sent %q;\nwant %q", got, want)
	}
	msgs := r.stored(t, res.ConversationID)
	if msgs[0].Content != "What does this do?" {
		t.Errorf("stored content %q; want the typed text only", msgs[0].Content)
	}
	view := messageView(msgs[0])
	if len(view.Attachments) != 2 || view.Attachments[1] != pdfFile || len(view.Images) != 0 {
		t.Errorf("view attachments %+v images %v", view.Attachments, view.Images)
	}
	// A later turn carries the file as context.
	r.send(t, SendRequest{ConversationID: res.ConversationID, Model: "deepseek-v4-pro", Text: "And then?"})
	if got := sentMessages(t, r.fakes["deepseek"].Last()); len(got) != 3 || got[0] != want {
		t.Errorf("second turn sent %q", got)
	}
	// Regenerating the first answer sends the files again.
	if _, err := r.chat.Regenerate("regen", res.ConversationID, msgs[1].ID, "deepseek-v4-pro", Params{}); err != nil {
		t.Fatal(err)
	}
	r.rec.wait(t, "regen")
	if got := sentMessages(t, r.fakes["deepseek"].Last()); len(got) != 1 || got[0] != want {
		t.Errorf("regenerate sent %q", got)
	}
	// Editing the question keeps its files.
	if _, err := r.chat.Edit("edit", res.ConversationID, msgs[0].ID, "Explain briefly", "deepseek-v4-pro", Params{}); err != nil {
		t.Fatal(err)
	}
	r.rec.wait(t, "edit")
	if got := sentMessages(t, r.fakes["deepseek"].Last()); len(got) != 1 || !strings.HasPrefix(got[0], "user:File: main.go\n") || !strings.HasSuffix(got[0], "Explain briefly") {
		t.Errorf("edit sent %q", got)
	}
}

// A message with only a file is sent, titled by the file's name.
func TestAttachmentOnly(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, "deepseek")
	res, _ := r.send(t, SendRequest{Model: "deepseek-flash", Attachments: []history.Attachment{{Name: "todo.txt", Kind: "text", Text: "buy milk"}}})
	c, _, err := r.hist.GetConversation(context.Background(), res.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "todo.txt" {
		t.Errorf("title %q; want the file's name", c.Title)
	}
	if got := sentMessages(t, r.fakes["deepseek"].Last()); len(got) != 1 || got[0] != "user:File: todo.txt\n```\nbuy milk\n```" {
		t.Errorf("sent %q", got)
	}
}

// Images for a model that cannot read them are refused before anything is
// saved or sent; too much text is refused too.
func TestSendRefusesWhatTheModelCannotTake(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, "deepseek")
	_, err := r.chat.Send(SendRequest{StreamID: r.streamID(), Model: "deepseek-v4-pro", Text: "look", Images: []string{"data:image/png;base64,AAAA"}})
	if err == nil || !strings.Contains(err.Error(), "cannot read images") {
		t.Errorf("images to a text-only model: %v; want cannot read images", err)
	}
	big := history.Attachment{Name: "a.txt", Kind: "text", Text: strings.Repeat("x", MaxAttachText)}
	_, err = r.chat.Send(SendRequest{StreamID: r.streamID(), Model: "deepseek-flash", Text: "read", Attachments: []history.Attachment{big, big, big}})
	if err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("too much text: %v; want the limit named", err)
	}
	if n := len(r.fakes["deepseek"].Requests()); n != 0 {
		t.Errorf("the provider got %d requests; want none", n)
	}
	list, err := r.hist.ListConversations(context.Background(), 10, 0)
	if err != nil || len(list) != 0 {
		t.Errorf("saved %d conversations (%v); want none", len(list), err)
	}
	// The same image goes to a model that reads images, as an image part.
	r.send(t, SendRequest{Model: "deepseek-flash", Text: "look", Images: []string{"data:image/png;base64,AAAA"}})
	var body struct {
		Messages []struct {
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
	}
	json.Unmarshal(r.fakes["deepseek"].Last(), &body)
	if len(body.Messages) != 1 || !strings.Contains(string(body.Messages[0].Content), `"image_url"`) {
		t.Errorf("image not sent as a part: %s", r.fakes["deepseek"].Last())
	}
	// Regenerating that answer with the text-only model is refused too,
	// and makes no new version.
	list, _ = r.hist.ListConversations(context.Background(), 10, 0)
	msgs := r.stored(t, list[0].ID)
	requests := len(r.fakes["deepseek"].Requests())
	_, err = r.chat.Regenerate(r.streamID(), list[0].ID, msgs[1].ID, "deepseek-v4-pro", Params{})
	if err == nil || !strings.Contains(err.Error(), "deepseek-v4-pro cannot read images") {
		t.Errorf("regenerate with a text-only model: %v; want cannot read images", err)
	}
	if after := r.stored(t, list[0].ID); len(after) != 2 || after[1].ID != msgs[1].ID || len(after[1].Versions) > 1 {
		t.Errorf("after a refused regenerate the path is %+v", after)
	}
	if n := len(r.fakes["deepseek"].Requests()); n != requests {
		t.Errorf("the provider got %d more requests; want none", n-requests)
	}
}

// Export and import keep a message's files; the Markdown export shows
// them as fenced blocks.
func TestAttachmentsSurviveExportImport(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, "deepseek")
	file := history.Attachment{Name: "q.sql", Kind: "code", Lang: "sql", Size: 9, Text: "SELECT 1;"}
	res, _ := r.send(t, SendRequest{Model: "deepseek-flash", Text: "check", Attachments: []history.Attachment{file}})
	ctx := context.Background()
	doc, err := r.hist.ExportJSON(ctx, res.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	imported, err := r.hist.ImportJSON(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	_, msgs, err := r.hist.GetConversation(ctx, imported.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, files := history.SplitImages(msgs[0].Images); len(files) != 1 || files[0] != file {
		t.Errorf("imported files %+v; want %+v", files, file)
	}
	md, err := r.hist.ExportMarkdown(ctx, res.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md, "File: q.sql\n```sql\nSELECT 1;\n```") || strings.Contains(md, "![image") {
		t.Errorf("markdown:\n%s", md)
	}
}
