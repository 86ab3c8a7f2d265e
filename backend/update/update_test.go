package update

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const sum = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func manifest(v string) string {
	return fmt.Sprintf(`{"version":%q,"date":"2026-12-01","notes":"Faster start.","page":"https://example.invalid/releases/%s",
"downloads":{"linux-amd64":{"url":"https://example.invalid/thinkcloud-%s.tar.gz","sha256":%q}}}`, v, v, v, sum)
}

// feed serves body and counts requests.
func feed(t *testing.T, status int, body string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestCheckAgainstFeed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, current, body string
		status              int
		wantVersion         string // "" = no notice
		wantErr             string
	}{
		{"newer", "0.1.0", manifest("0.2.0"), 200, "0.2.0", ""},
		{"newer than a dev build of the same", "0.2.0-dev", manifest("v0.2.0"), 200, "0.2.0", ""},
		{"same", "0.2.0", manifest("0.2.0"), 200, "", ""},
		{"older", "0.3.1", manifest("0.2.0"), 200, "", ""},
		{"malformed JSON", "0.1.0", `{"version":`, 200, "", "not a JSON manifest"},
		{"bad version", "0.1.0", manifest("two"), 200, "", "version"},
		{"bad checksum", "0.1.0", strings.Replace(manifest("0.2.0"), sum, "abc", 1), 200, "", "sha256"},
		{"not found", "0.1.0", "gone", 404, "", "404"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := feed(t, tc.status, tc.body)
			c := &Checker{Current: tc.current, Platform: "linux-amd64", StateFile: filepath.Join(t.TempDir(), "update.json")}
			st, err := c.CheckNow(context.Background(), srv.URL)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got error %v; want one mentioning %q", err, tc.wantErr)
				}
				if st.Notice != nil || st.Error == "" {
					t.Errorf("got state %+v; want no notice and the error remembered", st)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if st.Notice != nil {
				got = st.Notice.Version
			}
			if got != tc.wantVersion {
				t.Fatalf("got notice %q; want %q", got, tc.wantVersion)
			}
			if st.Notice != nil && (!strings.HasPrefix(st.Notice.URL, "https://example.invalid/thinkcloud-") || st.Notice.SHA256 != sum || st.Notice.Notes != "Faster start.") {
				t.Errorf("got %+v; want this platform's download, its checksum and the notes", st.Notice)
			}
		})
	}
}

func TestUnreachableFeed(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	c := &Checker{Current: "0.1.0", Platform: "linux-amd64"}
	st, err := c.CheckNow(context.Background(), "http://"+addr+"/feed.json")
	if err == nil || !strings.Contains(err.Error(), "unreachable") || st.Notice != nil {
		t.Fatalf("got %+v, %v; want an unreachable error and no notice", st, err)
	}
}

func TestSlowFeedHitsTheDeadline(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // answers only after the test is over
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	c := &Checker{Current: "0.1.0", Platform: "linux-amd64", Timeout: 50 * time.Millisecond}
	_, err := c.CheckNow(context.Background(), srv.URL)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v; want the check's deadline to end it", err)
	}
}

func TestDailyChecksAtMostOnceADay(t *testing.T) {
	t.Parallel()
	srv, hits := feed(t, 200, manifest("0.2.0"))
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	state := filepath.Join(t.TempDir(), "update.json")
	mk := func() *Checker {
		return &Checker{Current: "0.1.0", Platform: "linux-amd64", StateFile: state, Now: func() time.Time { return now }}
	}
	c := mk()
	if _, err := c.Daily(context.Background(), true, srv.URL); err != nil {
		t.Fatal(err)
	}
	now = now.Add(23 * time.Hour)
	// A new process (a restart) reads the state file: no second request,
	// and the notice is still there.
	st, err := mk().Daily(context.Background(), true, srv.URL)
	if err != nil || st.Notice == nil || st.Notice.Version != "0.2.0" {
		t.Fatalf("got %+v, %v; want the remembered notice", st, err)
	}
	if got := hits.Load(); got != 1 {
		t.Fatalf("feed asked %d times within a day; want 1", got)
	}
	now = now.Add(2 * time.Hour)
	if _, err := mk().Daily(context.Background(), true, srv.URL); err != nil {
		t.Fatal(err)
	}
	if got := hits.Load(); got != 2 {
		t.Fatalf("feed asked %d times after a day; want 2", got)
	}
}

