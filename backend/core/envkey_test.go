package core_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestKeyWithControlCharacterNamesTheVariable: a key variable holding a
// control character is refused with a message naming it, not sent to end
// in a generic 502 on every call.
func TestKeyWithControlCharacterNamesTheVariable(t *testing.T) {
	t.Parallel()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the provider was called with the unusable key")
	}))
	defer up.Close()
	c := newCore(t, map[string]string{"DEEPSEEK_API_KEY": "sk-abc\x1b[0mdef0123456789", "DEEPSEEK_BASE_URL": up.URL + "/v1"}, "")
	h, err := c.Handler()
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	resp, err := http.Post(ts.URL+"/v1/chat/completions", "application/json",
		strings.NewReader(`{"model":"deepseek-flash","messages":[{"role":"user","content":"hi"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 401 || !strings.Contains(string(body), "DEEPSEEK_API_KEY") || !strings.Contains(string(body), "control character") {
		t.Fatalf("got %d %s; want 401 naming DEEPSEEK_API_KEY and the control character", resp.StatusCode, body)
	}
	if _, info := c.Key("deepseek"); info.HasKey || !strings.Contains(info.Error, "DEEPSEEK_API_KEY") {
		t.Errorf("key info %+v; want no key and an error naming the variable (keys list, settings)", info)
	}
}
