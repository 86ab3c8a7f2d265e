package config

import "time"

// AccessToken is one named token a local tool uses as its API key. The
// secret itself is never stored: only its SHA-256 (the secret is 256
// random bits, so a fast hash is as good as a slow one) and a hint of its
// last characters, so a stolen settings file reveals nothing usable.
type AccessToken struct {
	// ID never changes, so a rename keeps the token's request log.
	ID string `json:"id"`
	// Name is how people and the request log call the token; unique.
	Name string `json:"name"`
	// Hash is the hex SHA-256 of the secret.
	Hash string `json:"hash"`
	// Hint is the secret's prefix and last four characters, for telling
	// tokens apart ("tc-…x9Qa").
	Hint string `json:"hint"`
	// Created is when the token was made.
	Created time.Time `json:"created"`
	// Models limits the token to these providers or models (ids, aliases,
	// "provider/model", or "provider" for all of a provider's models);
	// empty allows every model.
	Models []string `json:"models,omitempty"`
	// RPM caps requests per minute; 0 means no cap of the token's own.
	RPM int `json:"rpm,omitempty"`
	// Budget caps spending; nil means none.
	Budget *Budget `json:"budget,omitempty"`
}

// Budget is a spending cap per calendar day or month (UTC).
type Budget struct {
	// Amount is the cap, > 0.
	Amount float64 `json:"amount"`
	// Currency is an ISO 4217 code ("USD", "CNY"); only spend priced in it
	// counts.
	Currency string `json:"currency"`
	// Period is BudgetDay or BudgetMonth.
	Period string `json:"period"`
}

// Budget periods.
const (
	BudgetDay   = "day"
	BudgetMonth = "month"
)

// Usage log defaults (Settings.Usage).
const (
	// DefaultRetentionDays is how long request log rows are kept.
	DefaultRetentionDays = 90
	// DefaultLogMaxMB caps the request log file.
	DefaultLogMaxMB = 512
	// The bounds Settings → Usage accepts: ten years; 16 MB (a few
	// days of heavy use) to 1 TiB.
	MaxRetentionDays = 3650
	MinLogMaxMB      = 16
	MaxLogMaxMB      = 1 << 20
)

// Usage configures the request log.
type Usage struct {
	// Disabled turns the request log off; nothing is recorded.
	Disabled bool `json:"disabled,omitempty"`
	// RetentionDays is how long rows are kept; 0 means
	// DefaultRetentionDays.
	RetentionDays int `json:"retentionDays,omitempty"`
	// MaxMB caps the log's size; the oldest rows go first; 0 means
	// DefaultLogMaxMB.
	MaxMB int `json:"maxMB,omitempty"`
	// Metrics serves GET /metrics in Prometheus' text format, behind the
	// endpoint's guards. Default off.
	Metrics bool `json:"metrics,omitempty"`
}

// Retention is RetentionDays with 0 read as the default.
func (u Usage) Retention() time.Duration {
	d := u.RetentionDays
	if d <= 0 {
		d = DefaultRetentionDays
	}
	return time.Duration(d) * 24 * time.Hour
}

// MaxBytes is MaxMB with 0 read as the default.
func (u Usage) MaxBytes() int64 {
	m := u.MaxMB
	if m <= 0 {
		m = DefaultLogMaxMB
	}
	return int64(m) << 20
}

// Token returns the token named name.
func (e Endpoint) Token(name string) (AccessToken, bool) {
	for _, t := range e.Tokens {
		if t.Name == name {
			return t, true
		}
	}
	return AccessToken{}, false
}
