//go:build clipboardx11

package desktop

import (
	"context"
	"encoding/base64"
	"os"
	"testing"
)

// TestClipboardImageXclip reads a PNG that tests/window/clipboard.sh put on
// a real X clipboard (Xvfb) with xclip, through the system tools.
func TestClipboardImageXclip(t *testing.T) {
	want, err := os.ReadFile(os.Getenv("CLIPBOARD_PNG"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := systemClipboard.image(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got != "data:image/png;base64,"+base64.StdEncoding.EncodeToString(want) {
		t.Errorf("got %.80q; want the PNG that was copied (%d bytes)", got, len(want))
	}
}
