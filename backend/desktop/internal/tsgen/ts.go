package main

// From Go types to TypeScript types.

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
)

// typ is the TypeScript for the JSON of a Go value of type t, and whether
// that JSON can be null. where says where the value is, for problems;
// enum is the enum of its place, if it has one.
func (w *writer) typ(t reflect.Type, where string, enum *enumUse) (expr string, null bool) {
	if t.Kind() == reflect.Pointer {
		expr, _ := w.typ(t.Elem(), where, enum)
		return expr, true
	}
	if enum != nil && t.Kind() != reflect.String {
		w.fail("%s holds enum %s but is a Go %s", where, enum.name, t)
	}
	switch {
	case t == timeType:
		return "string", false
	case t == rawType, t.Kind() == reflect.Interface:
		return "unknown", false
	case t.Kind() != reflect.Struct && hasOwnJSON(t):
		w.fail("%s: Go %s writes its own JSON, which tsgen cannot see", where, t)
		return "unknown", false
	case t.Kind() != reflect.Struct && (t.Implements(textMarsh) || reflect.PointerTo(t).Implements(textMarsh)):
		return "string", false
	}
	switch t.Kind() {
	case reflect.String:
		if enum == nil {
			return "string", false
		}
		if enum.orEmpty {
			return enum.name + " | ''", false
		}
		return enum.name, false
	case reflect.Bool:
		return "boolean", false
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number", false
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "string", t.Kind() == reflect.Slice // base64
		}
		elem := orNull(w.typ(t.Elem(), where+"[]", nil))
		if strings.Contains(elem, " ") {
			elem = "(" + elem + ")"
		}
		return elem + "[]", t.Kind() == reflect.Slice
	case reflect.Map:
		switch t.Key().Kind() {
		case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		default:
			w.fail("%s: Go %s has keys JSON cannot write as strings", where, t)
		}
		return "Record<string, " + orNull(w.typ(t.Elem(), where+"[key]", nil)) + ">", true
	case reflect.Struct:
		return w.ref(t, where), false
	}
	w.fail("%s: Go %s has no JSON form", where, t)
	return "unknown", false
}

// ref names struct t in TypeScript and declares it once.
func (w *writer) ref(t reflect.Type, where string) string {
	if name, ok := w.names[t]; ok {
		return name
	}
	name := t.Name()
	if n, ok := w.c.Names[t]; ok {
		name = n
	}
	if !tsIdent.MatchString(name) {
		w.fail("%s: Go %s needs a TypeScript name (Contract.Names)", where, t)
		return "unknown"
	}
	if other, ok := w.byName[name]; ok {
		what := "an enum"
		if other != nil {
			what = "Go " + other.String()
		}
		w.fail("%s: Go %s and %s would both be %s in TypeScript; rename one in Contract.Names", where, t, what, name)
	}
	w.names[t], w.byName[name] = name, t
	w.decls[name] = w.declare(t, name)
	return name
}

// declare writes the interface of struct t.
func (w *writer) declare(t reflect.Type, name string) string {
	fields, err := jsonFields(t)
	if err == nil {
		err = checkOwnJSON(t, fields)
	}
	if err != nil {
		w.fail("%v", err)
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "/** Go: %s */\nexport interface %s {\n", t, name)
	for _, f := range fields {
		key := f.owner.String() + "." + f.goName
		var enum *enumUse
		if e, ok := w.enums[key]; ok {
			enum, w.used[key] = &e, true
		}
		expr, null := w.typ(f.typ, key, enum)
		prop := f.name
		if !tsIdent.MatchString(prop) {
			prop = quote(prop)
		}
		if f.omitted {
			fmt.Fprintf(&b, "  %s?: %s;\n", prop, expr)
		} else {
			fmt.Fprintf(&b, "  %s: %s;\n", prop, orNull(expr, null))
		}
	}
	b.WriteString("}\n")
	return b.String()
}

var tsIdent = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

// reserved are the words a TypeScript parameter may not be called (Go's
// `in`, say); such a parameter gets a trailing underscore.
var reserved = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`break case catch class const continue debugger default delete do else enum
		export extends false finally for function if implements import in instanceof interface let new null
		package private protected public return static super switch this throw true try typeof var void
		while with yield await`) {
		reserved[w] = true
	}
}

func orNull(expr string, null bool) string {
	if null && expr != "unknown" {
		return expr + " | null"
	}
	return expr
}

// quote writes s as a TypeScript string literal in single quotes.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`, "\r", `\r`, "\u2028", `\u2028`, "\u2029", `\u2029`)
	return "'" + r.Replace(s) + "'"
}
