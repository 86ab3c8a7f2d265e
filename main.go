// Command thinkcloud is ThinkCloud Desktop: a chat window for every cloud
// LLM the user pays for, and an OpenAI-compatible endpoint on
// 127.0.0.1:8000 for local tools.
//
//	thinkcloud [--host H] [--port P]   window + endpoint
//	thinkcloud serve [--host H] [--port P]   endpoint only, no GTK
//	thinkcloud keys set|list|delete|test <provider>
//	thinkcloud launch claude|codex|opencode|qwen [--model M] [-- ARGS…]
//
// main wires and dispatches; the work lives in backend/.
package main

import (
	"embed"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strings"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"thinkcloud/backend/cli"
	"thinkcloud/backend/desktop"
)

//go:embed all:frontend/dist
var assets embed.FS

// appIcon is the tray's icon where the icon theme has none.
//
//go:embed build/appicon.png
var appIcon embed.FS

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `ThinkCloud — every cloud LLM in one window, and an OpenAI-compatible endpoint.

Usage:
  thinkcloud [--host H] [--port P]        open the window (the endpoint runs too);
                                          --hidden starts it hidden, as at login
  thinkcloud serve [--host H] [--port P]  run only the endpoint, no window
  thinkcloud keys set <provider>          store a key in the OS keyring (read from stdin)
  thinkcloud keys add <provider> --label L store one more key under a label; requests rotate over them
  thinkcloud keys list                    show each key: provider, label, source, hint, state
  thinkcloud keys delete <provider> [--label L]  remove a key from the keyring
  thinkcloud keys test <provider>         call the provider's /models with its key
  thinkcloud models [--provider P] [--json]
                                          list the models with context, price and status
  thinkcloud tokens create|list|rename|limit|revoke   named access tokens for local tools
  thinkcloud usage [--since 30d] [--by model|provider|token] [--json]   what was used and spent
  thinkcloud launch <tool> [--model M] [-- ARGS…]
                                          start claude, codex, opencode or qwen
                                          pointed at the running endpoint
  thinkcloud --version | --help

The endpoint listens on 127.0.0.1:8000 unless settings or flags say otherwise.
Keys: <PROVIDER>_API_KEY environment variables win over the keyring.
`

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "serve":
			return serve(args[1:], stdout, stderr)
		case "keys":
			return cli.Keys(args[1:], cli.Env{Stdin: stdin, Stdout: stdout, Stderr: stderr, Version: version})
		case "models":
			return cli.Models(args[1:], cli.Env{Stdin: stdin, Stdout: stdout, Stderr: stderr, Version: version})
		case "tokens":
			return cli.Tokens(args[1:], cli.Env{Stdin: stdin, Stdout: stdout, Stderr: stderr, Version: version})
		case "usage":
			return cli.Usage(args[1:], cli.Env{Stdin: stdin, Stdout: stdout, Stderr: stderr, Version: version})
		case "launch":
			return cli.Launch(args[1:], cli.Env{Stdin: stdin, Stdout: stdout, Stderr: stderr, Version: version})
		case "version":
			fmt.Fprintln(stdout, "thinkcloud", version)
			return 0
		case "help":
			fmt.Fprint(stdout, usage)
			return 0
		}
	}
	fs := flag.NewFlagSet("thinkcloud", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	host := fs.String("host", "", "endpoint host (default from settings, 127.0.0.1)")
	port := fs.Int("port", 0, "endpoint port (default from settings, 8000)")
	showVersion := fs.Bool("version", false, "print the version and exit")
	hidden := fs.Bool("hidden", false, "start with the window hidden (the login start uses it)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if *showVersion {
		fmt.Fprintln(stdout, "thinkcloud", version)
		return 0
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "thinkcloud: unknown command %q\n\n%s", fs.Arg(0), usage)
		return 2
	}
	return window(cli.Overrides{Host: *host, Port: *port}, *hidden, args, stderr)
}

func serve(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("thinkcloud serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	host := fs.String("host", "", "listen host (default from settings, 127.0.0.1)")
	port := fs.Int("port", 0, "listen port (default from settings, 8000)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	return cli.Serve(cli.Overrides{Host: *host, Port: *port}, cli.Env{Stdout: stdout, Stderr: stderr, Version: version})
}

// window opens the app window; the endpoint runs in process.
func window(ov cli.Overrides, hidden bool, args []string, stderr io.Writer) int {
	switch desktop.Build {
	case desktop.HeadlessBuild:
		fmt.Fprintln(stderr, "thinkcloud: this is the headless build, without a window: `thinkcloud serve` runs the endpoint and `thinkcloud keys` manages keys; the desktop build (`make build`) has the window")
		return 2
	case desktop.WindowBuild:
		// A bindings build opens no window, so neither check concerns it.
		if runtime.GOOS == "linux" && !hasDisplay() {
			fmt.Fprintln(stderr, "thinkcloud: no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open; run `thinkcloud serve` for the endpoint without a window")
			return 1
		}
		if _, err := fs.Stat(assets, "frontend/dist/index.html"); err != nil {
			fmt.Fprintln(stderr, "thinkcloud: this binary was built without its frontend (frontend/dist/index.html is missing); build it with `make build`")
			return 1
		}
	}
	if handOver(args) {
		fmt.Fprintln(stderr, "thinkcloud: ThinkCloud is already running; its window was brought to the front")
		return 0
	}
	if err := desktop.QuietWebKit(os.LookupEnv, os.Setenv); err != nil {
		fmt.Fprintln(stderr, "thinkcloud: WebKit settings:", err)
	}
	app := newApp(ov, stderr)
	defer app.logOut.Close() // shutdown closes it too; not every exit passes there
	ws := desktop.LoadWindowState(windowStatePath())
	err := wails.Run(&options.App{
		Title:              "ThinkCloud",
		Width:              ws.Width,
		Height:             ws.Height,
		MinWidth:           desktop.MinWidth,
		MinHeight:          desktop.MinHeight,
		StartHidden:        hidden,
		OnBeforeClose:      app.beforeClose,
		OnDomReady:         app.domReady,
		SingleInstanceLock: singleInstance(app),
		AssetServer:        &assetserver.Options{Assets: assets},
		BackgroundColour:   &options.RGBA{R: 246, G: 247, B: 249, A: 1},
		OnStartup:          app.startup,
		OnShutdown:         app.shutdown,
		Bind:               app.services.Bind(),
		ErrorFormatter:     desktop.FormatError,
		Linux:              &linux.Options{ProgramName: "thinkcloud", WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
	})
	if err != nil {
		fmt.Fprintln(stderr, "thinkcloud:", err)
		return 1
	}
	return app.exitCode()
}

// hasDisplay reports whether a GUI session is reachable. Without one GTK
// panics ("failed to init GTK"), so window mode checks first.
func hasDisplay() bool {
	return strings.TrimSpace(os.Getenv("DISPLAY")) != "" || strings.TrimSpace(os.Getenv("WAYLAND_DISPLAY")) != ""
}
