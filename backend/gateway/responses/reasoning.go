package responses

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"thinkcloud/backend/gateway"
)

// Sealer turns a provider's reasoning into the opaque encrypted_content of
// a reasoning item, and back. Clients that keep no state on the server
// (Codex sends store: false and the whole conversation each turn) keep
// reasoning only there, and DeepSeek, Kimi and Qwen need it again inside a
// tool loop. It is AES-256-GCM under one key per install: a client cannot
// read, alter or forge it, and content from anywhere else is refused.
type Sealer struct {
	key  func() ([]byte, error)
	once sync.Once
	aead cipher.AEAD
	err  error
}

// sealPrefix marks content ThinkCloud sealed, and the format's version.
const sealPrefix = "tc1_"

// sealAAD binds sealed content to its use, so a blob made for something
// else under the same key does not open here.
var sealAAD = []byte("thinkcloud/responses/reasoning/v1")

// Errors of Open; both reach clients as a 400.
var (
	// ErrForeign is content another service made (OpenAI's own
	// encrypted_content), which only that service can read.
	ErrForeign = errors.New("not made by ThinkCloud")
	// ErrForged is content that looks like ThinkCloud's but does not open
	// with this install's key: altered, or sealed by another install.
	ErrForged = errors.New("altered, or sealed by another ThinkCloud install")
)

// NewSealer returns a Sealer whose 32-byte key comes from key, asked once
// on first use.
func NewSealer(key func() ([]byte, error)) *Sealer { return &Sealer{key: key} }

func (s *Sealer) init() error {
	if s == nil {
		return errors.New("no reasoning key is set up")
	}
	s.once.Do(func() {
		k, err := s.key()
		if err != nil {
			s.err = fmt.Errorf("reasoning key: %w", err)
			return
		}
		if len(k) != 32 {
			s.err = fmt.Errorf("reasoning key: want 32 bytes, got %d", len(k))
			return
		}
		block, _ := aes.NewCipher(k)
		s.aead, s.err = cipher.NewGCM(block)
	})
	return s.err
}

// sealed is what the ciphertext holds.
type sealed struct {
	Text  string `json:"t"`
	Model string `json:"m,omitempty"`
}

// Seal returns text (written by model) as encrypted_content.
func (s *Sealer) Seal(text, model string) (string, error) {
	if err := s.init(); err != nil {
		return "", err
	}
	plain, _ := json.Marshal(sealed{Text: text, Model: model})
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := s.aead.Seal(nonce, nonce, plain, sealAAD)
	return sealPrefix + base64.RawURLEncoding.EncodeToString(out), nil
}

// Open returns the reasoning text sealed in blob.
func (s *Sealer) Open(blob string) (string, error) {
	rest, ok := strings.CutPrefix(blob, sealPrefix)
	if !ok {
		return "", ErrForeign
	}
	if err := s.init(); err != nil {
		return "", err
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil || len(raw) < s.aead.NonceSize()+s.aead.Overhead() {
		return "", ErrForged
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], sealAAD)
	if err != nil {
		return "", ErrForged
	}
	var v sealed
	if json.Unmarshal(plain, &v) != nil {
		return "", ErrForged
	}
	return v.Text, nil
}

// opener adapts Open to the messages builder, with errors a client can
// act on.
func (s *Sealer) opener() func(where, blob string) (string, *gateway.Error) {
	return func(where, blob string) (string, *gateway.Error) {
		if s == nil {
			return "", &gateway.Error{Status: 500, Message: "no reasoning key is set up"}
		}
		text, err := s.Open(blob)
		switch {
		case err == nil:
			return text, nil
		case errors.Is(err, ErrForeign):
			return "", encryptedError(where, "was not made by ThinkCloud (it comes from OpenAI or another gateway, which alone can read it); "+
				"a conversation cannot move its reasoning to another provider: start a new conversation, or leave that reasoning item out")
		case errors.Is(err, ErrForged):
			return "", encryptedError(where, "does not open with this install's key: it was altered, or made by another ThinkCloud install "+
				"(or before its reasoning key was lost); start a new conversation, or leave that reasoning item out")
		}
		return "", &gateway.Error{Status: 500, Type: "server_error", Message: "opening reasoning: " + err.Error()}
	}
}

func encryptedError(where, why string) *gateway.Error {
	return &gateway.Error{Status: 400, Type: "invalid_request_error", Param: where + ".encrypted_content", Code: "invalid_encrypted_content",
		Message: where + ".encrypted_content " + why}
}
