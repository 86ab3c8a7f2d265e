package desktop

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"thinkcloud/backend/config"
	"thinkcloud/backend/core"
	"thinkcloud/backend/update"
)

// LoginEntry turns the start at login on or off (autostart.Entry).
type LoginEntry interface {
	Set(on bool) error
}

// BackgroundService is bound to the window: what closing the window does,
// the start at login, the update check, and the view to restore.
type BackgroundService struct {
	base    context.Context
	core    *core.Core
	emit    Emit
	started *started

	// Set by configure before Start; read only after.
	login     LoginEntry
	checker   *update.Checker
	statePath string
	quit      func()

	mu sync.Mutex // serialises settings read-modify-write and the state file
}

// NewBackgroundService returns the service; Services.ConfigureBackground gives it its parts.
func NewBackgroundService(base context.Context, c *core.Core, emit Emit) *BackgroundService {
	return &BackgroundService{base: base, core: c, emit: emit}
}

// configure hands the service the login entry, the update checker and
// the window state file (see Services.ConfigureBackground).
func (b *BackgroundService) configure(login LoginEntry, checker *update.Checker, statePath string, quit func()) {
	b.login, b.checker, b.statePath, b.quit = login, checker, statePath, quit
}

// Quit really quits (Ctrl+Q), whatever closing the window does: streams
// end with what arrived saved, then the endpoint stops.
func (b *BackgroundService) Quit() error {
	if b.quit == nil {
		return newProblem(ProblemQuitUnavailable, errors.New("quit is not available in this build"))
	}
	b.quit()
	return nil
}

// UpdateView is the update check as the window shows it.
type UpdateView struct {
	// Check is "" (not asked yet), "on" or "off".
	Check string `json:"check"`
	// Notice is the newer version found, or nil.
	Notice *update.Notice `json:"notice"`
	// Error is why the last check failed ("" if it did not).
	Error string `json:"error"`
	// Feed is the release feed a check reads: the one named in Settings,
	// else the built-in one; "" when there is neither, and then no check
	// makes a network call (the window says why).
	Feed string `json:"feed"`
	// FeedURL is the feed named in Settings ("" means the built-in one).
	FeedURL string `json:"feedURL"`
}

// updateViewOf is the window's view of settings s and check state st.
func updateViewOf(s config.Settings, st update.State) UpdateView {
	return UpdateView{Check: s.Updates.Check, Notice: st.Notice, Error: st.Error, Feed: FeedURL(s), FeedURL: s.Updates.FeedURL}
}

// BackgroundView is the service's state for the settings screen.
type BackgroundView struct {
	KeepRunning  bool       `json:"keepRunning"`
	StartAtLogin bool       `json:"startAtLogin"`
	Update       UpdateView `json:"update"`
	// View is the view the window showed last ("chat", "settings" or "usage").
	View string `json:"view"`
}

// Get returns the background settings, the remembered update check (no
// network call) and the last view.
func (b *BackgroundService) Get() (BackgroundView, error) {
	if err := b.started.wait(b.base); err != nil {
		return BackgroundView{}, err
	}
	s := b.core.Current()
	return BackgroundView{
		KeepRunning: s.Background.KeepRunning, StartAtLogin: s.Background.StartAtLogin,
		Update: b.updateView(s), View: LoadWindowState(b.statePath).View,
	}, nil
}

func (b *BackgroundService) updateView(s config.Settings) UpdateView {
	var st update.State
	if b.checker != nil && s.Updates.Check == config.UpdateCheckOn {
		st = b.checker.Last()
	}
	return updateViewOf(s, st)
}

// change applies fn to the current settings and saves them.
func (b *BackgroundService) change(fn func(*config.Settings)) error {
	if err := b.started.wait(b.base); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.core.Current()
	fn(&s)
	return b.core.ApplySettings(s)
}

// SetKeepRunning says whether closing the window keeps the endpoint
// serving (the window hides) or quits the app.
func (b *BackgroundService) SetKeepRunning(on bool) error {
	return b.change(func(s *config.Settings) { s.Background.KeepRunning = on })
}

// SetStartAtLogin writes or removes the login entry, then saves the
// setting; if the entry cannot be written the setting is left as it was.
func (b *BackgroundService) SetStartAtLogin(on bool) error {
	if err := b.started.wait(b.base); err != nil {
		return err
	}
	if b.login == nil {
		return newProblem(ProblemLoginUnavailable, errors.New("start at login is not available in this build"))
	}
	if err := b.login.Set(on); err != nil {
		return err
	}
	return b.change(func(s *config.Settings) { s.Background.StartAtLogin = on })
}

