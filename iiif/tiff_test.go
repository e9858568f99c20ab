package iiif

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"wenyuan/internal/testenv"
)

// tiffNeedVips skips the test when the vips command-line tool is missing.
func tiffNeedVips(tb testing.TB) {
	tb.Helper()
	testenv.Command(tb, "vips", "vips (libvips command-line tool) not on PATH; it is needed to generate pyramidal TIFFs: ./run installs libvips-tools")
}

// tiffRunVips runs the vips command with args.
func tiffRunVips(tb testing.TB, args ...string) {
	tb.Helper()
	out, err := exec.Command("vips", args...).CombinedOutput()
	if err != nil {
		tb.Fatalf("vips %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// tiffTestImage is a smooth, colourful w×h image (grey with bands == 1), so that
// JPEG errors stay small and a colour-space mistake shows.
func tiffTestImage(w, h, bands int) image.Image {
	r := image.Rect(0, 0, w, h)
	if bands == 1 {
		g := image.NewGray(r)
		for y := range h {
			for x := range w {
				g.SetGray(x, y, color.Gray{uint8(20 + 200*(x+2*y)/(w+2*h))})
			}
		}
		return g
	}
	m := image.NewRGBA(r)
	for y := range h {
		for x := range w {
			rr := 30 + 200*x/w
			gg := 30 + 200*y/h
			bb := 230 - 100*(x+y)/(w+h)
			m.SetRGBA(x, y, color.RGBA{uint8(rr), uint8(gg), uint8(bb), 255})
		}
	}
	return m
}

func tiffWritePNG(tb testing.TB, path string, m image.Image) {
	tb.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o666); err != nil {
		tb.Fatal(err)
	}
}

// tiffMakePyramid writes a w×h test image with the given bands as a JPEG tiled
// pyramidal TIFF with tile×tile tiles, as the IIIF ingest does, plus extra
// tiffsave options, and returns its path.
func tiffMakePyramid(tb testing.TB, w, h, bands, tile int, extra ...string) string {
	tb.Helper()
	dir := tb.TempDir()
	in := filepath.Join(dir, "in.png")
	tiffWritePNG(tb, in, tiffTestImage(w, h, bands))
	out := filepath.Join(dir, "out.tif")
	ts := fmt.Sprint(tile)
	args := []string{"tiffsave", in, out, "--tile", "--pyramid", "--tile-width", ts, "--tile-height", ts}
	if !slices.Contains(extra, "--compression") {
		args = append(args, "--compression", "jpeg", "-Q", "85")
	}
	tiffRunVips(tb, append(args, extra...)...)
	return out
}

// tiffLibvipsLevels returns the level sizes libvips 8.14 writes for a w×h image
// with the default --depth onetile: halve with floor while the level is
// larger than a tile in either direction and both halves are at least 1.
func tiffLibvipsLevels(w, h, tw, th int) []image.Point {
	ls := []image.Point{{w, h}}
	for (w > tw || h > th) && w/2 >= 1 && h/2 >= 1 {
		w, h = w/2, h/2
		ls = append(ls, image.Point{w, h})
	}
	return ls
}

// tiffVipsLevel decodes level i of the TIFF at path with vips into an image.
func tiffVipsLevel(tb testing.TB, path string, i int, subifd bool) image.Image {
	tb.Helper()
	opt := fmt.Sprintf("[page=%d]", i)
	if subifd {
		opt = fmt.Sprintf("[subifd=%d]", i-1)
	}
	out := filepath.Join(tb.TempDir(), fmt.Sprintf("level%d.png", i))
	tiffRunVips(tb, "copy", path+opt, out)
	f, err := os.Open(out)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	m, err := png.Decode(f)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// tiffToBigEndian rewrites a little-endian TIFF or BigTIFF as big-endian ("MM"):
// header, IFD entries and the numeric values they point at are byte-swapped;
// tile data and JPEGTables are bytes and stay as they are.
func tiffToBigEndian(tb testing.TB, le []byte) []byte {
	tb.Helper()
	if string(le[:2]) != "II" {
		tb.Fatalf("tiffToBigEndian: not little-endian: %q", le[:2])
	}
	L, B := binary.LittleEndian, binary.BigEndian
	be := bytes.Clone(le)
	be[0], be[1] = 'M', 'M'
	big := L.Uint16(le[2:]) == 43
	B.PutUint16(be[2:], L.Uint16(le[2:]))
	swap := func(off, size uint64) {
		switch size {
		case 2:
			B.PutUint16(be[off:], L.Uint16(le[off:]))
		case 4:
			B.PutUint32(be[off:], L.Uint32(le[off:]))
		case 8:
			B.PutUint64(be[off:], L.Uint64(le[off:]))
		}
	}
	var first uint64
	if big {
		swap(4, 2)
		swap(6, 2)
		swap(8, 8)
		first = L.Uint64(le[8:])
	} else {
		swap(4, 4)
		first = uint64(L.Uint32(le[4:]))
	}
	sizes := map[uint16]uint64{1: 1, 2: 1, 3: 2, 4: 4, 5: 4, 6: 1, 7: 1, 8: 2, 9: 4, 10: 4, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8}
	done := map[uint64]bool{}
	var walk func(off uint64)
	walk = func(off uint64) {
		for off != 0 && !done[off] {
			done[off] = true
			var n, p, es, inl uint64
			if big {
				n, p, es, inl = L.Uint64(le[off:]), off+8, 20, 8
				swap(off, 8)
			} else {
				n, p, es, inl = uint64(L.Uint16(le[off:])), off+2, 12, 4
				swap(off, 2)
			}
			for i := range n {
				e := p + i*es
				tag, typ := L.Uint16(le[e:]), L.Uint16(le[e+2:])
				swap(e, 2)
				swap(e+2, 2)
				var count, vo uint64
				if big {
					count, vo = L.Uint64(le[e+4:]), e+12
					swap(e+4, 8)
				} else {
					count, vo = uint64(L.Uint32(le[e+4:])), e+8
					swap(e+4, 4)
				}
				ts := sizes[typ]
				if ts == 0 {
					tb.Fatalf("tiffToBigEndian: tag %d: unknown type %d", tag, typ)
				}
				if typ == 5 || typ == 10 {
					count *= 2
				}
				data := vo
				if count*ts > inl {
					if big {
						data = L.Uint64(le[vo:])
					} else {
						data = uint64(L.Uint32(le[vo:]))
					}
					swap(vo, inl)
				}
				if ts > 1 {
					for k := range count {
						swap(data+k*ts, ts)
					}
				}
				if tag == tiffTagSubIFDs {
					for k := range count {
						if ts == 8 {
							walk(L.Uint64(le[data+8*k:]))
						} else {
							walk(uint64(L.Uint32(le[data+4*k:])))
						}
					}
				}
			}
			next := p + n*es
			if big {
				swap(next, 8)
				off = L.Uint64(le[next:])
			} else {
				swap(next, 4)
				off = uint64(L.Uint32(le[next:]))
			}
		}
	}
	walk(first)
	return be
}

// tiffWriteBigEndian converts the TIFF at path to big-endian next to it.
func tiffWriteBigEndian(tb testing.TB, path string) string {
	tb.Helper()
	le, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	out := strings.TrimSuffix(path, ".tif") + "-be.tif"
	if err := os.WriteFile(out, tiffToBigEndian(tb, le), 0o666); err != nil {
		tb.Fatal(err)
	}
	return out
}

// tiffDiff compares the w×h top-left area of got against want at (x0, y0) and
// returns the largest and the mean absolute difference over all channels.
func tiffDiff(got image.Image, want image.Image, x0, y0, w, h int) (maxd int, mean float64) {
	var sum, n int
	d := func(a, b uint32) {
		v := int(a>>8) - int(b>>8)
		if v < 0 {
			v = -v
		}
		maxd = max(maxd, v)
		sum += v
		n++
	}
	for y := range h {
		for x := range w {
			r1, g1, b1, _ := got.At(got.Bounds().Min.X+x, got.Bounds().Min.Y+y).RGBA()
			r2, g2, b2, _ := want.At(x0+x, y0+y).RGBA()
			d(r1, r2)
			d(g1, g2)
			d(b1, b2)
		}
	}
	return maxd, float64(sum) / float64(n)
}

// tiffMaxIn returns the largest channel value of m in r.
func tiffMaxIn(m image.Image, r image.Rectangle) int {
	v := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := color.NRGBAModel.Convert(m.At(x, y)).(color.NRGBA)
			v = max(v, int(c.R), int(c.G), int(c.B))
		}
	}
	return v
}

// JPEG tolerance between Go's decoder and libjpeg (used by vips) decoding the
// same data: they differ in IDCT rounding and chroma upsampling.
const (
	tiffMaxPixelDiff  = 16
	tiffMeanPixelDiff = 2.0
)

func TestPyramidTiles(t *testing.T) {
	tiffNeedVips(t)
	tests := []struct {
		name      string
		w, h      int
		bands     int
		extra     []string
		bigEndian bool
		subifd    bool
	}{
		{name: "rgb", w: 600, h: 400, bands: 3},
		{name: "rgb-bigtiff", w: 600, h: 400, bands: 3, extra: []string{"--bigtiff"}},
		{name: "grey", w: 600, h: 400, bands: 1},
		{name: "grey-bigtiff", w: 600, h: 400, bands: 1, extra: []string{"--bigtiff"}},
		{name: "rgb-odd", w: 601, h: 401, bands: 3},
		{name: "rgb-big-endian", w: 600, h: 400, bands: 3, bigEndian: true},
		{name: "grey-bigtiff-big-endian", w: 600, h: 400, bands: 1, extra: []string{"--bigtiff"}, bigEndian: true},
		{name: "rgb-subifd", w: 600, h: 400, bands: 3, extra: []string{"--subifd"}, subifd: true},
		{name: "rgb-bigtiff-subifd-big-endian", w: 600, h: 400, bands: 3, extra: []string{"--bigtiff", "--subifd"}, subifd: true, bigEndian: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const ts = 256
			src := tiffMakePyramid(t, tt.w, tt.h, tt.bands, ts, tt.extra...)
			path := src
			if tt.bigEndian {
				path = tiffWriteBigEndian(t, src)
			}
			p, err := OpenPyramid(path)
			if err != nil {
				t.Fatalf("OpenPyramid: %v", err)
			}
			defer p.Close()

			levels := p.Levels()
			want := tiffLibvipsLevels(tt.w, tt.h, ts, ts)
			if len(levels) != len(want) {
				t.Fatalf("%d levels, want %d (%v)", len(levels), len(want), want)
			}
			for i, l := range levels {
				if l.Width != want[i].X || l.Height != want[i].Y {
					t.Errorf("level %d is %d×%d, want %d×%d", i, l.Width, l.Height, want[i].X, want[i].Y)
				}
				if l.TileWidth != ts || l.TileHeight != ts || l.Compression != 7 || l.Bands != tt.bands {
					t.Errorf("level %d: tile %d×%d, compression %d, %d bands; want %d×%d, 7, %d",
						i, l.TileWidth, l.TileHeight, l.Compression, l.Bands, ts, ts, tt.bands)
				}
				cols, rows := l.Tiles()
				if wc, wr := (l.Width+ts-1)/ts, (l.Height+ts-1)/ts; cols != wc || rows != wr {
					t.Errorf("level %d: Tiles() = %d, %d, want %d, %d", i, cols, rows, wc, wr)
				}
			}

			var dst []byte
			for i, l := range levels {
				ref := tiffVipsLevel(t, src, i, tt.subifd)
				if b := ref.Bounds(); b.Dx() != l.Width || b.Dy() != l.Height {
					t.Fatalf("vips level %d is %v, want %d×%d", i, b, l.Width, l.Height)
				}
				cols, rows := l.Tiles()
				for row := range rows {
					for col := range cols {
						dst, err = p.Tile(dst[:0], i, col, row)
						if err != nil {
							t.Fatalf("Tile(%d,%d,%d) = %v, want no error", i, col, row, err)
						}
						m, err := jpeg.Decode(bytes.NewReader(dst))
						if err != nil {
							t.Fatalf("Tile(%d,%d,%d) = %d bytes that do not decode: %v", i, col, row, len(dst), err)
						}
						if b := m.Bounds(); b.Dx() != ts || b.Dy() != ts {
							t.Fatalf("Tile(%d,%d,%d) decodes to %v, want %d×%d (edge tiles padded)", i, col, row, b, ts, ts)
						}
						if _, grey := m.(*image.Gray); grey != (tt.bands == 1) {
							t.Errorf("Tile(%d,%d,%d) decodes to %T, want %d bands", i, col, row, m, tt.bands)
						}
						x0, y0 := col*ts, row*ts
						w, h := min(ts, l.Width-x0), min(ts, l.Height-y0)
						// Next to the black padding, chroma upsampling
						// differs most (libjpeg interpolates, Go does
						// not): leave a JPEG block out of the maximum.
						iw, ih := w, h
						if w < ts {
							iw = max(w-8, 1)
						}
						if h < ts {
							ih = max(h-8, 1)
						}
						_, mean := tiffDiff(m, ref, x0, y0, w, h)
						if maxd, _ := tiffDiff(m, ref, x0, y0, iw, ih); maxd > tiffMaxPixelDiff || mean > tiffMeanPixelDiff {
							t.Errorf("Tile(%d,%d,%d) differs from vips by max %d, mean %.2f; want ≤ %d, ≤ %.1f",
								i, col, row, maxd, mean, tiffMaxPixelDiff, tiffMeanPixelDiff)
						}
						// libvips pads edge tiles with black: check the
						// padding, a JPEG block away from the image.
						pad := image.Rect(0, 0, ts, ts)
						if w < ts {
							pad.Min.X = (w + 15) / 8 * 8
						} else if h < ts {
							pad.Min.Y = (h + 15) / 8 * 8
						} else {
							pad = image.Rectangle{}
						}
						if v := tiffMaxIn(m, pad); v > 8 {
							t.Errorf("Tile(%d,%d,%d): padding %v has value %d, want black", i, col, row, pad, v)
						}
					}
				}
			}
		})
	}
}

