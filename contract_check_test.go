package main

// The comparison behind TestContract: each bound method's parameters and
// result and each topic's payload, as encoding/json (which Wails uses)
// writes and reads them, against the TypeScript type the frontend declares
// at that place. Types are paired by where they meet (Send's argument is a
// SendRequest on both sides), not by name, so Go's ConversationView and
// TypeScript's Conversation need no mapping table.

import (
	"encoding"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"
)

// direction is which way a value crosses the bridge. Both ways a field
// must exist on both sides with compatible types; only what Go sends can
// be null or missing, so only then must TypeScript say so.
type direction int

const (
	toWindow direction = iota // results and event payloads
	toGo                      // arguments
)

// goTopic is one field of desktop.Topics: its name and payload type.
type goTopic struct {
	name    string
	payload reflect.Type
}

// exceptions are the few places the check is told something it cannot
// see, each with the reason. An entry that is no longer needed is itself a
// problem, so the lists cannot rot.
type exceptions struct {
	notCalled map[string]string // "Service.Method": bound but never called by the window
	neverNil  map[string]string // Go location (see goLoc.key): a slice, map or pointer that is never nil
	unheard   map[string]string // topic: emitted but not subscribed to
}

type checker struct {
	ts       *tsContract
	ex       exceptions
	used     map[string]bool // exception keys that were needed
	problems []string
	said     map[string]bool           // problem keys, so a type reached twice reports once
	done     map[string]bool           // struct pairs compared, by Go type, TS name and direction
	reached  map[string]bool           // TS declarations some Go type was compared with
	methods  map[string]reflect.Method // "Service.Method" of every bound method
}

func newChecker(ts *tsContract, ex exceptions) *checker {
	return &checker{ts: ts, ex: ex, used: map[string]bool{}, said: map[string]bool{}, done: map[string]bool{},
		reached: map[string]bool{}, methods: map[string]reflect.Method{}}
}

// problem records one mismatch; key (when not "") keeps it from being
// reported again when the same types meet elsewhere.
func (c *checker) problem(key, at, format string, args ...any) {
	if key != "" {
		if c.said[key] {
			return
		}
		c.said[key] = true
	}
	c.problems = append(c.problems, at+": "+fmt.Sprintf(format, args...))
}

func (c *checker) excepted(table map[string]string, key string) bool {
	if _, ok := table[key]; ok {
		c.used[key] = true
		return true
	}
	return false
}

// run compares everything and returns the problems found.
func (c *checker) run(services []any, topics []goTopic) []string {
	c.checkServices(services)
	c.checkTopics(topics)
	for _, name := range c.ts.order {
		if !c.reached[name] {
			c.problem("", fmt.Sprintf("types.ts:%d", c.ts.decls[name].line),
				"%s is declared but no bound method or event reaches it: remove it, or move it out of the contract file if the window uses it for itself", name)
		}
	}
	for _, table := range []map[string]string{c.ex.notCalled, c.ex.neverNil, c.ex.unheard} {
		for _, k := range slices.Sorted(maps.Keys(table)) {
			if !c.used[k] {
				c.problem("", "contract_test.go", "the exception for %q is no longer needed; remove it", k)
			}
		}
	}
	return c.problems
}

func (c *checker) checkServices(services []any) {
	var names []string
	for _, s := range services {
		rt := reflect.TypeOf(s)
		// Wails names the namespace as reflect prints the type (desktop.ChatService).
		name := rt.Elem().Name()
		pkg := strings.TrimSuffix(rt.Elem().String(), "."+name)
		names = append(names, name)
		if pkg != c.ts.namespace {
			c.problem("", "bridge.ts", "calls window.go.%s.%s, but Wails puts %s under window.go.%s", c.ts.namespace, name, name, pkg)
		}
		for i := range rt.NumMethod() {
			m := rt.Method(i)
			c.methods[name+"."+m.Name] = m
		}
	}
	for _, n := range names {
		if !slices.Contains(c.ts.services, n) {
			c.problem("", "bridge.ts", "ServiceName lacks %q, which Go binds", n)
		}
	}
	for _, n := range c.ts.services {
		if !slices.Contains(names, n) {
			c.problem("", "bridge.ts", "ServiceName has %q, which Go does not bind (it binds %s)", n, strings.Join(names, ", "))
		}
	}
	called := map[string]bool{}
	for _, call := range c.ts.calls {
		c.checkCall(call)
		called[call.service+"."+call.method] = true
	}
	for _, k := range slices.Sorted(maps.Keys(c.methods)) {
		if !called[k] && !c.excepted(c.ex.notCalled, k) {
			c.problem("", k, "Go binds this method, but nothing in frontend/src/api calls it")
		}
	}
}

