package desktop

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/internal/testrig"
	"thinkcloud/backend/usage"
)

// TestUsageExportCSV: the export writes every row matching the filter
// (across pages), newest first, with costs per currency, and quotes a
// User-Agent that a spreadsheet would run as a formula.
func TestUsageExportCSV(t *testing.T) {
	t.Parallel()
	tr := testrig.New(t, testrig.Options{Usage: true})
	ctx := context.Background()
	l := tr.Core.UsageLog()
	base := time.Now().Add(-time.Hour).UTC()
	const n = 1203 // more than one page of 1000
	for i := range n {
		r := usage.Record{At: base.Add(time.Duration(i) * time.Millisecond), Door: usage.DoorWindow, Token: usage.TokenWindow,
			Provider: "deepseek", Model: "deepseek-flash", Status: 200, Latency: 1500 * time.Millisecond, Input: 10, Output: i,
			Costs: []catalog.Cost{{Currency: "CNY", Amount: 0.5}, {Currency: "USD", Amount: 0.07}}}
		if i%2 == 1 {
			r.Status, r.ErrorKind, r.Costs, r.Client = 429, "rate_limited", nil, "=cmd|' /C calc'!A0"
		}
		l.Add(r)
	}
	if err := l.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	files := &fakeChooser{path: filepath.Join(t.TempDir(), "out.csv")}
	svc := NewUsageService(ctx, tr.Core)
	svc.files = files
	path, err := svc.ExportCSV(usage.Filter{Status: "ok"}, "导出")
	if err != nil || path != files.path {
		t.Fatalf("export: %q, %v", path, err)
	}
	if len(files.reqs) != 1 || files.reqs[0].Title != "导出" {
		t.Errorf("dialog %+v", files.reqs)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+(n+1)/2 {
		t.Fatalf("%d lines; want header + %d ok rows", len(recs), (n+1)/2)
	}
	if recs[0][0] != "id" || recs[1][8] != "200" || recs[1][15] != "1202" || recs[1][12] != "1500.0" ||
		recs[1][18] != "0.5 CNY; 0.07 USD" {
		t.Errorf("newest row %v", recs[1])
	}

	all, err := svc.requestsCSV(usage.Filter{Status: "error"})
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := csv.NewReader(bytesReader(all)).ReadAll()
	if len(rows) != 1+n/2 || rows[1][4] != "'=cmd|' /C calc'!A0" || rows[1][18] != "" {
		t.Errorf("%d error rows, first %v", len(rows), rows[1])
	}
}

// TestUsageExportCSVCancelAndNoDialogs: cancelling writes nothing; without
// dialogs the error says so.
func TestUsageExportCSVCancelAndNoDialogs(t *testing.T) {
	t.Parallel()
	tr := testrig.New(t, testrig.Options{Usage: true})
	svc := NewUsageService(context.Background(), tr.Core)
	if _, err := svc.ExportCSV(usage.Filter{}, ""); !errors.Is(err, errNoDialogs) {
		t.Errorf("no dialogs: %v", err)
	}
	svc.files = &fakeChooser{}
	if path, err := svc.ExportCSV(usage.Filter{}, ""); path != "" || err != nil {
		t.Errorf("cancel: %q, %v", path, err)
	}
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// TestUsageFilterFromWindow: the filter as the window sends it decodes (an
// unbounded end is Go's zero time; "" is refused, which the window avoids).
func TestUsageFilterFromWindow(t *testing.T) {
	var f usage.Filter
	if err := json.Unmarshal([]byte(`{"since":"2026-11-02T12:00:00.000Z","until":"0001-01-01T00:00:00Z","status":"error"}`), &f); err != nil {
		t.Fatal(err)
	}
	if !f.Until.IsZero() || f.Since.IsZero() || f.Status != "error" {
		t.Errorf("filter %+v", f)
	}
	if json.Unmarshal([]byte(`{"since":"","until":""}`), &f) == nil {
		t.Error(`"" decoded as a time`)
	}
}
