package core_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestModelListErrorNeverEchoesTheKey: `keys test` and the settings
// screen show the provider's words from a failed model list; a key quoted
// in them is masked.
func TestModelListErrorNeverEchoesTheKey(t *testing.T) {
	t.Parallel()
	const key = "sk-deepseek-0123456789abcdef"
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(401)
		io.WriteString(w, `{"error":{"message":"Authentication Fails, your api key: `+key+` is invalid"}}`)
	}))
	defer up.Close()
	c := newCore(t, map[string]string{"DEEPSEEK_API_KEY": key, "DEEPSEEK_BASE_URL": up.URL + "/v1"}, "")
	_, err := c.FetchModels(context.Background(), "deepseek")
	if err == nil || !strings.Contains(err.Error(), "Authentication Fails") {
		t.Fatalf("got %v; want the provider's words", err)
	}
	if strings.Contains(err.Error(), "0123456789") {
		t.Errorf("the key is in the error: %v", err)
	}
}
