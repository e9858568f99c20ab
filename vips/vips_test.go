package vips

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// testImage writes a w×h PNG whose left half is red and right half blue,
// with a white square in the top-left corner.
func testImage(t testing.TB, w, h int) string {
	t.Helper()
	im := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{200, 20, 20, 255}
			if x >= w/2 {
				c = color.RGBA{20, 20, 200, 255}
			}
			if x < w/8 && y < h/8 {
				c = color.RGBA{255, 255, 255, 255}
			}
			im.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, im); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "in.png")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func near(a, b uint32, tol uint32) bool {
	a, b = a>>8, b>>8
	if a > b {
		return a-b <= tol
	}
	return b-a <= tol
}

func TestPyramidAndRender(t *testing.T) {
	src := testImage(t, 1200, 800)
	h, err := ReadHeader(src)
	if err != nil {
		t.Fatal(err)
	}
	if h.Width != 1200 || h.Height != 800 || h.Format() != "png" {
		t.Fatalf("ReadHeader = %+v, want 1200×800 png", h)
	}
	dst := filepath.Join(t.TempDir(), "pyr.tif")
	if err := WritePyramid(src, dst, PyramidOptions{}); err != nil {
		t.Fatal(err)
	}
	ph, err := ReadHeader(dst)
	if err != nil {
		t.Fatal(err)
	}
	if ph.Pages < 3 || ph.Format() != "tiff" {
		t.Fatalf("pyramid header = %+v, want a tiff of 3 or more pages", ph)
	}
	var pool Pool
	defer pool.Close()
	tests := []struct {
		name         string
		page         int
		p            Params
		wantW, wantH int
		at           image.Point // a pixel of the output
		r, g, b      uint32      // its colour, 0–255
	}{
		{"full level 0", 0, Params{W: 1200, H: 800, OutW: 300, OutH: 200}, 300, 200, image.Pt(250, 150), 20, 20, 200},
		{"corner", 0, Params{W: 100, H: 100, OutW: 100, OutH: 100}, 100, 100, image.Pt(50, 50), 255, 255, 255},
		{"level 1", 1, Params{X: 300, Y: 0, W: 300, H: 400, OutW: 150, OutH: 200}, 150, 200, image.Pt(10, 100), 20, 20, 200},
		{"rotate 90", 0, Params{W: 1200, H: 800, OutW: 120, OutH: 80, Degrees: 90}, 80, 120, image.Pt(76, 5), 255, 255, 255},
		{"mirror", 0, Params{W: 1200, H: 800, OutW: 120, OutH: 80, Mirror: true}, 120, 80, image.Pt(115, 5), 255, 255, 255},
		{"gray", 0, Params{W: 1200, H: 800, OutW: 120, OutH: 80, Quality: Gray}, 120, 80, image.Pt(100, 60), 72, 72, 72},
		{"bitonal", 0, Params{W: 1200, H: 800, OutW: 120, OutH: 80, Quality: Bitonal, Format: PNG}, 120, 80, image.Pt(5, 5), 255, 255, 255},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hd, err := pool.Get(dst, tt.page)
			if err != nil {
				t.Fatal(err)
			}
			defer pool.Put(dst, tt.page, hd)
			out, err := hd.Render(tt.p, nil)
			if err != nil {
				t.Fatal(err)
			}
			im, _, err := image.Decode(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			if b := im.Bounds(); b.Dx() != tt.wantW || b.Dy() != tt.wantH {
				t.Fatalf("Render(%+v) is %v, want %d×%d", tt.p, b, tt.wantW, tt.wantH)
			}
			r, g, b, _ := im.At(tt.at.X, tt.at.Y).RGBA()
			if !near(r, tt.r<<8, 24) || !near(g, tt.g<<8, 24) || !near(b, tt.b<<8, 24) {
				t.Errorf("Render(%+v) at %v = %d,%d,%d, want %d,%d,%d", tt.p, tt.at, r>>8, g>>8, b>>8, tt.r, tt.g, tt.b)
			}
		})
	}
}

