package config

import (
	"errors"
	"fmt"
	"maps"
	"net"
	"net/url"
	"slices"
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
	// Problem says what is wrong, as a lower-case phrase.
	Problem string
}

// Error returns "field: problem".
func (e *FieldError) Error() string { return e.Field + ": " + e.Problem }

// maxIDLen bounds provider ids; they become keyring entry names and env
// variable names.
const maxIDLen = 64

// ValidateCustomProviderID reports whether id can name a new custom
// provider: 1..64 characters of a-z, 0-9 and '-', starting with a letter or
// digit, and not a built-in or reserved id. The add-provider dialog can call
// it while the user types.
func ValidateCustomProviderID(id string) error {
	if err := validateIDSyntax(id); err != nil {
		return err
	}
	if slices.Contains(BuiltinProviderIDs(), id) {
		return fmt.Errorf("%q is a built-in provider id", id)
	}
	if slices.Contains(reservedIDs(), id) {
		return fmt.Errorf("%q is reserved", id)
	}
	return nil
}

func validateIDSyntax(id string) error {
	switch {
	case id == "":
		return errors.New("must not be empty")
	case len(id) > maxIDLen:
		return fmt.Errorf("must be at most %d characters", maxIDLen)
	case id[0] == '-':
		return errors.New("must start with a letter or digit")
	}
	for _, r := range id {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return errors.New("may only contain lowercase letters, digits and '-'")
		}
	}
	return nil
}

// Validate checks every field and returns all problems joined, each a
// *FieldError naming its field, or nil. Load and Save call it, so invalid
// settings are never written.
func (s Settings) Validate() error {
	var errs []error
	add := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
	}
	if s.Version < 0 {
		add("version", "must not be negative")
	}
	validateBackground(s, add)
	for _, id := range slices.Sorted(maps.Keys(s.Providers)) {
		p := s.Providers[id]
		f := "providers." + id
		if err := validateIDSyntax(id); err != nil {
			add(f, "invalid provider id: %v", err)
		}
		if p.BaseURL != "" {
			if err := checkHTTPURL(p.BaseURL); err != nil {
				add(f+".baseURL", "%v", err)
			}
		}
		if strings.TrimSpace(p.Region) != p.Region {
			add(f+".region", "must not have surrounding spaces")
		}
		validateProxy(f+".proxy", p.Proxy, add)
		if !slices.Contains([]string{"", AnthropicNative, AnthropicTranslate}, p.AnthropicAPI) {
			add(f+".anthropicAPI", "must be empty, %q or %q", AnthropicNative, AnthropicTranslate)
		}
	}
	seen := map[string]bool{}
	for i, c := range s.CustomProviders {
		f := fmt.Sprintf("customProviders[%d]", i)
		if err := ValidateCustomProviderID(c.ID); err != nil {
			add(f+".id", "%v", err)
		} else if seen[c.ID] {
			add(f+".id", "duplicate id %q", c.ID)
		}
		seen[c.ID] = true
		if strings.TrimSpace(c.Name) == "" {
			add(f+".name", "must not be empty")
		}
		if err := checkHTTPURL(c.BaseURL); err != nil {
			add(f+".baseURL", "%v", err)
		}
		for j, m := range c.Models {
			if strings.TrimSpace(m) == "" || strings.TrimSpace(m) != m {
				add(fmt.Sprintf("%s.models[%d]", f, j), "must be a non-empty model id without surrounding spaces")
			}
		}
		validateProxy(f+".proxy", c.Proxy, add)
	}
	validateEndpoint(s.Endpoint, add)
	if s.Usage.RetentionDays < 0 || s.Usage.RetentionDays > MaxRetentionDays {
		add("usage.retentionDays", "must be 0 (the default, %d) or 1 to %d days", DefaultRetentionDays, MaxRetentionDays)
	}
	if s.Usage.MaxMB < 0 || (s.Usage.MaxMB > 0 && s.Usage.MaxMB < MinLogMaxMB) || s.Usage.MaxMB > MaxLogMaxMB {
		add("usage.maxMB", "must be 0 (the default, %d) or %d to %d MB", DefaultLogMaxMB, MinLogMaxMB, MaxLogMaxMB)
	}
	for _, tier := range []string{"opus", "sonnet", "haiku"} {
		if m := s.ClaudeModels.Tier(tier); strings.TrimSpace(m) != m {
			add("claudeModels."+tier, "must be a model id without surrounding spaces")
		}
	}
	if s.ProviderTimeoutSeconds < 0 || s.ProviderTimeoutSeconds > 3600 {
		add("providerTimeoutSeconds", "must be 0 (the default, 300) or 1..3600")
	}
	validateAliases(s.Aliases, add)
	validateAssistants(s.Assistants, add)
	validateTitles(s.Titles, add)
	r := s.Routing
	if r.BreakerFailures < -1 || r.BreakerFailures > 100 {
		add("routing.breakerFailures", "must be -1 (off), 0 (the default, 5) or 1..100")
	}
	if r.BreakerCooldownSeconds < 0 || r.BreakerCooldownSeconds > 3600 {
		add("routing.breakerCooldownSeconds", "must be 0 (the default, 60) or 1..3600")
	}
	if r.KeyRestSeconds < 0 || r.KeyRestSeconds > 3600 {
		add("routing.keyRestSeconds", "must be 0 (the default, 60) or 1..3600")
	}
	if !slices.Contains([]string{"", ThemeSystem, ThemeLight, ThemeDark}, s.Theme) {
		add("theme", "must be %q, %q or %q", ThemeSystem, ThemeLight, ThemeDark)
	}
	if !slices.Contains([]string{LanguageSystem, LanguageEnglish, LanguageChinese}, s.Language) {
		add("language", "must be empty (follow the system), %q or %q", LanguageEnglish, LanguageChinese)
	}
	return errors.Join(errs...)
}

