package catalog

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ErrRetired is what a *RetiredError matches with errors.Is.
var ErrRetired = errors.New("model retired")

// RetiredError is Resolve's answer for a model its provider has shut
// down. Every door turns it into a 404 with code "model_retired".
type RetiredError struct {
	// Name is the name the caller asked for.
	Name string
	// Model is the retired entry, Successors and Shutdown included.
	Model Model
	// ProviderName is the provider's display name ("OpenAI").
	ProviderName string
}

// Error reads "gpt-4-turbo was shut down by OpenAI on 2026-10-23; use
// gpt-6.1-sol or gpt-6.2-sol".
func (e *RetiredError) Error() string {
	var b strings.Builder
	if e.Model.Shutdown != "" {
		fmt.Fprintf(&b, "%s was shut down by %s on %s", e.Name, e.ProviderName, e.Model.Shutdown)
	} else {
		fmt.Fprintf(&b, "%s is no longer served by %s", e.Name, e.ProviderName)
	}
	if s := e.Model.Successors; len(s) > 0 {
		b.WriteString("; use ")
		if len(s) == 1 {
			b.WriteString(s[0])
		} else {
			b.WriteString(strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1])
		}
	}
	return b.String()
}

// Is makes errors.Is(err, ErrRetired) true.
func (e *RetiredError) Is(target error) bool { return target == ErrRetired }

// Statuses of a model, as listings show them.
const (
	StatusLive        = "live"
	StatusDeprecated  = "deprecated"
	StatusUnavailable = "unavailable"
	StatusRetired     = "retired"
)

// Status is StatusRetired, StatusUnavailable (the live list lacks it),
// StatusDeprecated (a shutdown date is announced) or StatusLive. Retired
// must already be stamped, as Models and Resolve do.
func (m Model) Status() string {
	switch {
	case m.Retired:
		return StatusRetired
	case m.Unavailable:
		return StatusUnavailable
	case m.Shutdown != "":
		return StatusDeprecated
	}
	return StatusLive
}

// Published is what a provider's GET /models said about one model. Each
// field is set only when the list carried it, so a merge can tell "the
// provider says no" from "the provider did not say".
type Published struct {
	// ContextWindow is context_length or context_window; 0 when absent.
	ContextWindow int `json:"contextWindow,omitempty"`
	// Vision, Video and Reasoning are Kimi's supports_image_in,
	// supports_video_in and supports_reasoning; nil when absent.
	Vision    *bool `json:"vision,omitempty"`
	Video     *bool `json:"video,omitempty"`
	Reasoning *bool `json:"reasoning,omitempty"`
	// Shutdown is OpenAI's shutdown_date (YYYY-MM-DD); "" when absent or
	// null, which OpenAI uses for "none scheduled".
	Shutdown string `json:"shutdown,omitempty"`
	// Created is the list's "created" date (YYYY-MM-DD); "" when absent.
	// It is when the id appeared, not always the release date.
	Created string `json:"created,omitempty"`
}

// retiredOn reports whether m is retired on date today (YYYY-MM-DD): the
// built-in data retired it without a date, or its shutdown date has come.
// A model the live list still has is retired only by a date the list
// itself states: it exists, so the built-in data is out of date.
func (m Model) retiredOn(today string) bool {
	if m.listed {
		return m.Live != nil && m.Live.Shutdown != "" && m.Live.Shutdown <= today
	}
	return m.Retired || (m.Shutdown != "" && m.Shutdown <= today)
}

// overLive applies what a live list published (l) over the catalog's
// entry m, by SetLive's rule: every stated field wins.
func overLive(m, l Model) Model {
	m.listed = true
	m.Retired = false
	p := l.Live
	m.Live = p
	if p == nil {
		return m
	}
	if p.ContextWindow > 0 {
		m.ContextWindow = p.ContextWindow
	}
	if p.Vision != nil {
		m.Vision = *p.Vision
		m.Input = setInput(m.Input, "image", *p.Vision)
	}
	if p.Video != nil {
		m.Input = setInput(m.Input, "video", *p.Video)
	}
	if p.Reasoning != nil && *p.Reasoning != m.Reasoning {
		// The list contradicts the catalog: its word stands, and the
		// catalog's controls are no longer known to fit.
		m.Reasoning, m.ThinkingToggle = *p.Reasoning, false
		m.Think = nil
		if !*p.Reasoning {
			m.Think = &Thinking{Mode: ReasoningNone}
		}
	}
	if p.Shutdown != "" {
		m.Shutdown = p.Shutdown
	}
	return m
}

// setInput adds or removes kind from a model's input list; "text" is
// implied once the list is non-empty.
func setInput(in []string, kind string, on bool) []string {
	out := slices.DeleteFunc(slices.Clone(in), func(s string) bool { return s == kind })
	if on {
		if len(out) == 0 {
			out = append(out, "text")
		}
		out = append(out, kind)
	}
	return out
}

// derive fills the flags older code reads (Vision, Reasoning,
// ThinkingToggle) from Input and Think, so builtin.json states each fact
// once. An entry without Input or Think keeps its flags as written.
func derive(m Model) Model {
	if slices.Contains(m.Input, "image") {
		m.Vision = true
	}
	if m.Think != nil {
		m.Reasoning = m.Think.Mode != ReasoningNone
		m.ThinkingToggle = m.Think.Mode == ReasoningOptional
	}
	return m
}

// checkBuiltin refuses built-in data the code would misread: bad dates,
// unknown reasoning modes or efforts, off-peak rates without peak hours.
func checkBuiltin(m Model) error {
	for _, d := range []string{m.Released, m.Deprecated, m.Shutdown} {
		if _, err := time.Parse(time.DateOnly, d); d != "" && err != nil {
			return fmt.Errorf("model %s: date %q is not YYYY-MM-DD", m.ID, d)
		}
	}
	if t := m.Think; t != nil {
		if !slices.Contains([]string{ReasoningNone, ReasoningOptional, ReasoningAlways}, t.Mode) {
			return fmt.Errorf("model %s: unknown reasoning mode %q", m.ID, t.Mode)
		}
		for _, e := range append(slices.Clone(t.Efforts), t.Default) {
			if e != "" && !slices.Contains(Efforts, e) {
				return fmt.Errorf("model %s: unknown effort %q", m.ID, e)
			}
		}
	}
	for _, p := range m.Prices {
		if p.OffPeak != nil && len(p.PeakHours) == 0 {
			return fmt.Errorf("model %s: off-peak %s price without peak hours", m.ID, p.Currency)
		}
		for _, w := range p.PeakHours {
			if !ValidWindow(w) {
				return fmt.Errorf("model %s: peak window %q is not like \"Mon-Fri 01:00-04:00\"", m.ID, w)
			}
		}
	}
	return nil
}
