package main

import (
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"thinkcloud/backend/desktop"
)

// TestContract compares the Go side of the window's contract (the bound
// services' methods and desktop.Topics) with the frontend's hand-written
// mirror in frontend/src/api, and lists every disagreement at once.
func TestContract(t *testing.T) {
	t.Parallel()
	ts, err := readTSContract(filepath.Join("frontend", "src", "api"))
	if err != nil {
		t.Fatalf("reading the frontend's side of the contract: %v", err)
	}
	// DiagService is bound only on request (THINKCLOUD_DIAG_FILE); its
	// side of the contract is checked all the same.
	diagOn := func(k string) string { return map[string]string{"THINKCLOUD_DIAG_FILE": "diag.jsonl"}[k] }
	services := desktop.NewServices(context.Background(), nil, nil, diagOn).Bind()
	problems := newChecker(ts, contractExceptions).run(services, topicsOf(desktop.Topics))
	if len(problems) > 0 {
		t.Errorf("Go and frontend/src/api disagree (%d problems):\n  - %s", len(problems), strings.Join(problems, "\n  - "))
	}
}

// contractExceptions are what the check cannot see for itself.
var contractExceptions = exceptions{
	neverNil: map[string]string{
		"desktop.ConversationDetail.Messages": "HistoryService.Get always makes the slice",
	},
}

// topicsOf lists the fields of a struct of desktop.Topic values, taking
// each payload type from the Topic's Emit method.
func topicsOf(topics any) []goTopic {
	v := reflect.ValueOf(topics)
	var out []goTopic
	for i := range v.NumField() {
		f := v.Field(i)
		emit, _ := f.Type().MethodByName("Emit")
		out = append(out, goTopic{name: f.String(), payload: emit.Type.In(2)})
	}
	return out
}

// TestEventsGoThroughTopics makes sure no Go code emits an event by a bare
// name: such an event would bypass desktop.Topics and so the contract
// check (and the compiler's check of its payload).
func TestEventsGoThroughTopics(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "frontend" || strings.HasPrefix(d.Name(), ".") && path != ".") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			name := ""
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			}
			if name != "emit" && name != "EventsEmit" {
				return true
			}
			for _, a := range call.Args {
				if lit, ok := a.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					t.Errorf("%s: emits %q by name; add it to desktop.Topics and use Topics.X.Emit", fset.Position(lit.Pos()), s)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("read only %d Go files; is the test running from the module root?", checked)
	}
}

// The self-test: a tiny service and frontend that agree, then one drift at
// a time, each of which the check must name.

type fakeService struct{}

type fakeItem struct {
	ID    string    `json:"id"`
	Count int       `json:"count,omitempty"`
	Tags  []string  `json:"tags"`
	Next  *fakeItem `json:"next"`
}

type fakePing struct {
	At time.Time `json:"at"`
}

func (*fakeService) Get(id string) (fakeItem, error) { return fakeItem{ID: id}, nil }
func (*fakeService) Put(item fakeItem) error         { return nil }

var fakeFrontend = map[string]string{
	"types.ts": `
export interface Item { id: string; count?: number; tags: string[] | null; next: Item | null }
/** doc comments are fine */
export interface Ping {
  at: string;
}
`,
	"bridge.ts": "export type ServiceName = 'fakeService';\ninterface W { go?: { main?: unknown } }\n",
	"fake.ts": `import { call, subscribe } from './bridge';
import type { Item, Ping } from './types';
const S = 'fakeService';
export const fakeApi = {
  get: (id: string): Promise<Item> => call<Item>(S, 'Get', id),
  put: (item: Item): Promise<void> => call<void>(S, 'Put', item),
  onPing: (cb: (p: Ping) => void): (() => void) => subscribe('ping', cb),
};
`,
}

