package desktop

// WebKitGTK settings that only its environment reaches (Wails v2 exposes
// no WebKitWebContext), set by the window before GTK starts.
//
// WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR: WebKitGTK's UI process runs a
// "PressureMonitor" thread that wakes every 1–5 s to read /proc/meminfo
// and the cgroup's memory files (~9,000 read calls a minute) and tell
// the web process about memory pressure. It was all of the CPU a hidden
// ThinkCloud used (120 ms a minute; docs/BENCHMARKS.md, "Footprint").
// Without it the page keeps its caches under system memory pressure,
// which for one chat window is a small price; the kernel still reclaims.
var webkitEnv = [][2]string{
	{"WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR", "1"},
}

// QuietWebKit sets the variables above in the process environment, each
// unless the user already set it to any value (so
// WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR=0 keeps WebKit's monitor). It
// must run before the window starts: WebKit reads them once.
func QuietWebKit(lookup func(string) (string, bool), set func(string, string) error) error {
	for _, kv := range webkitEnv {
		if _, ok := lookup(kv[0]); ok {
			continue
		}
		if err := set(kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}
