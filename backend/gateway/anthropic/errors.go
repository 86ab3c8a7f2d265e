package anthropic

import (
	"encoding/json"

	"thinkcloud/backend/gateway"
)

// ErrorType is e's Anthropic error type, read from its status as
// Anthropic does: the OpenAI types the gateway and most providers use
// share some names with Anthropic's but not their meaning.
func ErrorType(e *gateway.Error) string {
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
