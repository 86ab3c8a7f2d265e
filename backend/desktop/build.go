package desktop

// BuildKind is what a binary of this program was built for. The Wails CLI
// chooses it with build tags, so it is a constant: Build.
type BuildKind int

const (
	// HeadlessBuild is a plain `go build` (`make build-headless`): the
	// endpoint and `keys` without GTK or WebKitGTK, so the binary starts on
	// a machine that has neither (with CGO_ENABLED=0 it links nothing at
	// all). It has no window to open.
	HeadlessBuild BuildKind = iota
	// WindowBuild is a build made by the Wails CLI (`make build`, `wails
	// dev`: tags production or dev), which links GTK and WebKitGTK and can
	// open the window.
	WindowBuild
	// BindingsBuild is the binary `wails generate`/`wails build` compiles
	// (tag bindings) and runs only to list the bound methods: wails.Run
	// returns without opening a window or calling OnStartup.
	BindingsBuild
)
