//go:build bindings

package desktop

// Build says what this binary was built for: see BindingsBuild.
const Build = BindingsBuild
