package config

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestTitles: titles are off by default and absent from a fresh file, a
// saved choice survives a JSON round trip, and overlong names are refused.
func TestTitles(t *testing.T) {
	t.Parallel()
	d := Defaults()
	if d.Titles.Auto || d.Titles.Model != "" {
		t.Errorf("default titles %+v; want off", d.Titles)
	}
	b, err := json.Marshal(d)
	if err != nil || strings.Contains(string(b), `"titles"`) {
		t.Errorf("defaults as JSON carry titles: %s, %v", b, err)
	}
	d.Titles = Titles{Auto: true, Model: "deepseek-flash", PaidModel: "deepseek-flash"}
	b, _ = json.Marshal(d)
	var back Settings
	if err := json.Unmarshal(b, &back); err != nil || back.Titles != d.Titles {
		t.Errorf("round trip %+v, %v; want %+v", back.Titles, err, d.Titles)
	}
	d.Titles.Model = strings.Repeat("m", 201)
	if err := d.Validate(); err == nil || !strings.Contains(err.Error(), "titles.model") {
		t.Errorf("Validate = %v; want titles.model refused", err)
	}
}
