//go:build !dev && !production && !bindings

package main

// windowBuild is false in a plain `go build` (`make build-headless`): the
// endpoint and `keys` without GTK or WebKitGTK, so the binary starts on a
// machine that has neither (with CGO_ENABLED=0 it links nothing at all).
const windowBuild = false
