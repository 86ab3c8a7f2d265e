package config

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestBackgroundDefaults(t *testing.T) {
	t.Parallel()
	// A file from before these settings existed keeps the endpoint
	// running on close, starts nothing at login and asks about updates.
	var s Settings
	if err := json.Unmarshal([]byte(`{"version":1,"theme":"dark"}`), &s); err != nil {
		t.Fatal(err)
	}
	if !s.Background.KeepRunning || s.Background.StartAtLogin || s.Updates.Check != UpdateCheckUnasked {
		t.Errorf("got %+v %+v; want keepRunning on, startAtLogin off, update check unasked", s.Background, s.Updates)
	}
	// An explicit false survives.
	if err := json.Unmarshal([]byte(`{"version":1,"background":{"keepRunning":false}}`), &s); err != nil {
		t.Fatal(err)
	}
	if s.Background.KeepRunning {
		t.Error("keepRunning false in the file was read as true")
	}
}

func TestValidateUpdates(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		u    Updates
		want string // substring of the error; "" = valid
	}{
		{Updates{}, ""},
		{Updates{Check: UpdateCheckOn, FeedURL: "http://127.0.0.1:9/feed.json"}, ""},
		{Updates{Check: "daily"}, "updates.check"},
		{Updates{Check: UpdateCheckOn, FeedURL: "ftp://example.invalid/x"}, "updates.feedURL"},
	} {
		s := Defaults()
		s.Updates = tc.u
		err := s.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: got %v; want valid", tc.u, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%+v: got %v; want an error about %s", tc.u, err, tc.want)
		}
	}
}
