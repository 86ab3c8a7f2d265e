package anthropic

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/gateway"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// testRouter resolves with the built-in catalog; every provider has the
// key "test-key-<provider>", so signatures are stable across runs.
func testRouter(t testing.TB) *gateway.Router {
	t.Helper()
	cat, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return &gateway.Router{Catalog: cat, Upstream: func(p string) (gateway.Upstream, error) {
		if p == "nokey" {
			return gateway.Upstream{}, &gateway.Error{Status: 401, Message: "no key"}
		}
		return gateway.Upstream{BaseURL: "http://127.0.0.1:1", Key: "test-key-" + p}, nil
	}}
}

func target(t testing.TB, r *gateway.Router, model string) gateway.Target {
	t.Helper()
	tg, e := r.Target(model)
	if e != nil {
		t.Fatal(e)
	}
	return tg
}

func signingKey(t testing.TB, r *gateway.Router, provider string) []byte {
	t.Helper()
	k, e := r.SigningKey(provider)
	if e != nil {
		t.Fatal(e)
	}
	return k
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}
