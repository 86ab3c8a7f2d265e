package desktop

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"thinkcloud/backend/history"
)

// Attachment limits. A file is refused, never cut, when it is over one:
// a model answering about half a file would mislead.
const (
	// MaxAttachBytes is the largest file read, image or not.
	MaxAttachBytes = 20 << 20
	// MaxAttachText is the most text one file may give (after a PDF's
	// text is taken out).
	MaxAttachText = 512 << 10
	// MaxAttachTotal is the most attached text one message may carry.
	MaxAttachTotal = 1 << 20
	// MaxAttachments is how many files and images one message may carry.
	MaxAttachments = 10
)

// Problems: why a file was not attached, for the window to say in the
// user's language (AttachResult.Problem).
const (
	ProblemBinary       = "binary"         // not text, PDF or an image
	ProblemTooLarge     = "too_large"      // over MaxAttachBytes
	ProblemTextTooLarge = "text_too_large" // over MaxAttachText of text
	ProblemEmpty        = "empty"          // no text at all
	ProblemPDFEncrypted = "pdf_encrypted"  // needs a password
	ProblemPDFNoText    = "pdf_no_text"    // scanned pages, no text layer
	ProblemPDFBroken    = "pdf_broken"     // corrupt or unreadable
	ProblemUnreadable   = "unreadable"     // the file could not be read (Detail says why)
)

// attachProblems are the Problem* codes, for the window contract.
var attachProblems = []string{ProblemBinary, ProblemTooLarge, ProblemTextTooLarge, ProblemEmpty,
	ProblemPDFEncrypted, ProblemPDFNoText, ProblemPDFBroken, ProblemUnreadable}

// attachmentKinds are the kinds of history.Attachment this service makes.
var attachmentKinds = []string{"text", "code", "pdf"}

// AttachResult is what a file became: an image (a data URL), a text
// attachment, or a problem saying why it was refused. All empty means the
// user cancelled the dialog.
type AttachResult struct {
	// Name is the file's base name.
	Name string `json:"name"`
	// Image is the image as a data URL; "" for anything else.
	Image string `json:"image,omitempty"`
	// File is the text attachment; nil for anything else.
	File *history.Attachment `json:"file,omitempty"`
	// Problem is one of the Problem* codes; "" when the file was taken.
	Problem string `json:"problem,omitempty"`
	// Detail says more about a problem, in English (the PDF reader's
	// words); "" for none.
	Detail string `json:"detail,omitempty"`
}

// AttachService is bound to the window: it turns a file the user chose,
// dropped or pasted into an attachment, reading text and code files and
// taking the text out of PDFs here in Go.
type AttachService struct {
	base  context.Context
	files FileChooser
}

// NewAttachService returns the attachment service; files shows the open
// dialog.
func NewAttachService(base context.Context, files FileChooser) *AttachService {
	return &AttachService{base: base, files: files}
}

// attachFilters are the open dialog's file types.
var attachFilters = []FileFilter{
	{Name: "Images, text, code and PDF", Pattern: "*.png;*.jpg;*.jpeg;*.gif;*.webp;*.pdf;" + textPatterns()},
	{Name: "PDF", Pattern: "*.pdf"},
	{Name: "Images", Pattern: "*.png;*.jpg;*.jpeg;*.gif;*.webp"},
	allFiles,
}

// Pick shows the open dialog (several files may be chosen) and reads each
// chosen file; no results when the user cancelled. heading is the dialog's title in the window's
// language.
func (s *AttachService) Pick(heading string) ([]AttachResult, error) {
	if s.files == nil {
		return nil, fmt.Errorf("attach a file: %w", errNoDialogs)
	}
	paths, err := s.files.OpenFiles(FileRequest{Title: dialogTitle(heading, "Attach files"),
		DefaultDir: firstUserDir(), Filters: attachFilters})
	if err != nil {
		return nil, err
	}
	// One result per file chosen, in order; a file that cannot be read is
	// a result with a problem, so the others are still attached.
	out := []AttachResult{}
	for _, path := range paths {
		if path == "" {
			continue
		}
		res, err := s.fromPath(path)
		if err != nil {
			res = AttachResult{Name: filepath.Base(path), Problem: ProblemUnreadable, Detail: err.Error()}
		}
		out = append(out, res)
	}
	return out, nil
}

