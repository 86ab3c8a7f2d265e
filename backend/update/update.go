// Package update checks a release feed for a newer ThinkCloud. It only
// reads a small JSON manifest and reports what it says: it never downloads
// or replaces anything (the window links to the download, and a package
// manager's install is pointed at its package instead). Whether to check
// at all is the caller's decision; nothing here runs on its own.
package update

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultFeedURL is the release feed used when settings name none. It is
// empty: the project publishes no feed yet, so a build checks nothing
// until the user names a feed in Settings (or a release build sets one
// with -ldflags "-X thinkcloud/backend/update.DefaultFeedURL=…"). No feed
// is a state of its own (ErrNoFeed), never a request to a placeholder.
var DefaultFeedURL = ""

// ErrNoFeed is returned, without any network call, when no release feed
// is configured.
var ErrNoFeed = errors.New("no release feed is configured; enter the URL of a release manifest in Settings to check for new versions")

// maxManifest bounds the manifest body; a real one is a few KB.
const maxManifest = 1 << 20

// Manifest is the release feed's document.
type Manifest struct {
	// Version is the newest release, as MAJOR.MINOR.PATCH with an
	// optional -PRERELEASE and an optional leading v.
	Version string `json:"version"`
	// Date is the release date, YYYY-MM-DD or RFC 3339.
	Date string `json:"date"`
	// Notes are the release notes, plain text.
	Notes string `json:"notes"`
	// Page is the release's web page; package-managed installs are
	// pointed here rather than at a download. Optional.
	Page string `json:"page,omitempty"`
	// Downloads are keyed by platform, GOOS-GOARCH ("linux-amd64",
	// "windows-amd64").
	Downloads map[string]Asset `json:"downloads"`
}

// Asset is one platform's download.
type Asset struct {
	// URL is where the file is, http or https.
	URL string `json:"url"`
	// SHA256 is the file's SHA-256, 64 hex digits.
	SHA256 string `json:"sha256"`
}

// Notice is what the window shows about a newer version.
type Notice struct {
	Version string `json:"version"`
	Date    string `json:"date"`
	Notes   string `json:"notes"`
	// URL is the download for this platform, or the release page for a
	// package-managed install; "" when the feed has neither.
	URL string `json:"url"`
	// SHA256 is the download's checksum ("" for a page).
	SHA256 string `json:"sha256"`
	// Managed names the package manager that owns this install ("deb",
	// "rpm"); the window then says to update through it.
	Managed string `json:"managed"`
}

// Parse reads and validates a manifest. Every problem is one sentence
// naming the field.
func Parse(b []byte) (Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return Manifest{}, fmt.Errorf("release feed is not a JSON manifest: %w", err)
	}
	if _, err := parseVersion(m.Version); err != nil {
		return Manifest{}, fmt.Errorf("release feed: version: %w", err)
	}
	if m.Date != "" {
		if _, err := time.Parse("2006-01-02", m.Date); err != nil {
			if _, err := time.Parse(time.RFC3339, m.Date); err != nil {
				return Manifest{}, fmt.Errorf("release feed: date %q is neither YYYY-MM-DD nor RFC 3339", m.Date)
			}
		}
	}
	if m.Page != "" && !isHTTPURL(m.Page) {
		return Manifest{}, fmt.Errorf("release feed: page %q is not an http(s) URL", m.Page)
	}
	for p, a := range m.Downloads {
		if !isHTTPURL(a.URL) {
			return Manifest{}, fmt.Errorf("release feed: downloads.%s.url %q is not an http(s) URL", p, a.URL)
		}
		if h, err := hex.DecodeString(a.SHA256); err != nil || len(h) != 32 {
			return Manifest{}, fmt.Errorf("release feed: downloads.%s.sha256 is not 64 hex digits", p)
		}
	}
	return m, nil
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// Fetch reads the manifest at feed. ctx bounds the whole call: a slow
// feed fails with the context's error rather than hanging the caller.
func Fetch(ctx context.Context, client *http.Client, feed string) (Manifest, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, feed, nil)
	if err != nil {
		return Manifest{}, fmt.Errorf("release feed: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return Manifest{}, fmt.Errorf("release feed unreachable: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Manifest{}, fmt.Errorf("release feed answered %s", resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxManifest+1))
	if err != nil {
		return Manifest{}, fmt.Errorf("read release feed: %w", err)
	}
	if len(b) > maxManifest {
		return Manifest{}, errors.New("release feed is larger than 1 MB, so it is not a manifest")
	}
	return Parse(b)
}

// NoticeFor compares m with the running version and returns a notice when
// m is newer (nil when it is the same or older). platform is GOOS-GOARCH;
// managed is "" or the package manager owning this install.
func NoticeFor(m Manifest, current, platform, managed string) (*Notice, error) {
	cur, err := parseVersion(current)
	if err != nil {
		return nil, fmt.Errorf("running version: %w", err)
	}
	latest, _ := parseVersion(m.Version) // Parse checked it
	if compare(latest, cur) <= 0 {
		return nil, nil
	}
	n := &Notice{Version: strings.TrimPrefix(m.Version, "v"), Date: m.Date, Notes: m.Notes, Managed: managed}
	if managed != "" {
		n.URL = m.Page
	} else if a, ok := m.Downloads[platform]; ok {
		n.URL, n.SHA256 = a.URL, strings.ToLower(a.SHA256)
	} else {
		n.URL = m.Page
	}
	return n, nil
}
