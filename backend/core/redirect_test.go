package core_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestModelListRefusesRedirects: the live model list (and `keys test`,
// which calls it) refuses a provider's redirect like chat calls do,
// sending the key nowhere else.
func TestModelListRefusesRedirects(t *testing.T) {
	t.Parallel()
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.Write([]byte(`{"data":[{"id":"deepseek-flash"}]}`))
	}))
	defer other.Close()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
	}))
	defer up.Close()
	const key = "sk-deepseek-secret-0123456789"
	c := newCore(t, map[string]string{"DEEPSEEK_API_KEY": key, "DEEPSEEK_BASE_URL": up.URL + "/v1"}, "")
	_, err := c.FetchModels(context.Background(), "deepseek")
	if err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(other.URL, "http://")) || !strings.Contains(err.Error(), "redirect") {
		t.Fatalf("got %v; want a refused redirect naming the Location host", err)
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("the key is in the error: %v", err)
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the redirect target got %d requests; want 0", n)
	}
}
