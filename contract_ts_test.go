package main

// A reader for the frontend's side of the contract: the interfaces and
// aliases in frontend/src/api/types.ts, the calls and subscriptions in the
// other src/api files, and the service names in bridge.ts. Those files are
// hand-written and regular, so a small tokenizer and parser are enough; what
// they do not understand is an error, never skipped, so the check cannot
// pass by reading less.

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// tsContract is what the frontend declares about Go.
type tsContract struct {
	decls     map[string]*tsDecl // types.ts, by name
	order     []string           // decls in file order
	services  []string           // bridge.ts: ServiceName
	namespace string             // bridge.ts: window.go.<namespace>
	calls     []tsCall
	subs      []tsSub
}

// tsDecl is an `export interface` (fields) or an `export type` (alias).
type tsDecl struct {
	name   string
	line   int
	fields []tsField // interface
	alias  *tsType   // type alias
}

func (d *tsDecl) field(name string) *tsField {
	for i := range d.fields {
		if d.fields[i].name == name {
			return &d.fields[i]
		}
	}
	return nil
}

type tsField struct {
	name     string
	optional bool
	typ      *tsType
}

// tsCall is one call(S, 'Method', args…) in a src/api wrapper.
type tsCall struct {
	at      string // file:line
	service string
	method  string
	args    []tsParam // each argument with the type its wrapper declares
	result  *tsType   // the call<T> type argument
}

// tsSub is one subscribe('topic', cb) in a src/api wrapper.
type tsSub struct {
	at      string
	topic   string
	payload *tsType
}

