package iiif

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"wenyuan/vips"
)

// served is the validator's test image, ingested and served.
type served struct {
	svc *Service
	src Source
	img image.Image // the master, decoded: the truth to compare with
}

func serveValidatorImage(tb testing.TB) *served {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "validator.png"))
	if err != nil {
		tb.Fatal(err)
	}
	return serveImage(tb, b)
}

// serveImage ingests a PNG and serves it.
func serveImage(tb testing.TB, b []byte) *served {
	tb.Helper()
	truth, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		tb.Fatal(err)
	}
	files := &Files{Dir: filepath.Join(tb.TempDir(), "images")}
	in, err := files.Ingest(context.Background(), bytes.NewReader(b))
	if err != nil {
		tb.Fatal(err)
	}
	svc := NewService(files, 8<<20)
	tb.Cleanup(svc.Close)
	return &served{svc: svc, src: Source{SHA256: in.SHA256, Width: in.Width, Height: in.Height}, img: truth}
}

func (s *served) render(tb testing.TB, path string) (Result, error) {
	tb.Helper()
	req, err := parsePath(path)
	if err != nil {
		return Result{}, err
	}
	j, err := s.svc.Prepare(s.src, req)
	if err != nil {
		return Result{}, err
	}
	return s.svc.Render(context.Background(), j)
}

// sourcePoint maps a pixel of the output of plan back to the master:
// undoing the rotation, then the mirroring, then the scaling.
func sourcePoint(p Plan, ox, oy int) (float64, float64) {
	px, py := ox, oy
	switch p.Degrees {
	case 90:
		px, py = oy, p.OutH-1-ox
	case 180:
		px, py = p.OutW-1-ox, p.OutH-1-oy
	case 270:
		px, py = p.OutW-1-oy, ox
	}
	if p.Mirror {
		px = p.OutW - 1 - px
	}
	return float64(p.X) + (float64(px)+0.5)*float64(p.W)/float64(p.OutW),
		float64(p.Y) + (float64(py)+0.5)*float64(p.H)/float64(p.OutH)
}

// comparePixels checks the output of plan against the master at points
// well inside the grid's squares, within tol per channel.
func (s *served) comparePixels(t *testing.T, path string, p Plan, out image.Image, tol int) {
	t.Helper()
	b := out.Bounds()
	checked := 0
	for gy := 0; gy < 9; gy++ {
		for gx := 0; gx < 9; gx++ {
			ox, oy := b.Min.X+(2*gx+1)*b.Dx()/18, b.Min.Y+(2*gy+1)*b.Dy()/18
			sx, sy := sourcePoint(p, ox-b.Min.X, oy-b.Min.Y)
			// Away from the edges of the squares (every 100 pixels), by
			// more than the blur of the scaling and JPEG's 8-pixel blocks
			// of halved colour resolution (16 output pixels).
			scale := float64(p.W) / float64(p.OutW)
			margin := 4 + 2*scale
			if p.Format == "jpg" {
				margin = min(40, 4+10*scale)
			}
			if fx, fy := sx-float64(int(sx/100)*100), sy-float64(int(sy/100)*100); fx < margin || fx > 100-margin || fy < margin || fy > 100-margin {
				continue
			}
			checked++
			want := rgb(s.img.At(int(sx), int(sy)))
			got := rgb(out.At(ox, oy))
			switch p.Quality {
			case "gray":
				if got[0] != got[1] || got[1] != got[2] {
					t.Errorf("%s at %d,%d = %v, want grey", path, ox, oy, got)
				}
				continue
			case "bitonal":
				if v := got[0]; (v > 30 && v < 225) || got[0] != got[1] || got[1] != got[2] {
					t.Errorf("%s at %d,%d = %v, want black or white", path, ox, oy, got)
				}
				continue
			}
			for c := 0; c < 3; c++ {
				if d := got[c] - want[c]; d > tol || d < -tol {
					t.Errorf("%s at %d,%d (master %.0f,%.0f) = %v, want %v ± %d", path, ox, oy, sx, sy, got, want, tol)
					break
				}
			}
		}
	}
	if checked == 0 && p.Quality != "gray" && p.Quality != "bitonal" {
		t.Errorf("%s: no point to check", path)
	}
}

