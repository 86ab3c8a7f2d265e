// Package tokens makes and checks the named access tokens local tools use
// as API keys (config.AccessToken), and enforces their limits: which
// models a token may call, its requests per minute and its spend budget.
// Secrets are 256 random bits; only their SHA-256 is ever stored.
package tokens

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/config"
)

// Prefix starts every secret, so a leaked one is recognisable (and secret
// scanners can be taught it).
const Prefix = "tc-"

// New makes a token named name. The secret is returned once and stored
// nowhere; the entry holds its hash.
func New(name string, now time.Time) (secret string, t config.AccessToken, err error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", t, fmt.Errorf("a token needs a name")
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", t, fmt.Errorf("make token secret: %w", err)
	}
	secret = Prefix + base64.RawURLEncoding.EncodeToString(b[:])
	var id [8]byte
	rand.Read(id[:])
	return secret, config.AccessToken{
		ID: "tok_" + hex.EncodeToString(id[:]), Name: name, Hash: Hash(secret),
		Hint: Prefix + "…" + secret[len(secret)-4:], Created: now.UTC(),
	}, nil
}

// Hash is the hex SHA-256 of a secret, as stored in AccessToken.Hash.
func Hash(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// Find returns the token whose secret is secret. Hashes are compared in
// constant time.
func Find(ts []config.AccessToken, secret string) (config.AccessToken, bool) {
	if secret == "" {
		return config.AccessToken{}, false
	}
	h := []byte(Hash(secret))
	for _, t := range ts {
		if subtle.ConstantTimeCompare(h, []byte(t.Hash)) == 1 {
			return t, true
		}
	}
	return config.AccessToken{}, false
}

// ParseBudget reads "5USD/month", "20 CNY/day" or "5usd" (a month).
func ParseBudget(s string) (*config.Budget, error) {
	amount, period, _ := strings.Cut(strings.ReplaceAll(strings.TrimSpace(s), " ", ""), "/")
	if period == "" {
		period = config.BudgetMonth
	}
	i := strings.IndexFunc(amount, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	bad := fmt.Errorf("budget %q: write an amount, a currency and day or month, like 5USD/month or 20CNY/day", s)
	if i <= 0 {
		return nil, bad
	}
	v, err := strconv.ParseFloat(amount[:i], 64)
	cur := strings.ToUpper(amount[i:])
	period = strings.ToLower(period)
	if err != nil || v <= 0 || len(cur) != 3 || (period != config.BudgetDay && period != config.BudgetMonth) {
		return nil, bad
	}
	return &config.Budget{Amount: v, Currency: cur, Period: period}, nil
}

// FormatBudget is the inverse of ParseBudget.
func FormatBudget(b *config.Budget) string {
	if b == nil {
		return ""
	}
	return strconv.FormatFloat(b.Amount, 'f', -1, 64) + b.Currency + "/" + b.Period
}

// Allows reports whether t may call model m, asked for as asked. An entry
// of t.Models matches by the provider's id, the name asked, a name the
// catalog resolves to the same model (an alias), or a pattern over
// "provider/model" ids ("deepseek/*").
func Allows(t config.AccessToken, m catalog.Model, asked string, resolve func(string) (catalog.Model, error)) bool {
	if len(t.Models) == 0 {
		return true
	}
	for _, e := range t.Models {
		if e == m.Provider || e == asked || e == m.ID || e == m.Upstream {
			return true
		}
		if ok, _ := path.Match(e, m.ID); ok {
			return true
		}
		if resolve != nil {
			if r, err := resolve(e); err == nil && r.ID == m.ID {
				return true
			}
		}
	}
	return false
}