func validateEndpoint(e Endpoint, add func(field, format string, args ...any)) {
	if !validHost(e.Host) {
		add("endpoint.host", "must be an IP address or host name")
	}
	if e.Port < 1 || e.Port > 65535 {
		add("endpoint.port", "must be 1..65535")
	}
	for i, o := range e.AllowedOrigins {
		if err := checkOrigin(o); err != nil {
			add(fmt.Sprintf("endpoint.allowedOrigins[%d]", i), "%v", err)
		}
	}
	for i, h := range e.AllowedHosts {
		host := h
		if hh, port, err := net.SplitHostPort(h); err == nil && validPort(port) {
			host = hh
		}
		if !validHost(host) && !validHost(strings.TrimPrefix(host, "*.")) {
			add(fmt.Sprintf("endpoint.allowedHosts[%d]", i), "must be a host name or IP address, optionally with :port")
		}
	}
	if e.RateLimitPerMinute < 0 {
		add("endpoint.rateLimitPerMinute", "must be 0 (off) or positive")
	}
	validateTokens(e.Tokens, add)
	known := append(responses.HostedTools(), responses.DropAll)
	for i, typ := range e.DropHostedTools {
		switch {
		case !slices.Contains(known, typ):
			add(fmt.Sprintf("endpoint.dropHostedTools[%d]", i), "%q is not a hosted tool type; use one of %s", typ, strings.Join(known, ", "))
		case slices.Index(e.DropHostedTools, typ) < i:
			add(fmt.Sprintf("endpoint.dropHostedTools[%d]", i), "%q is listed twice", typ)
		}
	}
}

func validateProxy(field string, p Proxy, add func(field, format string, args ...any)) {
	switch p.EffectiveMode() {
	case ProxySystem, ProxyNone:
	case ProxyCustom:
		if p.URL == "" {
			add(field+".url", "is required when mode is %q", ProxyCustom)
			return
		}
	default:
		add(field+".mode", "must be %q, %q or %q", ProxySystem, ProxyNone, ProxyCustom)
	}
	if p.URL == "" {
		return
	}
	u, err := url.Parse(p.URL)
	if err != nil || u.Host == "" || !slices.Contains([]string{"http", "https", "socks5", "socks5h"}, u.Scheme) {
		add(field+".url", "must be an http://, https://, socks5:// or socks5h:// URL with a host")
	}
}

func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("must be an http:// or https:// URL with a host")
	}
	return nil
}

func checkOrigin(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" || u.Opaque != "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(s, "/") {
		return errors.New("must be an origin like http://localhost:5173 (scheme://host[:port], no path)")
	}
	if p := u.Port(); p != "" && !validPort(p) {
		return errors.New("has an invalid port")
	}
	return nil
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
func validateAliases(as []catalog.Alias, add func(field, format string, args ...any)) {
	seen := map[string]bool{}
	for i, a := range as {
		f := fmt.Sprintf("aliases[%d]", i)
		switch {
		case a.Name == "" || strings.ContainsAny(a.Name, "/ \t\r\n"):
			add(f+".name", "must be a non-empty name without spaces or \"/\" (that form means provider/model)")
		case seen[a.Name]:
			add(f+".name", "duplicate alias %q", a.Name)
		}
		seen[a.Name] = true
		if len(a.Models) == 0 {
			add(f+".models", "must name at least one model")
		}
		for j, m := range a.Models {
			if strings.TrimSpace(m) == "" || strings.TrimSpace(m) != m {
				add(fmt.Sprintf("%s.models[%d]", f, j), "must be a non-empty model name without surrounding spaces")
			}
		}
	}
}

func validateTokens(ts []AccessToken, add func(field, format string, args ...any)) {
	seen := map[string]bool{}
	for i, t := range ts {
		f := fmt.Sprintf("endpoint.tokens[%d]", i)
		switch {
		case strings.TrimSpace(t.Name) == "":
			add(f+".name", "must not be empty")
		case seen[t.Name]:
			add(f+".name", "%q is used by another token", t.Name)
		}
		seen[t.Name] = true
		if t.ID == "" || len(t.Hash) != 64 {
			add(f, "has no id or no secret hash; revoke it and create a new one")
		}
		if t.RPM < 0 {
			add(f+".rpm", "must be 0 (no limit) or positive")
		}
		if b := t.Budget; b != nil && (b.Amount <= 0 || len(b.Currency) != 3 || (b.Period != BudgetDay && b.Period != BudgetMonth)) {
			add(f+".budget", "needs an amount > 0, a 3-letter currency and the period \"day\" or \"month\"")
		}
	}
}