// readTSContract reads the frontend's side from dir (frontend/src/api).
func readTSContract(dir string) (*tsContract, error) {
	read := func(name string) (string, error) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		return string(b), err
	}
	c := &tsContract{}
	src, err := read("types.ts")
	if err != nil {
		return nil, err
	}
	if err := c.readTypes("types.ts", src); err != nil {
		return nil, err
	}
	if src, err = read("bridge.ts"); err != nil {
		return nil, err
	}
	if err := c.readBridge("bridge.ts", src); err != nil {
		return nil, err
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.ts"))
	if err != nil {
		return nil, err
	}
	for _, path := range names {
		name := filepath.Base(path)
		if name == "types.ts" || name == "bridge.ts" {
			continue
		}
		if src, err = read(name); err != nil {
			return nil, err
		}
		if err := c.readWrappers(name, src); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// readTypes reads `export interface X { a: T; b?: U }` and `export type X = T;`.
func (c *tsContract) readTypes(file, src string) error {
	toks, err := tokenize(file, src)
	if err != nil {
		return err
	}
	c.decls = map[string]*tsDecl{}
	p := &tsParser{file: file, toks: toks}
	for !p.done() {
		p.accept("export")
		start := p.peek()
		var d *tsDecl
		switch {
		case p.accept("interface"):
			d, err = p.interfaceDecl()
		case p.accept("type"):
			d, err = p.aliasDecl()
		default:
			return p.errorf(start, "cannot read %q here; the contract reader knows only `export interface` and `export type`", start.text)
		}
		if err != nil {
			return err
		}
		if c.decls[d.name] != nil {
			return fmt.Errorf("%s:%d: %s is declared twice", file, d.line, d.name)
		}
		c.decls[d.name] = d
		c.order = append(c.order, d.name)
	}
	return nil
}

// readBridge finds the ServiceName union and the window.go namespace.
func (c *tsContract) readBridge(file, src string) error {
	m := regexp.MustCompile(`(?m)^export type ServiceName =([^;]*);`).FindStringSubmatchIndex(src)
	if m == nil {
		return fmt.Errorf("%s: no `export type ServiceName = …;`", file)
	}
	toks, err := tokenize(file, src[m[2]:m[3]])
	if err != nil {
		return err
	}
	p := &tsParser{file: file, toks: toks}
	t, err := p.typ()
	if err != nil {
		return err
	}
	for _, m := range unionMembers(t) {
		if m.kind != "lit" || !strings.HasPrefix(m.name, "'") {
			return fmt.Errorf("%s: ServiceName member %s is not a string literal", file, m)
		}
		c.services = append(c.services, strings.Trim(m.name, "'"))
	}
	for _, m := range regexp.MustCompile(`\bgo\?(?:\.|:\s*\{\s*)(\w+)\?`).FindAllStringSubmatch(src, -1) {
		if c.namespace != "" && c.namespace != m[1] {
			return fmt.Errorf("%s: window.go is read both as .%s and as .%s", file, c.namespace, m[1])
		}
		c.namespace = m[1]
	}
	if c.namespace == "" {
		return fmt.Errorf("%s: no window.go.<package> found", file)
	}
	return nil
}

// readWrappers reads `export const xApi = { name: (params): R => body, … }`
// and every call(…) and subscribe(…) in the bodies.
func (c *tsContract) readWrappers(file, src string) error {
	toks, err := tokenize(file, src)
	if err != nil {
		return err
	}
	service := ""
	if m := regexp.MustCompile(`(?m)^const S = '(\w+)';`).FindStringSubmatch(src); m != nil {
		service = m[1]
	}
	want := 0 // every call( / subscribe( in the file, to prove none was missed
	for i, t := range toks {
		if t.kind == 'i' && (t.text == "call" || t.text == "subscribe") && i+1 < len(toks) &&
			(toks[i+1].text == "(" || toks[i+1].text == "<") && (i == 0 || toks[i-1].text != ".") {
			want++
		}
	}
	got := 0
	p := &tsParser{file: file, toks: toks}
	for !p.done() {
		if !(p.accept("export") && p.accept("const")) {
			p.pos++
			continue
		}
		if _, err := p.ident(); err != nil {
			return err
		}
		if err := p.expect("="); err != nil {
			return err
		}
		if !p.accept("{") {
			continue
		}
		for !p.accept("}") {
			n, err := p.wrapper(c, service)
			if err != nil {
				return err
			}
			got += n
			p.accept(",")
		}
	}
	if got != want {
		return fmt.Errorf("%s: read %d of its %d call(…)/subscribe(…) expressions; the others are outside an `export const x = { name: (params) => … }` wrapper", file, got, want)
	}
	return nil
}

// wrapper reads one `name: [async] (params)[: R] => body` member and
// records the calls and subscriptions in its body.
func (p *tsParser) wrapper(c *tsContract, service string) (int, error) {
	if _, err := p.ident(); err != nil {
		return 0, err
	}
	if err := p.expect(":"); err != nil {
		return 0, err
	}
	p.accept("async")
	if err := p.expect("("); err != nil {
		return 0, err
	}
	params, err := p.params()
	if err != nil {
		return 0, err
	}
	if p.accept(":") {
		if _, err := p.typ(); err != nil {
			return 0, err
		}
	}
	if err := p.expect("=>"); err != nil {
		return 0, err
	}
	// The body runs to the comma or brace that closes this member.
	start, depth := p.pos, 0
	for ; !p.done(); p.pos++ {
		if p.toks[p.pos].kind != 'p' {
			continue
		}
		switch p.toks[p.pos].text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
		case ",":
		default:
			continue
		}
		if depth < 0 || (depth == 0 && p.toks[p.pos].text == ",") {
			break
		}
	}
	body := &tsParser{file: p.file, toks: p.toks[start:p.pos]}
	n := 0
	for ; !body.done(); body.pos++ {
		t := body.peek()
		if t.kind != 'i' || (t.text != "call" && t.text != "subscribe") || (body.pos > 0 && body.toks[body.pos-1].text == ".") {
			continue
		}
		body.pos++
		var err error
		if t.text == "call" {
			err = body.call(c, t, service, params)
		} else {
			err = body.subscribe(c, t, params)
		}
		if err != nil {
			return 0, err
		}
		n++
		body.pos--
	}
	return n, nil
}

func (p *tsParser) call(c *tsContract, at tok, service string, params []tsParam) error {
	if !p.accept("<") {
		return p.errorf(at, "call without a result type: write call<T>(…)")
	}
	result, err := p.typ()
	if err != nil {
		return err
	}
	if err := p.expect(">"); err != nil {
		return err
	}
	args, err := p.args()
	if err != nil {
		return err
	}
	if len(args) < 2 {
		return p.errorf(at, "call needs a service and a method name")
	}
	switch s := args[0]; {
	case s.kind == 'i' && s.text == "S" && service != "":
	case s.kind == 's':
		service = s.text
	default:
		return p.errorf(at, "cannot tell which service this call is for")
	}
	if args[1].kind != 's' {
		return p.errorf(at, "the method name is not a string literal")
	}
	call := tsCall{at: p.where(at), service: service, method: args[1].text, result: result}
	for _, a := range args[2:] {
		typ, err := p.argType(a, params)
		if err != nil {
			return err
		}
		call.args = append(call.args, tsParam{a.text, typ})
	}
	c.calls = append(c.calls, call)
	return nil
}

func (p *tsParser) subscribe(c *tsContract, at tok, params []tsParam) error {
	var payload *tsType
	if p.accept("<") {
		var err error
		if payload, err = p.typ(); err != nil {
			return err
		}
		if err := p.expect(">"); err != nil {
			return err
		}
	}
	args, err := p.args()
	if err != nil {
		return err
	}
	if len(args) != 2 || args[0].kind != 's' {
		return p.errorf(at, "subscribe needs a topic name and a callback")
	}
	if payload == nil {
		cb, err := p.argType(args[1], params)
		if err != nil {
			return err
		}
		if cb.kind != "fn" || len(cb.fn) != 1 {
			return p.errorf(args[1], "cannot tell the payload type from callback type %s", cb)
		}
		payload = cb.fn[0].typ
	}
	c.subs = append(c.subs, tsSub{at: p.where(at), topic: args[0].text, payload: payload})
	return nil
}

// argType is the declared type of an argument: the wrapper's parameter of
// that name, or a literal.
func (p *tsParser) argType(a tok, params []tsParam) (*tsType, error) {
	switch a.kind {
	case 'i':
		for _, prm := range params {
			if prm.name == a.text {
				return prm.typ, nil
			}
		}
	case 's':
		return &tsType{kind: "lit", name: "'" + a.text + "'"}, nil
	case 'n':
		return &tsType{kind: "lit", name: a.text}, nil
	}
	return nil, p.errorf(a, "cannot tell the type of argument %q: pass a parameter of the wrapper or a literal", a.text)
}

// args reads `( a, b, … )` where each argument is one token.
func (p *tsParser) args() ([]tok, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	var out []tok
	for !p.accept(")") {
		if p.done() {
			return nil, fmt.Errorf("%s: unclosed argument list", p.file)
		}
		a := p.next()
		if t := p.peek(); t.text != "," && t.text != ")" {
			return nil, p.errorf(a, "cannot read argument starting %q: the reader wants names or literals", a.text)
		}
		out = append(out, a)
		p.accept(",")
	}
	return out, nil
}
