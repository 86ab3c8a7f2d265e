package secrets

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// EnvVarNames returns the environment variables that may hold provider's
// API key, preferred name first: "<UPPER_ID_WITH_UNDERSCORES>_API_KEY" for
// every provider (so custom-openrouter reads CUSTOM_OPENROUTER_API_KEY),
// plus MOONSHOT_API_KEY for kimi, the name Moonshot's own docs use.
func EnvVarNames(provider string) []string {
	var b strings.Builder
	for _, r := range strings.ToUpper(provider) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	names := []string{b.String() + "_API_KEY"}
	if provider == "kimi" {
		names = append(names, "MOONSHOT_API_KEY")
	}
	return names
}

// ProviderKey returns provider's API key from the first layer that has one:
// the environment variables envNames (nil means EnvVarNames(provider)), the
// .env values, then the keyring entry named provider. The KeyInfo describes
// the result for the UI in every case.
//
// When no layer has a key the error matches ErrNotFound. When the keyring
// could not be asked the error matches ErrUnavailable and info.Error holds
// its message; keys from the environment are still returned without
// touching the keyring.
func (s *Store) ProviderKey(provider string, envNames []string) (string, KeyInfo, error) {
	if envNames == nil {
		envNames = EnvVarNames(provider)
	}
	info := KeyInfo{Provider: provider, Source: SourceNone}
	if len(envNames) > 0 {
		info.EnvVar = envNames[0]
	}
	found := func(key string, src Source, env string) (string, KeyInfo, error) {
		info.HasKey, info.Source, info.Hint = true, src, Mask(key)
		s.keys.add(key)
		if env != "" {
			info.EnvVar = env
		}
		return key, info, nil
	}
	// A variable that is set wins, even when its value is unusable: the
	// person gets told which one to fix, not a key from another layer.
	refused := func(src Source, name string) (string, KeyInfo, error) {
		err := fmt.Errorf("%s (%s) for %s: %w; every call would fail, so it is not used: fix the variable", name, src, provider, ErrInvalidKey)
		info.Source, info.EnvVar, info.Error = src, name, err.Error()
		return "", info, err
	}
	for _, name := range envNames {
		if v, ok := s.lookupEnv(name); ok && strings.TrimSpace(v) != "" {
			if !validKey(v) {
				return refused(SourceEnvironment, name)
			}
			return found(strings.TrimSpace(v), SourceEnvironment, name)
		}
	}
	for _, name := range envNames {
		if v := strings.TrimSpace(s.dotEnv[name]); v != "" {
			if !validKey(v) {
				return refused(SourceDotEnv, name)
			}
			return found(v, SourceDotEnv, name)
		}
	}
	key, err := s.get(provider)
	if err == nil {
		return found(key, SourceKeyring, "")
	}
	if !errors.Is(err, ErrNotFound) {
		info.Error = err.Error()
		return "", info, fmt.Errorf("api key for %s: %w", provider, err)
	}
	// No default key: a labelled one (`keys add --label work`) will do.
	if ks, _ := s.KeyringKeys(provider); len(ks) > 0 {
		return found(ks[0].Value, SourceKeyring, "")
	}
	hint := "save one in settings"
	if info.EnvVar != "" {
		hint = "set " + info.EnvVar + " or save one in settings"
	}
	return "", info, fmt.Errorf("no api key for %s (%s): %w", provider, hint, ErrNotFound)
}

// AccessToken returns the local endpoint's access token from the keyring.
// When none exists and create is true, a new random token is generated,
// stored and returned; otherwise the error matches ErrNotFound. Concurrent
// callers with create set get the same token.
func (s *Store) AccessToken(create bool) (string, error) {
	s.tokenMu.Lock()
	defer s.tokenMu.Unlock()
	tok, err := s.get(AccessTokenUser)
	switch {
	case err == nil:
		s.keys.add(tok)
		return tok, nil
	case create && errors.Is(err, ErrNotFound):
		return s.newAccessToken()
	}
	return "", fmt.Errorf("access token: %w", err)
}

// RegenerateAccessToken replaces the local endpoint's access token with a
// new random one and returns it, invalidating the old token for every
// client that still uses it.
func (s *Store) RegenerateAccessToken() (string, error) {
	s.tokenMu.Lock()
	defer s.tokenMu.Unlock()
	return s.newAccessToken()
}

func (s *Store) newAccessToken() (string, error) {
	tok, err := NewAccessToken()
	if err != nil {
		return "", err
	}
	if err := s.Set(AccessTokenUser, tok); err != nil {
		return "", err
	}
	return tok, nil
}

// NewAccessToken returns a fresh token: "tc-" followed by 32 random bytes in
// unpadded URL-safe base64, so it can be pasted into headers and URLs. The
// prefix lets Mask and secret scanners recognize it.
func NewAccessToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate access token: %w", err)
	}
	return "tc-" + base64.RawURLEncoding.EncodeToString(b), nil
}
