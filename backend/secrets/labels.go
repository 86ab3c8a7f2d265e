package secrets

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// DefaultLabel names the key stored under the provider's own keyring
// entry: the only key before keys had labels, so an existing key needs no
// migration.
const DefaultLabel = "default"

// A provider's further keys live in entries "<provider>#<label>", and the
// entry "<provider>#labels" lists their labels comma-separated (a keyring
// cannot be listed). Provider ids have no "#", so no entry name collides.
const labelSep = "#"

// LabeledKey is one of a provider's keys.
type LabeledKey struct {
	// Label names it ("default", "work").
	Label string
	// Value is the key; never shown or logged.
	Value string
}

// ErrBadLabel is returned for a label that cannot name a key.
var ErrBadLabel = errors.New("invalid key label")

// CheckLabel accepts 1 to 40 letters, digits, '-', '_' or '.'.
func CheckLabel(label string) error {
	if label == "" || len(label) > 40 {
		return fmt.Errorf("%w %q: use 1 to 40 letters, digits, '-', '_' or '.'", ErrBadLabel, label)
	}
	for _, r := range label {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return fmt.Errorf("%w %q: use 1 to 40 letters, digits, '-', '_' or '.'", ErrBadLabel, label)
		}
	}
	return nil
}

func entryName(provider, label string) string {
	if label == DefaultLabel {
		return provider
	}
	return provider + labelSep + label
}

// labels reads the index of provider's labelled keys (default excluded).
func (s *Store) labels(provider string) ([]string, error) {
	v, err := s.get(provider + labelSep + "labels")
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range strings.Split(v, ",") {
		if l = strings.TrimSpace(l); l != "" && CheckLabel(l) == nil && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out, nil
}

func (s *Store) writeLabels(provider string, labels []string) error {
	name := provider + labelSep + "labels"
	if len(labels) == 0 {
		return s.Delete(name)
	}
	return s.Set(name, strings.Join(labels, ","))
}

// KeyringKeys returns provider's keys in the keyring, the default first,
// then the others in the order they were added. A label whose entry has
// gone (deleted in a keyring UI) is left out.
func (s *Store) KeyringKeys(provider string) ([]LabeledKey, error) {
	var out []LabeledKey
	v, err := s.get(provider)
	switch {
	case err == nil:
		out = append(out, LabeledKey{Label: DefaultLabel, Value: v})
	case !errors.Is(err, ErrNotFound):
		return nil, fmt.Errorf("api key for %s: %w", provider, err)
	}
	labels, err := s.labels(provider)
	if err != nil {
		return out, fmt.Errorf("key labels for %s: %w", provider, err)
	}
	for _, l := range labels {
		v, err := s.get(entryName(provider, l))
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return out, fmt.Errorf("api key %s for %s: %w", l, provider, err)
		}
		s.keys.add(v)
		out = append(out, LabeledKey{Label: l, Value: v})
	}
	return out, nil
}

// SetLabeled stores key under label for provider; DefaultLabel is the
// provider's own entry, as a key saved without a label always was.
func (s *Store) SetLabeled(provider, label, key string) error {
	if err := CheckLabel(label); err != nil {
		return err
	}
	if err := s.Set(entryName(provider, label), key); err != nil {
		return err
	}
	if label == DefaultLabel {
		return nil
	}
	s.labelsMu.Lock()
	defer s.labelsMu.Unlock()
	labels, err := s.labels(provider)
	if err != nil {
		return err
	}
	if slices.Contains(labels, label) {
		return nil
	}
	return s.writeLabels(provider, append(labels, label))
}

// DeleteLabeled removes provider's key of label; a missing one is fine.
func (s *Store) DeleteLabeled(provider, label string) error {
	if err := CheckLabel(label); err != nil {
		return err
	}
	if err := s.Delete(entryName(provider, label)); err != nil {
		return err
	}
	if label == DefaultLabel {
		return nil
	}
	s.labelsMu.Lock()
	defer s.labelsMu.Unlock()
	labels, err := s.labels(provider)
	if err != nil {
		return err
	}
	if !slices.Contains(labels, label) {
		return nil
	}
	return s.writeLabels(provider, slices.DeleteFunc(labels, func(l string) bool { return l == label }))
}
