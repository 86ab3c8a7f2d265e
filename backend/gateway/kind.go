package gateway

import (
	"errors"
	"strings"
)

// Kinds of failure, as the window offers a way out of them (Settings for
// key problems, Retry for the rest).
const (
	KindNoKey               = "no_key"
	KindInvalidKey          = "invalid_key"
	KindInsufficientBalance = "insufficient_balance"
	KindRateLimited         = "rate_limited"
	KindUnreachable         = "unreachable"
	KindTimeout             = "timeout"
	KindBadRequest          = "bad_request"
	// KindRetired is a model its provider shut down: the way out is a
	// successor the message names, not a retry.
	KindRetired = "model_retired"
	KindOther   = "other"
)

// Kind names what went wrong in one of the Kind* words. It is the one
// classifier of errors: retries (outOfMoney) and the window read it.
func (e *Error) Kind() string {
	switch {
	case e.Code == "missing_provider_key":
		return KindNoKey
	case e.Code == CodeModelRetired && e.Provider == "":
		return KindRetired
	case e.Status == 401 || (e.Status == 403 && e.Code != "provider_disabled"):
		return KindInvalidKey
	case e.Status == 402 || outOfMoney(e) || (e.Status != 429 && mentionsMoney(e)):
		return KindInsufficientBalance
	case e.Status == 429:
		return KindRateLimited
	case e.Status == 502:
		return KindUnreachable
	case e.Status == 504:
		return KindTimeout
	case e.Status == 400 || e.Status == 404 || e.Status == 413 || e.Status == 422:
		return KindBadRequest
	}
	return KindOther
}

// mentionsMoney reports an error whose words speak of quota or balance,
// whatever status the provider sent it with.
func mentionsMoney(e *Error) bool {
	text := strings.ToLower(e.Code + " " + e.Type + " " + e.Message)
	return strings.Contains(text, "quota") || strings.Contains(text, "balance")
}

// StreamFailure is the error that ends an answer whose stream broke off
// (err from Stream.Next or the provider's own error event), for every
// door: a cut answer must never look complete.
func StreamFailure(provider string, err error) *Error {
	if errors.Is(err, ErrIdle) {
		return &Error{Status: 504, Type: "server_error", Code: "upstream_timeout", Provider: provider,
			Message: provider + " sent nothing for too long; the answer is incomplete"}
	}
	return &Error{Status: 502, Type: "server_error", Code: "stream_interrupted", Provider: provider,
		Message: provider + " stream broke off before it finished: " + err.Error()}
}
