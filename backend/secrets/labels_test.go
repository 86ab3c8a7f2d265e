package secrets

import (
	"errors"
	"testing"
)

func memStore(kr *MemoryKeyring, env map[string]string) *Store {
	return NewStore(Options{Keyring: kr, LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }})
}

func labelsOf(ks []LabeledKey) []string {
	var out []string
	for _, k := range ks {
		out = append(out, k.Label+"="+k.Value)
	}
	return out
}

func TestLabeledKeysRoundTrip(t *testing.T) {
	t.Parallel()
	kr := &MemoryKeyring{}
	s := memStore(kr, nil)
	// A key saved before labels existed is the default one, unmoved.
	if err := kr.Set(DefaultService, "deepseek", "sk-old"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetLabeled("deepseek", "work", "sk-work"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetLabeled("deepseek", "home", "sk-home"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetLabeled("deepseek", "work", "sk-work2"); err != nil { // replace, not add
		t.Fatal(err)
	}
	ks, err := s.KeyringKeys("deepseek")
	if got := labelsOf(ks); err != nil || len(got) != 3 || got[0] != "default=sk-old" || got[1] != "work=sk-work2" || got[2] != "home=sk-home" {
		t.Fatalf("keys %v %v; want default, work (replaced), home", got, err)
	}
	// A fresh store (a restart) reads the same from the keyring.
	ks, _ = memStore(kr, nil).KeyringKeys("deepseek")
	if len(ks) != 3 {
		t.Fatalf("after restart: %v", labelsOf(ks))
	}
	if err := s.DeleteLabeled("deepseek", "work"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteLabeled("deepseek", DefaultLabel); err != nil {
		t.Fatal(err)
	}
	ks, _ = s.KeyringKeys("deepseek")
	if got := labelsOf(ks); len(got) != 1 || got[0] != "home=sk-home" {
		t.Fatalf("after deletes: %v; want home only", got)
	}
	// With no default key, the labelled one is the provider's key.
	if key, info, err := s.ProviderKey("deepseek", nil); err != nil || key != "sk-home" || info.Source != SourceKeyring {
		t.Fatalf("ProviderKey = %q %+v %v; want the home key", key, info, err)
	}
	if err := s.DeleteLabeled("deepseek", "home"); err != nil {
		t.Fatal(err)
	}
	if _, err := kr.Get(DefaultService, "deepseek#labels"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("label index left behind: %v", err)
	}
}

func TestLabelChecks(t *testing.T) {
	t.Parallel()
	s := memStore(&MemoryKeyring{}, nil)
	for _, l := range []string{"", "a,b", "has space", "x#y", "a/b", string(make([]byte, 41))} {
		if err := s.SetLabeled("kimi", l, "sk-x"); !errors.Is(err, ErrBadLabel) {
			t.Errorf("label %q: got %v; want ErrBadLabel", l, err)
		}
	}
	if err := s.SetLabeled("kimi", "team.b-2_x", "sk-x"); err != nil {
		t.Errorf("a good label: %v", err)
	}
}
