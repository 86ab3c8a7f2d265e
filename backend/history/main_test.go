package history

import (
	"fmt"
	"os"
	"testing"
)

// childProcs maps an environment variable to the child half it selects;
// platform-specific test files add theirs.
var childProcs = map[string]func(path string) error{writerEnv: crashWriter}

// TestMain lets a re-executed test binary play the child half of a
// multi-process test (selected by an environment variable) instead of
// running the tests.
func TestMain(m *testing.M) {
	for env, child := range childProcs {
		if path := os.Getenv(env); path != "" {
			if err := child(path); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			os.Exit(0)
		}
	}
	os.Exit(m.Run())
}
