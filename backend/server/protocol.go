package server

import (
	"mime"
	"net/http"
	"strconv"

	"thinkcloud/backend/gateway"
)

// protocolError turns an answer net/http made on its own into the OpenAI
// envelope, keeping its status and headers (Location, Allow): the mux
// redirects a path that is not in canonical form ("//health",
// "/v1/../v1/models") with a 307 and an HTML body, or none for a POST,
// and its 404 and 405 are plain text; an SDK can parse none of them. Every
// answer of ours at or above 300 is JSON already (writeError), so a
// non-JSON one is net/http's. It reports whether it wrote the answer; the
// helper's own body is then dropped (see Write).
func (rec *recorder) protocolError(code int) bool {
	if code < 300 || code == http.StatusNotModified || rec.enveloped {
		return false
	}
	if mt, _, _ := mime.ParseMediaType(rec.Header().Get("Content-Type")); mt == "application/json" {
		return false
	}
	rec.enveloped = true
	path := strconv.Quote(rec.r.URL.Path)
	e := &gateway.Error{Status: code, Type: "invalid_request_error"}
	switch {
	case code >= 300 && code < 400:
		e.Code = "path_not_canonical"
		e.Message = "The path " + path + " is not in canonical form; the endpoint answers at " + rec.Header().Get("Location")
	case code == http.StatusNotFound:
		e.Code = "unknown_url"
		e.Message = "Unknown request URL: " + rec.r.Method + " " + path + ". The API lives under /v1 (see /docs)."
	case code == http.StatusMethodNotAllowed:
		e.Code = "method_not_allowed"
		e.Message = rec.r.Method + " is not allowed on " + path
	default:
		e.Message = http.StatusText(code)
	}
	rec.Header().Del("Content-Length")
	writeError(rec, e)
	rec.written = true
	return true
}
