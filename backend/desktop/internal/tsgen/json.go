package main

// How encoding/json (which Wails uses) sees a Go struct.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"
)

// jsonField is one JSON member of a Go struct.
type jsonField struct {
	name    string       // the JSON name
	goName  string       // the Go field's name
	owner   reflect.Type // the struct that declares it (an embedded one for a promoted field)
	typ     reflect.Type
	omitted bool // can be left out: omitempty on a kind it empties, or omitzero
}

// jsonFields lists the JSON members of struct t as encoding/json sees them:
// tags, "-", embedded structs promoted, ",string".
func jsonFields(t reflect.Type) ([]jsonField, error) {
	var out []jsonField
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				inner, err := jsonFields(ft)
				if err != nil {
					return nil, err
				}
				out = append(out, inner...)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		has := func(o string) bool { return slices.Contains(strings.Split(opts, ","), o) }
		omitted := has("omitzero")
		switch ft.Kind() {
		case reflect.Struct:
		case reflect.Array:
			omitted = omitted || has("omitempty") && ft.Len() == 0
		default:
			omitted = omitted || has("omitempty")
		}
		if has("string") {
			ft = reflect.TypeFor[string]()
		}
		out = append(out, jsonField{name: name, goName: f.Name, owner: t, typ: ft, omitted: omitted})
	}
	seen := map[string]bool{}
	for _, f := range out {
		if seen[f.name] {
			return nil, fmt.Errorf("Go %s has two fields named %q in JSON; tsgen does not follow encoding/json's tie-breaking", t, f.name)
		}
		seen[f.name] = true
	}
	return out, nil
}

var (
	timeType    = reflect.TypeFor[time.Time]()
	rawType     = reflect.TypeFor[json.RawMessage]()
	errorType   = reflect.TypeFor[error]()
	marshaler   = reflect.TypeFor[json.Marshaler]()
	unmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textMarsh   = reflect.TypeFor[interface{ MarshalText() ([]byte, error) }]()
)

// hasOwnJSON reports whether t (or *t) has its own MarshalJSON or UnmarshalJSON.
func hasOwnJSON(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return t.Implements(marshaler) || pt.Implements(marshaler) || pt.Implements(unmarshaler)
}

// checkOwnJSON proves that a struct with its own MarshalJSON or
// UnmarshalJSON still has the shape its fields say (config's types add the
// members they do not know and nothing else): a value with every field set
// must marshal to exactly those keys and read back to the same JSON.
// Without this the writer would trust reflection where it has no business.
func checkOwnJSON(t reflect.Type, fields []jsonField) error {
	if !hasOwnJSON(t) {
		return nil
	}
	v := reflect.New(t)
	fill(v.Elem(), 0)
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return fmt.Errorf("Go %s has its own JSON methods and a filled value does not marshal: %v", t, err)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		return fmt.Errorf("Go %s has its own MarshalJSON, which does not write an object: %s", t, b)
	}
	var want []string
	for _, f := range fields {
		want = append(want, f.name)
	}
	if got := slices.Sorted(maps.Keys(keys)); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
		return fmt.Errorf("Go %s has its own MarshalJSON, which writes %v, not its fields %v; tsgen cannot see its shape", t, got, want)
	}
	back := reflect.New(t)
	if err := json.Unmarshal(b, back.Interface()); err != nil {
		return fmt.Errorf("Go %s does not read back its own JSON: %v", t, err)
	}
	if b2, err := json.Marshal(back.Interface()); err != nil || !bytes.Equal(b, b2) {
		return fmt.Errorf("Go %s does not read back what it writes:\n wrote %s\n reads %s", t, b, b2)
	}
	return nil
}

// fill sets every exported field of v, recursively, to a non-zero value.
func fill(v reflect.Value, depth int) {
	if depth > 6 {
		return
	}
	t := v.Type()
	switch t {
	case timeType:
		v.Set(reflect.ValueOf(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)))
		return
	case rawType:
		v.SetBytes([]byte(`"raw"`))
		return
	}
	switch t.Kind() {
	case reflect.String:
		v.SetString("s")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1.5)
	case reflect.Pointer:
		p := reflect.New(t.Elem())
		fill(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(t, 1, 1)
		fill(s.Index(0), depth+1)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(t)
		k, e := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
		fill(k, depth+1)
		fill(e, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Interface:
		if t.NumMethod() == 0 {
			v.Set(reflect.ValueOf("any"))
		}
	case reflect.Struct:
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
	}
}