func (c *checker) checkCall(call tsCall) {
	name := call.service + "." + call.method
	m, ok := c.methods[name]
	if !ok {
		c.problem("", call.at, "calls %s, which Go does not bind", name)
		return
	}
	ft := m.Type // the receiver is In(0)
	if got, want := len(call.args), ft.NumIn()-1; got != want {
		c.problem("", call.at, "calls %s with %d argument(s); Go's %s takes %d", name, got, m.Name, want)
		return
	}
	for i, a := range call.args {
		c.compare(ft.In(i+1), a.typ, toGo, fmt.Sprintf("%s (%s) argument %d, %s", call.at, name, i+1, a.name), goLoc{})
	}
	var result reflect.Type
	switch errType := reflect.TypeFor[error](); {
	case ft.NumOut() == 2 || ft.NumOut() == 1 && ft.Out(0) != errType:
		result = ft.Out(0)
	}
	at := fmt.Sprintf("%s (%s) result", call.at, name)
	isVoid := call.result.kind == "ref" && (call.result.name == "void" || call.result.name == "undefined")
	switch {
	case result == nil && !isVoid:
		c.problem("", at, "Go's %s returns nothing but the window reads call<%s>; write call<void>", m.Name, call.result)
	case result != nil && isVoid:
		c.problem("", at, "Go's %s returns %s but the window reads call<void>", m.Name, result)
	case result != nil:
		c.compare(result, call.result, toWindow, at, goLoc{key: name + " result"})
	}
}

func (c *checker) checkTopics(topics []goTopic) {
	heard := map[string]bool{}
	for _, s := range c.ts.subs {
		heard[s.topic] = true
		i := slices.IndexFunc(topics, func(t goTopic) bool { return t.name == s.topic })
		if i < 0 {
			c.problem("", s.at, "subscribes to %q, which is not in desktop.Topics", s.topic)
			continue
		}
		c.compare(topics[i].payload, s.payload, toWindow, fmt.Sprintf("%s (event %s)", s.at, s.topic), goLoc{key: "event " + s.topic})
	}
	for _, t := range topics {
		if !heard[t.name] && !c.excepted(c.ex.unheard, t.name) {
			c.problem("", "desktop.Topics", "Go emits %q (%s), but nothing in frontend/src/api subscribes to it", t.name, t.payload)
		}
	}
}

// goLoc says where a Go value sits, for the messages and the exceptions.
type goLoc struct {
	key     string // e.g. "desktop.MessageView.Images" or "HistoryService.List result"
	omitted bool   // omitempty/omitzero: left out rather than null when empty
}

var (
	timeType    = reflect.TypeFor[time.Time]()
	rawType     = reflect.TypeFor[json.RawMessage]()
	marshaler   = reflect.TypeFor[json.Marshaler]()
	unmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textMarsh   = reflect.TypeFor[encoding.TextMarshaler]()
)

// compare checks that the TypeScript type t describes the JSON of Go type g.
func (c *checker) compare(g reflect.Type, t *tsType, d direction, at string, loc goLoc) {
	members, null := c.members(t, at)
	if members == nil {
		return // unresolvable; already reported
	}
	if slices.ContainsFunc(members, func(m *tsType) bool { return m.kind == "ref" && (m.name == "unknown" || m.name == "any") }) {
		return
	}
	if g.Kind() == reflect.Interface || g == rawType {
		return // any JSON at all: TypeScript may narrow it as it likes
	}
	canBeNull := g.Kind() == reflect.Pointer || g.Kind() == reflect.Slice || g.Kind() == reflect.Map
	if d == toWindow && canBeNull && !null && !loc.omitted && !c.excepted(c.ex.neverNil, loc.key) {
		c.problem("", at, "Go's %s (%s) can be nil, which reaches the window as null, but %s does not allow null; write %s | null",
			loc.key, g, t, t)
	}
	for g.Kind() == reflect.Pointer {
		g = g.Elem()
	}
	if len(members) == 0 {
		c.problem("", at, "the TypeScript type is only null, but Go sends %s", g)
		return
	}
	kind := jsonKind(g)
	for _, m := range members {
		switch {
		case kind == "string" && (isRef(m, "string") || m.kind == "lit" && strings.HasPrefix(m.name, "'")),
			kind == "boolean" && (isRef(m, "boolean") || isRef(m, "true") || isRef(m, "false")),
			kind == "number" && (isRef(m, "number") || m.kind == "lit" && !strings.HasPrefix(m.name, "'")):
		case kind == "array" && m.kind == "array":
			c.compare(g.Elem(), m.args[0], d, at+"[]", goLoc{key: loc.key + "[]"})
		case kind == "object" && m.kind == "record":
			c.compare(g.Elem(), m.args[0], d, at+"[key]", goLoc{key: loc.key + "[key]"})
		case kind == "struct" && m.kind == "ref" && c.ts.decls[m.name] != nil && c.ts.decls[m.name].alias == nil:
			c.compareStruct(g, c.ts.decls[m.name], d, at)
		default:
			what, key := g.String(), ""
			if loc.key != "" {
				what, key = fmt.Sprintf("%s (%s)", loc.key, g), "kind "+loc.key+" "+t.String()
			}
			c.problem(key, at, "Go's %s is a JSON %s, but TypeScript says %s", what, kind, t)
			return
		}
	}
}

