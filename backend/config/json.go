package config

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// extraFields holds JSON members this version does not know, keyed by name,
// so a file written by a newer ThinkCloud survives a load/save round trip.
// Values are never modified after decoding, so copies of a struct may share
// the map.
type extraFields map[string]json.RawMessage

// decodeKeepingUnknown decodes data into dst (a pointer to a struct type
// without custom JSON methods) and returns the members that no field of
// dst claims. Matching is case-insensitive, as in encoding/json.
func decodeKeepingUnknown(data []byte, dst any) (extraFields, error) {
	if err := json.Unmarshal(data, dst); err != nil {
		return nil, err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, err
	}
	known := jsonNames(reflect.TypeOf(dst).Elem())
	for name := range all {
		if slices.ContainsFunc(known, func(k string) bool { return strings.EqualFold(k, name) }) {
			delete(all, name)
		}
	}
	if len(all) == 0 {
		return nil, nil
	}
	return all, nil
}

// jsonNames lists the JSON member names of struct type t's exported fields.
func jsonNames(t reflect.Type) []string {
	var names []string
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		names = append(names, name)
	}
	return names
}

// encodeWithUnknown marshals v (a struct without custom JSON methods) and
// appends extra's members in sorted order after the known fields.
func encodeWithUnknown(v any, extra extraFields) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	buf := bytes.NewBuffer(b[:len(b)-1]) // drop the closing brace
	for _, k := range slices.Sorted(maps.Keys(extra)) {
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		name, _ := json.Marshal(k)
		buf.Write(name)
		buf.WriteByte(':')
		buf.Write(extra[k])
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// decodeOnto decodes data into v, which the caller pre-filled with
// defaults, and stores the unknown members in *extra. JSON null leaves v
// unchanged, as encoding/json does for plain structs.
func decodeOnto(data []byte, v any, extra *extraFields) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	e, err := decodeKeepingUnknown(data, v)
	if err != nil {
		return err
	}
	*extra = e
	return nil
}

// Each type below decodes on top of its own defaults, so a member missing
// from the file keeps its default (for example "enabled" stays true), and
// keeps unknown members in its extra field.

// UnmarshalJSON decodes settings on top of Defaults and keeps unknown
// members for the next save.
func (s *Settings) UnmarshalJSON(data []byte) error {
	type plain Settings
	v := plain(Defaults())
	if err := decodeOnto(data, &v, &v.extra); err != nil {
		return err
	}
	*s = Settings(v)
	return nil
}

// MarshalJSON writes the known fields followed by the unknown members read
// from the file.
func (s Settings) MarshalJSON() ([]byte, error) {
	type plain Settings
	return encodeWithUnknown(plain(s), s.extra)
}

// UnmarshalJSON decodes on top of the provider defaults and keeps unknown
// members.
func (p *ProviderSettings) UnmarshalJSON(data []byte) error {
	type plain ProviderSettings
	v := plain(defaultProvider())
	if err := decodeOnto(data, &v, &v.extra); err != nil {
		return err
	}
	*p = ProviderSettings(v)
	return nil
}

// MarshalJSON writes the known fields and the kept unknown members.
func (p ProviderSettings) MarshalJSON() ([]byte, error) {
	type plain ProviderSettings
	return encodeWithUnknown(plain(p), p.extra)
}

// UnmarshalJSON decodes on top of the system proxy mode and keeps unknown
// members.
func (p *Proxy) UnmarshalJSON(data []byte) error {
	type plain Proxy
	v := plain(Proxy{Mode: ProxySystem})
	if err := decodeOnto(data, &v, &v.extra); err != nil {
		return err
	}
	*p = Proxy(v)
	return nil
}

// MarshalJSON writes the known fields and the kept unknown members.
func (p Proxy) MarshalJSON() ([]byte, error) {
	type plain Proxy
	return encodeWithUnknown(plain(p), p.extra)
}

// UnmarshalJSON decodes on top of the custom provider defaults and keeps
// unknown members.
func (c *CustomProvider) UnmarshalJSON(data []byte) error {
	type plain CustomProvider
	v := plain(defaultCustomProvider())
	if err := decodeOnto(data, &v, &v.extra); err != nil {
		return err
	}
	*c = CustomProvider(v)
	return nil
}

// MarshalJSON writes the known fields and the kept unknown members.
func (c CustomProvider) MarshalJSON() ([]byte, error) {
	type plain CustomProvider
	return encodeWithUnknown(plain(c), c.extra)
}

// UnmarshalJSON decodes on top of the endpoint defaults and keeps unknown
// members.
func (e *Endpoint) UnmarshalJSON(data []byte) error {
	type plain Endpoint
	v := plain(defaultEndpoint())
	if err := decodeOnto(data, &v, &v.extra); err != nil {
		return err
	}
	*e = Endpoint(v)
	return nil
}

// MarshalJSON writes the known fields and the kept unknown members.
func (e Endpoint) MarshalJSON() ([]byte, error) {
	type plain Endpoint
	return encodeWithUnknown(plain(e), e.extra)
}