// TestTileJPEGStructure checks the assembled JPEG: SOI, no second SOI, the
// tables before the frame, EOI at the end, and that it is appended to dst.
func TestTileJPEGStructure(t *testing.T) {
	tiffNeedVips(t)
	p, err := OpenPyramid(tiffMakePyramid(t, 300, 200, 3, 256))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	prefix := []byte("prefix")
	got, err := p.Tile(bytes.Clone(prefix), 0, 0, 0)
	if err != nil {
		t.Fatalf("Tile(0,0,0) = %v, want no error", err)
	}
	if !bytes.HasPrefix(got, prefix) {
		t.Fatalf("Tile(0,0,0) = %q…, want dst kept as prefix", got[:10])
	}
	j := got[len(prefix):]
	if !bytes.HasPrefix(j, []byte{0xff, 0xd8, 0xff}) || !bytes.HasSuffix(j, []byte{0xff, 0xd9}) {
		t.Fatalf("Tile(0,0,0) = % x … % x, want SOI … EOI", j[:4], j[len(j)-2:])
	}
	// Walk the marker segments up to SOS.
	var markers []byte
	for i := 2; i+4 <= len(j); {
		if j[i] != 0xff {
			t.Fatalf("Tile(0,0,0): byte %#x at %d, want a marker", j[i], i)
		}
		m := j[i+1]
		markers = append(markers, m)
		if m == 0xda {
			break
		}
		i += 2 + int(binary.BigEndian.Uint16(j[i+2:]))
	}
	s := fmt.Sprintf("% x", markers)
	if s != "db db c4 c4 c4 c4 c0 da" {
		t.Errorf("Tile(0,0,0) markers = %s, want DQT DQT DHT×4 SOF0 SOS (db db c4 c4 c4 c4 c0 da)", s)
	}
}

