package config

import (
	"maps"
	"slices"
	"strings"
)

// The rules a settings value can break, by code, with the English each
// FieldError says. The window words a code in its own language (the
// i18n keys rule.<code>, with the same {name} parameters); every code
// reaches its contract through Rules. Each template is the sentence that
// follows the field: "endpoint.port: must be 1..65535".
var rules = map[string]string{
	"not_negative":         "must not be negative",
	"not_empty":            "must not be empty",
	"provider_id":          "invalid provider id: must be 1 to {max} lowercase letters, digits and '-', starting with a letter or digit",
	"id_too_long":          "must be at most {max} characters",
	"id_start":             "must start with a letter or digit",
	"id_chars":             "may only contain lowercase letters, digits and '-'",
	"id_builtin":           `"{id}" is a built-in provider id`,
	"id_reserved":          `"{id}" is reserved`,
	"duplicate_id":         `duplicate id "{id}"`,
	"http_url":             "must be an http:// or https:// URL with a host",
	"feed_url":             "release feed: must be an http:// or https:// URL with a host",
	"no_spaces_around":     "must not have surrounding spaces",
	"proxy_url_required":   `is required when mode is "{mode}"`,
	"proxy_url":            "must be an http://, https://, socks5:// or socks5h:// URL with a host",
	"one_of":               `must be "{a}", "{b}" or "{c}"`,
	"empty_or_one_of":      `must be empty, "{a}" or "{b}"`,
	"language":             `must be empty (follow the system), "{a}" or "{b}"`,
	"model_id":             "must be a non-empty model id without surrounding spaces",
	"model_id_spaces":      "must be a model id without surrounding spaces",
	"model_name":           "must be a non-empty model name without surrounding spaces",
	"model_name_spaces":    "must be a model name without surrounding spaces",
	"host":                 "must be an IP address or host name",
	"port":                 "must be 1..65535",
	"origin":               "must be an origin like http://localhost:5173 (scheme://host[:port], no path)",
	"origin_port":          "has an invalid port",
	"host_port":            "must be a host name or IP address, optionally with :port",
	"off_or_positive":      "must be 0 (off) or positive",
	"no_limit_or_positive": "must be 0 (no limit) or positive",
	"token_name_taken":     `"{name}" is used by another token`,
	"token_broken":         "has no id or no secret hash; revoke it and create a new one",
	"budget":               `needs an amount > 0, a 3-letter currency and the period "day" or "month"`,
	"hosted_tool":          `"{value}" is not a hosted tool type; use one of {known}`,
	"listed_twice":         `"{value}" is listed twice`,
	"retention_days":       "must be 0 (the default, {default}) or 1 to {max} days",
	"log_max_mb":           "must be 0 (the default, {default}) or {min} to {max} MB",
	"default_or_range":     "must be 0 (the default, {default}) or 1..{max}",
	"breaker_failures":     "must be -1 (off), 0 (the default, {default}) or 1..{max}",
	"alias_name":           `must be a non-empty name without spaces or "/" (that form means provider/model)`,
	"duplicate_alias":      `duplicate alias "{name}"`,
	"alias_models":         "must name at least one model",
	"max_assistants":       "at most {max} assistants",
	"max_prompts":          "at most {max} prompts",
	"max_bytes":            "must be at most {max} bytes",
	"max_chars":            "must be at most {max} characters",
	"longer_than":          "is longer than {max} characters",
	"stored_builtin":       "a stored assistant cannot be built in",
	"no_such_assistant":    `no assistant has the id "{id}"`,
	"entry_id":             `must be 1-64 lower-case letters, digits or "-"`,
	"builtin_prefix":       `must not start with "{prefix}" (kept for built-in assistants)`,
	"between":              "must be between {min} and {max}",
	"at_least":             "must be at least {min}",
	"effort":               "must be empty or one of {values}",
	// A file that is not settings at all (Load; the field is "" when the
	// whole file is at fault). {detail} is encoding/json's own English.
	"json_syntax":     "invalid JSON on line {line}: {detail}",
	"json_invalid":    "invalid JSON: {detail}",
	"json_not_object": "invalid JSON: must be a JSON object, not {value}",
	"json_type":       "must be a JSON {kind}, not {value}",
	"version_int":     "must be a non-negative integer",
}

// Rules are the codes of every rule, sorted: the window's contract.
func Rules() []string { return slices.Sorted(maps.Keys(rules)) }

// addFunc records one broken rule: the field's JSON path, the rule's
// code and its parameters as name, value pairs.
type addFunc func(field, rule string, kv ...string)

// newFieldError is the FieldError for field breaking rule, its Problem
// the rule's English with kv filled in.
func newFieldError(field, rule string, kv ...string) *FieldError {
	var params map[string]string
	if len(kv) > 0 {
		params = make(map[string]string, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			params[kv[i]] = kv[i+1]
		}
	}
	return &FieldError{Field: field, Rule: rule, Params: params, Problem: ruleText(rule, params)}
}

// ruleText is rule's English with params filled in; an unknown code
// (a programming error the rules test catches) reads as itself.
func ruleText(rule string, params map[string]string) string {
	s, ok := rules[rule]
	if !ok {
		return rule
	}
	for k, v := range params {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}
