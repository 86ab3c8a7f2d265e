package config

import (
	"slices"
)

// Update check choices accepted in Updates.Check.
const (
	// UpdateCheckUnasked means the user has not answered the first-run
	// question yet; it behaves as UpdateCheckOff (no network call).
	UpdateCheckUnasked = ""
	// UpdateCheckOn checks the release feed at most once a day.
	UpdateCheckOn = "on"
	// UpdateCheckOff never contacts the release feed.
	UpdateCheckOff = "off"
)

// Background says how the app lives beside its window.
type Background struct {
	// KeepRunning keeps the endpoint serving when the window is closed:
	// closing hides the window and only Quit ends the app. Default true.
	KeepRunning bool `json:"keepRunning"`
	// StartAtLogin starts the app hidden when the user logs in (an XDG
	// autostart entry, the Run key on Windows). Default false.
	StartAtLogin bool `json:"startAtLogin"`
}

// Updates configures the check for a new version.
type Updates struct {
	// Check is UpdateCheckUnasked (the zero value: the window asks),
	// UpdateCheckOn or UpdateCheckOff.
	Check string `json:"check,omitempty"`
	// FeedURL replaces the built-in release feed when non-empty (an http
	// or https URL of a JSON manifest).
	FeedURL string `json:"feedURL,omitempty"`
}

func defaultBackground() Background { return Background{KeepRunning: true} }

func validateBackground(s Settings, add addFunc) {
	if !slices.Contains([]string{UpdateCheckUnasked, UpdateCheckOn, UpdateCheckOff}, s.Updates.Check) {
		add("updates.check", "empty_or_one_of", "a", UpdateCheckOn, "b", UpdateCheckOff)
	}
	if s.Updates.FeedURL != "" && !isHTTPURL(s.Updates.FeedURL) {
		add("updates.feedURL", "feed_url")
	}
}
