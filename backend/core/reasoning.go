package core

import (
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"thinkcloud/backend/secrets"
)

// reasoningKey returns the key that seals the reasoning /v1/responses
// hands to clients (see responses.Sealer). It should outlive a restart,
// or every conversation a client keeps (Codex keeps its reasoning only in
// that sealed form) breaks when ThinkCloud restarts. In order:
//
//  1. the keyring's entry, created on first use: one key per install,
//     never in a file;
//  2. without a keyring (a headless server), a key derived from
//     THINKCLOUD_ACCESS_TOKEN, the secret such a server is configured with
//     anyway, so restarts keep working there too;
//  3. otherwise a key for this run only, and a warning that sealed
//     reasoning will not open after a restart.
func (c *Core) reasoningKey() ([]byte, error) {
	stored, err := c.secrets.Get(secrets.ReasoningKeyUser)
	if err == nil {
		if k, err := base64.StdEncoding.DecodeString(stored); err == nil && len(k) == 32 {
			return k, nil
		}
		c.opts.Logger.Warn("the keyring's reasoning key is damaged; making a new one (earlier sealed reasoning will not open)")
	}
	if err == nil || errors.Is(err, secrets.ErrNotFound) {
		k := make([]byte, 32)
		rand.Read(k)
		if err = c.secrets.Set(secrets.ReasoningKeyUser, base64.StdEncoding.EncodeToString(k)); err == nil {
			return k, nil
		}
	}
	if tok, ok := c.opts.LookupEnv(TokenEnv); ok && strings.TrimSpace(tok) != "" {
		k, err := hkdf.Key(sha256.New, []byte(strings.TrimSpace(tok)), nil, "thinkcloud responses reasoning key v1", 32)
		if err != nil {
			return nil, fmt.Errorf("derive the reasoning key: %w", err)
		}
		return k, nil
	}
	c.opts.Logger.Warn("no keyring and no "+TokenEnv+": reasoning sealed for /v1/responses clients will not open after a restart", "keyring", err)
	k := make([]byte, 32)
	rand.Read(k)
	return k, nil
}
