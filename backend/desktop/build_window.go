//go:build (dev || production) && !bindings

package desktop

// Build says what this binary was built for: see WindowBuild.
const Build = WindowBuild
