package main

// The TypeScript side's tokens and type expressions, for contract_ts_test.go.
// The grammar is what types.ts and the src/api wrappers use: names with
// type arguments, string and number literals, T[], unions, Record<string, T>,
// { [k: string]: T } and function types. Anything else is an error.

import (
	"fmt"
	"slices"
	"strings"
)

type tsParam struct {
	name string
	typ  *tsType
}

// tsType is a parsed TypeScript type expression.
type tsType struct {
	kind string    // "ref" (a name, with args), "lit" (a literal), "array", "union", "fn", "record"
	name string    // ref: the name; lit: the literal's text, strings quoted with '
	args []*tsType // ref: type arguments; union: members; array, record: the element
	fn   []tsParam // fn: parameters
	ret  *tsType   // fn: result
}

func (t *tsType) String() string {
	switch t.kind {
	case "ref":
		if len(t.args) == 0 {
			return t.name
		}
		var as []string
		for _, a := range t.args {
			as = append(as, a.String())
		}
		return t.name + "<" + strings.Join(as, ", ") + ">"
	case "lit":
		return t.name
	case "array":
		if t.args[0].kind == "union" || t.args[0].kind == "fn" {
			return "(" + t.args[0].String() + ")[]"
		}
		return t.args[0].String() + "[]"
	case "record":
		return "Record<string, " + t.args[0].String() + ">"
	case "union":
		var ms []string
		for _, m := range t.args {
			ms = append(ms, m.String())
		}
		return strings.Join(ms, " | ")
	case "fn":
		var ps []string
		for _, p := range t.fn {
			ps = append(ps, p.name+": "+p.typ.String())
		}
		return "(" + strings.Join(ps, ", ") + ") => " + t.ret.String()
	}
	return "?" + t.kind
}

// ---------- tokens ----------

type tok struct {
	kind byte // 'i' identifier, 's' string (text unquoted), 'n' number, 'p' punctuation, 't' template literal
	text string
	line int
}

var puncts = []string{"=>", "...", "?.", "??", "===", "!==", "==", "!=", "&&", "||"}

func tokenize(file, src string) ([]tok, error) {
	var toks []tok
	line := 1
	for i := 0; i < len(src); {
		ch := src[i]
		switch {
		case ch == '\n':
			line++
			i++
		case ch == ' ' || ch == '\t' || ch == '\r':
			i++
		case strings.HasPrefix(src[i:], "//"):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return nil, fmt.Errorf("%s:%d: unclosed comment", file, line)
			}
			line += strings.Count(src[i:i+2+end], "\n")
			i += end + 4
		case isIdentStart(ch):
			j := i + 1
			for j < len(src) && (isIdentStart(src[j]) || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			toks = append(toks, tok{'i', src[i:j], line})
			i = j
		case ch >= '0' && ch <= '9':
			j := i + 1
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.' || src[j] == '_') {
				j++
			}
			toks = append(toks, tok{'n', src[i:j], line})
			i = j
		case ch == '\'' || ch == '"' || ch == '`':
			j := i + 1
			for j < len(src) && src[j] != ch {
				if src[j] == '\\' {
					j++
				} else if src[j] == '\n' && ch != '`' {
					return nil, fmt.Errorf("%s:%d: unclosed string", file, line)
				}
				j++
			}
			if j >= len(src) {
				return nil, fmt.Errorf("%s:%d: unclosed string", file, line)
			}
			kind := byte('s')
			if ch == '`' {
				kind = 't'
			}
			toks = append(toks, tok{kind, src[i+1 : j], line})
			line += strings.Count(src[i:j], "\n")
			i = j + 1
		default:
			p := string(ch)
			for _, m := range puncts {
				if strings.HasPrefix(src[i:], m) {
					p = m
					break
				}
			}
			toks = append(toks, tok{'p', p, line})
			i += len(p)
		}
	}
	return toks, nil
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// ---------- type expressions ----------

