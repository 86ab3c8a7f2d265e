package desktop

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// fakeXclip answers as xclip does: TARGETS lists the offered types, -t TYPE
// prints that type's bytes, and an empty clipboard is an error exit.
func fakeXclip(offers map[string][]byte) clipboardTools {
	return clipboardTools{
		lookPath: func(name string) (string, error) {
			if name == "xclip" {
				return "/usr/bin/xclip", nil
			}
			return "", errors.New("not found")
		},
		getenv: func(k string) string {
			if k == "DISPLAY" {
				return ":99"
			}
			return ""
		},
		run: func(_ context.Context, name string, args ...string) ([]byte, error) {
			if len(offers) == 0 {
				return nil, errors.New("xclip: exit status 1: Error: target TARGETS not available")
			}
			want := args[len(args)-1]
			if want == "-o" { // TARGETS
				var b strings.Builder
				for typ := range offers {
					b.WriteString(typ + "\n")
				}
				b.WriteString("TARGETS\nTIMESTAMP\n")
				return []byte(b.String()), nil
			}
			return offers[want], nil
		},
	}
}

func TestClipboardImage(t *testing.T) {
	t.Parallel()
	png := []byte("\x89PNG\r\n\x1a\nfake")
	jpg := []byte("\xff\xd8\xff fake")
	for _, tc := range []struct {
		name   string
		offers map[string][]byte
		want   string
	}{
		{"png", map[string][]byte{"image/png": png, "text/plain": []byte("x")}, "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)},
		{"png preferred", map[string][]byte{"image/jpeg": jpg, "image/png": png}, "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)},
		{"jpeg", map[string][]byte{"image/jpeg": jpg}, "data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(jpg)},
		{"text only", map[string][]byte{"UTF8_STRING": []byte("hi")}, ""},
		{"empty clipboard", nil, ""},
	} {
		got, err := fakeXclip(tc.offers).image(context.Background())
		if err != nil || got != tc.want {
			t.Errorf("%s: got %.60q, %v; want %.60q", tc.name, got, err, tc.want)
		}
	}
}

func TestClipboardImageTooLarge(t *testing.T) {
	t.Parallel()
	tools := fakeXclip(map[string][]byte{"image/png": make([]byte, maxClipboardImage+1)})
	if _, err := tools.image(context.Background()); err == nil || !strings.Contains(err.Error(), "larger than 20 MB") {
		t.Errorf("got %v; want a size error", err)
	}
}

func TestClipboardNoTool(t *testing.T) {
	t.Parallel()
	tools := clipboardTools{
		lookPath: func(string) (string, error) { return "", errors.New("not found") },
		getenv:   func(string) string { return ":0" },
	}
	if _, err := tools.image(context.Background()); !errors.Is(err, ErrNoClipboardTool) {
		t.Errorf("got %v; want ErrNoClipboardTool", err)
	}
}
