package responses

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestSealer(t *testing.T) {
	t.Parallel()
	s := testSealer()
	blob, err := s.Seal("step one\nstep two", "deepseek-v4-pro")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(blob, sealPrefix) || strings.Contains(blob, "step") {
		t.Fatalf("blob %q is not opaque", blob)
	}
	if text, err := s.Open(blob); err != nil || text != "step one\nstep two" {
		t.Fatalf("Open = %q, %v", text, err)
	}
	again, _ := s.Seal("step one\nstep two", "deepseek-v4-pro")
	if again == blob {
		t.Error("two seals of the same text are equal: the nonce is not fresh")
	}
	other := NewSealer(func() ([]byte, error) { return bytes.Repeat([]byte{9}, 32), nil })
	flipped := []byte(blob)
	flipped[len(flipped)-3] ^= 1
	for _, tc := range []struct {
		name string
		s    *Sealer
		blob string
		want error
	}{
		{"another install's key", other, blob, ErrForged},
		{"altered", s, string(flipped), ErrForged},
		{"truncated", s, blob[:10], ErrForged},
		{"not base64", s, sealPrefix + "!!!", ErrForged},
		{"OpenAI's", s, "gAAAAABoXYZ", ErrForeign},
		{"empty", s, "", ErrForeign},
	} {
		if _, err := tc.s.Open(tc.blob); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v; want %v", tc.name, err, tc.want)
		}
	}
}

func TestSealerKeyProblems(t *testing.T) {
	t.Parallel()
	short := NewSealer(func() ([]byte, error) { return []byte("short"), nil })
	if _, err := short.Seal("x", ""); err == nil || !strings.Contains(err.Error(), "32 bytes") {
		t.Errorf("short key: got %v", err)
	}
	broken := NewSealer(func() ([]byte, error) { return nil, errors.New("keyring locked") })
	if _, err := broken.Open(sealPrefix + "AAAA"); err == nil || !strings.Contains(err.Error(), "keyring locked") {
		t.Errorf("broken key: got %v", err)
	}
	var none *Sealer
	if _, err := none.Seal("x", ""); err == nil {
		t.Error("a nil Sealer sealed")
	}
	if _, e := none.opener()("input[0]", sealPrefix+"AAAA"); e == nil || e.Status != 500 {
		t.Errorf("nil opener: got %v", e)
	}
}