func TestTileErrors(t *testing.T) {
	tiffNeedVips(t)
	p, err := OpenPyramid(tiffMakePyramid(t, 600, 400, 3, 256))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	// Levels: 600×400 (3×2 tiles), 300×200 (2×1), 150×100 (1×1).
	tests := []struct {
		level, col, row int
		want            string
	}{
		{-1, 0, 0, "level -1 out of range"},
		{3, 0, 0, "level 3 out of range"},
		{0, -1, 0, "tile (-1,0) out of range"},
		{0, 3, 0, "tile (3,0) out of range"},
		{0, 0, 2, "tile (0,2) out of range"},
		{0, 0, -1, "tile (0,-1) out of range"},
		{1, 2, 0, "tile (2,0) out of range"},
		{1, 0, 1, "tile (0,1) out of range"},
		{2, 1, 0, "tile (1,0) out of range"},
	}
	dst := []byte("keep")
	for _, tt := range tests {
		got, err := p.Tile(dst, tt.level, tt.col, tt.row)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Tile(%d,%d,%d) = %v, want error containing %q", tt.level, tt.col, tt.row, err, tt.want)
		}
		if string(got) != "keep" {
			t.Errorf("Tile(%d,%d,%d) = %q, want dst unchanged", tt.level, tt.col, tt.row, got)
		}
	}
	// The last tile of each level is in range.
	for i, l := range p.Levels() {
		c, r := l.Tiles()
		if _, err := p.Tile(nil, i, c-1, r-1); err != nil {
			t.Errorf("Tile(%d,%d,%d) = %v, want no error", i, c-1, r-1, err)
		}
	}
}

