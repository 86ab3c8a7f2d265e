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
		terms []string
		want  string
	}{
		{"Go is fun", []string{"go"}, "\x02Go\x03 is fun"},
		{"a ab abc", []string{"ab", "a"}, "\x02a\x03 \x02ab\x03 \x02ab\x03c"},
		{"Ärger und ärger", []string{"ärger"}, "\x02Ärger\x03 und \x02ärger\x03"},
		{"你好世界，欢迎来到北京", []string{"欢迎来到", "世界"}, "你好\x02世界\x03，\x02欢迎来到\x03北京"},
		{"no match here", []string{"zz"}, "no match here"},
		{long, []string{"世界"}, "…" + strings.Repeat("前", 16) + "\x02世界\x03" + strings.Repeat("后", 46) + "…"},
	}
	for _, tt := range tests {
		if got := markTerms(tt.text, tt.terms); got != tt.want {
			t.Errorf("markTerms(%q, %q) = %q; want %q", tt.text, tt.terms, got, tt.want)
		}
	}
}