func rgb(c interface{ RGBA() (r, g, b, a uint32) }) [3]int {
	r, g, b, _ := c.RGBA()
	return [3]int{int(r >> 8), int(g >> 8), int(b >> 8)}
}

// TestRender covers what the IIIF validator checks at level 2, and more,
// pixel by pixel: each case is rendered, decoded, measured and compared
// with the master.
func TestRender(t *testing.T) {
	s := serveValidatorImage(t)
	tests := []struct {
		path         string
		wantW, wantH int
	}{
		{"full/max/0/default.jpg", 1000, 1000},
		{"square/max/0/default.jpg", 1000, 1000},
		{"100,200,300,100/max/0/default.jpg", 300, 100},
		{"pct:10,20,30,10/max/0/default.png", 300, 100},
		{"900,850,500,500/max/0/default.jpg", 100, 150}, // clipped at the edge
		{"full/497,/0/default.jpg", 497, 497},
		{"full/,693/0/default.jpg", 693, 693},
		{"full/pct:72/0/default.jpg", 720, 720},
		{"full/673,410/0/default.jpg", 673, 410},
		{"full/!471,682/0/default.jpg", 471, 471},
		{"100,100,100,100/60,60/0/default.jpg", 60, 60},
		{"full/^1500,/0/default.jpg", 1500, 1500},
		{"full/^max/0/default.jpg", 5000, 5000}, // ^max: as large as maxArea (25 Mpx) allows
		{"0,0,500,250/max/90/default.jpg", 250, 500},
		{"0,0,500,250/max/180/default.jpg", 500, 250},
		{"0,0,500,250/max/270/default.jpg", 250, 500},
		{"0,0,500,250/max/!0/default.jpg", 500, 250},
		{"0,0,500,250/max/!90/default.png", 250, 500},
		{"full/200,/0/gray.jpg", 200, 200},
		{"full/200,/0/bitonal.png", 200, 200},
		{"full/200,/0/color.png", 200, 200},
		{"full/200,/0/default.webp", 200, 200},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res, err := s.render(t, tt.path)
			if err != nil {
				t.Fatalf("Render(%s) = %v", tt.path, err)
			}
			if tt.path[len(tt.path)-4:] == "webp" {
				if res.ContentType != "image/webp" || !bytes.HasPrefix(res.Body, []byte("RIFF")) || !bytes.Equal(res.Body[8:12], []byte("WEBP")) {
					t.Fatalf("Render(%s) = %s %q…, want a WebP", tt.path, res.ContentType, res.Body[:12])
				}
				return
			}
			out, format, err := image.Decode(bytes.NewReader(res.Body))
			if err != nil {
				t.Fatalf("Render(%s): decode: %v", tt.path, err)
			}
			if want := map[string]string{"jpeg": "image/jpeg", "png": "image/png"}[format]; want != res.ContentType {
				t.Errorf("Render(%s) is %s, labelled %s", tt.path, format, res.ContentType)
			}
			if b := out.Bounds(); b.Dx() != tt.wantW || b.Dy() != tt.wantH {
				t.Fatalf("Render(%s) is %d×%d, want %d×%d", tt.path, b.Dx(), b.Dy(), tt.wantW, tt.wantH)
			}
			req, _ := parsePath(tt.path)
			plan, _ := req.Resolve(s.src.Width, s.src.Height, s.svc.Limits)
			s.comparePixels(t, tt.path, plan, out, 24)
		})
	}
}