// fromPath reads the file at path as Pick does. Unexported: the window
// names files through the dialog only.
func (s *AttachService) fromPath(path string) (AttachResult, error) {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return AttachResult{}, fmt.Errorf("cannot read %s: %w", path, bareSyscallError(err))
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && !st.Mode().IsRegular() {
		return AttachResult{}, fmt.Errorf("cannot read %s: not a regular file", path)
	} else if err == nil && st.Size() > MaxAttachBytes {
		return AttachResult{Name: name, Problem: ProblemTooLarge}, nil
	}
	// The limit holds for a file that grows while it is read, too.
	data, err := io.ReadAll(io.LimitReader(f, MaxAttachBytes+1))
	if err != nil {
		return AttachResult{}, fmt.Errorf("cannot read %s: %w", path, bareSyscallError(err))
	}
	return s.attach(name, data), nil
}

// FromData reads a file the window was given by a drop or a paste: its
// name and its bytes in base64 (how the bridge carries bytes).
func (s *AttachService) FromData(name, data string) (AttachResult, error) {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" {
		name = "file" // a paste may come without a name
	}
	if base64.StdEncoding.DecodedLen(len(data)) > MaxAttachBytes+3 {
		return AttachResult{Name: name, Problem: ProblemTooLarge}, nil
	}
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return AttachResult{}, fmt.Errorf("attach %s: the data is not base64: %w", name, err)
	}
	return s.attach(name, raw), nil
}

// attach decides by content, then by name, what data is: an image, a
// PDF or text; anything else is refused as binary.
func (s *AttachService) attach(name string, data []byte) AttachResult {
	res := AttachResult{Name: name}
	if len(data) > MaxAttachBytes {
		res.Problem = ProblemTooLarge
		return res
	}
	if typ := imageType(data); typ != "" {
		res.Image = "data:" + typ + ";base64," + base64.StdEncoding.EncodeToString(data)
		return res
	}
	var text string
	kind, lang := "", ""
	switch {
	case isPDF(data):
		t, problem, detail := pdfText(s.base, data)
		if problem != "" {
			res.Problem, res.Detail = problem, detail
			return res
		}
		text, kind = t, "pdf"
	default:
		t, ok := decodeText(data)
		if !ok {
			res.Problem = ProblemBinary
			if strings.EqualFold(filepath.Ext(name), ".pdf") {
				res.Problem, res.Detail = ProblemPDFBroken, "the file does not start with %PDF-"
			}
			return res
		}
		text = t
		kind, lang = textKind(name)
	}
	switch {
	case strings.TrimSpace(text) == "":
		res.Problem = ProblemEmpty
	case len(text) > MaxAttachText:
		res.Problem = ProblemTextTooLarge
		res.Detail = fmt.Sprintf("%d KiB of text", len(text)>>10)
	default:
		res.File = &history.Attachment{Name: name, Kind: kind, Lang: lang, Size: int64(len(data)), Text: text}
	}
	return res
}

// imageType is the type of an image the models take (PNG, JPEG, GIF,
// WebP), "" for anything else.
func imageType(data []byte) string {
	switch typ := http.DetectContentType(data); typ {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return typ
	}
	return ""
}

// checkAttachments applies the per-message limits to what Send was given;
// the window checks the same before it sends, so this is the backstop.
func checkAttachments(images []string, files []history.Attachment) error {
	if n := len(images) + len(files); n > MaxAttachments {
		return fmt.Errorf("a message can carry at most %d attachments; this one has %d", MaxAttachments, n)
	}
	total := 0
	for _, f := range files {
		if len(f.Text) > MaxAttachText {
			return fmt.Errorf("%s has more than %d KiB of text", f.Name, MaxAttachText>>10)
		}
		total += len(f.Text)
	}
	if total > MaxAttachTotal {
		return fmt.Errorf("the attached files have %d KiB of text together; the limit is %d KiB", total>>10, MaxAttachTotal>>10)
	}
	return nil
}