func TestOffMakesNoNetworkCall(t *testing.T) {
	t.Parallel()
	srv, hits := feed(t, 200, manifest("0.2.0"))
	c := &Checker{Current: "0.1.0", Platform: "linux-amd64"}
	if _, err := c.Daily(context.Background(), false, srv.URL); !errors.Is(err, ErrOff) {
		t.Fatalf("got %v; want ErrOff", err)
	}
	if hits.Load() != 0 {
		t.Fatal("the feed was asked while checks are off")
	}
}

// No feed configured is a state of its own: no request (there is no URL
// to send one to), nothing remembered, so naming a feed later checks at
// once rather than a day later.
func TestNoFeedIsNotACheck(t *testing.T) {
	t.Parallel()
	if DefaultFeedURL != "" {
		t.Fatalf("DefaultFeedURL is %q; the project publishes no feed yet", DefaultFeedURL)
	}
	c := &Checker{Current: "0.1.0", Platform: "linux-amd64", StateFile: filepath.Join(t.TempDir(), "u.json")}
	if _, err := c.Daily(context.Background(), true, ""); !errors.Is(err, ErrNoFeed) {
		t.Fatalf("Daily: got %v; want ErrNoFeed", err)
	}
	if _, err := c.CheckNow(context.Background(), ""); !errors.Is(err, ErrNoFeed) {
		t.Fatalf("CheckNow: got %v; want ErrNoFeed", err)
	}
	if st := c.Last(); !st.Checked.IsZero() || st.Error != "" {
		t.Fatalf("remembered %+v for no feed; want nothing", st)
	}
	srv, hits := feed(t, 200, manifest("0.2.0"))
	st, err := c.Daily(context.Background(), true, srv.URL)
	if err != nil || st.Notice == nil || hits.Load() != 1 {
		t.Fatalf("first check with a feed: %+v, %v, %d calls; want the 0.2.0 notice from one call", st, err, hits.Load())
	}
}

func TestNoticeDroppedOnceUpdated(t *testing.T) {
	t.Parallel()
	srv, _ := feed(t, 200, manifest("0.2.0"))
	state := filepath.Join(t.TempDir(), "update.json")
	if _, err := (&Checker{Current: "0.1.0", Platform: "linux-amd64", StateFile: state}).CheckNow(context.Background(), srv.URL); err != nil {
		t.Fatal(err)
	}
	if n := (&Checker{Current: "0.2.0", StateFile: state}).Last().Notice; n != nil {
		t.Fatalf("got notice %+v after updating to 0.2.0; want none", n)
	}
}

func TestManagedInstallPointsAtThePackage(t *testing.T) {
	t.Parallel()
	srv, _ := feed(t, 200, manifest("0.2.0"))
	c := &Checker{Current: "0.1.0", Platform: "linux-amd64", Managed: "deb"}
	st, err := c.CheckNow(context.Background(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if st.Notice == nil || st.Notice.URL != "https://example.invalid/releases/0.2.0" || st.Notice.SHA256 != "" || st.Notice.Managed != "deb" {
		t.Fatalf("got %+v; want the release page, no download", st.Notice)
	}
}

func TestDetectManaged(t *testing.T) {
	t.Parallel()
	owner := func(pm string) Owner {
		return func(name string, args ...string) error {
			if name == pm {
				return nil
			}
			return errors.New("not owned")
		}
	}
	for _, tc := range []struct {
		exe, pm, want string
	}{
		{"/usr/bin/thinkcloud", "dpkg", "deb"},
		{"/usr/bin/thinkcloud", "rpm", "rpm"},
		{"/usr/bin/thinkcloud", "none", ""},
		{"/home/u/bin/thinkcloud", "dpkg", ""}, // never asked outside /usr
	} {
		if got := DetectManaged(tc.exe, owner(tc.pm)); got != tc.want {
			t.Errorf("DetectManaged(%s) with %s owning: got %q; want %q", tc.exe, tc.pm, got, tc.want)
		}
	}
}

func TestCompareVersions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"1.2.3", "1.2.3", 0}, {"1.2.3", "1.10.0", -1}, {"v2.0.0", "1.99.99", 1},
		{"1.0.0-rc.1", "1.0.0", -1}, {"1.0.0-rc.2", "1.0.0-rc.10", -1}, {"1.0.0+build5", "1.0.0", 0},
	} {
		a, _ := parseVersion(tc.a)
		b, _ := parseVersion(tc.b)
		if got := compare(a, b); got != tc.want {
			t.Errorf("compare(%s, %s) = %d; want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(manifest("1.2.3")))
	f.Add([]byte(`{"version":"1.0.0-rc.1+x"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Parse(b)
		if err == nil {
			if _, err := NoticeFor(m, "0.0.1", "linux-amd64", ""); err != nil {
				t.Fatalf("a manifest Parse accepted failed to compare: %v", err)
			}
		}
	})
}