// members resolves aliases and unions into their members other than null
// and undefined, and tells whether null is among them.
func (c *checker) members(t *tsType, at string) (out []*tsType, null bool) {
	out = []*tsType{}
	var walk func(t *tsType, depth int) bool
	walk = func(t *tsType, depth int) bool {
		switch {
		case depth > 20:
			c.problem("", at, "type %s refers to itself", t)
			return false
		case t.kind == "union":
			for _, m := range t.args {
				if !walk(m, depth+1) {
					return false
				}
			}
		case isRef(t, "null"):
			null = true
		case isRef(t, "undefined"):
			// Absent, which is not null: x === undefined is false for null.
		case t.kind == "ref" && len(t.args) == 0 && c.ts.decls[t.name] != nil:
			c.reached[t.name] = true
			if a := c.ts.decls[t.name].alias; a != nil {
				return walk(a, depth+1)
			}
			out = append(out, t)
		case t.kind == "ref" && !slices.Contains([]string{"string", "number", "boolean", "true", "false", "unknown", "any"}, t.name):
			c.problem("", at, "TypeScript type %s is not declared in types.ts", t)
			return false
		default:
			out = append(out, t)
		}
		return true
	}
	if !walk(t, 0) {
		return nil, false
	}
	return out, null
}

func isRef(t *tsType, name string) bool { return t.kind == "ref" && t.name == name && len(t.args) == 0 }

// jsonKind is what encoding/json makes of g (not a pointer).
func jsonKind(g reflect.Type) string {
	switch {
	case g == timeType:
		return "string"
	case g.Implements(marshaler) || reflect.PointerTo(g).Implements(marshaler):
		if g.Kind() == reflect.Struct {
			return "struct" // compareStruct checks that its MarshalJSON writes its fields
		}
		return "value of its own MarshalJSON"
	case g.Implements(textMarsh) || reflect.PointerTo(g).Implements(textMarsh):
		return "string"
	}
	switch g.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice:
		if g.Elem().Kind() == reflect.Uint8 {
			return "string" // base64
		}
		return "array"
	case reflect.Array:
		return "array"
	case reflect.Map:
		return "object"
	case reflect.Struct:
		return "struct"
	}
	return g.Kind().String()
}

// compareStruct checks that interface decl has the JSON fields of struct g.
func (c *checker) compareStruct(g reflect.Type, decl *tsDecl, d direction, at string) {
	key := fmt.Sprintf("%s→%s/%d", g, decl.name, d)
	if c.done[key] {
		return
	}
	c.done[key] = true
	fields, err := jsonFields(g)
	if err != nil {
		c.problem("fields "+g.String(), at, "%v", err)
		return
	}
	if err := checkOwnJSON(g, fields); err != nil {
		c.problem("own "+g.String(), at, "%v", err)
		return
	}
	var goNames []string
	for _, f := range fields {
		goNames = append(goNames, f.name)
		tf := decl.field(f.name)
		if tf == nil {
			verb := map[direction]string{toWindow: "sends", toGo: "reads"}[d]
			c.problem("missing "+decl.name+"."+f.name, at, "TypeScript %s has no field %q, which Go %s as %s.%s",
				decl.name, f.name, verb, g, f.goName)
			continue
		}
		fat := at + " → " + decl.name + "." + f.name
		if d == toWindow && f.omitted && !tf.optional {
			c.problem("", fat, "Go leaves %q out when it is empty (omitempty), so TypeScript must write %s?:", f.name, f.name)
		}
		c.compare(f.typ, tf.typ, d, fat, goLoc{key: g.String() + "." + f.goName, omitted: f.omitted})
	}
	for _, tf := range decl.fields {
		if !slices.Contains(goNames, tf.name) {
			c.problem("extra "+decl.name+"."+tf.name, at, "TypeScript %s.%s is not a JSON field of Go %s (which has %s)",
				decl.name, tf.name, g, strings.Join(goNames, ", "))
		}
	}
}