// TestLevelSizes checks the halving rule against what libvips writes.
func TestLevelSizes(t *testing.T) {
	tiffNeedVips(t)
	tests := []struct {
		w, h int
		want string
	}{
		{601, 401, "601×401 300×200 150×100"},
		{600, 400, "600×400 300×200 150×100"},
		{513, 257, "513×257 256×128"},
		{512, 512, "512×512 256×256"},
		{256, 256, "256×256"},
		{255, 300, "255×300 127×150"},
		{2000, 3, "2000×3 1000×1"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%dx%d", tt.w, tt.h), func(t *testing.T) {
			p, err := OpenPyramid(tiffMakePyramid(t, tt.w, tt.h, 1, 256))
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			var got []string
			for _, l := range p.Levels() {
				got = append(got, fmt.Sprintf("%d×%d", l.Width, l.Height))
			}
			if s := strings.Join(got, " "); s != tt.want {
				t.Errorf("levels = %s, want %s", s, tt.want)
			}
			var rule []string
			for _, l := range tiffLibvipsLevels(tt.w, tt.h, 256, 256) {
				rule = append(rule, fmt.Sprintf("%d×%d", l.X, l.Y))
			}
			if s := strings.Join(rule, " "); s != tt.want {
				t.Errorf("tiffLibvipsLevels = %s, want %s", s, tt.want)
			}
		})
	}
}

func TestOpenPyramidErrors(t *testing.T) {
	tiffNeedVips(t)
	dir := t.TempDir()
	good := tiffMakePyramid(t, 600, 400, 3, 256)
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	// A stripped (untiled) TIFF and a deflate-compressed pyramid.
	in := filepath.Join(dir, "in.png")
	tiffWritePNG(t, in, tiffTestImage(64, 64, 3))
	strips := filepath.Join(dir, "strips.tif")
	tiffRunVips(t, "tiffsave", in, strips, "--compression", "jpeg")
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o666); err != nil {
			t.Fatal(err)
		}
		return path
	}
	tests := []struct {
		path string
		want string
	}{
		{filepath.Join(dir, "missing.tif"), "no such file"},
		{write("empty.tif", nil), "too short"},
		{write("text.tif", []byte("hello, world, this is not a TIFF")), "not a TIFF"},
		{write("header.tif", data[:8]), "beyond end of file"},
		{write("half.tif", data[:len(data)/2]), "beyond end of file"},
		{write("no-width.tif", []byte("II*\x00\x08\x00\x00\x00\x01\x00\xfe\x00\x04\x00\x01\x00\x00\x00\x01\x00\x00\x00\x08\x00\x00\x00")), "no ImageWidth"},
		{strips, "not tiled"},
	}
	for _, tt := range tests {
		p, err := OpenPyramid(tt.path)
		if err == nil {
			p.Close()
			t.Errorf("OpenPyramid(%s) = no error, want error containing %q", filepath.Base(tt.path), tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.path) {
			t.Errorf("OpenPyramid(%s) = %v, want error naming the file and containing %q", filepath.Base(tt.path), err, tt.want)
		}
	}
}

