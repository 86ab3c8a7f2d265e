package history

import (
	"slices"
	"testing"
)

func TestSplitCJK(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text   string
		split  string
		tokens []string
	}{
		{"", "", nil},
		{"plain English, no change", "plain English, no change", []string{"plain", "English", "no", "change"}},
		{"世界", " 世 界 ", []string{"世", "界"}},
		{"用Go写代码", " 用 Go 写 代 码 ", []string{"用", "Go", "写", "代", "码"}},
		{"deep 世界 model", "deep  世 界  model", []string{"deep", "世", "界", "model"}},
		// Full-width punctuation is left alone; the tokenizer drops it.
		{"你好，世界！（测试）", " 你 好 ， 世 界 ！（ 测 试 ）", []string{"你", "好", "世", "界", "测", "试"}},
		// Emoji are neither CJK nor word characters.
		{"🚀发射🚀 go😀", "🚀 发 射 🚀 go😀", []string{"发", "射", "go"}},
		{"👩‍💻代码", "👩‍💻 代 码 ", []string{"代", "码"}},
		// Japanese: kana, the prolonged sound mark, 々; half-width katakana.
		{"コーヒーを飲む", " コ ー ヒ ー を 飲 む ", []string{"コ", "ー", "ヒ", "ー", "を", "飲", "む"}},
		{"時々ｶﾀｶﾅ", " 時 々 ｶ ﾀ ｶ ﾅ ", []string{"時", "々", "ｶ", "ﾀ", "ｶ", "ﾅ"}},
		// Korean syllables, an Extension B ideograph, full-width digits.
		{"한국어 𠀀 ２０２４年", " 한 국 어   𠀀  ２０２４ 年 ", []string{"한", "국", "어", "𠀀", "２０２４", "年"}},
		// Accents and other scripts stay inside words.
		{"café Ärger Москва", "café Ärger Москва", []string{"café", "Ärger", "Москва"}},
	}
	for _, tt := range tests {
		if got := splitCJK(tt.text); got != tt.split {
			t.Errorf("splitCJK(%q) = %q; want %q", tt.text, got, tt.split)
		}
		if got := wordTokens(tt.text); !slices.Equal(got, tt.tokens) {
			t.Errorf("wordTokens(%q) = %q; want %q", tt.text, got, tt.tokens)
		}
	}
}

func TestClassifyTerms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text      string
		kind      termKind
		match     string
		wordStart bool
	}{
		{"世界", wordTerm, `"世 界"`, false},
		{"龘", wordTerm, `"龘"`, false},
		{"go", wordTerm, `"go"*`, true},
		{"7", wordTerm, `"7"*`, true},
		{"да", wordTerm, `"да"*`, true},
		{"世a", wordTerm, `"世 a"*`, false},
		{"%", symbolTerm, `"s25"`, false},
		{"C:", symbolTerm, `"s63s3a"`, false}, // lower case, like the indexed text
		{"😀", symbolTerm, `"s1f600"`, false},
		{"👍🏽", symbolTerm, `"s1f44ds1f3fd"`, false}, // emoji and skin tone
		{"❤️", symbolTerm, `"s2764sfe0f"`, false},   // emoji and variation selector
		{"⺀", symbolTerm, `"s2e80"`, false},         // a Han radical is a symbol, not a word
		{"机器学习", trigramTerm, `"机器学习"`, false},
		{"the", trigramTerm, `"the"`, false},
		{`a"b`, trigramTerm, `"a""b"`, false},
		{"👩‍💻", trigramTerm, `"👩‍💻"`, false}, // three code points
	}
	for _, tt := range tests {
		got := classify(tt.text)
		if got.kind != tt.kind || got.match != tt.match || got.wordStart != tt.wordStart {
			t.Errorf("classify(%q) = %+v; want kind %d, match %q, wordStart %v",
				tt.text, got, tt.kind, tt.match, tt.wordStart)
		}
	}
}

func TestHasTerm(t *testing.T) {
	t.Parallel()
	tests := []struct {
		content, query string
		want           bool
	}{
		{"golang, long ago", "go", true},
		{"long ago", "go", false}, // a word prefix, not a substring
		{"用Go写代码", "go", true},    // CJK next to a word is a word boundary
		{"Ärger", "äR", true},
		{"你好世界", "世界", true},
		{"世和界", "世界", false},
		{"lorvexka", "lorvex", true}, // long terms are substrings
	}
	for _, tt := range tests {
		if got := hasTerm(tt.content, classify(tt.query)); got != tt.want {
			t.Errorf("hasTerm(%q, %q) = %v; want %v", tt.content, tt.query, got, tt.want)
		}
	}
}
