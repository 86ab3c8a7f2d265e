package anthropic

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"thinkcloud/backend/gateway"
)

// A thinking block's signature is how reasoning survives a tool loop: the
// client (Claude Code) keeps the block and sends it back on the next
// turn, and the reasoning must then reach the provider in its own field
// (reasoning_content). The block already carries the text, so the
// signature only has to prove the text is what this gateway handed out:
//
//	tc1.<provider>.<base64url HMAC-SHA256(key, "tc1" NUL provider NUL text)>
//
// When the client asked for the thinking text to be omitted (Claude Code
// sends thinking.display "omitted"), the block's text is empty and the
// signature carries it instead, as a fourth part: base64url of the text.
//
// with key = Router.SigningKey(provider), derived from that provider's API
// key: nothing new is stored, a restart keeps every signature valid, and
// nobody without the key can forge one. Signatures from elsewhere
// (Anthropic's, or a provider's own Anthropic API) are refused by name.
const sigVersion = "tc1"

// KeyFunc returns the signing key of provider.
type KeyFunc func(provider string) ([]byte, *gateway.Error)

// Sign returns the signature of reasoning text produced by provider.
func Sign(key []byte, provider, text string) string {
	return sigVersion + "." + provider + "." + base64.RawURLEncoding.EncodeToString(mac(key, provider, text))
}

// SignCarrying returns a signature that also carries text, for a
// thinking block whose text is omitted.
func SignCarrying(key []byte, provider, text string) string {
	return Sign(key, provider, text) + "." + base64.RawURLEncoding.EncodeToString([]byte(text))
}

func mac(key []byte, provider, text string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(sigVersion + "\x00" + provider + "\x00" + text))
	return h.Sum(nil)
}

// verifier checks the signatures of one request, asking for each
// provider's key once.
type verifier struct {
	key  KeyFunc
	keys map[string][]byte
}

// verify checks that sig was issued by this gateway for the block's text
// and returns the reasoning it stands for (the text, or what the
// signature carries when the text was omitted). param names the block in
// errors.
func (v *verifier) verify(param, text, sig string) (string, *gateway.Error) {
	parts := strings.SplitN(sig, ".", 4)
	if len(parts) < 3 || parts[0] != sigVersion || parts[1] == "" {
		return "", gateway.InvalidParam(param, param+": this thinking block's signature was not issued by ThinkCloud (it may come from Anthropic or from a provider's own Anthropic API, e.g. after switching models); remove the thinking block or start a new conversation")
	}
	provider := parts[1]
	key, ok := v.keys[provider]
	if !ok {
		k, e := v.key(provider)
		if e != nil {
			return "", gateway.InvalidParam(param, param+": this thinking block was signed for "+provider+", which cannot be reached now to check it ("+e.Message+")")
		}
		if v.keys == nil {
			v.keys = map[string][]byte{}
		}
		key, v.keys[provider] = k, k
	}
	if len(parts) == 4 {
		carried, err := base64.RawURLEncoding.DecodeString(parts[3])
		if err != nil || (text != "" && text != string(carried)) {
			return "", v.mismatch(param)
		}
		text = string(carried)
	}
	got, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(got, mac(key, provider, text)) {
		return "", v.mismatch(param)
	}
	return text, nil
}

func (v *verifier) mismatch(param string) *gateway.Error {
	return gateway.InvalidParam(param, param+": this thinking block's signature does not match its text (the block was edited, or signed with another API key); send thinking blocks back unchanged")
}