// TestTruncated opens every prefix length of a small pyramid on a coarse
// grid: each must fail cleanly (or, if all structure is present, read tiles
// or fail cleanly).
func TestTruncated(t *testing.T) {
	tiffNeedVips(t)
	data, err := os.ReadFile(tiffMakePyramid(t, 80, 48, 3, 16))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "cut.tif")
	for n := 0; n < len(data); n += 1 + n/50 {
		if err := os.WriteFile(path, data[:n], 0o666); err != nil {
			t.Fatal(err)
		}
		p, err := OpenPyramid(path)
		if err != nil {
			continue
		}
		for i, l := range p.Levels() {
			c, r := l.Tiles()
			p.Tile(nil, i, c-1, r-1)
		}
		p.Close()
	}
}

func TestNotJPEG(t *testing.T) {
	tiffNeedVips(t)
	p, err := OpenPyramid(tiffMakePyramid(t, 300, 200, 3, 256, "--compression", "deflate"))
	if err != nil {
		t.Fatalf("OpenPyramid = %v, want no error", err)
	}
	defer p.Close()
	if c := p.Levels()[0].Compression; c != 8 {
		t.Errorf("Compression = %d, want 8 (deflate)", c)
	}
	if _, err := p.Tile(nil, 0, 0, 0); err == nil || !strings.Contains(err.Error(), "not JPEG") {
		t.Errorf("Tile(0,0,0) = %v, want error containing %q", err, "not JPEG")
	}
}

// TestRGBPhotometric checks that a level with PhotometricInterpretation RGB
// gets an Adobe APP14 marker with transform 0, so that the (untransformed)
// data is not read as YCbCr. libvips 8.14 cannot write such files, so the
// level is built by hand around a JPEG file: the check is on the marker.
func TestRGBPhotometric(t *testing.T) {
	p := &Pyramid{levels: []Level{{Width: 8, Height: 8, TileWidth: 8, TileHeight: 8,
		Compression: 7, Bands: 3, photometric: 2, planar: 1, across: 1, down: 1,
		offsets: []uint64{0}, counts: []uint64{0}}}}
	// A missing tile errors before any read; just check the marker bytes.
	if _, err := p.Tile(nil, 0, 0, 0); err == nil {
		t.Fatalf("Tile(0,0,0) = no error, want missing tile error")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "t.jpg")
	var b bytes.Buffer
	if err := jpeg.Encode(&b, tiffTestImage(8, 8, 3), nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o666); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p.f, p.name, p.size = f, path, int64(b.Len())
	p.levels[0].counts[0] = uint64(b.Len())
	got, err := p.Tile(nil, 0, 0, 0)
	if err != nil {
		t.Fatalf("Tile(0,0,0) = %v, want no error", err)
	}
	want := append([]byte{0xff, 0xd8}, jpegAdobeRGB...)
	if !bytes.HasPrefix(got, want) {
		t.Errorf("Tile(0,0,0) = % x…, want % x…", got[:len(want)], want)
	}
	if _, err := jpeg.Decode(bytes.NewReader(got)); err != nil {
		t.Errorf("Tile(0,0,0) does not decode: %v", err)
	}
}

func TestTileConcurrent(t *testing.T) {
	tiffNeedVips(t)
	p, err := OpenPyramid(tiffMakePyramid(t, 600, 400, 3, 256))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	want, err := p.Tile(nil, 0, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			var dst []byte
			for range 50 {
				var err error
				dst, err = p.Tile(dst[:0], 0, 1, 1)
				if err != nil || !bytes.Equal(dst, want) {
					t.Errorf("Tile(0,1,1) = %d bytes, %v, want %d bytes", len(dst), err, len(want))
					return
				}
			}
		})
	}
	wg.Wait()
}

func FuzzOpenPyramid(f *testing.F) {
	if _, err := exec.LookPath("vips"); err == nil {
		for _, c := range []struct {
			bands int
			extra []string
		}{
			{3, nil},
			{1, nil},
			{3, []string{"--bigtiff"}},
			{3, []string{"--subifd"}},
		} {
			data, err := os.ReadFile(tiffMakePyramid(f, 48, 32, c.bands, 16, c.extra...))
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
			if c.bands == 1 {
				f.Add(tiffToBigEndian(f, data))
			}
		}
	}
	var grey bytes.Buffer
	if err := jpeg.Encode(&grey, tiffTestImage(16, 16, 1), nil); err != nil {
		f.Fatal(err)
	}
	n := uint64(grey.Len())
	b, _ := tiffBuild([][]tiffField{tiffLevelFields(40, 20, 16, 1, 1, n),
		tiffLevelFields(20, 10, 16, 1, 1, n, tiffField{tag: tiffTagNewSubfileType, typ: tiffTypeLong, vals: []uint64{1}})}, grey.Bytes(), -1)
	f.Add(b)
	f.Add([]byte("II*\x00\x08\x00\x00\x00"))
	f.Add([]byte("MM\x00+\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x10"))
	// One directory per process; t.TempDir in the target would cost a
	// directory per run.
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		tf, err := os.CreateTemp(dir, "*.tif")
		if err != nil {
			t.Fatal(err)
		}
		path := tf.Name()
		defer os.Remove(path)
		_, err = tf.Write(data)
		if cerr := tf.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatal(err)
		}
		p, err := OpenPyramid(path)
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Errorf("OpenPyramid error %q does not name the file", err)
			}
			return
		}
		defer p.Close()
		got, err := p.Tile(nil, 0, 0, 0)
		if err == nil && (!bytes.HasPrefix(got, []byte{0xff, 0xd8}) || !bytes.HasSuffix(got, []byte{0xff, 0xd9})) {
			t.Errorf("Tile(0,0,0) = % x…, want SOI … EOI", got[:min(len(got), 8)])
		}
	})
}

