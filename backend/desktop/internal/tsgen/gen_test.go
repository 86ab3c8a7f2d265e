package main

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"thinkcloud/backend/desktop"
)

// A tiny contract with one of each thing the writer knows, then one
// mistake at a time, each of which it must name.

type fakeService struct{}

type fakeBase struct {
	Created string `json:"created"`
}

type fakeItem struct {
	fakeBase
	ID     string            `json:"id"`
	Kind   string            `json:"kind"`
	Old    string            `json:"old"`
	Count  int               `json:"count,omitempty"`
	Tags   []string          `json:"tags"`
	Next   *fakeItem         `json:"next"`
	Extra  *fakeBase         `json:"extra,omitempty"`
	Scores map[string]int64  `json:"scores"`
	Raw    json.RawMessage   `json:"raw"`
	Big    int64             `json:"big,string"`
	Skip   string            `json:"-"`
	Odd    map[string]string `json:"odd-name,omitempty"`
	hidden string
}

type fakePing struct {
	At string `json:"at"`
}

func (*fakeService) Get(id string) (fakeItem, error)      { return fakeItem{ID: id}, nil }
func (*fakeService) List() ([]fakeItem, error)            { return nil, nil }
func (*fakeService) Put(item fakeItem, mode string) error { return nil }
func (*fakeService) Find(in string) (*fakeItem, error)    { return nil, nil }
func (*fakeService) Count() int                           { return 0 }
func (*fakeService) Nothing()                             {}

// fakeMarshal writes something other than its fields.
type fakeMarshal struct {
	A string `json:"a"`
}

func (fakeMarshal) MarshalJSON() ([]byte, error) { return []byte(`{"b":1}`), nil }

// fakeLossy writes its fields but does not read one of them back.
type fakeLossy struct {
	A string `json:"a"`
	B string `json:"b"`
}

func (l *fakeLossy) UnmarshalJSON(b []byte) error {
	var v struct{ A string }
	err := json.Unmarshal(b, &v)
	l.A = v.A
	return err
}

func fakeContract() desktop.Contract {
	return desktop.Contract{
		Services: []any{&fakeService{}},
		Topics: struct {
			Ping desktop.Topic[fakePing]
		}{Ping: "ping"},
		Enums: []desktop.Enum{
			{Name: "Kind", Values: []string{"a", "b'c"}, At: []desktop.EnumAt{
				{Struct: reflect.TypeFor[fakeItem](), Field: "Kind"},
				{Struct: reflect.TypeFor[fakeItem](), Field: "Old", OrEmpty: true},
				{Method: "fakeService.Put", Arg: 1},
			}},
		},
	}
}

func TestWriterWritesTheContract(t *testing.T) {
	t.Parallel()
	src, err := generate(fakeContract(), ".")
	if err != nil {
		t.Fatal(err)
	}
	got := string(src)
	for _, want := range []string{
		`export type Kind = 'a' | 'b\'c';`,
		"export interface fakeItem {\n  created: string;\n  id: string;\n  kind: Kind;\n  old: Kind | '';\n  count?: number;\n",
		"  tags: string[] | null;\n  next: fakeItem | null;\n  extra?: fakeBase;\n  scores: Record<string, number> | null;\n",
		"  raw: unknown;\n  big: string;\n  'odd-name'?: Record<string, string>;\n}",
		"export interface Topics {\n  'ping': fakePing;\n}",
		"  Count(): Promise<number>;",
		"  Find(in_: string): Promise<fakeItem | null>;",
		"  Get(id: string): Promise<fakeItem>;",
		"  List(): Promise<fakeItem[] | null>;",
		"  Nothing(): Promise<void>;",
		"  Put(item: fakeItem, mode: Kind): Promise<void>;",
		"export interface Services {\n  fakeService: fakeService;\n}",
		"export interface WailsGo {\n  main: Services;\n}",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the output lacks\n%s\n--- output:\n%s", want, got)
		}
	}
	for _, bad := range []string{"skip", "hidden", "Skip"} {
		if strings.Contains(got, bad+":") || strings.Contains(got, "  "+bad+"(") {
			t.Errorf("the output has %s, which is not part of the contract", bad)
		}
	}
}

type (
	threeService struct{}
	chanService  struct{}
	markService  struct{}
	lossyService struct{}
)

func (*threeService) Three() (int, int, error) { return 0, 0, nil }
func (*chanService) Chan(c chan int) error     { return nil }
func (*markService) Mark(m fakeMarshal) error  { return nil }
func (*lossyService) Lossy(l fakeLossy) error  { return nil }

func TestWriterNamesEveryMistake(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		change func(c *desktop.Contract)
		want   string
	}{
		{"enum on a missing field", func(c *desktop.Contract) {
			c.Enums[0].At[0].Field = "Gone"
		}, "main.fakeItem has no string field Gone"},
		{"enum on a number", func(c *desktop.Contract) {
			c.Enums[0].At[0].Field = "Count"
		}, "main.fakeItem has no string field Count"},
		{"enum on a place nothing reaches", func(c *desktop.Contract) {
			c.Enums[0].At = append(c.Enums[0].At, desktop.EnumAt{Struct: reflect.TypeFor[fakeMarshal](), Field: "A"})
		}, "enum Kind is declared at main.fakeMarshal.A, which no bound method or event reaches"},
		{"enum on a missing argument", func(c *desktop.Contract) {
			c.Enums[0].At[2].Arg = 5
		}, "enum Kind is declared at fakeService.Put#5"},
		{"a value twice", func(c *desktop.Contract) {
			c.Enums[0].Values = []string{"a", "a"}
		}, "enum Kind has a value twice"},
		{"an enum named like a type", func(c *desktop.Contract) {
			c.Enums[0].Name = "fakePing"
		}, "main.fakePing and an enum would both be fakePing"},
		{"two types, one name", func(c *desktop.Contract) {
			c.Names = map[reflect.Type]string{reflect.TypeFor[fakeBase](): "fakePing"}
		}, "would both be fakePing in TypeScript"},
		{"three results", func(c *desktop.Contract) { c.Services = append(c.Services, &threeService{}) },
			"threeService.Three returns 3 values"},
		{"a channel", func(c *desktop.Contract) { c.Services = append(c.Services, &chanService{}) },
			"chanService.Chan argument c: Go chan int has no JSON form"},
		{"own JSON of another shape", func(c *desktop.Contract) { c.Services = append(c.Services, &markService{}) },
			"writes [b], not its fields [a]"},
		{"own JSON that loses a field", func(c *desktop.Contract) { c.Services = append(c.Services, &lossyService{}) },
			"does not read back what it writes"},
		{"a service that is not a pointer", func(c *desktop.Contract) { c.Services = append(c.Services, fakeService{}) },
			"is not a pointer to a struct"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := fakeContract()
			c.Enums[0].At = append([]desktop.EnumAt(nil), c.Enums[0].At...)
			tc.change(&c)
			_, err := generate(c, ".")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v; want an error mentioning %q", err, tc.want)
			}
		})
	}
}