func TestRenderBufferAndErrors(t *testing.T) {
	im := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for i := range im.Pix {
		im.Pix[i] = 128
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, im, nil); err != nil {
		t.Fatal(err)
	}
	out, err := RenderBuffer(b.Bytes(), Params{W: 100, H: 256, OutW: 50, OutH: 128})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(out))
	if err != nil || cfg.Width != 50 || cfg.Height != 128 {
		t.Fatalf("RenderBuffer crop = %v %v, want 50×128", cfg, err)
	}
	if _, err := RenderBuffer(b.Bytes(), Params{W: 300, H: 10, OutW: 1, OutH: 1}); err == nil {
		t.Error("RenderBuffer(region outside) succeeded, want an error")
	}
	if _, err := RenderBuffer([]byte("not an image"), Params{W: 1, H: 1, OutW: 1, OutH: 1}); err == nil {
		t.Error("RenderBuffer(junk) succeeded, want an error")
	}
	out, err = CropJPEG(b.Bytes(), 100, 37, 85)
	if err != nil {
		t.Fatal(err)
	}
	cropped, err := jpeg.Decode(bytes.NewReader(out))
	if err != nil || cropped.Bounds().Dx() != 100 || cropped.Bounds().Dy() != 37 {
		t.Fatalf("CropJPEG(100, 37) = %v %v, want 100×37", cropped.Bounds(), err)
	}
	if r, _, _, _ := cropped.At(50, 20).RGBA(); !near(r, 128<<8, 8) {
		t.Errorf("CropJPEG pixel = %d, want 128", r>>8)
	}
	for _, bad := range [][2]int{{0, 10}, {10, 0}, {257, 10}, {10, 257}} {
		if _, err := CropJPEG(b.Bytes(), bad[0], bad[1], 85); err == nil {
			t.Errorf("CropJPEG(%d, %d) of a 256×256 JPEG succeeded, want an error", bad[0], bad[1])
		}
	}
	for _, junk := range [][]byte{[]byte("not a jpeg"), b.Bytes()[:200]} {
		if _, err := CropJPEG(junk, 10, 10, 85); err == nil {
			t.Errorf("CropJPEG(%d bytes of junk) succeeded, want an error", len(junk))
		}
	}
	if _, err := ReadHeader(filepath.Join(t.TempDir(), "missing.jpg")); err == nil {
		t.Error("ReadHeader(missing) succeeded, want an error")
	}
}