type tsParser struct {
	file string
	toks []tok
	pos  int
}

func (p *tsParser) done() bool { return p.pos >= len(p.toks) }

func (p *tsParser) peek() tok {
	if p.done() {
		return tok{kind: 'p', text: "end of file"}
	}
	return p.toks[p.pos]
}

func (p *tsParser) next() tok { t := p.peek(); p.pos++; return t }

// accept consumes the next token if it is a punctuation or identifier
// with this text.
func (p *tsParser) accept(text string) bool {
	if t := p.peek(); t.text == text && (t.kind == 'p' || t.kind == 'i') {
		p.pos++
		return true
	}
	return false
}

func (p *tsParser) expect(text string) error {
	if !p.accept(text) {
		return p.errorf(p.peek(), "want %q, found %q", text, p.peek().text)
	}
	return nil
}

func (p *tsParser) ident() (string, error) {
	t := p.peek()
	if t.kind != 'i' {
		return "", p.errorf(t, "want a name, found %q", t.text)
	}
	p.pos++
	return t.text, nil
}

func (p *tsParser) where(t tok) string { return fmt.Sprintf("%s:%d", p.file, t.line) }

func (p *tsParser) errorf(t tok, format string, args ...any) error {
	return fmt.Errorf("%s: %s", p.where(t), fmt.Sprintf(format, args...))
}

func (p *tsParser) interfaceDecl() (*tsDecl, error) {
	line := p.peek().line
	name, err := p.ident()
	if err != nil {
		return nil, err
	}
	if err := p.expect("{"); err != nil {
		return nil, err
	}
	d := &tsDecl{name: name, line: line}
	for !p.accept("}") {
		p.accept("readonly")
		f := p.peek()
		if f.kind != 'i' && f.kind != 's' {
			return nil, p.errorf(f, "cannot read member %q of interface %s", f.text, name)
		}
		p.pos++
		opt := p.accept("?")
		if err := p.expect(":"); err != nil {
			return nil, err
		}
		t, err := p.typ()
		if err != nil {
			return nil, err
		}
		if d.field(f.text) != nil {
			return nil, p.errorf(f, "%s.%s is declared twice", name, f.text)
		}
		d.fields = append(d.fields, tsField{f.text, opt, t})
		if !p.accept(";") && !p.accept(",") && p.peek().text != "}" {
			return nil, p.errorf(p.peek(), "want ; after %s.%s, found %q", name, f.text, p.peek().text)
		}
	}
	return d, nil
}

func (p *tsParser) aliasDecl() (*tsDecl, error) {
	line := p.peek().line
	name, err := p.ident()
	if err != nil {
		return nil, err
	}
	if err := p.expect("="); err != nil {
		return nil, err
	}
	t, err := p.typ()
	if err != nil {
		return nil, err
	}
	p.accept(";")
	return &tsDecl{name: name, line: line, alias: t}, nil
}

// typ reads a union: [|] postfix (| postfix)*.
func (p *tsParser) typ() (*tsType, error) {
	p.accept("|")
	var members []*tsType
	for {
		t, err := p.postfix()
		if err != nil {
			return nil, err
		}
		members = append(members, t)
		if !p.accept("|") {
			break
		}
	}
	if len(members) == 1 {
		return members[0], nil
	}
	return &tsType{kind: "union", args: members}, nil
}

// postfix reads primary ([])*.
func (p *tsParser) postfix() (*tsType, error) {
	t, err := p.primary()
	if err != nil {
		return nil, err
	}
	for p.pos+1 < len(p.toks) && p.toks[p.pos].text == "[" && p.toks[p.pos+1].text == "]" {
		p.pos += 2
		t = &tsType{kind: "array", args: []*tsType{t}}
	}
	return t, nil
}

