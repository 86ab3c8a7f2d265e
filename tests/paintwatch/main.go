// Command paintwatch times a window's first paint, for the footprint
// benchmark (tests/window/footprint.sh part a). It waits for a viewable
// top-level window whose name matches -name (or takes -window), then reads
// its pixels with GetImage back to back, a few ms apart, until a capture
// is not blank: >= 16 colours and real contrast (grey standard deviation
// above 0.02), the rule of lib.sh's not_blank. Times are ms since -start,
// an epoch in seconds (date +%s.%N) taken just before the app was started.
//
//	paintwatch -start 1700000000.123456789 [-name '^ThinkCloud$' | -window ID] [-pid PID]
//
// Prints one line: mapped=MS paint=MS captures=N period=MS late=MS
// where paint is the end of the first non-blank capture and late is how
// much earlier the paint may have happened (since the previous, blank
// capture began): the real first paint lies in [paint-late, paint].
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

func main() {
	start := flag.String("start", "", "epoch in seconds (date +%s.%N) that times count from")
	name := flag.String("name", "^ThinkCloud$", "regexp the window's name must match")
	win := flag.Uint("window", 0, "the window's id, instead of finding it by name")
	pid := flag.Int("pid", 0, "give up when this process has ended")
	gap := flag.Duration("gap", 5*time.Millisecond, "pause between captures")
	hang := flag.Duration("timeout", 60*time.Second, "give up after this long")
	flag.Parse()
	t0, err := parseEpoch(*start)
	if err != nil {
		fail("-start: %v", err)
	}
	re, err := regexp.Compile(*name)
	if err != nil {
		fail("-name: %v", err)
	}
	w := &watch{t0: t0, re: re, pid: *pid, deadline: time.Now().Add(*hang)}
	if err := w.run(xproto.Window(*win), *gap); err != nil {
		fail("%v", err)
	}
}

func fail(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "paintwatch: "+format+"\n", a...)
	os.Exit(1)
}

// parseEpoch reads "SECONDS[.FRACTION]" without going through a float,
// which would lose the nanoseconds.
func parseEpoch(s string) (time.Time, error) {
	sec, frac, _ := strings.Cut(s, ".")
	n, err := strconv.ParseInt(sec, 10, 64)
	if err != nil {
		return time.Time{}, err
	}
	frac = (frac + "000000000")[:9]
	ns, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(n, ns), nil
}

type watch struct {
	t0       time.Time
	re       *regexp.Regexp
	pid      int
	deadline time.Time
	conn     *xgb.Conn
	root     xproto.Window
}

func (w *watch) ms(t time.Time) float64 { return float64(t.Sub(w.t0).Microseconds()) / 1000 }

// alive fails when the watched process has ended or time is up.
func (w *watch) alive() error {
	if time.Now().After(w.deadline) {
		return errors.New("timed out")
	}
	if w.pid > 0 && syscall.Kill(w.pid, 0) != nil {
		return fmt.Errorf("process %d has ended", w.pid)
	}
	return nil
}

func (w *watch) run(win xproto.Window, gap time.Duration) error {
	xgb.Logger = log.New(io.Discard, "", 0) // "no .Xauthority" is expected under Xvfb
	conn, err := xgb.NewConn()
	if err != nil {
		return err
	}
	defer conn.Close()
	w.conn = conn
	w.root = xproto.Setup(conn).DefaultScreen(conn).Root
	mapped := time.Now()
	if win == 0 {
		if win, mapped, err = w.find(); err != nil {
			return err
		}
	}
	n := 0
	var prevStart, begin, end time.Time
	for {
		if err := w.alive(); err != nil {
			return fmt.Errorf("window %#x stayed blank: %w", win, err)
		}
		prevStart, begin = begin, time.Now()
		painted, err := w.painted(win)
		end = time.Now()
		if err != nil {
			return err
		}
		n++
		if painted {
			break
		}
		time.Sleep(gap)
	}
	if prevStart.IsZero() {
		prevStart = mapped
	}
	period := w.ms(end) - w.ms(mapped)
	if n > 1 {
		period /= float64(n - 1)
	}
	fmt.Printf("mapped=%.0f paint=%.0f captures=%d period=%.1f late=%.0f window=%#x\n",
		w.ms(mapped), w.ms(end), n, period, end.Sub(prevStart).Seconds()*1000, win)
	return nil
}

