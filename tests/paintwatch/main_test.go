package main

import (
	"testing"
	"time"
)

// image: w*h BGRX pixels, each coloured by f(x, y) as a grey level.
func image(w, h int, f func(x, y int) byte) []byte {
	d := make([]byte, w*h*4)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := f(x, y)
			i := (y*w + x) * 4
			d[i], d[i+1], d[i+2] = v, v, v
		}
	}
	return d
}

func TestNotBlank(t *testing.T) {
	const w, h = 64, 32
	cases := []struct {
		name string
		f    func(x, y int) byte
		want bool
	}{
		{"one colour", func(int, int) byte { return 0xf0 }, false},
		{"two colours, high contrast", func(x, _ int) byte { return byte(x%2) * 255 }, false},
		{"many colours, too little contrast", func(x, _ int) byte { return 200 + byte(x%16) }, false},
		{"a drawn page", func(x, y int) byte { return byte(x*4 + y) }, true},
	}
	for _, c := range cases {
		if got := notBlank(image(w, h, c.f), w*h); got != c.want {
			t.Errorf("%s: notBlank = %v, want %v", c.name, got, c.want)
		}
	}
	if notBlank(image(w, h, func(x, y int) byte { return byte(x*4 + y) })[:100], w*h) {
		t.Error("a short capture counted as painted")
	}
}

func TestParseEpoch(t *testing.T) {
	got, err := parseEpoch("1700000000.000000042")
	if err != nil || !got.Equal(time.Unix(1700000000, 42)) {
		t.Fatalf("parseEpoch = %v, %v", got, err)
	}
	got, err = parseEpoch("1700000000.5")
	if err != nil || !got.Equal(time.Unix(1700000000, 500000000)) {
		t.Fatalf("parseEpoch(.5) = %v, %v", got, err)
	}
	if _, err := parseEpoch("soon"); err == nil {
		t.Fatal("parseEpoch accepted a word")
	}
}
