package gateway

import (
	"bufio"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// quoteBytes is how much of an unexpected answer an error quotes, and
// quoteWait how long reading it may take.
const (
	quoteBytes = 200
	quoteWait  = 2 * time.Second
)

// checkAnswer refuses a success status whose body is not what the request
// asked for: an event stream for a streaming request, JSON otherwise, and
// never a compressed body (none is asked for; see NewTransport). Relayed,
// a captive portal's HTML, a proxy's plain-text complaint or gzip bytes
// would pass for the provider's answer, and a client would fail parsing
// it, or worse, not notice. The error quotes the first bytes, cut short
// and with keys masked, so the person can see what answered instead; the
// body is then closed. An accepted answer's body may be replaced by one
// that reads the same bytes.
func (r *Router) checkAnswer(call *Call, resp *http.Response, key string) *Error {
	ct := resp.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	var what string
	switch enc := resp.Header.Get("Content-Encoding"); {
	case enc != "" && !strings.EqualFold(enc, "identity"):
		what = "a " + enc + "-compressed body nobody asked for"
	case call.Stream:
		if mt == "text/event-stream" {
			return nil
		}
		what = describe(ct) + " instead of an event stream"
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		return nil
	default:
		// Some servers label JSON text/plain, or not at all; the body
		// tells.
		if startsLikeJSON(resp) {
			return nil
		}
		what = describe(ct) + " instead of JSON"
	}
	provider := call.Model.Provider
	return &Error{Status: 502, Type: "server_error", Code: "upstream_bad_answer", Provider: provider,
		Message: provider + " answered " + fmt.Sprint(resp.StatusCode) + " with " + what + ": " + r.redact(quote(head(resp.Body)), key),
		// Whatever answers this way (a portal, a proxy, a wrong base URL)
		// will answer the same way again.
		Header: http.Header{"X-Should-Retry": {"false"}}}
}

// startsLikeJSON reports whether the body's first byte after whitespace
// opens a JSON object or array. It leaves resp.Body reading from that
// byte on.
func startsLikeJSON(resp *http.Response) bool {
	br := bufio.NewReader(resp.Body)
	resp.Body = struct {
		io.Reader
		io.Closer
	}{br, resp.Body}
	for {
		b, err := br.ReadByte()
		if err != nil {
			return false
		}
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		}
		br.UnreadByte()
		return b == '{' || b == '['
	}
}

// head reads the first bytes of body, waiting at most quoteWait for them,
// and closes it.
func head(body io.ReadCloser) []byte {
	t := time.AfterFunc(quoteWait, func() { body.Close() })
	defer t.Stop()
	b, _ := io.ReadAll(io.LimitReader(body, quoteBytes+1))
	body.Close()
	return b
}

func describe(contentType string) string {
	if contentType == "" {
		return "no Content-Type"
	}
	return contentType
}

// quote shows up to quoteBytes of b as a Go string literal (control
// characters and invalid UTF-8 escaped), with "…" when there was more.
func quote(b []byte) string {
	more := len(b) > quoteBytes
	if more {
		b = b[:quoteBytes]
		// Do not split the last character (binary stays as it is).
		for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
			if utf8.RuneStart(b[i]) {
				if !utf8.FullRune(b[i:]) {
					b = b[:i]
				}
				break
			}
		}
	}
	q := fmt.Sprintf("%q", b)
	if more {
		q += "…"
	}
	return q
}
