package gateway

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzAppendJSONString holds AppendJSONString to encoding/json, with and
// without HTML escaping.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", `quote " and \ back`, "<b>&amp;</b>", "tab\tnl\ncr\rbs\bff\f\x00\x1f\x7f",
		"中文 ünïcødé 🙂", "bad \xff\xfe utf8 \xc3", "line\u2028para\u2029", "\u00e9\ufffd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := AppendJSONString(nil, s, true); !bytes.Equal(got, want) {
			t.Fatalf("html: %q\n got %s\nwant %s", s, got, want)
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.Encode(s)
		want = bytes.TrimSuffix(b.Bytes(), []byte("\n"))
		if got := AppendJSONString([]byte("x"), s, false); !bytes.Equal(got[1:], want) || got[0] != 'x' {
			t.Fatalf("no html: %q\n got %s\nwant %s", s, got, want)
		}
	})
}
