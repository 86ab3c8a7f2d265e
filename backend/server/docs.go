package server

import (
	_ "embed"
	"net/http"
)

// The spec and its page are served from the binary: users may be offline,
// so the page loads nothing from a CDN.
var (
	//go:embed openapi.json
	openAPISpec []byte
	//go:embed docs.html
	docsPage []byte
)

func (h *Handler) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPISpec)
}

func (h *Handler) docs(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'")
	w.Write(docsPage)
}
