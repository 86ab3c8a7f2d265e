package desktop

import (
	"slices"
	"strings"
	"sync"
)

// WebKitGTK and GTK settings that only the environment reaches (Wails v2
// exposes no WebKitWebContext), set by the window before GTK starts.
//
// WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR: WebKitGTK's UI process runs a
// "PressureMonitor" thread that wakes every 1–5 s to read /proc/meminfo
// and the cgroup's memory files (~9,000 read calls a minute) and tell
// the web process about memory pressure. It was all of the CPU a hidden
// ThinkCloud used (120 ms a minute; docs/BENCHMARKS.md, "Footprint").
// Without it the page keeps its caches under system memory pressure,
// which for one chat window is a small price; the kernel still reclaims.
//
// WEBKIT_DISABLE_COMPOSITING_MODE, WEBKIT_DISABLE_DMABUF_RENDERER and
// GDK_GL=disable: the window already asks WebKit for no GPU
// (WebviewGpuPolicyNever in main.go), yet GTK still probed GLX when it
// opened the display and WebKit set up its accelerated paths, each loading
// Mesa (and LLVM, on a machine without a GPU) before the web process was
// even started. With the three the first paint came ~160 ms sooner
// (median of 7 paired runs, docs/BENCHMARKS.md) and a 10,000-token stream
// drew the same; nothing in the page uses GL.
var webkitEnv = [][2]string{
	{"WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR", "1"},
	{"WEBKIT_DISABLE_COMPOSITING_MODE", "1"},
	{"WEBKIT_DISABLE_DMABUF_RENDERER", "1"},
	{"GDK_GL", "disable"},
}

// quieted holds the names QuietWebKit set, so programs the window starts
// (a browser opening a link) do not inherit them.
var quieted struct {
	sync.Mutex
	names []string
}

// QuietWebKit sets the variables above in the process environment, each
// unless the user already set it to any value (so
// WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR=0 keeps WebKit's monitor). It
// must run before the window starts: GTK and WebKit read them once.
func QuietWebKit(lookup func(string) (string, bool), set func(string, string) error) error {
	quieted.Lock()
	defer quieted.Unlock()
	for _, kv := range webkitEnv {
		if _, ok := lookup(kv[0]); ok {
			continue
		}
		if err := set(kv[0], kv[1]); err != nil {
			return err
		}
		quieted.names = append(quieted.names, kv[0])
	}
	return nil
}

// childEnv is environ without the variables QuietWebKit set: they are
// the window's own tuning, not the user's, and a GTK or WebKit program
// started from the window (a browser, a mail program) should not run with
// its compositing or GL switched off.
func childEnv(environ []string) []string {
	quieted.Lock()
	defer quieted.Unlock()
	if len(quieted.names) == 0 {
		return environ
	}
	return slices.DeleteFunc(slices.Clone(environ), func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		return slices.Contains(quieted.names, name)
	})
}
