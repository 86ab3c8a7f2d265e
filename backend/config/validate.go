package config

import (
	"errors"
	"fmt"
	"maps"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/gateway/responses"
)

// FieldError is one validation problem. Field is a JSON path such as
// "endpoint.port" or "customProviders[1].id" so the UI can point at the
// offending input and the message reads "endpoint.port: must be 1..65535".
type FieldError struct {
	// Field is the JSON path of the offending value.
	Field string
	// Rule is the code of the rule it breaks (rules.go), Params the
	// values its sentence names: what the window words in its language.
	Rule   string
	Params map[string]string
	// Problem says what is wrong, as a lower-case phrase, in English.
	Problem string
}

// Error returns "field: problem", or the problem alone when the whole
// file is at fault (Field "").
func (e *FieldError) Error() string {
	if e.Field == "" {
		return e.Problem
	}
	return e.Field + ": " + e.Problem
}

// maxIDLen bounds provider ids; they become keyring entry names and env
// variable names.
const maxIDLen = 64

// ValidateCustomProviderID reports whether id can name a new custom
// provider: 1..64 characters of a-z, 0-9 and '-', starting with a letter or
// digit, and not a built-in or reserved id. The add-provider dialog can call
// it while the user types.
func ValidateCustomProviderID(id string) error {
	if fe := customIDError("id", id); fe != nil {
		return errors.New(fe.Problem)
	}
	return nil
}

// customIDError is what is wrong with id as a new custom provider's id,
// as field's FieldError, or nil.
func customIDError(field, id string) *FieldError {
	if rule, kv := idSyntaxRule(id); rule != "" {
		return newFieldError(field, rule, kv...)
	}
	if slices.Contains(BuiltinProviderIDs(), id) {
		return newFieldError(field, "id_builtin", "id", id)
	}
	if slices.Contains(reservedIDs(), id) {
		return newFieldError(field, "id_reserved", "id", id)
	}
	return nil
}

// idSyntaxRule is the rule id breaks as a provider id, with its
// parameters, or "".
func idSyntaxRule(id string) (string, []string) {
	switch {
	case id == "":
		return "not_empty", nil
	case len(id) > maxIDLen:
		return "id_too_long", []string{"max", strconv.Itoa(maxIDLen)}
	case id[0] == '-':
		return "id_start", nil
	}
	for _, r := range id {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return "id_chars", nil
		}
	}
	return "", nil
}