func BenchmarkTile(b *testing.B) {
	tiffNeedVips(b)
	p, err := OpenPyramid(tiffMakePyramid(b, 600, 400, 3, 256))
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	var dst []byte
	b.ReportAllocs()
	for b.Loop() {
		dst, err = p.Tile(dst[:0], 0, 1, 1)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(dst)))
}

// tiffField is one entry for tiffBuild: vals for integer types, raw for
// BYTE and UNDEFINED.
type tiffField struct {
	tag, typ uint16
	vals     []uint64
	raw      []byte
	count    uint64 // if non-zero, the count written (a lie)
}

// tiffBuild writes a little-endian classic TIFF with the given IFDs chained
// in order, followed by data (whose offset is returned so that tile offsets
// can point into it). If loop >= 0, the last IFD's next pointer goes to IFD
// loop. Tag values refer to data through the placeholder offset
// tiffDataOffset, which is replaced by the real one.
func tiffBuild(ifds [][]tiffField, data []byte, loop int) (file []byte, dataOff uint64) {
	const inline = 4
	L := binary.LittleEndian
	// Size the IFDs and their out-of-line values first.
	off := uint64(8)
	ifdOff := make([]uint64, len(ifds))
	for i, fs := range ifds {
		ifdOff[i] = off
		off += 2 + 12*uint64(len(fs)) + 4
		for _, f := range fs {
			if n := tiffFieldSize(f); n > inline {
				off += n
			}
		}
	}
	dataOff = off
	b := make([]byte, off, off+uint64(len(data)))
	copy(b, "II*\x00")
	L.PutUint32(b[4:], uint32(ifdOff[0]))
	for i, fs := range ifds {
		p := ifdOff[i]
		L.PutUint16(b[p:], uint16(len(fs)))
		ext := p + 2 + 12*uint64(len(fs)) + 4
		for k, f := range fs {
			e := p + 2 + 12*uint64(k)
			L.PutUint16(b[e:], f.tag)
			L.PutUint16(b[e+2:], f.typ)
			count := uint64(len(f.raw)) + uint64(len(f.vals))
			if f.count != 0 {
				count = f.count
			}
			L.PutUint32(b[e+4:], uint32(count))
			var v []byte
			for _, x := range f.vals {
				if x == tiffDataOffset {
					x = dataOff
				}
				switch f.typ {
				case tiffTypeShort:
					v = L.AppendUint16(v, uint16(x))
				case tiffTypeLong8, tiffTypeIFD8:
					v = L.AppendUint64(v, x)
				default:
					v = L.AppendUint32(v, uint32(x))
				}
			}
			v = append(v, f.raw...)
			if len(v) <= inline {
				copy(b[e+8:], v)
			} else {
				L.PutUint32(b[e+8:], uint32(ext))
				copy(b[ext:], v)
				ext += uint64(len(v))
			}
		}
		next := p + 2 + 12*uint64(len(fs))
		switch {
		case i+1 < len(ifds):
			L.PutUint32(b[next:], uint32(ifdOff[i+1]))
		case loop >= 0:
			L.PutUint32(b[next:], uint32(ifdOff[loop]))
		}
	}
	return append(b, data...), dataOff
}

// tiffDataOffset in a tiffField value stands for the offset of the data.
const tiffDataOffset = 1<<64 - 1

func tiffFieldSize(f tiffField) uint64 {
	switch f.typ {
	case tiffTypeShort:
		return 2 * uint64(len(f.vals))
	case tiffTypeLong8, tiffTypeIFD8:
		return 8 * uint64(len(f.vals))
	case tiffTypeByte, tiffTypeUndefined:
		return uint64(len(f.raw))
	}
	return 4 * uint64(len(f.vals))
}