// SetUpdateCheck answers the first-run question or flips the setting.
// Turning it on checks at once if a day has passed since the last check.
func (b *BackgroundService) SetUpdateCheck(on bool) (UpdateView, error) {
	choice := config.UpdateCheckOff
	if on {
		choice = config.UpdateCheckOn
	}
	if err := b.change(func(s *config.Settings) { s.Updates.Check = choice }); err != nil {
		return UpdateView{}, err
	}
	if on {
		b.checkDaily()
	}
	return b.updateView(b.core.Current()), nil
}

// CheckForUpdate asks the feed now (the "check now" button). It refuses
// while the check is off, so no network call happens without consent.
func (b *BackgroundService) CheckForUpdate() (UpdateView, error) {
	if err := b.started.wait(b.base); err != nil {
		return UpdateView{}, err
	}
	s := b.core.Current()
	if s.Updates.Check != config.UpdateCheckOn || b.checker == nil {
		return UpdateView{}, newProblem(ProblemUpdateCheckOff, errors.New("the update check is off; turn it on in Settings first"))
	}
	st, err := b.checker.CheckNow(b.base, FeedURL(s))
	v := updateViewOf(s, st)
	Topics.UpdateStatus.Emit(b.emit, v)
	if err != nil {
		return v, fmt.Errorf("check for a new version: %w", err)
	}
	return v, nil
}

// checkDaily checks the feed when the user turned checks on and a day
// has passed, and tells the window; otherwise it does nothing, and no
// network call is made. It blocks for at most the checker's timeout.
func (b *BackgroundService) checkDaily() {
	if b.checker == nil || b.started.wait(b.base) != nil {
		return
	}
	s := b.core.Current()
	st, err := b.checker.Daily(b.base, s.Updates.Check == config.UpdateCheckOn, FeedURL(s))
	if errors.Is(err, update.ErrOff) || errors.Is(err, update.ErrNoFeed) {
		return // nothing asked, nothing to tell: the view already says why
	}
	Topics.UpdateStatus.Emit(b.emit, updateViewOf(s, st))
}

// SetFeedURL names the release feed to check ("" goes back to the
// built-in one, which may be none). The URL is validated as the settings
// file's is; checking again is up to the user ("check now") or the daily
// check.
func (b *BackgroundService) SetFeedURL(url string) (UpdateView, error) {
	if err := b.change(func(s *config.Settings) { s.Updates.FeedURL = strings.TrimSpace(url) }); err != nil {
		return UpdateView{}, err
	}
	return b.updateView(b.core.Current()), nil
}

// FeedURL is the release feed the settings name, or the built-in one
// ("" when there is none).
func FeedURL(s config.Settings) string {
	if s.Updates.FeedURL != "" {
		return s.Updates.FeedURL
	}
	return update.DefaultFeedURL
}

// SetView remembers the view the window shows, to restore it next run.
func (b *BackgroundService) SetView(view string) error {
	if view != "chat" && view != "settings" && view != "usage" {
		return fmt.Errorf("unknown view %q", view)
	}
	if b.statePath == "" {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	ws := LoadWindowState(b.statePath)
	ws.View = view
	return SaveWindowState(b.statePath, ws)
}

// saveGeometry remembers the window's size and place.
func (b *BackgroundService) saveGeometry(w, h, x, y int) error {
	if b.statePath == "" || w < MinWidth || h < MinHeight {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	ws := LoadWindowState(b.statePath)
	ws.Width, ws.Height, ws.X, ws.Y, ws.Placed = w, h, x, y, true
	return SaveWindowState(b.statePath, ws)
}

// ConfigureBackground hands the background service the login entry, the
// update checker and the window state file. Call it before Start. These
// are methods of Services, not of the bound service, so the window cannot
// call them.
func (s *Services) ConfigureBackground(login LoginEntry, checker *update.Checker, statePath string, quit func()) {
	s.Background.configure(login, checker, statePath, quit)
}

// CheckUpdatesDaily checks the release feed when the user turned checks
// on and a day has passed, and tells the window; otherwise it makes no
// network call.
func (s *Services) CheckUpdatesDaily() { s.Background.checkDaily() }

// SaveGeometry remembers the window's size and place (app.go calls it
// when the window hides or closes).
func (s *Services) SaveGeometry(w, h, x, y int) error { return s.Background.saveGeometry(w, h, x, y) }
