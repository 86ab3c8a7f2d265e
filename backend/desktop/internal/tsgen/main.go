// Command tsgen writes frontend/src/api/types.ts, the TypeScript side of
// the window's contract, from the Go side (desktop.WindowContract): the
// JSON of every bound method's arguments and result and of every event's
// payload, as encoding/json (which Wails uses) writes and reads them. It
// runs from go generate in backend/desktop; a test here fails when the
// checked-in file differs from what it writes.
//
//	go run ./internal/tsgen -o ../../frontend/src/api/types.ts
package main

import (
	"flag"
	"fmt"
	"os"

	"thinkcloud/backend/desktop"
)

func main() {
	out := flag.String("o", "", "the TypeScript file to write")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: tsgen -o frontend/src/api/types.ts")
		os.Exit(2)
	}
	src, err := generate(desktop.WindowContract(), ".")
	if err == nil {
		err = os.WriteFile(*out, src, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tsgen:", err)
		os.Exit(1)
	}
}
