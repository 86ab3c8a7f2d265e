package responses

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/gateway"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// testKey seals and opens reasoning in tests.
var testKey = bytes.Repeat([]byte{7}, 32)

func testSealer() *Sealer { return NewSealer(func() ([]byte, error) { return testKey, nil }) }

func testRouter(t testing.TB) *gateway.Router {
	t.Helper()
	cat, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return &gateway.Router{Catalog: cat}
}

// sealedRe finds "SEALED:text" placeholders in test requests, sealed with
// testKey when the test runs (the nonce makes every seal different).
var sealedRe = regexp.MustCompile(`"SEALED:([^"]*)"`)

func sealPlaceholders(t testing.TB, body []byte) []byte {
	return sealedRe.ReplaceAllFunc(body, func(m []byte) []byte {
		blob, err := testSealer().Seal(string(sealedRe.FindSubmatch(m)[1]), "test-model")
		if err != nil {
			t.Fatal(err)
		}
		return []byte(`"` + blob + `"`)
	})
}

// requestCase is one file of testdata/requests: a Responses body, the
// model it resolves to and the user's drop list.
type requestCase struct {
	Drop    []string        `json:"drop"`
	History []Item          `json:"history"`
	Body    json.RawMessage `json:"body"`
}

// TestRequestGoldens translates each request in testdata/requests and
// compares the chat-completions body (or the error envelope) with its
// golden file.
func TestRequestGoldens(t *testing.T) {
	t.Parallel()
	r := testRouter(t)
	files, _ := filepath.Glob("testdata/requests/*.json")
	if len(files) == 0 {
		t.Fatal("no request cases")
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var c requestCase
			if err := json.Unmarshal(raw, &c); err != nil {
				t.Fatal(err)
			}
			got := translateRequest(t, r, c)
			golden(t, filepath.Join("testdata/requests", name+".chat.golden"), got)
		})
	}
}

func translateRequest(t *testing.T, r *gateway.Router, c requestCase) []byte {
	req, e := Parse(sealPlaceholders(t, c.Body))
	if e == nil {
		var target gateway.Target
		if target, e = r.Target(req.Model); e == nil {
			var plan *Plan
			if plan, e = Build(req, c.History, target, Options{DropTools: c.Drop, Sealer: testSealer()}); e == nil {
				return indent(t, plan.Body)
			}
		}
	}
	return []byte(fmt.Sprintf("%d\n%s\n", e.HTTPStatus(), indent(t, e.Envelope())))
}

// TestAnswerGoldens plays each provider stream in testdata/answers
// through a Translator, for the request next to it, and compares the
// Responses events and the final response object with their goldens.
func TestAnswerGoldens(t *testing.T) {
	t.Parallel()
	r := testRouter(t)
	files, _ := filepath.Glob("testdata/answers/*.sse")
	if len(files) == 0 {
		t.Fatal("no answer cases")
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".sse")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			reqBody, err := os.ReadFile(strings.TrimSuffix(f, ".sse") + ".request.json")
			if err != nil {
				t.Fatal(err)
			}
			stream, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			defer stream.Close()
			events, resp := translateAnswer(t, r, reqBody, stream)
			golden(t, filepath.Join("testdata/answers", name+".events.golden"), events)
			golden(t, filepath.Join("testdata/answers", name+".response.golden"), resp)
		})
	}
}

// translateAnswer feeds a provider stream through gateway.Decoder and a
// Translator, the way the server does, with ids and time fixed.
func translateAnswer(t *testing.T, r *gateway.Router, reqBody []byte, stream io.Reader) (events, final []byte) {
	req, e := Parse(reqBody)
	if e != nil {
		t.Fatal(e)
	}
	target, e := r.Target(req.Model)
	if e != nil {
		t.Fatal(e)
	}
	plan, e := Build(req, nil, target, Options{Sealer: testSealer()})
	if e != nil {
		t.Fatal(e)
	}
	var out bytes.Buffer
	n := 0
	tr := NewTranslator(plan, TranslatorOptions{
		Emit: func(ev Event) error {
			fmt.Fprintf(&out, "event: %s\ndata: %s\n\n", ev.Type, ev.Data)
			return nil
		},
		Sealer: testSealer(),
		NewID:  func(prefix string) string { n++; return fmt.Sprintf("%s%03d", prefix, n) },
		Now:    func() time.Time { return time.Unix(1700000000, 0) },
	})
	if err := tr.Start(); err != nil {
		t.Fatal(err)
	}
	resp := play(t, tr, target, stream)
	return unseal(t, out.Bytes()), unseal(t, indent(t, resp.JSON()))
}

// play reads provider events until [DONE] or a failure, as the server's
// loop does.
func play(t *testing.T, tr *Translator, target gateway.Target, stream io.Reader) *Response {
	sse := gateway.NewSSEReader(stream)
	defer sse.Release()
	var d gateway.Decoder
	for {
		ev, err := sse.Next()
		if errors.Is(err, io.EOF) {
			c, rsn := d.End()
			if err := tr.Feed(gateway.Delta{Content: c, Reasoning: rsn}); err != nil {
				t.Fatal(err)
			}
			resp, err := tr.Finish()
			if err != nil {
				t.Fatal(err)
			}
			return resp
		}
		if err == nil && ev.Comment {
			continue
		}
		var delta gateway.Delta
		if err == nil {
			delta, _ = d.Decode(ev.Data)
			err = delta.Err
		}
		if err != nil {
			if err := tr.Fail(gateway.StreamFailure(target.Model.Provider, err)); err != nil {
				t.Fatal(err)
			}
			return &tr.resp
		}
		if err := tr.Feed(delta); err != nil {
			t.Fatal(err)
		}
	}
}

// unseal replaces each sealed blob with what it opens to, so goldens are
// stable although every seal differs, and a blob that does not open
// fails the test.
var blobRe = regexp.MustCompile(`tc1_[A-Za-z0-9_-]+`)

func unseal(t *testing.T, b []byte) []byte {
	return blobRe.ReplaceAllFunc(b, func(m []byte) []byte {
		text, err := testSealer().Open(string(m))
		if err != nil {
			t.Fatalf("sealed content does not open: %v", err)
		}
		return []byte("<sealed:" + strings.NewReplacer(`"`, `'`, "\n", " ").Replace(text) + ">")
	})
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs; got:\n%s", path, got)
	}
}

func indent(t testing.TB, b []byte) []byte {
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	out.WriteByte('\n')
	return out.Bytes()
}

func mustJSON(t testing.TB, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
