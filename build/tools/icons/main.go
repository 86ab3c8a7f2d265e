// Command icons writes the hicolor icon theme sizes of one square PNG:
//
//	icons -src build/appicon.png -name io.github.thinkcloud.ThinkCloud -out DIR
//
// makes DIR/<n>x<n>/apps/<name>.png for each usual size, so the packages
// need no image tool from outside the Go module proxy.
package main

import (
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"

	"golang.org/x/image/draw"
)

// sizes are the hicolor sizes desktops look up (menus 16–48, launchers and
// software centres 64–512).
var sizes = []int{16, 22, 24, 32, 48, 64, 128, 256, 512}

func main() {
	src := flag.String("src", "", "square source PNG, at least 512 px")
	name := flag.String("name", "", "icon name (the .desktop file's Icon=)")
	out := flag.String("out", "", "output directory (the hicolor theme root)")
	flag.Parse()
	if *src == "" || *name == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "icons: -src, -name and -out are required")
		os.Exit(2)
	}
	if err := run(*src, *name, *out); err != nil {
		fmt.Fprintln(os.Stderr, "icons:", err)
		os.Exit(1)
	}
}

func run(src, name, out string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return fmt.Errorf("decode %s: %w", src, err)
	}
	b := img.Bounds()
	if b.Dx() != b.Dy() || b.Dx() < sizes[len(sizes)-1] {
		return fmt.Errorf("%s is %dx%d; want a square of at least %d px", src, b.Dx(), b.Dy(), sizes[len(sizes)-1])
	}
	for _, n := range sizes {
		dst := image.NewNRGBA(image.Rect(0, 0, n, n))
		draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
		dir := filepath.Join(out, fmt.Sprintf("%dx%d", n, n), "apps")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := writePNG(filepath.Join(dir, name+".png"), dst); err != nil {
			return err
		}
	}
	return nil
}

func writePNG(path string, img image.Image) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return f.Close()
}
