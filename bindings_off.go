//go:build !bindings

package main

// bindingsBuild is false in every real build.
const bindingsBuild = false
