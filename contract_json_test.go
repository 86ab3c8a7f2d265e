package main

// How encoding/json (which Wails uses) sees a Go struct, for
// contract_check_test.go.

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

// goField is one JSON member of a Go struct.
type goField struct {
	name    string // the JSON name
	goName  string
	typ     reflect.Type
	omitted bool // can be left out: omitempty on an emptiable kind, or omitzero
}

// jsonFields lists the JSON members of struct t as encoding/json sees them:
// tags, "-", embedded structs promoted, ",string".
func jsonFields(t reflect.Type) ([]goField, error) {
	var out []goField
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
		out = append(out, goField{name: name, goName: f.Name, typ: ft, omitted: omitted})
	}
	seen := map[string]bool{}
	for _, f := range out {
		if seen[f.name] {
			return nil, fmt.Errorf("Go %s has two fields named %q in JSON; the check does not follow encoding/json's tie-breaking", t, f.name)
		}
		seen[f.name] = true
	}
	return out, nil
}

// checkOwnJSON proves that a struct with its own MarshalJSON or
// UnmarshalJSON still has the shape its fields say (config's types add the
// members they do not know and nothing else): a value with every field set
// must marshal to exactly those keys and read back to the same JSON.
// Without this the check would trust reflection where it has no business.
func checkOwnJSON(g reflect.Type, fields []goField) error {
	pg := reflect.PointerTo(g)
	if !g.Implements(marshaler) && !pg.Implements(marshaler) && !pg.Implements(unmarshaler) {
		return nil
	}
	v := reflect.New(g)
	fill(v.Elem(), 0)
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return fmt.Errorf("Go %s has its own JSON methods and a filled value does not marshal: %v", g, err)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		return fmt.Errorf("Go %s has its own MarshalJSON, which does not write an object: %s", g, b)
	}
	var want []string
	for _, f := range fields {
		want = append(want, f.name)
	}
	if got := slices.Sorted(maps.Keys(keys)); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
		return fmt.Errorf("Go %s has its own MarshalJSON, which writes %v, not its fields %v; the check cannot see its shape", g, got, want)
	}
	back := reflect.New(g)
	if err := json.Unmarshal(b, back.Interface()); err != nil {
		return fmt.Errorf("Go %s does not read back its own JSON: %v", g, err)
	}
	if b2, err := json.Marshal(back.Interface()); err != nil || !bytes.Equal(b, b2) {
		return fmt.Errorf("Go %s does not read back what it writes:\n wrote %s\n reads %s", g, b, b2)
	}
	return nil
}

// fill sets every exported field of v, recursively, to a non-zero value.
func fill(v reflect.Value, depth int) {
	if depth > 6 {
		return
	}
	t := v.Type()
	switch {
	case t == timeType:
		v.Set(reflect.ValueOf(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)))
		return
	case t == rawType:
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
