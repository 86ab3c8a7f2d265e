package desktop

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// DiagService is bound to the window only when THINKCLOUD_DIAG_FILE names
// a file (see DiagFromEnv): the window then records frame timing while an
// answer streams and hands its figures here, one JSON line per report,
// for scripts/window-stream-bench.sh. Without the variable the service is
// not bound and the window loads no recorder at all.
//
// A report is numbers under short names and nothing else: Write refuses
// any other shape, so message text or a key cannot reach the file even by
// mistake.
type DiagService struct {
	path   string
	idleMs int64
	mu     sync.Mutex
}

// DiagFromEnv returns the service when THINKCLOUD_DIAG_FILE is set, else
// nil. THINKCLOUD_DIAG_IDLE_MS (default 0: none) asks the window to first
// record an idle stretch that long, the baseline of the stream figures.
func DiagFromEnv(getenv func(string) string) *DiagService {
	path := getenv("THINKCLOUD_DIAG_FILE")
	if path == "" {
		return nil
	}
	idle, _ := strconv.ParseInt(getenv("THINKCLOUD_DIAG_IDLE_MS"), 10, 64)
	return &DiagService{path: path, idleMs: max(idle, 0)}
}

// DiagConfig tells the window what to record.
type DiagConfig struct {
	// IdleMs is how long to record the idle window before any answer;
	// zero means no idle recording.
	IdleMs int64 `json:"idleMs"`
}

// Config returns what the window should record.
func (s *DiagService) Config() (DiagConfig, error) {
	return DiagConfig{IdleMs: s.idleMs}, nil
}

// DiagReport is one set of figures: Phase says which ("idle", "stream"),
// Metrics holds the numbers.
type DiagReport struct {
	Phase   string             `json:"phase"`
	Metrics map[string]float64 `json:"metrics"`
}

var diagName = regexp.MustCompile(`^[a-z][a-zA-Z0-9_]{0,47}$`)

const maxDiagMetrics = 100

// Write appends the report to the file as one JSON line, with the time.
func (s *DiagService) Write(r DiagReport) error {
	if err := r.check(); err != nil {
		return fmt.Errorf("diagnostics report: %w", err)
	}
	line, err := json.Marshal(struct {
		Time string `json:"time"`
		DiagReport
	}{time.Now().UTC().Format(time.RFC3339Nano), r})
	if err != nil {
		return fmt.Errorf("diagnostics report: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := os.OpenFile(s.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open diagnostics file: %w", err)
	}
	_, err = f.Write(append(line, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write diagnostics file: %w", err)
	}
	return nil
}

func (r DiagReport) check() error {
	if !diagName.MatchString(r.Phase) {
		return fmt.Errorf("phase %q is not a short name", r.Phase)
	}
	if len(r.Metrics) == 0 || len(r.Metrics) > maxDiagMetrics {
		return fmt.Errorf("%d metrics; want 1 to %d", len(r.Metrics), maxDiagMetrics)
	}
	for k, v := range r.Metrics {
		if !diagName.MatchString(k) {
			return fmt.Errorf("metric name %q is not a short name", k)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errors.New("metric " + k + " is not a finite number")
		}
	}
	return nil
}
