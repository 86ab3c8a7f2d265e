package usage

import "testing"

// TestEstimatorPieces: the one estimator gives the same count whether it
// reads a string, bytes, or bytes in pieces cut inside a character, and
// counts a CJK character as a token where four ASCII letters make one.
func TestEstimatorPieces(t *testing.T) {
	for _, tc := range []struct {
		text string
		want int
	}{
		{"", 0},
		{"hello world!", 3},
		{"你好，世界", 5},
		{"The answer 是 42.", 5}, // 15 ASCII bytes → 4, 是 → 1
		{"🙂 ok", 2},
	} {
		if got := Estimate(tc.text); got != tc.want {
			t.Errorf("Estimate(%q) = %d; want %d", tc.text, got, tc.want)
		}
		if got := EstimateBytes([]byte(tc.text)); got != tc.want {
			t.Errorf("EstimateBytes(%q) = %d; want %d", tc.text, got, tc.want)
		}
		var c Counter
		b := []byte(tc.text)
		for i := 0; i < len(b); i += 2 { // cuts 3- and 4-byte characters
			c.Add(b[i:min(i+2, len(b))])
		}
		if c.Tokens() != tc.want || c.Empty() != (tc.text == "") {
			t.Errorf("Counter in pieces over %q = %d (empty %v); want %d", tc.text, c.Tokens(), c.Empty(), tc.want)
		}
	}
}
