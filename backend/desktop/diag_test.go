package desktop

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestDiagFromEnv(t *testing.T) {
	t.Parallel()
	if s := DiagFromEnv(env(nil)); s != nil {
		t.Fatalf("DiagFromEnv with no THINKCLOUD_DIAG_FILE = %+v; want nil (not bound)", s)
	}
	for _, tc := range []struct {
		idle string
		want int64
	}{{"", 0}, {"33333", 33333}, {"-5", 0}, {"soon", 0}} {
		s := DiagFromEnv(env(map[string]string{"THINKCLOUD_DIAG_FILE": "/x", "THINKCLOUD_DIAG_IDLE_MS": tc.idle}))
		if s == nil {
			t.Fatal("DiagFromEnv = nil with THINKCLOUD_DIAG_FILE set")
		}
		c, err := s.Config()
		if err != nil || c.IdleMs != tc.want {
			t.Errorf("idle %q: Config() = %+v, %v; want IdleMs %d", tc.idle, c, err, tc.want)
		}
	}
}

func TestDiagWriteAppendsLines(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "diag.jsonl")
	s := DiagFromEnv(env(map[string]string{"THINKCLOUD_DIAG_FILE": path}))
	reports := []DiagReport{
		{Phase: "idle", Metrics: map[string]float64{"frames": 1990, "gapP99Ms": 17.2}},
		{Phase: "stream", Metrics: map[string]float64{"frames": 2001, "lagMaxMs": 48.5, "longTaskSupported": 0}},
	}
	for _, r := range reports {
		if err := s.Write(r); err != nil {
			t.Fatalf("Write(%+v) = %v", r, err)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if st, _ := f.Stat(); st.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v; want 0600", st.Mode().Perm())
	}
	sc := bufio.NewScanner(f)
	var n int
	for ; sc.Scan(); n++ {
		var got struct {
			Time string
			DiagReport
		}
		if err := json.Unmarshal(sc.Bytes(), &got); err != nil {
			t.Fatalf("line %d %q: %v", n, sc.Text(), err)
		}
		want := reports[n]
		if got.Time == "" || got.Phase != want.Phase || len(got.Metrics) != len(want.Metrics) {
			t.Fatalf("line %d = %+v; want %+v with a time", n, got, want)
		}
		for k, v := range want.Metrics {
			if got.Metrics[k] != v {
				t.Errorf("line %d %s = %v; want %v", n, k, got.Metrics[k], v)
			}
		}
	}
	if n != len(reports) {
		t.Errorf("%d lines; want %d", n, len(reports))
	}
}

// Only numbers under short names reach the file: anything that could carry
// text is refused, and nothing is written.
func TestDiagWriteRefusesText(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "diag.jsonl")
	s := DiagFromEnv(env(map[string]string{"THINKCLOUD_DIAG_FILE": path}))
	for name, r := range map[string]DiagReport{
		"phase with spaces":  {Phase: "What is the answer?", Metrics: map[string]float64{"frames": 1}},
		"empty phase":        {Phase: "", Metrics: map[string]float64{"frames": 1}},
		"key-like name":      {Phase: "stream", Metrics: map[string]float64{"sk-test-key-deepseek": 1}},
		"long name":          {Phase: "stream", Metrics: map[string]float64{strings.Repeat("a", 49): 1}},
		"no metrics":         {Phase: "stream"},
		"too many metrics":   {Phase: "stream", Metrics: manyMetrics(maxDiagMetrics + 1)},
		"not a finite value": {Phase: "stream", Metrics: map[string]float64{"lag": math.Inf(1)}},
	} {
		if err := s.Write(r); err == nil {
			t.Errorf("%s: Write accepted %+v", name, r)
		}
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("refused reports left a file behind (stat: %v)", err)
	}
}

func manyMetrics(n int) map[string]float64 {
	m := map[string]float64{}
	for i := range n {
		m["m"+strings.Repeat("x", i%40)+string(rune('a'+i%26))+string(rune('a'+i/26))] = 1
	}
	return m
}