func (p *tsParser) primary() (*tsType, error) {
	t := p.peek()
	switch {
	case t.kind == 'i':
		p.pos++
		ref := &tsType{kind: "ref", name: t.text}
		if slices.Contains([]string{"true", "false", "null", "undefined"}, t.text) {
			return ref, nil
		}
		if p.accept("<") {
			for {
				a, err := p.typ()
				if err != nil {
					return nil, err
				}
				ref.args = append(ref.args, a)
				if !p.accept(",") {
					break
				}
			}
			if err := p.expect(">"); err != nil {
				return nil, err
			}
		}
		switch {
		case t.text == "Array" && len(ref.args) == 1:
			return &tsType{kind: "array", args: ref.args}, nil
		case t.text == "Record" && len(ref.args) == 2:
			if k := ref.args[0]; k.kind != "ref" || k.name != "string" {
				return nil, p.errorf(t, "Record keys must be string, found %s", k)
			}
			return &tsType{kind: "record", args: ref.args[1:]}, nil
		}
		return ref, nil
	case t.kind == 's':
		p.pos++
		return &tsType{kind: "lit", name: "'" + t.text + "'"}, nil
	case t.kind == 'n':
		p.pos++
		return &tsType{kind: "lit", name: t.text}, nil
	case t.text == "(":
		p.pos++
		if p.isParams() {
			params, err := p.params()
			if err != nil {
				return nil, err
			}
			if err := p.expect("=>"); err != nil {
				return nil, err
			}
			ret, err := p.typ()
			if err != nil {
				return nil, err
			}
			return &tsType{kind: "fn", fn: params, ret: ret}, nil
		}
		inner, err := p.typ()
		if err != nil {
			return nil, err
		}
		return inner, p.expect(")")
	case t.text == "{":
		// Only an index signature: { [key: string]: T }.
		p.pos++
		if !p.accept("[") {
			return nil, p.errorf(t, "inline object types are not part of the contract reader; declare an interface")
		}
		if _, err := p.ident(); err != nil {
			return nil, err
		}
		if err := p.expect(":"); err != nil {
			return nil, err
		}
		if !p.accept("string") {
			return nil, p.errorf(p.peek(), "index signature keys must be string")
		}
		for _, s := range []string{"]", ":"} {
			if err := p.expect(s); err != nil {
				return nil, err
			}
		}
		v, err := p.typ()
		if err != nil {
			return nil, err
		}
		p.accept(";")
		return &tsType{kind: "record", args: []*tsType{v}}, p.expect("}")
	}
	return nil, p.errorf(t, "cannot read a type starting with %q", t.text)
}

// isParams tells, just after "(", a parameter list from a parenthesised type.
func (p *tsParser) isParams() bool {
	t := p.peek()
	if t.text == ")" || t.text == "..." {
		return true
	}
	if t.kind != 'i' || p.pos+1 >= len(p.toks) {
		return false
	}
	n := p.toks[p.pos+1].text
	return n == ":" || n == "?" || n == ","
}

// params reads `name[?]: T, …)` after the opening parenthesis.
func (p *tsParser) params() ([]tsParam, error) {
	var out []tsParam
	for !p.accept(")") {
		name, err := p.ident()
		if err != nil {
			return nil, err
		}
		opt := p.accept("?")
		if err := p.expect(":"); err != nil {
			return nil, err
		}
		t, err := p.typ()
		if err != nil {
			return nil, err
		}
		if opt {
			t = &tsType{kind: "union", args: []*tsType{t, {kind: "ref", name: "undefined"}}}
		}
		out = append(out, tsParam{name, t})
		if !p.accept(",") && p.peek().text != ")" {
			return nil, p.errorf(p.peek(), "want , or ) after parameter %s", name)
		}
	}
	return out, nil
}

// unionMembers flattens nested unions (without resolving names).
func unionMembers(t *tsType) []*tsType {
	if t.kind != "union" {
		return []*tsType{t}
	}
	var out []*tsType
	for _, m := range t.args {
		out = append(out, unionMembers(m)...)
	}
	return out
}