func TestRenderErrors(t *testing.T) {
	s := serveValidatorImage(t)
	tests := []struct {
		path   string
		param  string
		status int
	}{
		{"1000,0,10,10/max/0/default.jpg", "region", 400},
		{"0,0,0,10/max/0/default.jpg", "region", 400},
		{"full/1500,/0/default.jpg", "size", 400},
		{"full/pct:200/0/default.jpg", "size", 400},
		{"full/!2000,3000/0/default.jpg", "size", 400},
		{"full/0,/0/default.jpg", "size", 400},
		{"full/max/-90/default.jpg", "rotation", 400},
		{"full/max/361/default.jpg", "rotation", 400},
		{"full/max/0/sepia.jpg", "quality", 400},
		{"full/max/0/default.tif", "format", 501},
		{"full/max/0/default.bmp2", "format", 400},
		{"full/^6000,6000/0/default.jpg", "size", 400},  // over maxArea
		{"full/^4000,/45/default.jpg", "rotation", 400}, // 4000² turned 45° fills a box of 32 Mpx
		{"full/^70000,/0/default.jpg", "size", 400},     // over maxWidth: JPEG's longest side
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, err := s.render(t, tt.path)
			var pe *ParamError
			if !errors.As(err, &pe) || pe.Param != tt.param || pe.Status != tt.status {
				t.Fatalf("Render(%s) = %v, want a %d error about %s", tt.path, err, tt.status, tt.param)
			}
		})
	}
}

// TestStoredTiles: a request for exactly one stored tile is answered with
// the stored bytes; an edge tile is cropped to the image; both look right.
func TestStoredTiles(t *testing.T) {
	s := serveValidatorImage(t)
	p, err := OpenPyramid(s.svc.Files.PyramidPath(s.src.SHA256))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	stored, err := p.Tile(nil, 1, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path         string
		tile         bool
		wantW, wantH int
	}{
		{"0,0,256,256/256,256/0/default.jpg", true, 256, 256},
		{"0,0,256,256/256,/0/default.jpg", true, 256, 256}, // same tile, other spelling: the same stored bytes
		{"256,512,256,256/256,256/0/default.jpg", true, 256, 256},
		{"0,512,512,488/256,244/0/default.jpg", false, 256, 244}, // level 1, bottom edge
		{"768,768,232,232/232,232/0/default.jpg", false, 232, 232},
		{"0,0,1000,1000/250,250/0/default.jpg", false, 250, 250}, // level 2 is 250×250: one padded tile
		{"0,0,256,256/256,256/0/default.png", false, 256, 256},
		{"0,0,256,256/256,256/0/gray.jpg", false, 256, 256},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, n0, _, _ := s.svc.Cache.Stats()
			res, err := s.render(t, tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if res.Tile != tt.tile {
				t.Errorf("Render(%s) stored tile = %v, want %v", tt.path, res.Tile, tt.tile)
			}
			// The page cache keeps stored tiles; Cache, what was computed.
			if _, n1, _, _ := s.svc.Cache.Stats(); res.Tile && n1 != n0 {
				t.Errorf("Render(%s): a stored tile went into the cache (%d → %d entries)", tt.path, n0, n1)
			}
			out, _, err := image.Decode(bytes.NewReader(res.Body))
			if err != nil {
				t.Fatal(err)
			}
			if b := out.Bounds(); b.Dx() != tt.wantW || b.Dy() != tt.wantH {
				t.Fatalf("Render(%s) is %d×%d, want %d×%d", tt.path, b.Dx(), b.Dy(), tt.wantW, tt.wantH)
			}
			req, _ := parsePath(tt.path)
			plan, _ := req.Resolve(s.src.Width, s.src.Height, s.svc.Limits)
			s.comparePixels(t, tt.path, plan, out, 24)
		})
	}
	// Level 1, column 0, row 1 is region 0,512,512,488 — but the stored
	// bytes themselves are what a full tile request gets.
	res, err := s.render(t, "0,512,512,512/256,256/0/default.jpg")
	if err == nil && res.Tile {
		t.Errorf("a region past the image's edge was answered as a stored tile")
	}
	res, err = s.render(t, "512,0,488,512/244,256/0/default.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := jpeg.DecodeConfig(bytes.NewReader(res.Body)); err != nil {
		t.Fatal(err)
	}
	_ = stored
}