// tiffLevelFields describes a w×h JPEG level with tile×tile tiles, all
// stored at the data offset with byte count n.
func tiffLevelFields(w, h, tile, bands, photometric int, n uint64, extra ...tiffField) []tiffField {
	tiles := ((w + tile - 1) / tile) * ((h + tile - 1) / tile)
	offs, counts := make([]uint64, tiles), make([]uint64, tiles)
	for i := range offs {
		offs[i], counts[i] = tiffDataOffset, n
	}
	fs := []tiffField{
		{tag: tiffTagImageWidth, typ: tiffTypeLong, vals: []uint64{uint64(w)}},
		{tag: tiffTagImageLength, typ: tiffTypeLong, vals: []uint64{uint64(h)}},
		{tag: tiffTagCompression, typ: tiffTypeShort, vals: []uint64{7}},
		{tag: tiffTagPhotometric, typ: tiffTypeShort, vals: []uint64{uint64(photometric)}},
		{tag: tiffTagSamplesPerPixel, typ: tiffTypeShort, vals: []uint64{uint64(bands)}},
		{tag: tiffTagTileWidth, typ: tiffTypeShort, vals: []uint64{uint64(tile)}},
		{tag: tiffTagTileLength, typ: tiffTypeShort, vals: []uint64{uint64(tile)}},
		{tag: tiffTagTileOffsets, typ: tiffTypeLong, vals: offs},
		{tag: tiffTagTileByteCounts, typ: tiffTypeLong, vals: counts},
	}
	// Later fields replace earlier ones with the same tag.
	for _, x := range extra {
		i := slices.IndexFunc(fs, func(f tiffField) bool { return f.tag == x.tag })
		if i < 0 {
			fs = append(fs, x)
		} else if x.typ == 0 {
			fs = slices.Delete(fs, i, i+1)
		} else {
			fs[i] = x
		}
	}
	return fs
}

