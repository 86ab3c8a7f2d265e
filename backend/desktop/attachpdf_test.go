package desktop

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// buildPDF writes a PDF whose objects (numbered from 1) are objs, with a
// correct cross-reference table; object 1 must be the catalog.
func buildPDF(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func stream(dict, data string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

func flated(data string) string {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write([]byte(data))
	w.Close()
	return b.String()
}

// latinPDF has one page per text, in Helvetica.
func latinPDF(texts ...string) []byte {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", ""}
	var kids []string
	for _, t := range texts {
		page := len(objs) + 1
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>", page+1, page+2),
			"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
			stream("", "BT /F1 12 Tf 72 720 Td ("+t+") Tj ET"))
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(texts))
	return buildPDF(objs...)
}

// cjkPDF shows text with a Type0 font in Identity-H (two-byte glyph ids
// 1, 2, 3, …) whose ToUnicode CMap maps them back to the characters, the
// way PDF writers embed CJK fonts; the content stream is compressed.
func cjkPDF(text string) []byte {
	runes := []rune(text)
	var cids, bfchar strings.Builder
	for i, r := range runes {
		fmt.Fprintf(&cids, "%04X", i+1)
		u := utf16.Encode([]rune{r})
		fmt.Fprintf(&bfchar, "<%04X> <", i+1)
		for _, x := range u {
			fmt.Fprintf(&bfchar, "%04X", x)
		}
		bfchar.WriteString(">\n")
	}
	cmap := "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" +
		fmt.Sprintf("%d beginbfchar\n%sendbfchar\n", len(runes), bfchar.String()) +
		"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
	content := flated("BT /F1 12 Tf 72 720 Td <" + cids.String() + "> Tj ET")
	return buildPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type0 /BaseFont /NotoSansSC /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
		stream("/Filter /FlateDecode", content),
		"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NotoSansSC /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
		stream("", cmap),
	)
}

func TestPDFText(t *testing.T) {
	t.Parallel()
	text, problem, detail := pdfText(context.Background(), latinPDF("Quarterly report", "Revenue grew 12 percent"))
	if problem != "" {
		t.Fatalf("problem %s (%s)", problem, detail)
	}
	if !strings.Contains(text, "Quarterly report") || !strings.Contains(text, "Revenue grew 12 percent") {
		t.Errorf("got %q; want both pages' text", text)
	}
	if strings.Index(text, "Quarterly") > strings.Index(text, "Revenue") {
		t.Errorf("got %q; want the pages in order", text)
	}
}

func TestPDFTextCJK(t *testing.T) {
	t.Parallel()
	const want = "季度报告：收入增长百分之十二"
	text, problem, detail := pdfText(context.Background(), cjkPDF(want))
	if problem != "" {
		t.Fatalf("problem %s (%s)", problem, detail)
	}
	if text != want {
		t.Errorf("got %q; want %q", text, want)
	}
}

// Broken and hostile files end in a problem the window can name, never a
// panic, and within the time bound.
func TestPDFTextBroken(t *testing.T) {
	t.Parallel()
	good := latinPDF("hello")
	cyclic := buildPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [2 0 R] /Count 5 >>", // its own kid
	)
	noText := buildPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
		stream("", "0 0 m 100 100 l S"),
	)
	encrypted := bytes.Replace(good, []byte("/Root 1 0 R"), []byte("/Root 1 0 R /Encrypt << /Filter /Standard /V 2 /R 3 /Length 128 /O <1111111111111111111111111111111111111111111111111111111111111111> /U <2222222222222222222222222222222222222222222222222222222222222222> /P -4 >> /ID [<00> <00>]"), 1)
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"header only", []byte("%PDF-1.7\n"), ProblemPDFBroken},
		{"truncated", good[:len(good)/2], ProblemPDFBroken},
		{"garbage after header", append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{0x8f, 0x00, 'x'}, 5000)...), ProblemPDFBroken},
		{"bad xref offsets", bytes.Replace(good, []byte("0000000015 00000 n"), []byte("9999999999 00000 n"), 1), ProblemPDFBroken},
		{"page tree cycle", cyclic, ProblemPDFBroken},
		{"no text layer", noText, ProblemPDFNoText},
		{"encrypted", encrypted, ProblemPDFEncrypted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			done := make(chan [2]string, 1)
			go func() {
				_, problem, detail := pdfTextWithin(context.Background(), tc.data, 3*time.Second)
				done <- [2]string{problem, detail}
			}()
			select {
			case r := <-done:
				got, detail := r[0], r[1]
				if got != tc.want {
					t.Errorf("problem %q (%s); want %q", got, detail, tc.want)
				}
			case <-time.After(30 * time.Second): // a hang bound, not a speed test
				t.Fatal("pdfText did not return")
			}
		})
	}
}

// A read of the file after the deadline fails, which is what ends a loop
// inside the PDF reader.
func TestGuardedReaderStopsAtDeadline(t *testing.T) {
	t.Parallel()
	g := &guardedReader{data: []byte("%PDF-1.4"), ctx: context.Background(), deadline: time.Now().Add(-time.Second)}
	if _, err := g.ReadAt(make([]byte, 4), 0); err != errPDFTime {
		t.Errorf("read after the deadline: %v; want errPDFTime", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	g = &guardedReader{data: []byte("%PDF-1.4"), ctx: ctx, deadline: time.Now().Add(time.Hour)}
	if _, err := g.ReadAt(make([]byte, 4), 0); err != errPDFTime {
		t.Errorf("read after cancel: %v; want errPDFTime", err)
	}
}

// FuzzPDFText: no input makes the extractor panic or hang.
func FuzzPDFText(f *testing.F) {
	f.Add(latinPDF("hello"))
	f.Add(cjkPDF("你好"))
	f.Add([]byte("%PDF-1.4\n1 0 obj << >> endobj trailer << /Root 1 0 R >>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		text, problem, _ := pdfTextWithin(context.Background(), data, time.Second)
		if el := time.Since(start); el > 20*time.Second { // a hang bound, far above the 1 s limit
			t.Fatalf("took %v", el)
		}
		if problem == "" && strings.TrimSpace(text) == "" {
			t.Errorf("no problem and no text")
		}
	})
}