// Validate checks every field and returns all problems joined, each a
// *FieldError naming its field, or nil. Load and Save call it, so invalid
// settings are never written.
func (s Settings) Validate() error {
	var errs []error
	add := func(field, rule string, kv ...string) {
		errs = append(errs, newFieldError(field, rule, kv...))
	}
	if s.Version < 0 {
		add("version", "not_negative")
	}
	validateBackground(s, add)
	for _, id := range slices.Sorted(maps.Keys(s.Providers)) {
		p := s.Providers[id]
		f := "providers." + id
		if rule, _ := idSyntaxRule(id); rule != "" {
			add(f, "provider_id", "max", strconv.Itoa(maxIDLen))
		}
		if p.BaseURL != "" && !isHTTPURL(p.BaseURL) {
			add(f+".baseURL", "http_url")
		}
		if strings.TrimSpace(p.Region) != p.Region {
			add(f+".region", "no_spaces_around")
		}
		validateProxy(f+".proxy", p.Proxy, add)
		if !slices.Contains([]string{"", AnthropicNative, AnthropicTranslate}, p.AnthropicAPI) {
			add(f+".anthropicAPI", "empty_or_one_of", "a", AnthropicNative, "b", AnthropicTranslate)
		}
	}
	seen := map[string]bool{}
	for i, c := range s.CustomProviders {
		f := fmt.Sprintf("customProviders[%d]", i)
		if fe := customIDError(f+".id", c.ID); fe != nil {
			errs = append(errs, fe)
		} else if seen[c.ID] {
			add(f+".id", "duplicate_id", "id", c.ID)
		}
		seen[c.ID] = true
		if strings.TrimSpace(c.Name) == "" {
			add(f+".name", "not_empty")
		}
		if !isHTTPURL(c.BaseURL) {
			add(f+".baseURL", "http_url")
		}
		for j, m := range c.Models {
			if strings.TrimSpace(m) == "" || strings.TrimSpace(m) != m {
				add(fmt.Sprintf("%s.models[%d]", f, j), "model_id")
			}
		}
		validateProxy(f+".proxy", c.Proxy, add)
	}
	validateEndpoint(s.Endpoint, add)
	if s.Usage.RetentionDays < 0 || s.Usage.RetentionDays > MaxRetentionDays {
		add("usage.retentionDays", "retention_days", "default", strconv.Itoa(DefaultRetentionDays), "max", strconv.Itoa(MaxRetentionDays))
	}
	if s.Usage.MaxMB < 0 || (s.Usage.MaxMB > 0 && s.Usage.MaxMB < MinLogMaxMB) || s.Usage.MaxMB > MaxLogMaxMB {
		add("usage.maxMB", "log_max_mb", "default", strconv.Itoa(DefaultLogMaxMB), "min", strconv.Itoa(MinLogMaxMB), "max", strconv.Itoa(MaxLogMaxMB))
	}
	for _, tier := range []string{"opus", "sonnet", "haiku"} {
		if m := s.ClaudeModels.Tier(tier); strings.TrimSpace(m) != m {
			add("claudeModels."+tier, "model_id_spaces")
		}
	}
	if s.ProviderTimeoutSeconds < 0 || s.ProviderTimeoutSeconds > 3600 {
		add("providerTimeoutSeconds", "default_or_range", "default", "300", "max", "3600")
	}
	validateAliases(s.Aliases, add)
	validateAssistants(s.Assistants, add)
	validateTitles(s.Titles, add)
	r := s.Routing
	if r.BreakerFailures < -1 || r.BreakerFailures > 100 {
		add("routing.breakerFailures", "breaker_failures", "default", "5", "max", "100")
	}
	if r.BreakerCooldownSeconds < 0 || r.BreakerCooldownSeconds > 3600 {
		add("routing.breakerCooldownSeconds", "default_or_range", "default", "60", "max", "3600")
	}
	if r.KeyRestSeconds < 0 || r.KeyRestSeconds > 3600 {
		add("routing.keyRestSeconds", "default_or_range", "default", "60", "max", "3600")
	}
	if !slices.Contains([]string{"", ThemeSystem, ThemeLight, ThemeDark}, s.Theme) {
		add("theme", "one_of", "a", ThemeSystem, "b", ThemeLight, "c", ThemeDark)
	}
	if !slices.Contains([]string{LanguageSystem, LanguageEnglish, LanguageChinese}, s.Language) {
		add("language", "language", "a", LanguageEnglish, "b", LanguageChinese)
	}
	return errors.Join(errs...)
}

func validateEndpoint(e Endpoint, add addFunc) {
	if !validHost(e.Host) {
		add("endpoint.host", "host")
	}
	if e.Port < 1 || e.Port > 65535 {
		add("endpoint.port", "port")
	}
	for i, o := range e.AllowedOrigins {
		if rule := originRule(o); rule != "" {
			add(fmt.Sprintf("endpoint.allowedOrigins[%d]", i), rule)
		}
	}
	for i, h := range e.AllowedHosts {
		host := h
		if hh, port, err := net.SplitHostPort(h); err == nil && validPort(port) {
			host = hh
		}
		if !validHost(host) && !validHost(strings.TrimPrefix(host, "*.")) {
			add(fmt.Sprintf("endpoint.allowedHosts[%d]", i), "host_port")
		}
	}
	if e.RateLimitPerMinute < 0 {
		add("endpoint.rateLimitPerMinute", "off_or_positive")
	}
	validateTokens(e.Tokens, add)
	known := append(responses.HostedTools(), responses.DropAll)
	for i, typ := range e.DropHostedTools {
		switch {
		case !slices.Contains(known, typ):
			add(fmt.Sprintf("endpoint.dropHostedTools[%d]", i), "hosted_tool", "value", typ, "known", strings.Join(known, ", "))
		case slices.Index(e.DropHostedTools, typ) < i:
			add(fmt.Sprintf("endpoint.dropHostedTools[%d]", i), "listed_twice", "value", typ)
		}
	}
}

