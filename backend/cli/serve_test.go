package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRunningInstance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body string
		want       bool
	}{
		{"thinkcloud", `{"status":"healthy","providers":{"openai":false},"models_count":0}`, true},
		{"another program", `{"status":"ok"}`, false},
		{"not JSON", `<html>`, false},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/health" {
				http.NotFound(w, r)
				return
			}
			w.Write([]byte(tc.body))
		}))
		addr := strings.TrimPrefix(srv.URL, "http://")
		got := RunningInstance(context.Background(), srv.Client(), addr)
		srv.Close()
		if (got != "") != tc.want || (tc.want && !strings.Contains(got, "http://"+addr+"/v1")) {
			t.Errorf("%s: got %q; want a message naming the instance: %v", tc.name, got, tc.want)
		}
	}
}