// BenchmarkEdgeTile compares the two ways of cutting an edge tile out of
// its padded stored tile: libjpeg alone, and libvips.
func BenchmarkEdgeTile(b *testing.B) {
	im := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for i := range im.Pix {
		im.Pix[i] = uint8(i * 7)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, im, &jpeg.Options{Quality: 85}); err != nil {
		b.Fatal(err)
	}
	b.Run("CropJPEG", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := CropJPEG(buf.Bytes(), 100, 256, 85); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("RenderBuffer", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := RenderBuffer(buf.Bytes(), Params{W: 100, H: 256, OutW: 100, OutH: 256, Q: 85}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestRenderTiles assembles a region from four JPEG tiles of four colours
// and checks its corners, then that bad tiles and geometry are errors, not
// crashes.
func TestRenderTiles(t *testing.T) {
	colours := []color.RGBA{{200, 30, 30, 255}, {30, 200, 30, 255}, {30, 30, 200, 255}, {220, 220, 40, 255}}
	var tiles Tiles
	for _, c := range colours {
		im := image.NewRGBA(image.Rect(0, 0, 64, 64))
		for i := 0; i < len(im.Pix); i += 4 {
			im.Pix[i], im.Pix[i+1], im.Pix[i+2], im.Pix[i+3] = c.R, c.G, c.B, 255
		}
		var b bytes.Buffer
		if err := jpeg.Encode(&b, im, &jpeg.Options{Quality: 95}); err != nil {
			t.Fatal(err)
		}
		tiles.Data = append(tiles.Data, b.Bytes()...)
		tiles.Ends = append(tiles.Ends, len(tiles.Data))
	}
	tiles.Cols, tiles.Rows, tiles.TileW, tiles.TileH, tiles.Bands = 2, 2, 64, 64, 3
	// 40..100 × 10..90 of the 128×128 mosaic, scaled to 30×40.
	out, err := RenderTiles(&tiles, Params{X: 40, Y: 10, W: 60, H: 80, OutW: 30, OutH: 40, Format: PNG}, []byte("keep"))
	if err != nil {
		t.Fatal(err)
	}
	if string(out[:4]) != "keep" {
		t.Fatalf("RenderTiles did not append to dst")
	}
	im, err := png.Decode(bytes.NewReader(out[4:]))
	if err != nil {
		t.Fatal(err)
	}
	if b := im.Bounds(); b.Dx() != 30 || b.Dy() != 40 {
		t.Fatalf("RenderTiles is %v, want 30×40", b)
	}
	for i, at := range []image.Point{{1, 1}, {28, 1}, {1, 38}, {28, 38}} {
		r, g, b, _ := im.At(at.X, at.Y).RGBA()
		c := colours[i]
		if !near(r, uint32(c.R)<<8, 12) || !near(g, uint32(c.G)<<8, 12) || !near(b, uint32(c.B)<<8, 12) {
			t.Errorf("at %v: %d,%d,%d, want tile %d's %v", at, r>>8, g>>8, b>>8, i, c)
		}
	}

	bad := func(name string, tl Tiles, p Params) {
		t.Helper()
		if _, err := RenderTiles(&tl, p, nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	p := Params{X: 40, Y: 10, W: 60, H: 80, OutW: 60, OutH: 80}
	junk := tiles
	junk.Data = append([]byte(nil), tiles.Data...)
	copy(junk.Data[tiles.Ends[0]+2:], "not a jpeg at all, not a jpeg at all")
	bad("a tile not JPEG", junk, p)
	short := tiles
	short.Data = tiles.Data[:tiles.Ends[3]-100]
	bad("tiles cut short", short, p)
	wrong := tiles
	wrong.TileW, wrong.TileH = 32, 32
	bad("tiles not of the size said", wrong, Params{X: 10, Y: 10, W: 40, H: 40, OutW: 40, OutH: 40})
	grey := tiles
	grey.Bands = 1
	bad("tiles not of the bands said", grey, p)
	bad("region outside the tiles", tiles, Params{X: 40, Y: 10, W: 100, H: 80, OutW: 60, OutH: 80})
	bad("region not reaching the last tiles", tiles, Params{X: 4, Y: 4, W: 20, H: 20, OutW: 20, OutH: 20})
	few := tiles
	few.Ends = tiles.Ends[:3]
	bad("too few tiles", few, p)
	huge := tiles
	huge.TileW = 1<<32 + 64 // 64 if cut to 32 bits
	bad("tiles wider than JPEG allows", huge, Params{X: 100, Y: 10, W: 10, H: 10, OutW: 10, OutH: 10})
	// A last tile of noise cut in half (its tables intact, its scan not):
	// libjpeg would fill in grey and only warn.
	noise := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for i := range noise.Pix {
		noise.Pix[i] = byte(i*7919>>3) ^ byte(i)
	}
	var nb bytes.Buffer
	if err := jpeg.Encode(&nb, noise, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	half := tiles
	half.Data = append(append([]byte(nil), tiles.Data[:tiles.Ends[2]]...), nb.Bytes()[:nb.Len()/2]...)
	half.Ends = []int{tiles.Ends[0], tiles.Ends[1], tiles.Ends[2], len(half.Data)}
	bad("a tile cut short", half, Params{X: 0, Y: 0, W: 128, H: 128, OutW: 128, OutH: 128})
}