// TestCache: a second request is served from the cache, keyed by the
// canonical form whatever the spelling.
func TestCache(t *testing.T) {
	s := serveValidatorImage(t)
	a, err := s.render(t, "full/500,/0/default.jpg")
	if err != nil {
		t.Fatal(err)
	}
	_, n0, hits0, _ := s.svc.Cache.Stats()
	b, err := s.render(t, "0,0,1000,1000/500,500/0/default.jpg")
	if err != nil {
		t.Fatal(err)
	}
	_, n1, hits1, _ := s.svc.Cache.Stats()
	if !bytes.Equal(a.Body, b.Body) || a.Canonical != b.Canonical || hits1 != hits0+1 || n1 != n0 {
		t.Errorf("two spellings of one request: canonical %q and %q, cache hits %d → %d, entries %d → %d", a.Canonical, b.Canonical, hits0, hits1, n0, n1)
	}
	if a.Canonical != "full/500,500/0/default.jpg" {
		t.Errorf("canonical = %q, want full/500,500/0/default.jpg", a.Canonical)
	}
}

func TestInfo(t *testing.T) {
	s := serveValidatorImage(t)
	info, err := s.svc.Info(s.src, "http://example.org/iiif/3/x")
	if err != nil {
		t.Fatal(err)
	}
	if info.Width != 1000 || info.Height != 1000 || info.Profile != "level2" || info.Type != "ImageService3" || info.Context != ImageContext {
		t.Errorf("Info = %+v", info)
	}
	if len(info.Tiles) != 1 || info.Tiles[0].Width != 256 || len(info.Tiles[0].ScaleFactors) != 3 || info.Tiles[0].ScaleFactors[2] != 4 {
		t.Errorf("Info tiles = %+v, want 256 px tiles with scale factors 1, 2, 4", info.Tiles)
	}
	if len(info.Sizes) != 3 || info.Sizes[0].Width != 250 || info.Sizes[2].Width != 1000 {
		t.Errorf("Info sizes = %+v, want 250, 500, 1000 (smallest first)", info.Sizes)
	}
	// Every advertised size and every tile of every scale factor is
	// answered, the tiles as stored where they are whole.
	for _, sz := range info.Sizes {
		if _, err := s.render(t, "full/"+itoa(sz.Width)+","+itoa(sz.Height)+"/0/default.jpg"); err != nil {
			t.Errorf("size %v: %v", sz, err)
		}
	}
	for _, sf := range info.Tiles[0].ScaleFactors {
		step := 256 * sf
		for y := 0; y < 1000; y += step {
			for x := 0; x < 1000; x += step {
				w, h := min(step, 1000-x), min(step, 1000-y)
				path := itoa(x) + "," + itoa(y) + "," + itoa(w) + "," + itoa(h) + "/" + itoa((w+sf-1)/sf) + "," + itoa((h+sf-1)/sf) + "/0/default.jpg"
				res, err := s.render(t, path)
				if err != nil {
					t.Fatalf("tile %s: %v", path, err)
				}
				if whole := w == step && h == step; whole != res.Tile {
					t.Errorf("tile %s: stored = %v, want %v", path, res.Tile, whole)
				}
			}
		}
	}
}

func itoa(n int) string { return string(appendInt(nil, n)) }

func appendInt(b []byte, n int) []byte {
	if n >= 10 {
		b = appendInt(b, n/10)
	}
	return append(b, byte('0'+n%10))
}

