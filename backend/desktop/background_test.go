package desktop

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"

	"thinkcloud/backend/config"
	"thinkcloud/backend/update"
)

type fakeLogin struct {
	on  bool
	err error
}

func (f *fakeLogin) Set(on bool) error {
	if f.err != nil {
		return f.err
	}
	f.on = on
	return nil
}

func TestStartAtLoginFollowsTheEntry(t *testing.T) {
	t.Parallel()
	c := testCore(t)
	b := NewBackgroundService(context.Background(), c, func(string, any) {})
	login := &fakeLogin{}
	b.configure(login, nil, "", nil)
	if err := b.SetStartAtLogin(true); err != nil {
		t.Fatal(err)
	}
	if !login.on || !c.Current().Background.StartAtLogin {
		t.Fatalf("entry %v, setting %v; want both on", login.on, c.Current().Background.StartAtLogin)
	}
	login.err = errors.New("read-only autostart folder")
	if err := b.SetStartAtLogin(false); err == nil {
		t.Fatal("a failed entry removal was not reported")
	}
	if !c.Current().Background.StartAtLogin {
		t.Fatal("the setting changed although the entry could not be removed")
	}
}

func TestUpdateCheckNeedsConsent(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, `{"version":"9.0.0","date":"2026-12-01","notes":"Big one.","downloads":{}}`)
	}))
	defer feed.Close()
	c := testCore(t)
	s := c.Current()
	s.Updates.FeedURL = feed.URL
	if err := c.ApplySettings(s); err != nil {
		t.Fatal(err)
	}
	var events atomic.Int32
	b := NewBackgroundService(context.Background(), c, func(name string, _ any) {
		if name == string(Topics.UpdateStatus) {
			events.Add(1)
		}
	})
	b.configure(nil, &update.Checker{Current: "0.1.0", Platform: "linux-amd64", StateFile: filepath.Join(t.TempDir(), "u.json")}, "", nil)

	// Unasked, then off: no call at all.
	b.checkDaily()
	if _, err := b.CheckForUpdate(); err == nil {
		t.Fatal("CheckForUpdate ran while the check was unasked")
	}
	if _, err := b.SetUpdateCheck(false); err != nil {
		t.Fatal(err)
	}
	b.checkDaily()
	if hits.Load() != 0 {
		t.Fatalf("the feed was asked %d times without consent", hits.Load())
	}
	// Turning it on checks once and shows the notice.
	v, err := b.SetUpdateCheck(true)
	if err != nil {
		t.Fatal(err)
	}
	if v.Check != config.UpdateCheckOn || v.Notice == nil || v.Notice.Version != "9.0.0" || hits.Load() != 1 || events.Load() != 1 {
		t.Fatalf("got %+v after %d calls, %d events; want the 9.0.0 notice after one call and one event", v, hits.Load(), events.Load())
	}
	b.checkDaily() // the same day: remembered, not asked again
	if hits.Load() != 1 {
		t.Fatalf("feed asked %d times in one day", hits.Load())
	}
}

// With no feed anywhere the view says so (Feed ""), a daily check with
// consent neither calls out nor emits, and "check now" says why; naming a
// feed in Settings makes it the one checked.
func TestNoFeedConfigured(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, `{"version":"9.0.0","date":"2026-12-01","notes":"Big one.","downloads":{}}`)
	}))
	defer srv.Close()
	c := testCore(t)
	var events atomic.Int32
	b := NewBackgroundService(context.Background(), c, func(name string, _ any) {
		if name == string(Topics.UpdateStatus) {
			events.Add(1)
		}
	})
	b.configure(nil, &update.Checker{Current: "0.1.0", Platform: "linux-amd64", StateFile: filepath.Join(t.TempDir(), "u.json")}, "", nil)
	v, err := b.SetUpdateCheck(true)
	if err != nil {
		t.Fatal(err)
	}
	if v.Check != config.UpdateCheckOn || v.Feed != "" || v.Notice != nil || v.Error != "" || events.Load() != 0 {
		t.Fatalf("got %+v and %d events with no feed; want check on, no feed, nothing else", v, events.Load())
	}
	if _, err := b.CheckForUpdate(); !errors.Is(err, update.ErrNoFeed) {
		t.Fatalf("check now with no feed: %v; want ErrNoFeed", err)
	}
	if _, err := b.SetFeedURL("ftp://example.invalid/feed.json"); err == nil {
		t.Fatal("a non-http feed URL was saved")
	}
	v, err = b.SetFeedURL(" " + srv.URL + " ")
	if err != nil {
		t.Fatal(err)
	}
	if v.Feed != srv.URL || v.FeedURL != srv.URL || c.Current().Updates.FeedURL != srv.URL {
		t.Fatalf("got %+v, setting %q; want the feed %s", v, c.Current().Updates.FeedURL, srv.URL)
	}
	if v, err = b.CheckForUpdate(); err != nil || v.Notice == nil || hits.Load() != 1 {
		t.Fatalf("check now: %+v, %v, %d calls; want the notice from one call", v, err, hits.Load())
	}
}

func TestWindowStateRoundTrip(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "window.json")
	if ws := LoadWindowState(path); ws.Width != DefaultWidth || ws.View != "chat" || ws.Placed {
		t.Fatalf("missing file: got %+v; want defaults", ws)
	}
	b := NewBackgroundService(context.Background(), testCore(t), func(string, any) {})
	b.configure(nil, nil, path, nil)
	if err := b.saveGeometry(1000, 700, 0, 40); err != nil {
		t.Fatal(err)
	}
	if err := b.SetView("settings"); err != nil {
		t.Fatal(err)
	}
	if err := b.SetView("../etc"); err == nil {
		t.Fatal("an unknown view was stored")
	}
	got := LoadWindowState(path)
	if want := (WindowState{Width: 1000, Height: 700, X: 0, Y: 40, Placed: true, View: "settings"}); got != want {
		t.Fatalf("got %+v; want %+v", got, want)
	}
	// A size below the window's minimum (a damaged file) is not applied.
	if err := SaveWindowState(path, WindowState{Width: 10, Height: 10, View: "chat"}); err != nil {
		t.Fatal(err)
	}
	if ws := LoadWindowState(path); ws.Width != DefaultWidth || ws.Height != DefaultHeight {
		t.Fatalf("got %dx%d; want the default size", ws.Width, ws.Height)
	}
}
