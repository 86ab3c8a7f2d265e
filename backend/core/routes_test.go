package core_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/gateway"
	"thinkcloud/backend/internal/testrig"
)

// TestApplyAliases: a bad alias is refused before anything is saved; a
// good one routes at once, also while other requests are running.
func TestApplyAliases(t *testing.T) {
	t.Parallel()
	rig := testrig.New(t, testrig.Options{Fakes: []string{"deepseek", "cerebras"}})
	c := rig.Core
	file := filepath.Join(rig.Dir, "settings.json")
	before, _ := os.ReadFile(file)
	for _, tc := range []struct {
		aliases []catalog.Alias
		want    string
	}{
		{[]catalog.Alias{{Name: "a", Models: []string{"b"}}, {Name: "b", Models: []string{"a"}}}, "cycle"},
		{[]catalog.Alias{{Name: "x", Models: []string{"groq/llama"}}}, `unknown provider "groq"`},
		{[]catalog.Alias{{Name: "x", Models: []string{"no-such-model"}}}, "no provider serves it"},
	} {
		s := c.Current()
		s.Aliases = tc.aliases
		err := c.ApplySettings(s)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v; want an error with %q", tc.aliases, err, tc.want)
		}
	}
	if after, _ := os.ReadFile(file); string(after) != string(before) {
		t.Fatalf("a refused alias changed settings.json:\n%s", after)
	}
	if _, err := c.Resolve("fast"); err == nil {
		t.Fatal("a refused alias resolves")
	}

	var wg sync.WaitGroup
	for range 4 { // requests beside the settings change (run with -race)
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, e := c.OpenTurn(context.Background(), gateway.Turn{Model: "deepseek-chat", Messages: []gateway.TurnMessage{{Role: "user", Content: "hi"}}})
			if e == nil {
				s.Close()
			}
		}()
	}
	s := c.Current()
	s.Aliases = []catalog.Alias{{Name: "fast", Models: []string{"cerebras/gpt-oss-120b"}}}
	s.Routing.BreakerFailures, s.Routing.KeyRestSeconds = 3, 30
	if err := c.ApplySettings(s); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	m, err := c.Resolve("fast")
	if err != nil || m.Provider != "cerebras" || m.Upstream != "gpt-oss-120b" {
		t.Fatalf("fast resolved to %+v %v", m, err)
	}
	if after, _ := os.ReadFile(file); !strings.Contains(string(after), `"fast"`) {
		t.Fatalf("the alias was not saved:\n%s", after)
	}
}
