package desktop

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"thinkcloud/backend/config"
)

// TestProblemCodesListed: every Problem* constant is in problemCodes, the
// list the window's ProblemCode type (and its translation test) is made
// from, so no code reaches the window without words in both languages.
func TestProblemCodesListed(t *testing.T) {
	t.Parallel()
	f, err := parser.ParseFile(token.NewFileSet(), "problems.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var consts []string
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok && len(vs.Names) == 1 && strings.HasPrefix(vs.Names[0].Name, "Problem") {
			if lit, ok := vs.Values[0].(*ast.BasicLit); ok {
				v, _ := strconv.Unquote(lit.Value)
				consts = append(consts, v)
			}
		}
		return true
	})
	if len(consts) < 10 {
		t.Fatalf("found %d Problem constants; the scan is broken", len(consts))
	}
	slices.Sort(consts)
	listed := slices.Sorted(slices.Values(problemCodes))
	if !slices.Equal(consts, listed) {
		t.Errorf("constants %v; problemCodes %v", consts, listed)
	}
}

// TestFormatError: a Problem, even wrapped, reaches the window as its code
// and params with the whole English message; other errors as text.
func TestFormatError(t *testing.T) {
	t.Parallel()
	wrapped := fmt.Errorf("export conversation: %w", saveError("/tmp/x/a.md", syscall.ENOSPC))
	got, ok := FormatError(wrapped).(*Problem)
	if !ok || got.Code != ProblemDiskFull || got.Params["path"] != "/tmp/x/a.md" || got.Message != wrapped.Error() {
		t.Fatalf("FormatError = %#v; want disk_full with the path and %q", FormatError(wrapped), wrapped.Error())
	}
	if !errors.Is(wrapped, syscall.ENOSPC) {
		t.Error("the Problem hides the syscall error from errors.Is")
	}
	if got := FormatError(errors.New("plain")); got != "plain" {
		t.Errorf("FormatError(plain) = %#v; want the text", got)
	}
	r := newRig(t, nil)
	if _, err := r.chat.Send(SendRequest{StreamID: r.streamID(), Model: "deepseek-flash", Text: "  "}); FormatError(err).(*Problem).Code != ProblemEmptyMessage {
		t.Errorf("empty message: %#v", FormatError(err))
	}
	_, err := r.chat.Send(SendRequest{StreamID: r.streamID(), Model: "nope-1", Text: "hi"})
	if p, ok := FormatError(err).(*Problem); !ok || p.Code != ProblemUnknownModel || p.Params["model"] != "nope-1" {
		t.Errorf("unknown model: %#v", FormatError(err))
	}
}

// Settings that break rules reach the window as settings_invalid: the
// first bad field, its rule and parameters, and how many more fields are
// bad; the message keeps every field's English. Wrapping (as Save's
// callers do) changes none of it.
func TestFormatErrorWordsInvalidSettings(t *testing.T) {
	t.Parallel()
	s := config.Defaults()
	s.Routing.KeyRestSeconds = 3601
	s.Theme = "blue"
	s.Endpoint.Port = 0
	err := fmt.Errorf("apply settings: %w", s.Validate())
	p, ok := FormatError(err).(*Problem)
	if !ok {
		t.Fatalf("FormatError = %#v; want a *Problem", FormatError(err))
	}
	if p.Code != ProblemSettingsInvalid || p.Message != err.Error() {
		t.Fatalf("code %q, message %q; want settings_invalid with the whole English", p.Code, p.Message)
	}
	// Validate reports the endpoint before routing and the theme.
	want := map[string]string{"field": "endpoint.port", "more": "2"}
	if p.Rule != "port" || !maps.Equal(p.Params, want) {
		t.Fatalf("rule %q, params %v; want port, %v", p.Rule, p.Params, want)
	}
	if !strings.Contains(p.Message, `theme: must be "system", "light" or "dark"`) {
		t.Errorf("message lost a field: %q", p.Message)
	}

	one := config.Defaults()
	one.Routing.KeyRestSeconds = 3601
	p = FormatError(one.Validate()).(*Problem)
	want = map[string]string{"field": "routing.keyRestSeconds", "default": "60", "max": "3600"}
	if p.Rule != "default_or_range" || !maps.Equal(p.Params, want) {
		t.Fatalf("one field: rule %q, params %v; want default_or_range, %v", p.Rule, p.Params, want)
	}
}

// A settings file refused at start for a rule: the notice's Problem names
// the rule too (with the English in "problem", as before); one refused
// for bad JSON has no rule to name.
func TestSettingsProblemNamesTheRule(t *testing.T) {
	t.Parallel()
	write := func(content string) *config.Notice {
		t.Helper()
		path := filepath.Join(t.TempDir(), "settings.json")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, n, err := config.NewStore(path).Load()
		if err != nil || n == nil {
			t.Fatalf("Load: %v, notice %v; want a notice", err, n)
		}
		return n
	}
	p := settingsProblem(write(`{"version":1,"endpoint":{"port":70000},"theme":"blue"}`))
	if p.Code != ProblemSettingsMoved || p.Rule != "port" {
		t.Fatalf("code %q, rule %q; want settings_moved naming port", p.Code, p.Rule)
	}
	if p.Params["field"] != "endpoint.port" || p.Params["more"] != "1" || !strings.Contains(p.Params["problem"], "endpoint.port: must be 1..65535") ||
		p.Params["movedTo"] == "" {
		t.Fatalf("params %v", p.Params)
	}
	// A file that is not JSON names its line, for the window to word (the
	// detail is encoding/json's English); no field is at fault.
	p = settingsProblem(write("{\n oops\n}"))
	if p.Code != ProblemSettingsMoved || p.Rule != "json_syntax" || p.Params["field"] != "" || p.Params["line"] != "2" ||
		!strings.Contains(p.Params["detail"], "invalid character 'o'") || !strings.Contains(p.Params["problem"], "invalid JSON on line 2") {
		t.Fatalf("bad JSON: code %q, rule %q, params %v", p.Code, p.Rule, p.Params)
	}
}
