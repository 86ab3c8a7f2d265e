package desktop

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"thinkcloud/backend/usage"
)

// csvHeader names the columns of the request export. Durations are in
// milliseconds; costs is "amount currency" per currency, joined by "; ".
var csvHeader = []string{"id", "at", "door", "token", "client", "provider", "model_asked", "model", "status",
	"error_kind", "retries", "fallbacks", "latency_ms", "ttft_ms", "input", "output", "reasoning", "cached",
	"costs", "estimated"}

// requestsCSV renders every row matching f, newest first, as CSV.
func (s *UsageService) requestsCSV(f usage.Filter) ([]byte, error) {
	l, err := s.log()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(csvHeader)
	for before := int64(0); ; {
		page, err := l.Requests(s.base, f, before, 1000)
		if err != nil {
			return nil, fmt.Errorf("export requests: %w", err)
		}
		for _, r := range page.Rows {
			_ = w.Write(csvRow(r))
		}
		if page.Next == 0 {
			break
		}
		before = page.Next
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func csvRow(r usage.Record) []string {
	costs := make([]string, len(r.Costs))
	for i, c := range r.Costs {
		costs[i] = strconv.FormatFloat(c.Amount, 'f', -1, 64) + " " + c.Currency
	}
	ms := func(d time.Duration) string {
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64)
	}
	return []string{strconv.FormatInt(r.ID, 10), r.At.UTC().Format(time.RFC3339Nano), cell(r.Door), cell(r.Token),
		cell(r.Client), cell(r.Provider), cell(r.ModelAsked), cell(r.Model), strconv.Itoa(r.Status), cell(r.ErrorKind),
		strconv.Itoa(r.Retries), strconv.Itoa(r.Fallbacks), ms(r.Latency), ms(r.TTFT), strconv.Itoa(r.Input),
		strconv.Itoa(r.Output), strconv.Itoa(r.Reasoning), strconv.Itoa(r.Cached), strings.Join(costs, "; "),
		strconv.FormatBool(r.Estimated)}
}

// cell keeps a spreadsheet from running text as a formula: a client's
// User-Agent or a token name starting with = + - @ gets a leading quote.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// ExportCSV asks where to save the requests matching f as CSV and writes
// them there (the dashboard's "Export CSV"). heading is the dialog's
// title in the window's language ("": English). It returns the path
// written, or "" if the user cancelled. A failed write leaves no partial
// file and any existing file as it was.
func (s *UsageService) ExportCSV(f usage.Filter, heading string) (string, error) {
	if s.files == nil {
		return "", fmt.Errorf("export requests: %w", errNoDialogs)
	}
	data, err := s.requestsCSV(f) // before asking: a log that is off fails without a dialog
	if err != nil {
		return "", err
	}
	dir := ""
	for _, d := range userDirs() {
		if d != "" {
			dir = d
			break
		}
	}
	path, err := s.files.SaveFile(FileRequest{Title: dialogTitle(heading, "Export requests as CSV"),
		DefaultName: "thinkcloud-requests-" + time.Now().UTC().Format("2006-01-02") + ".csv", DefaultDir: dir,
		Filters: []FileFilter{{Name: "CSV", Pattern: "*.csv"}, allFiles}})
	if err != nil {
		return "", fmt.Errorf("save dialog: %w", err)
	}
	if path == "" {
		return "", nil
	}
	if err := saveFile(s.ops, path, data); err != nil {
		return "", err
	}
	return path, nil
}
