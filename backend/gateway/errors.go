package gateway

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"thinkcloud/backend/catalog"
)

// Error is an OpenAI-style error with the HTTP status it travels with. The
// official SDKs map the status to a typed exception and read
// {"error":{"message","type","param","code"}} from the body.
type Error struct {
	// Status is the HTTP status; 0 means 500.
	Status int
	// Message is shown to people; it never contains a key.
	Message string
	// Type is the OpenAI error type ("invalid_request_error", …).
	Type string
	// Param names the request field at fault, if any.
	Param string
	// Code is a machine-readable code ("model_not_found",
	// "insufficient_quota", …), if any.
	Code string
	// Provider is the provider that produced the error, "" for the
	// gateway's own errors.
	Provider string
	// Header holds response headers worth passing on (Retry-After,
	// x-should-retry).
	Header http.Header
}

func (e *Error) Error() string {
	if e.Provider != "" {
		return fmt.Sprintf("%s: %s (%d)", e.Provider, e.Message, e.HTTPStatus())
	}
	return e.Message
}

// HTTPStatus is Status, defaulting to 500.
func (e *Error) HTTPStatus() int {
	if e.Status == 0 {
		return http.StatusInternalServerError
	}
	return e.Status
}

type envelope struct {
	Error envelopeBody `json:"error"`
}

type envelopeBody struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Envelope is the JSON body clients receive.
func (e *Error) Envelope() []byte {
	typ := e.Type
	if typ == "" {
		typ = defaultType(e.HTTPStatus())
	}
	b, _ := json.Marshal(envelope{envelopeBody{Message: e.Message, Type: typ, Param: nullable(e.Param), Code: nullable(e.Code)}})
	return b
}

func defaultType(status int) string {
	switch {
	case status == 401:
		return "authentication_error"
	case status == 403:
		return "permission_error"
	case status == 404:
		return "not_found_error"
	case status == 429:
		return "rate_limit_error"
	case status >= 500:
		return "server_error"
	default:
		return "invalid_request_error"
	}
}

// InvalidRequest is a 400 about the request as a whole.
func InvalidRequest(param, msg string) *Error {
	return &Error{Status: 400, Message: msg, Type: "invalid_request_error", Param: param}
}

// InvalidParam is a 400 naming the field at fault.
func InvalidParam(param, msg string) *Error {
	return &Error{Status: 400, Message: msg, Type: "invalid_request_error", Param: param, Code: "invalid_value"}
}

// UnknownModel is the 404 for a model name no provider serves.
func UnknownModel(name string) *Error {
	return &Error{Status: 404, Type: "invalid_request_error", Param: "model", Code: "model_not_found",
		Message: fmt.Sprintf("The model %q does not exist. GET /v1/models lists the models you can use; \"provider/model\" reaches any model of a provider.", name)}
}

// ModelRetired is the 404 for a model its provider has shut down; the
// message names when and what replaces it.
func ModelRetired(re *catalog.RetiredError) *Error {
	return &Error{Status: 404, Type: "invalid_request_error", Param: "model", Code: CodeModelRetired, Message: re.Error()}
}

// CodeModelRetired is the error code of ModelRetired.
const CodeModelRetired = "model_retired"

// resolveError turns a failed catalog resolution of name into the error
// every door answers with.
func resolveError(name string, err error) *Error {
	if re, ok := errors.AsType[*catalog.RetiredError](err); ok {
		return ModelRetired(re)
	}
	return UnknownModel(name)
}

// upstreamError turns a provider's error answer into an Error that keeps
// the provider's status and words. Bodies come as the OpenAI envelope,
// DashScope's {"code","message"}, or plain text.
func upstreamError(provider string, status int, body []byte) *Error {
	e := &Error{Status: status, Provider: provider}
	var env struct {
		Error json.RawMessage `json:"error"`
		Code  json.RawMessage `json:"code"`
		Msg   string          `json:"message"`
	}
	if json.Unmarshal(body, &env) == nil {
		var inner struct {
			Message string          `json:"message"`
			Type    string          `json:"type"`
			Param   json.RawMessage `json:"param"`
			Code    json.RawMessage `json:"code"`
		}
		if json.Unmarshal(env.Error, &inner) == nil && inner.Message != "" {
			e.Message, e.Type, e.Param, e.Code = inner.Message, inner.Type, scalar(inner.Param), scalar(inner.Code)
		} else if s := scalar(env.Error); s != "" {
			e.Message = s
		} else if env.Msg != "" {
			e.Message, e.Code = env.Msg, scalar(env.Code)
		}
	}
	if e.Message == "" {
		e.Message = strings.TrimSpace(string(body))
		if len(e.Message) > 500 {
			e.Message = e.Message[:500] + "…"
		}
		if e.Message == "" {
			e.Message = http.StatusText(status)
		}
	}
	e.Message = provider + ": " + e.Message
	return e
}

// scalar renders a JSON string or number as text ("" for null/absent);
// some providers send numeric codes.
func scalar(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// retryAfterHeaders copies the headers that tell a client when to retry.
func retryAfterHeaders(h http.Header) http.Header {
	out := http.Header{}
	for _, k := range []string{"Retry-After", "Retry-After-Ms", "X-Ratelimit-Limit-Requests", "X-Ratelimit-Remaining-Requests", "X-Ratelimit-Reset-Requests", "X-Ratelimit-Limit-Tokens", "X-Ratelimit-Remaining-Tokens", "X-Ratelimit-Reset-Tokens"} {
		if v := h.Get(k); v != "" {
			out.Set(k, v)
		}
	}
	return out
}