// TestCheckOutput: the formats' longest sides are refused as a 400 naming
// the size, whatever the limits.
func TestCheckOutput(t *testing.T) {
	for _, tt := range []struct {
		plan  Plan
		param string
	}{
		{Plan{OutW: 65500, OutH: 40, Format: "jpg"}, ""},
		{Plan{OutW: 65501, OutH: 40, Format: "jpg"}, "size"},
		{Plan{OutW: 16383, OutH: 40, Format: "webp"}, ""},
		{Plan{OutW: 16384, OutH: 40, Format: "webp"}, "size"},
		{Plan{OutW: 40, OutH: 16384, Format: "webp", Degrees: 90}, "size"},
		{Plan{OutW: 70000, OutH: 40, Format: "png"}, ""},
		{Plan{OutW: 5000, OutH: 5000, Format: "png", Degrees: 30}, "rotation"},
	} {
		err := checkOutput(tt.plan, DefaultLimits)
		var pe *ParamError
		if got := ""; errors.As(err, &pe) {
			got = pe.Param
			if got != tt.param {
				t.Errorf("checkOutput(%+v) = %v, want an error about %q", tt.plan, err, tt.param)
			}
		} else if tt.param != "" {
			t.Errorf("checkOutput(%+v) = %v, want an error about %q", tt.plan, err, tt.param)
		}
	}
}

// TestFromTilesExact checks that a region decoded from the stored tiles
// it covers (only as far as it reaches into each) has exactly the pixels
// of libvips decoding whole tiles from the file: PNG outputs of both are
// compared pixel for pixel, for regions cut anywhere in every level, scaled,
// rotated and made grey, of a colour and of a grey image.
func TestFromTilesExact(t *testing.T) {
	col := serveValidatorImage(t)
	grey := serveImage(t, greyPicture(700, 530))
	for _, s := range []*served{col, grey} {
		p, err := s.svc.pyramid(s.src.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, uint64(s.src.Width)))
		for li := range p.levels {
			l := &p.levels[li]
			if li == 0 && l.Bands != 3 && s == col || li == 0 && l.Bands != 1 && s == grey {
				t.Fatalf("level 0 of %d×%d has %d bands", s.src.Width, s.src.Height, l.Bands)
			}
			for range 12 {
				w, h := 1+rng.IntN(l.Width), 1+rng.IntN(l.Height)
				x, y := rng.IntN(l.Width-w+1), rng.IntN(l.Height-h+1)
				vp := vips.Params{X: x, Y: y, W: w, H: h, OutW: w, OutH: h, Format: vips.PNG}
				switch rng.IntN(4) {
				case 1:
					vp.OutW, vp.OutH = max(1, w*2/3), max(1, h*2/3)
				case 2:
					vp.Degrees, vp.Mirror = 90, true
				case 3:
					vp.Quality = vips.Gray
				}
				got, err := s.svc.fromTiles(p, li, vp, nil)
				if err != nil {
					t.Fatalf("level %d %+v: fromTiles: %v", li, vp, err)
				}
				want, err := s.svc.fromFile(s.src, li, vp, nil)
				if err != nil {
					t.Fatalf("level %d %+v: fromFile: %v", li, vp, err)
				}
				if n, md := pixelDiff(t, got, want); n > 0 {
					t.Errorf("level %d (%d×%d) %+v: decoded from the tiles, %d pixels differ (by up to %d) from libvips reading the file", li, l.Width, l.Height, vp, n, md)
				}
			}
		}
	}
}

// greyPicture is a grey PNG with detail at every scale.
func greyPicture(w, h int) []byte {
	im := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			im.Pix[y*im.Stride+x] = uint8((x*x/7 + y*3 + (x^y)%17) % 256)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, im); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// pixelDiff decodes two PNGs and counts the pixels that differ, and by
// how much at most in a channel (8 bits).
func pixelDiff(t *testing.T, a, b []byte) (n int, most uint32) {
	t.Helper()
	ai, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	bi, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if ai.Bounds() != bi.Bounds() {
		t.Fatalf("sizes differ: %v and %v", ai.Bounds(), bi.Bounds())
	}
	r := ai.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, a1 := ai.At(x, y).RGBA()
			r2, g2, b2, a2 := bi.At(x, y).RGBA()
			if d := max(absDiff(r1, r2), absDiff(g1, g2), absDiff(b1, b2), absDiff(a1, a2)) >> 8; d > 0 || r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				n++
				most = max(most, d)
			}
		}
	}
	return n, most
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}