func TestContractCheckerCatchesDrift(t *testing.T) {
	t.Parallel()
	check := func(t *testing.T, file, old, new string, ex exceptions) ([]string, error) {
		dir := t.TempDir()
		for name, src := range fakeFrontend {
			if name == file {
				if !strings.Contains(src, old) {
					t.Fatalf("%s does not contain %q", name, old)
				}
				src = strings.Replace(src, old, new, 1)
			}
			if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		ts, err := readTSContract(dir)
		if err != nil {
			return nil, err
		}
		topics := []goTopic{{"ping", reflect.TypeFor[fakePing]()}}
		return newChecker(ts, ex).run([]any{&fakeService{}}, topics), nil
	}
	if problems, err := check(t, "", "", "", exceptions{}); err != nil || len(problems) > 0 {
		t.Fatalf("the agreeing pair: got %v, %q; want no problems", err, problems)
	}
	for _, tc := range []struct {
		name, file, old, new string
		ex                   exceptions
		want                 []string // each must be in one problem (or in the read error)
	}{
		{name: "renamed field", file: "types.ts", old: "id: string", new: "ident: string",
			want: []string{`Item has no field "id", which Go sends as main.fakeItem.ID`, `Item.ident is not a JSON field of Go main.fakeItem`}},
		{name: "omitempty not optional", file: "types.ts", old: "count?:", new: "count:",
			want: []string{`leaves "count" out when it is empty`}},
		{name: "nil slice", file: "types.ts", old: "string[] | null", new: "string[]",
			want: []string{"fakeItem.Tags ([]string) can be nil"}},
		{name: "nil pointer", file: "types.ts", old: "next: Item | null", new: "next: Item",
			want: []string{"fakeItem.Next (*main.fakeItem) can be nil"}},
		{name: "undefined is not null", file: "types.ts", old: "next: Item | null", new: "next?: Item | undefined",
			want: []string{"fakeItem.Next (*main.fakeItem) can be nil"}},
		{name: "wrong kind", file: "types.ts", old: "id: string", new: "id: number",
			want: []string{"Item.id: Go's main.fakeItem.ID (string) is a JSON string, but TypeScript says number"}},
		{name: "wrong element", file: "types.ts", old: "string[] | null", new: "number[] | null",
			want: []string{"Item.tags[]: Go's main.fakeItem.Tags[] (string) is a JSON string, but TypeScript says number"}},
		{name: "wrong argument type", file: "fake.ts", old: "(id: string)", new: "(id: boolean)",
			want: []string{"(fakeService.Get) argument 1, id: Go's string is a JSON string, but TypeScript says boolean"}},
		{name: "event payload", file: "types.ts", old: "at: string", new: "at: number",
			want: []string{"(event ping) → Ping.at: Go's main.fakePing.At (time.Time) is a JSON string"}},
		{name: "unknown method", file: "fake.ts", old: "'Get'", new: "'Gett'",
			want: []string{"calls fakeService.Gett, which Go does not bind", "fakeService.Get: Go binds this method, but nothing"}},
		{name: "argument count", file: "fake.ts", old: "(S, 'Get', id)", new: "(S, 'Get', id, id)",
			want: []string{"with 2 argument(s); Go's Get takes 1"}},
		{name: "result of an error-only method", file: "fake.ts", old: "call<void>", new: "call<Item>",
			want: []string{"Go's Put returns nothing but the window reads call<Item>"}},
		{name: "result dropped", file: "fake.ts", old: "call<Item>", new: "call<void>",
			want: []string{"Go's Get returns main.fakeItem but the window reads call<void>"}},
		{name: "unknown topic", file: "fake.ts", old: "'ping'", new: "'pong'",
			want: []string{`subscribes to "pong", which is not in desktop.Topics`, `Go emits "ping"`}},
		{name: "unreached type", file: "types.ts", old: "/** doc", new: "export type Orphan = 'a' | 'b';\n/** doc",
			want: []string{"Orphan is declared but no bound method or event reaches it"}},
		{name: "undeclared type", file: "fake.ts", old: "(item: Item)", new: "(item: Itm)",
			want: []string{"TypeScript type Itm is not declared in types.ts"}},
		{name: "service list", file: "bridge.ts", old: "'fakeService'", new: "'fakeService' | 'Other'",
			want: []string{`ServiceName has "Other", which Go does not bind`}},
		{name: "namespace", file: "bridge.ts", old: "main?", new: "desktop?",
			want: []string{"calls window.go.desktop.fakeService, but Wails puts fakeService under window.go.main"}},
		{name: "stale exception", ex: exceptions{neverNil: map[string]string{"main.fakeItem.Gone": "x"}},
			want: []string{`the exception for "main.fakeItem.Gone" is no longer needed`}},
		{name: "call without result type", file: "fake.ts", old: "call<Item>(", new: "call(",
			want: []string{"fake.ts:5: call without a result type"}},
		{name: "call outside a wrapper", file: "fake.ts", old: "const S", new: "export function f(): unknown { return call<Item>('fakeService', 'Get', 'x'); }\nconst S",
			want: []string{"read 3 of its 4 call"}},
		{name: "unreadable declaration", file: "types.ts", old: "export interface Ping", new: "export class Ping",
			want: []string{`cannot read "class" here`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			problems, err := check(t, tc.file, tc.old, tc.new, tc.ex)
			if err != nil {
				problems = []string{err.Error()}
			}
			for _, w := range tc.want {
				if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, w) }) {
					t.Errorf("no problem mentions %q; got:\n  %s", w, strings.Join(problems, "\n  "))
				}
			}
		})
	}
}

// oddJSON writes something other than its fields.
type oddJSON struct {
	A string `json:"a"`
}

func (oddJSON) MarshalJSON() ([]byte, error) { return []byte(`{"b":1}`), nil }

// lossyJSON writes its fields but does not read one of them back.
type lossyJSON struct {
	A string `json:"a"`
	B string `json:"b"`
}

func (l *lossyJSON) UnmarshalJSON(b []byte) error {
	var v struct{ A string }
	err := json.Unmarshal(b, &v)
	l.A = v.A
	return err
}

func TestCheckOwnJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		typ  reflect.Type
		want string // "" for no error
	}{
		{reflect.TypeFor[oddJSON](), "writes [b], not its fields [a]"},
		{reflect.TypeFor[lossyJSON](), "does not read back what it writes"},
		{reflect.TypeFor[fakeItem](), ""},
	} {
		fields, err := jsonFields(tc.typ)
		if err != nil {
			t.Fatal(err)
		}
		err = checkOwnJSON(tc.typ, fields)
		if got := fmt.Sprint(err); tc.want == "" && err != nil || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("checkOwnJSON(%s) = %v; want %q", tc.typ, err, tc.want)
		}
	}
}
