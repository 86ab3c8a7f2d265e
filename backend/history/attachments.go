package history

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Attachment is a file attached to a user message as text: a text or code
// file, or the text taken out of a PDF. It is stored in the message's
// Images array, beside the images, as a data URL of type text/plain whose
// parameters carry the name, kind and size:
//
//	data:text/plain;charset=utf-8;x-kind=code;x-lang=go;x-size=123;x-name=main.go;base64,…
//
// Keeping it there needs no schema change, and every reader of that column
// (export, import, an older build) still sees an array of strings.
type Attachment struct {
	// Name is the file's base name.
	Name string `json:"name"`
	// Kind is "text", "code" or "pdf".
	Kind string `json:"kind"`
	// Lang is the info string of the fenced block it is sent in ("go",
	// "python"); "" for none.
	Lang string `json:"lang,omitempty"`
	// Size is the file's size in bytes (not the text's).
	Size int64 `json:"size"`
	// Text is the file's text, as sent to the model.
	Text string `json:"text"`
}

const attachmentPrefix = "data:text/plain;charset=utf-8;"

// EncodeAttachment returns a's stored form.
func EncodeAttachment(a Attachment) string {
	var sb strings.Builder
	sb.WriteString(attachmentPrefix)
	fmt.Fprintf(&sb, "x-kind=%s;", url.PathEscape(a.Kind))
	if a.Lang != "" {
		fmt.Fprintf(&sb, "x-lang=%s;", url.PathEscape(a.Lang))
	}
	fmt.Fprintf(&sb, "x-size=%d;x-name=%s;base64,", a.Size, url.PathEscape(a.Name))
	sb.WriteString(base64.StdEncoding.EncodeToString([]byte(a.Text)))
	return sb.String()
}

// DecodeAttachment reads an attachment's stored form; ok is false for an
// image (or anything else) in the array.
func DecodeAttachment(s string) (a Attachment, ok bool) {
	rest, found := strings.CutPrefix(s, attachmentPrefix)
	if !found {
		return Attachment{}, false
	}
	params, data, found := strings.Cut(rest, ",")
	if !found {
		return Attachment{}, false
	}
	text, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return Attachment{}, false
	}
	a.Text = string(text)
	for _, p := range strings.Split(params, ";") {
		k, v, _ := strings.Cut(p, "=")
		v, err := url.PathUnescape(v)
		if err != nil {
			return Attachment{}, false
		}
		switch k {
		case "x-kind":
			a.Kind = v
		case "x-lang":
			a.Lang = v
		case "x-name":
			a.Name = v
		case "x-size":
			a.Size, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	return a, a.Kind != ""
}

// SplitImages parses a message's Images column into its images (data URLs
// or paths) and its attachments, each in stored order. A column that is
// not an array of strings holds neither.
func SplitImages(raw json.RawMessage) (images []string, files []Attachment) {
	var all []string
	if len(raw) == 0 || json.Unmarshal(raw, &all) != nil {
		return nil, nil
	}
	for _, s := range all {
		if a, ok := DecodeAttachment(s); ok {
			files = append(files, a)
		} else {
			images = append(images, s)
		}
	}
	return images, files
}

// JoinImages is the Images column holding images and files; nil when both
// are empty.
func JoinImages(images []string, files []Attachment) json.RawMessage {
	if len(images) == 0 && len(files) == 0 {
		return nil
	}
	all := append([]string{}, images...)
	for _, f := range files {
		all = append(all, EncodeAttachment(f))
	}
	b, _ := json.Marshal(all)
	return b
}

// FencedFile is how an attachment is written for the model and in a
// Markdown export: a line naming the file, then its text in a fenced block
// whose fence is longer than any run of backticks in the text, so the text
// cannot close it early.
func FencedFile(a Attachment) string {
	fence := "```"
	for strings.Contains(a.Text, fence) {
		fence += "`"
	}
	text := strings.TrimRight(a.Text, "\n")
	return fmt.Sprintf("File: %s\n%s%s\n%s\n%s", a.Name, fence, a.Lang, text, fence)
}