func validateProxy(field string, p Proxy, add addFunc) {
	switch p.EffectiveMode() {
	case ProxySystem, ProxyNone:
	case ProxyCustom:
		if p.URL == "" {
			add(field+".url", "proxy_url_required", "mode", ProxyCustom)
			return
		}
	default:
		add(field+".mode", "one_of", "a", ProxySystem, "b", ProxyNone, "c", ProxyCustom)
	}
	if p.URL == "" {
		return
	}
	u, err := url.Parse(p.URL)
	if err != nil || u.Host == "" || !slices.Contains([]string{"http", "https", "socks5", "socks5h"}, u.Scheme) {
		add(field+".url", "proxy_url")
	}
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// originRule is the rule s breaks as an allowed origin, or "".
func originRule(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" || u.Opaque != "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(s, "/") {
		return "origin"
	}
	if p := u.Port(); p != "" && !validPort(p) {
		return "origin_port"
	}
	return ""
}

func validPort(p string) bool {
	n := 0
	for _, r := range p {
		if r < '0' || r > '9' {
			return false
		}
		n = n*10 + int(r-'0')
		if n > 65535 {
			return false
		}
	}
	return p != "" && n >= 1
}

// validHost accepts IP literals and DNS names (letters, digits, '-', '.').
func validHost(h string) bool {
	if inner, ok := strings.CutPrefix(h, "["); ok {
		inner, ok = strings.CutSuffix(inner, "]")
		return ok && net.ParseIP(inner) != nil
	}
	if net.ParseIP(h) != nil {
		return true
	}
	if h == "" || len(h) > 253 {
		return false
	}
	for label := range strings.SplitSeq(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '-' {
				return false
			}
		}
	}
	return true
}

// validateAliases checks what needs no catalog: names, duplicates and
// empty chains. Providers, models and cycles are checked against the
// catalog when settings are applied (catalog.CheckAliases).
func validateAliases(as []catalog.Alias, add addFunc) {
	seen := map[string]bool{}
	for i, a := range as {
		f := fmt.Sprintf("aliases[%d]", i)
		switch {
		case a.Name == "" || strings.ContainsAny(a.Name, "/ \t\r\n"):
			add(f+".name", "alias_name")
		case seen[a.Name]:
			add(f+".name", "duplicate_alias", "name", a.Name)
		}
		seen[a.Name] = true
		if len(a.Models) == 0 {
			add(f+".models", "alias_models")
		}
		for j, m := range a.Models {
			if strings.TrimSpace(m) == "" || strings.TrimSpace(m) != m {
				add(fmt.Sprintf("%s.models[%d]", f, j), "model_name")
			}
		}
	}
}

func validateTokens(ts []AccessToken, add addFunc) {
	seen := map[string]bool{}
	for i, t := range ts {
		f := fmt.Sprintf("endpoint.tokens[%d]", i)
		switch {
		case strings.TrimSpace(t.Name) == "":
			add(f+".name", "not_empty")
		case seen[t.Name]:
			add(f+".name", "token_name_taken", "name", t.Name)
		}
		seen[t.Name] = true
		if t.ID == "" || len(t.Hash) != 64 {
			add(f, "token_broken")
		}
		if t.RPM < 0 {
			add(f+".rpm", "no_limit_or_positive")
		}
		if b := t.Budget; b != nil && (b.Amount <= 0 || len(b.Currency) != 3 || (b.Period != BudgetDay && b.Period != BudgetMonth)) {
			add(f+".budget", "budget")
		}
	}
}