// TestHandBuilt covers malformed and unusual files without vips: each tile
// is a complete JPEG written by image/jpeg (so no JPEGTables are needed).
func TestHandBuilt(t *testing.T) {
	var grey bytes.Buffer
	if err := jpeg.Encode(&grey, tiffTestImage(16, 16, 1), nil); err != nil {
		t.Fatal(err)
	}
	g := grey.Bytes()
	n := uint64(len(g))
	reduced := tiffField{tag: tiffTagNewSubfileType, typ: tiffTypeLong, vals: []uint64{1}}
	tests := []struct {
		name     string
		ifds     [][]tiffField
		data     []byte
		loop     int
		openErr  string // error from OpenPyramid, "" for none
		tileErr  string // error from Tile(0,0,0), "" for none
		levels   string // level sizes, if open succeeds
		growFile int64  // make the file this long (sparse)
	}{
		{name: "one level", ifds: [][]tiffField{tiffLevelFields(16, 16, 16, 1, 1, n)}, data: g, loop: -1, levels: "16×16"},
		{name: "chain", loop: -1, data: g, levels: "40×20 20×10",
			ifds: [][]tiffField{tiffLevelFields(40, 20, 16, 1, 1, n), tiffLevelFields(20, 10, 16, 1, 1, n, reduced)}},
		{name: "chain ends at a full-size page", loop: -1, data: g, levels: "40×20",
			ifds: [][]tiffField{tiffLevelFields(40, 20, 16, 1, 1, n), tiffLevelFields(20, 10, 16, 1, 1, n)}},
		{name: "chain loop", loop: 1, data: g, openErr: "loop",
			ifds: [][]tiffField{tiffLevelFields(40, 20, 16, 1, 1, n), tiffLevelFields(20, 10, 16, 1, 1, n, reduced)}},
		{name: "self loop", loop: 0, data: g, openErr: "loop",
			ifds: [][]tiffField{tiffLevelFields(40, 20, 16, 1, 1, n, reduced)}},
		{name: "subifd loop", loop: -1, data: g, openErr: "loop",
			ifds: [][]tiffField{tiffLevelFields(40, 20, 16, 1, 1, n, tiffField{tag: tiffTagSubIFDs, typ: tiffTypeIFD, vals: []uint64{8}})}},
		{name: "zero width", loop: -1, data: g, openErr: "ImageWidth 0 out of range",
			ifds: [][]tiffField{tiffLevelFields(0, 16, 16, 1, 1, n)}},
		{name: "no tile width", loop: -1, data: g, openErr: "not tiled",
			ifds: [][]tiffField{tiffLevelFields(16, 16, 16, 1, 1, n, tiffField{tag: tiffTagTileWidth})}},
		{name: "too few offsets", loop: -1, data: g, openErr: "TileOffsets: 1 values, want 2",
			ifds: [][]tiffField{tiffLevelFields(16, 16, 16, 1, 1, n, tiffField{tag: tiffTagImageWidth, typ: tiffTypeShort, vals: []uint64{17}})}},
		{name: "huge count", loop: -1, data: g, openErr: "SubIFDs: 1073741824 values, more than the file holds",
			ifds: [][]tiffField{tiffLevelFields(16, 16, 16, 1, 1, n, tiffField{tag: tiffTagSubIFDs, typ: tiffTypeIFD, vals: []uint64{8, 8}, count: 1 << 30})}},
		{name: "huge JPEGTables", loop: -1, data: g, openErr: "JPEGTables: 2147483648 bytes, over the 1048576 limit",
			ifds: [][]tiffField{tiffLevelFields(16, 16, 16, 1, 1, n, tiffField{tag: tiffTagJPEGTables, typ: tiffTypeUndefined, raw: []byte{1, 2, 3, 4, 5}, count: 1 << 31})}},
		{name: "huge image", loop: -1, data: g, openErr: "more than the file can hold",
			ifds: [][]tiffField{tiffLevelFields(16, 16, 16, 1, 1, n, tiffField{tag: tiffTagImageWidth, typ: tiffTypeLong, vals: []uint64{1 << 31}}, tiffField{tag: tiffTagImageLength, typ: tiffTypeLong, vals: []uint64{1 << 31}})}},
		{name: "offsets as rationals", loop: -1, data: g, openErr: "TileOffsets: field type 5",
			ifds: [][]tiffField{tiffLevelFields(16, 16, 16, 1, 1, n, tiffField{tag: tiffTagTileOffsets, typ: 5, vals: []uint64{1, 1}, count: 1})}},
		{name: "tile beyond end", loop: -1, data: g, openErr: "beyond end of file",
			ifds: [][]tiffField{tiffLevelFields(16, 16, 16, 1, 1, n+1)}},
		{name: "bad JPEGTables", loop: -1, data: g, openErr: "JPEGTables: not an abbreviated JPEG stream",
			ifds: [][]tiffField{tiffLevelFields(16, 16, 16, 1, 1, n, tiffField{tag: tiffTagJPEGTables, typ: tiffTypeUndefined, raw: []byte("not jpeg")})}},
		{name: "missing tile", loop: -1, data: g, tileErr: "missing (byte count 0)", levels: "16×16",
			ifds: [][]tiffField{tiffLevelFields(16, 16, 16, 1, 1, 0)}},
		{name: "not a JPEG tile", loop: -1, data: []byte("hello, world"), tileErr: "does not start with a JPEG SOI", levels: "16×16",
			ifds: [][]tiffField{tiffLevelFields(16, 16, 16, 1, 1, 12)}},
		{name: "CMYK", loop: -1, data: g, tileErr: "photometric 5 with 4 bands not supported", levels: "16×16",
			ifds: [][]tiffField{tiffLevelFields(16, 16, 16, 4, 5, n)}},
		{name: "min-is-white", loop: -1, data: g, tileErr: "photometric 0 with 1 bands not supported", levels: "16×16",
			ifds: [][]tiffField{tiffLevelFields(16, 16, 16, 1, 0, n)}},
		{name: "separate planes", loop: -1, data: g, tileErr: "planar configuration 2", levels: "16×16",
			ifds: [][]tiffField{tiffLevelFields(16, 16, 16, 1, 1, n, tiffField{tag: tiffTagPlanarConfig, typ: tiffTypeShort, vals: []uint64{2}})}},
		{name: "tile over 16 MiB", loop: -1, data: g, tileErr: "over the 16777216 limit", levels: "16×16", growFile: 17 << 20,
			ifds: [][]tiffField{tiffLevelFields(16, 16, 16, 1, 1, 16<<20+1)}},
	}
	dir := t.TempDir()
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := tiffBuild(tt.ifds, tt.data, tt.loop)
			path := filepath.Join(dir, fmt.Sprintf("%d.tif", i))
			if err := os.WriteFile(path, b, 0o666); err != nil {
				t.Fatal(err)
			}
			if tt.growFile > 0 {
				if err := os.Truncate(path, tt.growFile); err != nil {
					t.Fatal(err)
				}
			}
			p, err := OpenPyramid(path)
			if tt.openErr != "" {
				if err == nil {
					p.Close()
					t.Fatalf("OpenPyramid = no error, want error containing %q", tt.openErr)
				}
				if !strings.Contains(err.Error(), tt.openErr) || !strings.Contains(err.Error(), path) {
					t.Fatalf("OpenPyramid = %v, want error naming the file and containing %q", err, tt.openErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("OpenPyramid = %v, want no error", err)
			}
			defer p.Close()
			var sizes []string
			for _, l := range p.Levels() {
				sizes = append(sizes, fmt.Sprintf("%d×%d", l.Width, l.Height))
			}
			if s := strings.Join(sizes, " "); s != tt.levels {
				t.Errorf("levels = %s, want %s", s, tt.levels)
			}
			got, err := p.Tile(nil, 0, 0, 0)
			if tt.tileErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.tileErr) {
					t.Errorf("Tile(0,0,0) = %v, want error containing %q", err, tt.tileErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Tile(0,0,0) = %v, want no error", err)
			}
			if !bytes.Equal(got, g) {
				t.Errorf("Tile(0,0,0) = %d bytes, want the stored %d-byte JPEG unchanged", len(got), len(g))
			}
		})
	}
}

// TestTileFileCutShort: a pyramid cut short while open (it never should
// be) makes its tiles errors, not a crash of the server.
func TestTileFileCutShort(t *testing.T) {
	tiffNeedVips(t)
	path := tiffMakePyramid(t, 600, 400, 3, 256)
	p, err := OpenPyramid(path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	whole, err := p.Tile(nil, 0, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	got, err := p.Tile(nil, 0, 2, 1)
	if err == nil && !bytes.Equal(got, whole) {
		t.Fatal("a tile of a file cut short came back different and without an error")
	}
	if p.data != nil && err == nil {
		t.Fatal("reading the mapping of a file cut short did not fail")
	}
}
