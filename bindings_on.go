//go:build bindings

package main

// bindingsBuild is true when `wails generate`/`wails build` compiles the
// binary only to list the bound methods.
const bindingsBuild = true
