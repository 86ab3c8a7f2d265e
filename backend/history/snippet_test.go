package history

import (
	"strings"
	"testing"
)

func TestMarkTerms(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("前", 30) + "世界" + strings.Repeat("后", 60)
	tests := []struct {
		text  string
		query string
		want  string
	}{
		{"Go is fun", "go", "\x02Go\x03 is fun"},
		{"a ab abc", "ab a", "\x02a\x03 \x02ab\x03 \x02ab\x03c"},
		{"Ärger und ärger", "ärger", "\x02Ärger\x03 und \x02ärger\x03"},
		{"你好世界，欢迎来到北京", "欢迎来到 世界", "你好\x02世界\x03，\x02欢迎来到\x03北京"},
		{"no match here", "zz", "no match here"},
		// Short words without CJK match at the start of a word, as in the index.
		{"ago, golang and Go", "go", "ago, \x02go\x03lang and \x02Go\x03"},
		{"mango", "go", "mango"},
		{"用go写代码", "go 代码", "用\x02go\x03写\x02代码\x03"},
		{"l'ago gone", "go", "l'ago \x02go\x03ne"},
		{long, "世界", "…" + strings.Repeat("前", 16) + "\x02世界\x03" + strings.Repeat("后", 46) + "…"},
	}
	for _, tt := range tests {
		if got := markTerms(tt.text, parseTerms(tt.query)); got != tt.want {
			t.Errorf("markTerms(%q, %q) = %q; want %q", tt.text, tt.query, got, tt.want)
		}
	}
}
