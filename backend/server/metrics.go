package server

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"thinkcloud/backend/gateway"
	"thinkcloud/backend/usage"
)

// metrics counts what the request log records, for GET /metrics in
// Prometheus' text format (Options.Metrics). Labels are the door, the
// provider and the status: a few dozen series, never one per model or
// client.
type metrics struct {
	mu       sync.Mutex
	requests map[[3]string]int64 // door, provider, status
	tokens   map[[3]string]int64 // door, provider, kind
	cost     map[string]float64  // currency
}

func (m *metrics) add(r usage.Record) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.requests == nil {
		m.requests, m.tokens, m.cost = map[[3]string]int64{}, map[[3]string]int64{}, map[string]float64{}
	}
	m.requests[[3]string{r.Door, r.Provider, strconv.Itoa(r.Status)}]++
	for kind, n := range map[string]int{"input": r.Input, "output": r.Output, "reasoning": r.Reasoning, "cached": r.Cached} {
		if n > 0 {
			m.tokens[[3]string{r.Door, r.Provider, kind}] += int64(n)
		}
	}
	for _, c := range r.Costs {
		m.cost[c.Currency] += c.Amount
	}
}

// metricsOn is Options.MetricsOn, else Options.Metrics.
func (h *Handler) metricsOn() bool {
	if h.opts.MetricsOn != nil {
		return h.opts.MetricsOn()
	}
	return h.opts.Metrics
}

// serveMetrics answers GET /metrics; without Options.Metrics it is the
// same 404 as any unknown path.
func (h *Handler) serveMetrics(w http.ResponseWriter, r *http.Request) {
	if !h.metricsOn() {
		writeError(w, &gateway.Error{Status: 404, Type: "invalid_request_error", Code: "unknown_url",
			Message: "Unknown request URL: GET /metrics. Metrics are off: turn on usage.metrics in settings.json"})
		return
	}
	m := &h.metrics
	m.mu.Lock()
	defer m.mu.Unlock()
	var b strings.Builder
	b.WriteString("# HELP thinkcloud_requests_total Requests through the endpoint's doors, by door, provider and status.\n# TYPE thinkcloud_requests_total counter\n")
	for _, k := range sortedKeys(m.requests) {
		fmt.Fprintf(&b, "thinkcloud_requests_total{door=%q,provider=%q,status=%q} %d\n", k[0], k[1], k[2], m.requests[k])
	}
	b.WriteString("# HELP thinkcloud_tokens_total Tokens as providers reported them, by door, provider and kind.\n# TYPE thinkcloud_tokens_total counter\n")
	for _, k := range sortedKeys(m.tokens) {
		fmt.Fprintf(&b, "thinkcloud_tokens_total{door=%q,provider=%q,kind=%q} %d\n", k[0], k[1], k[2], m.tokens[k])
	}
	b.WriteString("# HELP thinkcloud_cost_total Cost from the catalog's prices, by currency.\n# TYPE thinkcloud_cost_total counter\n")
	curs := make([]string, 0, len(m.cost))
	for c := range m.cost {
		curs = append(curs, c)
	}
	slices.Sort(curs)
	for _, c := range curs {
		fmt.Fprintf(&b, "thinkcloud_cost_total{currency=%q} %s\n", c, strconv.FormatFloat(m.cost[c], 'g', -1, 64))
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Write([]byte(b.String()))
}

func sortedKeys(m map[[3]string]int64) [][3]string {
	keys := make([][3]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [3]string) int {
		return strings.Compare(a[0]+"\x00"+a[1]+"\x00"+a[2], b[0]+"\x00"+b[1]+"\x00"+b[2])
	})
	return keys
}
