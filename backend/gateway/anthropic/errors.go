package anthropic

import (
	"encoding/json"

	"thinkcloud/backend/gateway"
)

// errorTypes are Anthropic's error types, which a provider's own
// Anthropic API already uses and which pass through as they are.
var errorTypes = map[string]bool{
	"invalid_request_error": true, "authentication_error": true, "billing_error": true,
	"permission_error": true, "not_found_error": true, "request_too_large": true,
	"rate_limit_error": true, "api_error": true, "timeout_error": true, "overloaded_error": true,
}

// ErrorType is e's Anthropic error type: the one it already has, else
// the one Anthropic uses for its status.
func ErrorType(e *gateway.Error) string {
	if errorTypes[e.Type] {
		return e.Type
	}
	switch s := e.HTTPStatus(); {
	case s == 401:
		return "authentication_error"
	case s == 402:
		return "billing_error"
	case s == 403:
		return "permission_error"
	case s == 404:
		return "not_found_error"
	case s == 413:
		return "request_too_large"
	case s == 429:
		return "rate_limit_error"
	case s == 503 || s == 529:
		return "overloaded_error"
	case s == 504:
		return "timeout_error"
	case s >= 500:
		return "api_error"
	}
	return "invalid_request_error"
}

type errorBody struct {
	Type  string      `json:"type"`
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

// ErrorBody is e in Anthropic's shape, {"type":"error","error":{"type",
// "message"}}: the body of an error response and the data of a stream's
// error event alike.
func ErrorBody(e *gateway.Error) []byte {
	b, _ := json.Marshal(errorBody{Type: "error", Error: errorDetail{Type: ErrorType(e), Message: e.Message}})
	return b
}
