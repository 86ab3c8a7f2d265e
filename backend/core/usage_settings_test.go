package core_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"thinkcloud/backend/config"
	"thinkcloud/backend/internal/testrig"
	"thinkcloud/backend/usage"
)

// TestApplyUsageSettings: Settings → Usage takes effect on the running
// app without a restart: logging off records nothing on either door
// (the window's chat, the endpoint) while the dashboard still reads the
// rows kept; /metrics answers only while on; a shorter retention prunes
// the rows already kept; values out of range are refused and not saved.
func TestApplyUsageSettings(t *testing.T) {
	t.Parallel()
	rig := testrig.New(t, testrig.Options{Fakes: []string{"deepseek"}, Usage: true})
	c := rig.Core
	ctx := context.Background()
	h, err := c.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	chat := func() {
		t.Helper()
		resp, err := http.Post(srv.URL+"/v1/chat/completions", "application/json", strings.NewReader(`{"model":"deepseek-flash","messages":[{"role":"user","content":"hi"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("chat: %d", resp.StatusCode)
		}
	}
	metrics := func() int {
		resp, err := http.Get(srv.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	rows := func() int {
		t.Helper()
		if err := c.UsageLog().Flush(ctx); err != nil {
			t.Fatal(err)
		}
		var n int
		for p, before := (usage.Page{}), int64(0); ; before = p.Next {
			if p, err = c.UsageLog().Requests(ctx, usage.Filter{}, before, 1000); err != nil {
				t.Fatal(err)
			}
			if n += len(p.Rows); p.Next == 0 {
				return n
			}
		}
	}
	apply := func(edit func(*config.Usage)) error {
		s := c.Current()
		edit(&s.Usage)
		return c.ApplySettings(s)
	}
	window := usage.Record{At: time.Now(), Model: "deepseek-flash", Status: 200}

	chat()
	c.RecordWindow(window)
	if n := rows(); n != 2 || metrics() != 404 {
		t.Fatalf("defaults: %d rows, /metrics %d; want 2 rows and /metrics off", n, metrics())
	}
	if err := apply(func(u *config.Usage) { u.Disabled, u.Metrics = true, true }); err != nil {
		t.Fatal(err)
	}
	chat()
	c.RecordWindow(window)
	if n, st := rows(), c.UsageStatus(); n != 2 || !st.Off || metrics() != 200 {
		t.Errorf("logging off, metrics on: %d rows (want 2, nothing new), status %+v, /metrics %d", n, st, metrics())
	}
	if err := apply(func(u *config.Usage) { u.Disabled, u.Metrics = false, false }); err != nil {
		t.Fatal(err)
	}
	chat()
	if n := rows(); n != 3 || c.UsageStatus().Off || metrics() != 404 {
		t.Errorf("logging on again: %d rows (want 3), /metrics %d", n, metrics())
	}

	old := window
	old.At = time.Now().Add(-10 * 24 * time.Hour)
	c.RecordWindow(old)
	if n := rows(); n != 4 {
		t.Fatalf("%d rows; want 4 with the old one", n)
	}
	if err := apply(func(u *config.Usage) { u.RetentionDays = 7 }); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); rows() != 3; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the 10-day-old row outlived a 7-day retention: %d rows", rows())
		}
	}

	for _, bad := range []config.Usage{{RetentionDays: -1}, {RetentionDays: config.MaxRetentionDays + 1}, {MaxMB: 1}, {MaxMB: config.MaxLogMaxMB + 1}} {
		if err := apply(func(u *config.Usage) { *u = bad }); err == nil {
			t.Errorf("%+v was accepted", bad)
		}
	}
	if got := c.Current().Usage; got.RetentionDays != 7 || got.Disabled {
		t.Errorf("after refusals the settings are %+v; want retention 7 kept", got)
	}
}
