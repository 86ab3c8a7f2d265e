package gateway

import (
	"strconv"
	"strings"

	"thinkcloud/backend/catalog"
)

// Serves reports whether t's provider serves the API of kind
// (catalog.EndpointResponses, …) and at which path, relative to its API
// root. Doors ask this instead of knowing providers.
func (t Target) Serves(kind string) (path string, ok bool) {
	path, ok = t.Endpoints[kind]
	return path, ok && path != ""
}

// PassThrough wraps body, already written for t (upstream model id in
// it), as a call to the provider's API of kind, forwarded byte for byte.
// A provider that does not serve kind gets a 404 naming both.
func (t Target) PassThrough(kind, name string, body []byte, stream bool) (*Call, *Error) {
	path, ok := t.Serves(kind)
	if !ok {
		return nil, &Error{Status: 404, Type: "invalid_request_error", Param: "model", Code: "unsupported_by_provider", Provider: t.Model.Provider,
			Message: "The model " + strconv.Quote(name) + " is served by " + t.Model.Provider + ", which has no " + kind + " API; pick a model of a provider that has one (GET /v1/models)"}
	}
	return &Call{Request: Request{Model: name, Stream: stream, Body: body}, Model: t.Model, Upstream: body, Path: path, Kind: kind, Fallbacks: t.Fallbacks}, nil
}

// joinPath appends path to the API root base. Each leading "../" first
// drops one segment of base, so that DeepSeek's "…/v1" root reaches its
// "…/beta/completions", also when a test or a mirror moved the root.
func joinPath(base, path string) string {
	base = strings.TrimRight(base, "/")
	for strings.HasPrefix(path, "../") {
		path = path[len("../"):]
		if i := strings.LastIndexByte(base, '/'); i > len("https://") {
			base = base[:i]
		}
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return base + path
}

// Endpoint kinds, named here so that doors need not import the catalog.
const (
	EndpointResponses   = catalog.EndpointResponses
	EndpointEmbeddings  = catalog.EndpointEmbeddings
	EndpointCompletions = catalog.EndpointCompletions
)
