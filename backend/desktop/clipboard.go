package desktop

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// Reading an image from the clipboard for the composer. WebKitGTK gives a
// paste event no file for an image copied in most apps, so the window asks
// Go. On Linux Go runs the clipboard tools people have: wl-paste
// (wl-clipboard) under Wayland, xclip under X11. GTK's own clipboard was
// not used: it must be called on GTK's main thread, which Wails v2 owns,
// and a cgo call there from a bound method risks deadlocking the window.
// Without either tool the error says which to install.

// maxClipboardImage is the largest image taken from the clipboard, the
// same bound the composer puts on a picked file.
const maxClipboardImage = 20 << 20

// clipboardTypes are the image types taken, best first.
var clipboardTypes = []string{"image/png", "image/jpeg", "image/webp", "image/gif"}

// ErrNoClipboardTool is returned when no clipboard tool is installed.
var ErrNoClipboardTool error = newProblem(ProblemNoClipboardTool, errors.New("reading an image from the clipboard needs wl-clipboard (Wayland) or xclip (X11); install one of them"))

// clipboardTools runs the clipboard programs; tests replace its parts.
type clipboardTools struct {
	lookPath func(string) (string, error)
	run      func(ctx context.Context, name string, args ...string) ([]byte, error)
	getenv   func(string) string
}

var systemClipboard = clipboardTools{
	lookPath: exec.LookPath,
	run: func(ctx context.Context, name string, args ...string) ([]byte, error) {
		var out, errb bytes.Buffer
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Stdout, cmd.Stderr = &limitedWriter{w: &out, n: maxClipboardImage + 1}, &errb
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(errb.String()))
		}
		return out.Bytes(), nil
	},
	getenv: os.Getenv,
}

// limitedWriter keeps the first n bytes and drops the rest, so a huge
// clipboard cannot fill memory; the caller sees n bytes and refuses.
type limitedWriter struct {
	w *bytes.Buffer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if room := l.n - l.w.Len(); room > 0 {
		l.w.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// ClipboardImage returns the image on the clipboard as a data URL, or ""
// when the clipboard holds no image.
func (s *ChatService) ClipboardImage() (string, error) {
	ctx, cancel := context.WithTimeout(s.base, 5*time.Second)
	defer cancel()
	return systemClipboard.image(ctx)
}

func (t clipboardTools) image(ctx context.Context) (string, error) {
	list, get, err := t.commands()
	if err != nil {
		return "", err
	}
	out, err := t.run(ctx, list[0], list[1:]...)
	if err != nil {
		// xclip fails when the clipboard is empty or has no owner: no image.
		return "", nil
	}
	offered := map[string]bool{}
	for _, l := range strings.Split(string(out), "\n") {
		offered[strings.TrimSpace(l)] = true
	}
	for _, typ := range clipboardTypes {
		if !offered[typ] {
			continue
		}
		data, err := t.run(ctx, get[0], append(get[1:], typ)...)
		if err != nil {
			return "", fmt.Errorf("read the clipboard: %w", err)
		}
		if len(data) > maxClipboardImage {
			return "", newProblem(ProblemClipboardTooLarge, fmt.Errorf("the image on the clipboard is larger than %d MB", maxClipboardImage>>20), "mb", mb(maxClipboardImage))
		}
		if len(data) == 0 {
			return "", nil
		}
		return "data:" + typ + ";base64," + base64.StdEncoding.EncodeToString(data), nil
	}
	return "", nil
}

// commands picks the tool: wl-paste under Wayland, else xclip.
func (t clipboardTools) commands() (list, get []string, err error) {
	if t.getenv("WAYLAND_DISPLAY") != "" {
		if p, err := t.lookPath("wl-paste"); err == nil {
			return []string{p, "--list-types"}, []string{p, "--no-newline", "--type"}, nil
		}
	}
	if t.getenv("DISPLAY") != "" {
		if p, err := t.lookPath("xclip"); err == nil {
			return []string{p, "-selection", "clipboard", "-t", "TARGETS", "-o"}, []string{p, "-selection", "clipboard", "-o", "-t"}, nil
		}
	}
	return nil, nil, ErrNoClipboardTool
}