// find waits for a viewable top-level window whose name matches, and
// returns when it was mapped. It listens for MapNotify on the root first and
// then looks at what is already there, so a window mapped in between is not
// missed; with no window manager (Xvfb) the app's top-level window is a
// child of the root. GTK maps the window under the program's name and sets
// the title afterwards, so mapped windows are watched for name changes.
func (w *watch) find() (xproto.Window, time.Time, error) {
	err := xproto.ChangeWindowAttributesChecked(w.conn, w.root, xproto.CwEventMask,
		[]uint32{xproto.EventMaskSubstructureNotify}).Check()
	if err != nil {
		return 0, time.Time{}, err
	}
	tree, err := xproto.QueryTree(w.conn, w.root).Reply()
	if err != nil {
		return 0, time.Time{}, err
	}
	for _, c := range tree.Children {
		if w.matches(c) {
			return c, time.Now(), nil
		}
	}
	events := make(chan xgb.Event)
	go func() {
		for {
			ev, xerr := w.conn.WaitForEvent()
			if ev == nil && xerr == nil {
				close(events)
				return
			}
			if ev != nil {
				events <- ev
			}
		}
	}()
	mapped := map[xproto.Window]time.Time{}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		var win xproto.Window
		select {
		case ev, ok := <-events:
			if !ok {
				return 0, time.Time{}, errors.New("the X connection closed")
			}
			switch e := ev.(type) {
			case xproto.MapNotifyEvent:
				if e.OverrideRedirect {
					continue
				}
				mapped[e.Window] = time.Now()
				xproto.ChangeWindowAttributes(w.conn, e.Window, xproto.CwEventMask,
					[]uint32{xproto.EventMaskPropertyChange})
				win = e.Window
			case xproto.PropertyNotifyEvent:
				win = e.Window
			}
		case <-tick.C:
			if err := w.alive(); err != nil {
				return 0, time.Time{}, fmt.Errorf("no window named %q: %w", w.re, err)
			}
		}
		if t, ok := mapped[win]; ok && w.matches(win) {
			return win, t, nil
		}
	}
}

// matches: viewable and named like -name (_NET_WM_NAME, else WM_NAME).
func (w *watch) matches(win xproto.Window) bool {
	attrs, err := xproto.GetWindowAttributes(w.conn, win).Reply()
	if err != nil || attrs.MapState != xproto.MapStateViewable {
		return false
	}
	for _, prop := range []string{"_NET_WM_NAME", "WM_NAME"} {
		atom, err := xproto.InternAtom(w.conn, true, uint16(len(prop)), prop).Reply()
		if err != nil || atom.Atom == 0 {
			continue
		}
		r, err := xproto.GetProperty(w.conn, false, win, atom.Atom, xproto.GetPropertyTypeAny, 0, 1024).Reply()
		if err == nil && r.ValueLen > 0 {
			return w.re.MatchString(string(r.Value))
		}
	}
	return false
}

// painted captures the window and applies the not-blank rule.
func (w *watch) painted(win xproto.Window) (bool, error) {
	geo, err := xproto.GetGeometry(w.conn, xproto.Drawable(win)).Reply()
	if err != nil {
		return false, err
	}
	img, err := xproto.GetImage(w.conn, xproto.ImageFormatZPixmap, xproto.Drawable(win),
		0, 0, geo.Width, geo.Height, math.MaxUint32).Reply()
	if err != nil {
		return false, err
	}
	return notBlank(img.Data, int(geo.Width)*int(geo.Height)), nil
}

// notBlank: pixels are 32-bit BGRX (Xvfb's 24-bit depth). At least 16
// distinct colours and a grey standard deviation above 0.02 (grey as
// ImageMagick's Rec. 601 luma, on a 0–1 scale). Integer sums and a map
// touched only where the colour changes: a capture is ~1M pixels and the
// check runs every few ms.
func notBlank(data []byte, pixels int) bool {
	if pixels == 0 || len(data) < pixels*4 {
		return false
	}
	colours := make(map[uint32]struct{}, 16)
	prev := uint32(1 << 31) // no pixel has this colour
	var sum, sq uint64
	for i := 0; i < pixels; i++ {
		p := data[i*4 : i*4+4 : i*4+4]
		c := uint32(p[0]) | uint32(p[1])<<8 | uint32(p[2])<<16
		if c != prev && len(colours) < 16 {
			colours[c] = struct{}{}
		}
		prev = c
		y := (298839*uint64(p[2]) + 586811*uint64(p[1]) + 114350*uint64(p[0])) / 1000 // 0..255000
		sum += y
		sq += y * y
	}
	n := float64(pixels)
	mean := float64(sum) / n
	sd := math.Sqrt(math.Max(0, float64(sq)/n-mean*mean)) / 255000
	return len(colours) >= 16 && sd > 0.02
}
