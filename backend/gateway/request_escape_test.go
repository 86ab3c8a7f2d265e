package gateway

import "testing"

// TestReplaceModelEscapedKey: a key written with escapes ("mod\u0065l")
// is the model field to providers' parsers, so it is the one rewritten.
func TestReplaceModelEscapedKey(t *testing.T) {
	t.Parallel()
	got, err := ReplaceModel([]byte(`{"mod\u0065l":"qwen-3.8-27b","n":1}`), "qwen-3.8-27b")
	if want := `{"mod\u0065l":"qwen-3.8-27b","n":1}`; err != nil || string(got) != want {
		t.Fatalf("got %s, %v; want %s", got, err, want)
	}
}
