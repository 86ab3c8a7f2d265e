//go:build !windows

package tray

import (
	"bytes"
	"image"
	"image/png"
)

// pixmap is one icon size as the protocol wants it: width, height and
// ARGB32 pixels in network byte order.
type pixmap struct {
	W, H int32
	Data []byte
}

// toolTip is (icon name, icon pixmaps, title, description).
type toolTip struct {
	IconName    string
	Icon        []pixmap
	Title, Body string
}

// pixmaps turns a PNG into a 32 and a 64 pixel icon; a missing or broken
// PNG gives none (the host then uses IconName).
func pixmaps(pngData []byte) []pixmap {
	if len(pngData) == 0 {
		return []pixmap{}
	}
	img, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		return []pixmap{}
	}
	return []pixmap{scale(img, 32), scale(img, 64)}
}

// scale samples img to n×n (nearest neighbour is fine for a tray icon
// drawn from a large square source).
func scale(img image.Image, n int) pixmap {
	b := img.Bounds()
	data := make([]byte, 0, n*n*4)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			r, g, bl, a := img.At(b.Min.X+x*b.Dx()/n, b.Min.Y+y*b.Dy()/n).RGBA()
			data = append(data, byte(a>>8), byte(r>>8), byte(g>>8), byte(bl>>8))
		}
	}
	return pixmap{W: int32(n), H: int32(n), Data: data}
}
