package desktop

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/ledongthuc/pdf"
)

// Taking the text out of a PDF. The reader (github.com/ledongthuc/pdf, a
// maintained fork of rsc.io/pdf with ToUnicode CMaps, so CJK text comes
// out as text) panics on malformed input and can loop on a cyclic page
// tree. So every call into it is made under recover, and it reads the
// file only through guardedReader, which fails every read once the time
// is up: each of its loops reads, so a hostile file ends with an error
// instead of a hang. The whole extraction also runs under a deadline a
// little longer, as a last resort against a loop that never reads.

// pdfTimeout bounds one PDF's extraction.
const pdfTimeout = 10 * time.Second

// errPDFTime is returned once pdfTimeout has passed.
var errPDFTime = errors.New("reading the PDF took too long")

func isPDF(data []byte) bool {
	// The header may follow some junk; readers look in the first KiB.
	return bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-"))
}

// guardedReader is the file as the PDF reader sees it: reads fail once
// the deadline has passed or ctx is done.
type guardedReader struct {
	data     []byte
	ctx      context.Context
	deadline time.Time
}

func (g *guardedReader) ReadAt(p []byte, off int64) (int, error) {
	if g.ctx.Err() != nil || time.Now().After(g.deadline) {
		return 0, errPDFTime
	}
	if off < 0 || off >= int64(len(g.data)) {
		return 0, io.EOF
	}
	n := copy(p, g.data[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// pdfText returns a PDF's text, pages separated by blank lines, or a
// Problem* code and its detail.
func pdfText(ctx context.Context, data []byte) (text, problem, detail string) {
	return pdfTextWithin(ctx, data, pdfTimeout)
}

func pdfTextWithin(ctx context.Context, data []byte, limit time.Duration) (text, problem, detail string) {
	type result struct {
		text string
		err  error
	}
	g := &guardedReader{data: data, ctx: ctx, deadline: time.Now().Add(limit)}
	done := make(chan result, 1)
	go func() {
		t, err := readPDF(g)
		done <- result{t, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(limit + time.Second):
		r.err = errPDFTime
	}
	text = cleanPDFText(r.text)
	switch {
	case r.err != nil && (errors.Is(r.err, pdf.ErrInvalidPassword) || bytes.Contains(data, []byte("/Encrypt"))):
		// The reader tried the empty password, which opens files that are
		// only protected against editing.
		return "", ProblemPDFEncrypted, r.err.Error()
	case r.err != nil:
		return "", ProblemPDFBroken, r.err.Error()
	case strings.TrimSpace(text) == "":
		return "", ProblemPDFNoText, ""
	}
	return text, "", ""
}

// readPDF reads every page's text, stopping with an error once the text
// is past MaxAttachText (the caller refuses it anyway).
func readPDF(g *guardedReader) (text string, err error) {
	defer func() {
		if p := recover(); p != nil {
			text, err = "", fmt.Errorf("malformed PDF: %v", p)
		}
	}()
	r, err := pdf.NewReader(g, int64(len(g.data)))
	if err != nil {
		return "", err
	}
	n := r.NumPage()
	var sb strings.Builder
	for i := 1; i <= n; i++ {
		if g.ctx.Err() != nil || time.Now().After(g.deadline) {
			return "", errPDFTime
		}
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		// Each page reads its own fonts: a name such as /F1 may stand for
		// another font on the next page.
		t, err := p.GetPlainText(nil)
		if err != nil {
			if errors.Is(err, errPDFTime) || strings.Contains(err.Error(), errPDFTime.Error()) {
				return "", errPDFTime
			}
			return "", fmt.Errorf("page %d: %w", i, err)
		}
		sb.WriteString(t)
		sb.WriteString("\n\n")
		if sb.Len() > MaxAttachText {
			break
		}
	}
	return sb.String(), nil
}

var blankRuns = regexp.MustCompile(`\n[ \t]*(\n[ \t]*)+\n`)

// cleanPDFText makes the text valid UTF-8 (a font without a usable
// encoding gives raw codes) and folds runs of blank lines into one.
func cleanPDFText(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if r == 0 || (r < 0x20 && r != '\n' && r != '\t') {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(blankRuns.ReplaceAllString(s, "\n\n"))
}
