package server

import (
	"mime"
	"net/http"
	"slices"
	"strconv"

	"thinkcloud/backend/gateway"
)

// crossSite refuses what only a browser page on another site sends, on
// top of the Origin check: Origin is a single header that an old browser,
// an extension or a plugin may leave out or repeat, so the other signals
// count too.
//
//   - More than one Origin: which one is true cannot be known.
//   - Sec-Fetch-Site: cross-site, unless the page's origin is allowed.
//     Following a link (a GET or HEAD navigation, say to /docs) stays
//     allowed: nothing here has side effects on GET, and the page cannot
//     read the answer.
//   - A POST whose body is not JSON: HTML forms can send text/plain,
//     urlencoded and multipart bodies without a CORS preflight, never
//     application/json. A POST with no Content-Type passes, as scripts
//     (Python's requests with data=) send them.
func crossSite(r *http.Request, allowed []string) *gateway.Error {
	origins := r.Header.Values("Origin")
	if len(origins) > 1 {
		return &gateway.Error{Status: 403, Type: "permission_error", Code: "origin_not_allowed",
			Message: "The request has " + strconv.Itoa(len(origins)) + " Origin headers; send at most one"}
	}
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" && !(len(origins) == 1 && slices.Contains(allowed, origins[0])) &&
		!(r.Header.Get("Sec-Fetch-Mode") == "navigate" && (r.Method == http.MethodGet || r.Method == http.MethodHead)) {
		return &gateway.Error{Status: 403, Type: "permission_error", Code: "cross_site_refused",
			Message: "Requests from web pages on other sites are refused (Sec-Fetch-Site: cross-site); a page may call the endpoint only when its origin is in Settings → Local endpoint → Allowed origins"}
	}
	if ct := r.Header.Get("Content-Type"); r.Method == http.MethodPost && ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return &gateway.Error{Status: 415, Type: "invalid_request_error", Code: "unsupported_media_type",
				Message: "The body must be JSON, sent with Content-Type: application/json; got " + strconv.Quote(ct)}
		}
	}
	return nil
}
