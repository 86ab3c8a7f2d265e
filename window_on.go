//go:build dev || production || bindings

package main

// windowBuild is true in builds made by the Wails CLI (`make build`,
// `wails dev`), which link GTK and WebKitGTK and can open the window.
const windowBuild = true
