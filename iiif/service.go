package iiif

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"math"
	"runtime"
	"strconv"
	"sync"

	"wenyuan"
	"wenyuan/vips"
)

// Service answers Image API requests for the images in Files: exactly one
// stored tile is copied out of the pyramid as it is stored, a cropped edge
// tile is computed from that stored tile alone, anything else is computed
// by libvips from the nearest pyramid level, and every result is kept in
// the Cache.
type Service struct {
	Files  *Files
	Cache  *Cache
	Limits Limits
	// Disk, if set, keeps computed images on disk behind Cache.
	Disk *DiskCache

	handles vips.Pool
	// busy admits as many computations at once as there are cores: more
	// would only share the cores, and the requests behind them would all
	// finish late instead of in turn (measured: p99 of computed regions).
	busy  chan struct{}
	mu    sync.Mutex
	open  map[string]*Pyramid // by SHA-256
	order []string            // of open, oldest first
}

// maxOpenPyramids bounds the pyramids kept open (one file descriptor each).
const maxOpenPyramids = 512

// DefaultLimits bound what one request may compute: 25 megapixels, enough
// for a 5000 × 5000 view, far below a mural's full size, and no side
// longer than JPEG allows (65500), so that "max" of a handscroll is
// servable.
var DefaultLimits = Limits{MaxArea: 25_000_000, MaxWidth: maxJPEGSide, MaxHeight: maxJPEGSide}

// The longest sides the encoders write.
const (
	maxJPEGSide = 65500
	maxWebPSide = 16383
)

// checkOutput refuses a plan whose output (rotated: an arbitrary angle
// turns the image inside a larger box) is over the limits or more than
// its format can hold.
func checkOutput(plan Plan, lim Limits) error {
	w, h := float64(plan.OutW), float64(plan.OutH)
	switch plan.Degrees {
	case 0, 180:
	case 90, 270:
		w, h = h, w
	default:
		rad := plan.Degrees * math.Pi / 180
		c, s := math.Abs(math.Cos(rad)), math.Abs(math.Sin(rad))
		w, h = math.Ceil(w*c+h*s), math.Ceil(w*s+h*c)
	}
	if lim.MaxArea > 0 && w*h > float64(lim.MaxArea) && plan.Degrees != 0 && plan.Degrees != 180 {
		return &ParamError{Param: "rotation", Status: 400, Msg: fmt.Sprintf("rotation %g: the rotated image would be %.0f × %.0f pixels, over this server's limit of %d pixels", plan.Degrees, w, h, lim.MaxArea)}
	}
	side := map[string]float64{"jpg": maxJPEGSide, "webp": maxWebPSide}[plan.Format]
	if side > 0 && (w > side || h > side) {
		return &ParamError{Param: "size", Status: 400, Msg: fmt.Sprintf("size %.0f × %.0f: %s images have at most %.0f pixels a side; ask for a smaller size or another format", w, h, plan.Format, side)}
	}
	return nil
}

// NewService returns a service over files with a result cache of
// cacheBytes.
func NewService(files *Files, cacheBytes int64) *Service {
	return &Service{Files: files, Cache: NewCache(cacheBytes), Limits: DefaultLimits, open: map[string]*Pyramid{},
		busy: make(chan struct{}, runtime.GOMAXPROCS(0))}
}

// Source is an image to serve: the SHA-256 of its master and its size.
type Source struct {
	SHA256        string
	Width, Height int
}

// Result is an encoded image.
type Result struct {
	Body        []byte
	ContentType string
	// Canonical is the request's canonical form, region/size/rotation/quality.format.
	Canonical string
	// Tile says the body is a stored tile, sent as stored.
	Tile bool
	buf  *[]byte // Body's buffer, from bodies
}

// Release gives the body's buffer back for another request to use; the
// body must not be used after.
func (r *Result) Release() {
	if r.buf != nil && cap(r.Body) <= maxPooledBody {
		*r.buf = r.Body[:0]
		bodies.Put(r.buf)
	}
	r.buf, r.Body = nil, nil
}

// bodies are buffers for results: tiles and cache hits are read into one
// instead of into new memory, which on first touch costs page faults.
var bodies = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

const maxPooledBody = 1 << 20

var contentTypes = map[string]string{"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}

// Job is an image request resolved against its image: what Render
// computes, and its canonical form, which is enough for an ETag.
type Job struct {
	src       Source
	plan      Plan
	Canonical string // region/size/rotation/quality.format
}

// Prepare resolves req for src, refusing what cannot be served, without
// computing anything.
func (s *Service) Prepare(src Source, req Request) (*Job, error) {
	plan, err := req.Resolve(src.Width, src.Height, s.Limits)
	if err != nil {
		return nil, err
	}
	if err := checkOutput(plan, s.Limits); err != nil {
		return nil, err
	}
	if contentTypes[plan.Format] == "" {
		return nil, &ParamError{Param: "format", Status: 501, Msg: fmt.Sprintf("format %q is not supported", plan.Format)}
	}
	return &Job{src: src, plan: plan, Canonical: plan.Canonical(src.Width, src.Height, s.Limits)}, nil
}

// Render computes a prepared request, or takes it from the cache. A
// stored tile is copied out of the pyramid, which the operating system's
// page cache keeps: as fast as a hit in Cache, so Cache keeps what had to
// be computed.
func (s *Service) Render(ctx context.Context, j *Job) (Result, error) {
	src, plan := j.src, j.plan
	res := Result{Canonical: j.Canonical, ContentType: contentTypes[plan.Format]}
	p, err := s.pyramid(src.SHA256)
	if err != nil {
		return Result{}, err
	}
	if l := &p.levels[0]; l.Width != src.Width || l.Height != src.Height {
		return Result{}, fmt.Errorf("pyramid of %s is %d×%d, its record says %d×%d", src.SHA256, l.Width, l.Height, src.Width, src.Height)
	}
	t := tileOf(p, src, plan)
	buf := bodies.Get().(*[]byte)
	if t.stored {
		b, err := p.Tile((*buf)[:0], t.level, t.col, t.row)
		if err != nil {
			bodies.Put(buf)
			return Result{}, err
		}
		res.Body, res.buf, res.Tile = b, buf, true
		return res, nil
	}
	key := src.SHA256 + "/" + res.Canonical
	if b, ok := s.Cache.AppendTo((*buf)[:0], key); ok {
		res.Body, res.buf = b, buf
		return res, nil
	}
	if s.Disk != nil {
		if b, ok := s.Disk.AppendTo((*buf)[:0], key); ok {
			s.Cache.Put(key, b)
			res.Body, res.buf = b, buf
			return res, nil
		}
	}
	if err := ctx.Err(); err != nil {
		bodies.Put(buf)
		return Result{}, err
	}
	if t.level >= 0 {
		res.Body, err = s.fromTile(p, plan, t, (*buf)[:0])
		bodies.Put(buf) // read from, not the body
	} else {
		select {
		case s.busy <- struct{}{}:
		case <-ctx.Done():
			bodies.Put(buf)
			return Result{}, ctx.Err()
		}
		res.Body, err = s.compute(p, src, plan, (*buf)[:0])
		<-s.busy
		if err != nil {
			bodies.Put(buf)
		} else {
			res.buf = buf
		}
	}
	if err != nil {
		return Result{}, err
	}
	s.Cache.Put(key, res.Body)
	if s.Disk != nil {
		s.Disk.Put(key, res.Body)
	}
	return res, nil
}

// tilePlan says whether a request is answered from one stored tile.
type tilePlan struct {
	level, col, row int // level -1: not from one tile
	vw, vh          int // the tile's pixels that are image, not padding
	stored          bool
}

// tileOf returns how plan is answered from one stored tile of p, if it
// asks for exactly one tile of a level, as viewers do: the tile as stored,
// or (at the image's right and bottom edges) cut from its padding or
// stretched by the pixel a level's rounding lost.
func tileOf(p *Pyramid, src Source, plan Plan) tilePlan {
	none := tilePlan{level: -1}
	if plan.Format != "jpg" || (plan.Quality != "default" && plan.Quality != "color") || plan.Mirror || plan.Degrees != 0 {
		return none
	}
	for i := range p.levels {
		l := &p.levels[i]
		if l.jpegTiles() != nil {
			return none // computed through libvips' reader
		}
		sf := 1 << i
		tw, th := l.TileWidth*sf, l.TileHeight*sf
		if plan.X%tw != 0 || plan.Y%th != 0 || plan.W != min(tw, src.Width-plan.X) || plan.H != min(th, src.Height-plan.Y) ||
			plan.OutW != ceilDiv(plan.W, sf) || plan.OutH != ceilDiv(plan.H, sf) {
			continue
		}
		col, row := plan.X/tw, plan.Y/th
		cols, rows := l.Tiles()
		if col >= cols || row >= rows {
			return none
		}
		vw, vh := min(l.TileWidth, l.Width-col*l.TileWidth), min(l.TileHeight, l.Height-row*l.TileHeight)
		if vw < 1 || vh < 1 {
			return none
		}
		stored := vw == l.TileWidth && vh == l.TileHeight && plan.OutW == vw && plan.OutH == vh
		return tilePlan{level: i, col: col, row: row, vw: vw, vh: vh, stored: stored}
	}
	return none
}

// fromTile computes an edge tile from its one stored tile, read into dst.
func (s *Service) fromTile(p *Pyramid, plan Plan, t tilePlan, dst []byte) ([]byte, error) {
	b, err := p.Tile(dst, t.level, t.col, t.row)
	if err != nil {
		return nil, err
	}
	if plan.OutW == t.vw && plan.OutH == t.vh {
		// An edge tile: cut the padding off, at the tiles' quality.
		return vips.CropJPEG(b, t.vw, t.vh, s.Files.quality())
	}
	// The level rounds its size down, the request up: a pixel to add.
	return vips.RenderBuffer(b, vips.Params{W: t.vw, H: t.vh, OutW: plan.OutW, OutH: plan.OutH})
}

// compute answers plan from the smallest level that still has at least
// as many pixels as the output needs.
func (s *Service) compute(p *Pyramid, src Source, plan Plan, dst []byte) ([]byte, error) {
	li := 0
	for i := len(p.levels) - 1; i > 0; i-- {
		if int64(plan.W) >= int64(plan.OutW)<<i && int64(plan.H) >= int64(plan.OutH)<<i {
			li = i
			break
		}
	}
	l := &p.levels[li]
	// The region in the level's pixels: level li is the image shrunk
	// 2^li times (its size rounded down), widened to whole pixels.
	sf := int64(1) << li
	x0 := int(int64(plan.X) / sf)
	y0 := int(int64(plan.Y) / sf)
	x1 := min(l.Width, int((int64(plan.X+plan.W)+sf-1)/sf))
	y1 := min(l.Height, int((int64(plan.Y+plan.H)+sf-1)/sf))
	x1, y1 = max(x1, x0+1), max(y1, y0+1)
	// Widening to whole pixels can leave a level region a pixel larger
	// than an output of the region's own size at that level: crop to the
	// output rather than resample it by a thousandth (resampling costs as
	// much as decoding; the crop is off by less than one level pixel). An
	// output truly smaller than the region is resampled.
	if w := x1 - x0; w == plan.OutW+1 && int64(plan.W) <= int64(plan.OutW)*sf {
		x1 = x0 + plan.OutW
	}
	if h := y1 - y0; h == plan.OutH+1 && int64(plan.H) <= int64(plan.OutH)*sf {
		y1 = y0 + plan.OutH
	}
	vp := vips.Params{X: x0, Y: y0, W: x1 - x0, H: y1 - y0, OutW: plan.OutW, OutH: plan.OutH,
		Mirror: plan.Mirror, Degrees: plan.Degrees}
	switch plan.Quality {
	case "gray":
		vp.Quality = vips.Gray
	case "bitonal":
		vp.Quality = vips.Bitonal
	}
	switch plan.Format {
	case "png":
		vp.Format = vips.PNG
	case "webp":
		vp.Format = vips.WebP
	}
	if l.jpegTiles() == nil && vp.W*vp.H <= vips.MaxTilesRegion {
		return s.fromTiles(p, li, vp, dst)
	}
	return s.fromFile(src, li, vp, dst)
}

// fromFile computes vp, a region of level li, with libvips reading the
// pyramid's file through a pooled handle: for levels not stored as JPEG
// and regions too large to decode in one piece. The result is appended
// to dst.
func (s *Service) fromFile(src Source, li int, vp vips.Params, dst []byte) ([]byte, error) {
	path := s.Files.PyramidPath(src.SHA256)
	h, err := s.handles.Get(path, li)
	if err != nil {
		return nil, err
	}
	b, err := h.Render(vp, dst)
	if err != nil {
		h.Close()
		return nil, err
	}
	s.handles.Put(path, li, h)
	return b, nil
}

// fromTiles computes vp, a region of level li, from the level's stored
// tiles that it covers: copied out of the pyramid and decoded no further
// than the region (vips.RenderTiles). The result is appended to dst.
func (s *Service) fromTiles(p *Pyramid, li int, vp vips.Params, dst []byte) ([]byte, error) {
	l := &p.levels[li]
	c0, r0 := vp.X/l.TileWidth, vp.Y/l.TileHeight
	c1, r1 := (vp.X+vp.W-1)/l.TileWidth, (vp.Y+vp.H-1)/l.TileHeight
	t := vips.Tiles{Cols: c1 - c0 + 1, Rows: r1 - r0 + 1, TileW: l.TileWidth, TileH: l.TileHeight, Bands: l.Bands}
	buf := bodies.Get().(*[]byte)
	data := (*buf)[:0]
	defer func() {
		// A large region's tiles are not kept for the next request.
		if cap(data) <= maxPooledBody {
			*buf = data[:0]
			bodies.Put(buf)
		}
	}()
	t.Ends = make([]int, 0, t.Cols*t.Rows)
	for r := r0; r <= r1; r++ {
		for c := c0; c <= c1; c++ {
			var err error
			if data, err = p.Tile(data, li, c, r); err != nil {
				return dst, err
			}
			t.Ends = append(t.Ends, len(data))
		}
	}
	t.Data = data
	vp.X -= c0 * l.TileWidth
	vp.Y -= r0 * l.TileHeight
	return vips.RenderTiles(&t, vp, dst)
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// pyramid returns the open pyramid of master sum.
func (s *Service) pyramid(sum string) (*Pyramid, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.open[sum]; ok {
		return p, nil
	}
	p, err := OpenPyramid(s.Files.PyramidPath(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, wenyuan.Errorf(wenyuan.ENOTFOUND, "the file of this image is not on this server (was its record imported without the data directory's images folder?)")
	}
	if err != nil {
		return nil, err
	}
	s.open[sum] = p
	s.order = append(s.order, sum)
	if len(s.order) > maxOpenPyramids {
		old := s.order[0]
		s.order = s.order[1:]
		// Requests still reading it hold no lock; let them finish on the
		// file descriptor, which the garbage collector closes.
		delete(s.open, old)
		s.handles.Forget(s.Files.PyramidPath(old))
	}
	return p, nil
}

// Close closes the open pyramids and handles.
func (s *Service) Close() {
	s.mu.Lock()
	for _, p := range s.open {
		p.Close()
	}
	s.open = map[string]*Pyramid{}
	s.order = nil
	s.mu.Unlock()
	s.handles.Close()
	if s.Disk != nil {
		s.Disk.Close()
	}
}

// Info is an image's info.json (Image API 3.0 §5).
type Info struct {
	Context         string      `json:"@context"`
	ID              string      `json:"id"`
	Type            string      `json:"type"`
	Protocol        string      `json:"protocol"`
	Profile         string      `json:"profile"`
	Width           int         `json:"width"`
	Height          int         `json:"height"`
	MaxArea         int64       `json:"maxArea,omitempty"`
	MaxWidth        int         `json:"maxWidth,omitempty"`
	MaxHeight       int         `json:"maxHeight,omitempty"`
	Sizes           []InfoSize  `json:"sizes,omitempty"`
	Tiles           []InfoTiles `json:"tiles,omitempty"`
	ExtraQualities  []string    `json:"extraQualities"`
	ExtraFormats    []string    `json:"extraFormats"`
	ExtraFeatures   []string    `json:"extraFeatures"`
	PreferredFormat []string    `json:"preferredFormats,omitempty"`
	Rights          string      `json:"rights,omitempty"`
}

// InfoSize is a size the server prefers to be asked for.
type InfoSize struct {
	Type   string `json:"type"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

// InfoTiles describes the tiles of the image.
type InfoTiles struct {
	Type         string `json:"type"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	ScaleFactors []int  `json:"scaleFactors"`
}

// ImageContext is the JSON-LD context of Image API 3.0.
const ImageContext = "http://iiif.io/api/image/3/context.json"

// Info returns src's info.json, with id as the image's base URI.
func (s *Service) Info(src Source, id string) (*Info, error) {
	p, err := s.pyramid(src.SHA256)
	if err != nil {
		return nil, err
	}
	info := &Info{
		Context: ImageContext, ID: id, Type: "ImageService3", Protocol: "http://iiif.io/api/image",
		Profile: "level2", Width: src.Width, Height: src.Height,
		MaxArea: s.Limits.MaxArea, MaxWidth: s.Limits.MaxWidth, MaxHeight: s.Limits.MaxHeight,
		ExtraQualities: []string{"color", "gray", "bitonal"},
		ExtraFormats:   []string{"png", "webp"},
		ExtraFeatures: []string{"canonicalLinkHeader", "mirroring", "profileLinkHeader", "rotationArbitrary",
			"sizeByDistortedWh", "sizeUpscaling"},
	}
	var sf []int
	for i := len(p.levels) - 1; i >= 0; i-- {
		w, h := ceilDiv(src.Width, 1<<i), ceilDiv(src.Height, 1<<i)
		if s.Limits.MaxArea > 0 && int64(w)*int64(h) > s.Limits.MaxArea ||
			s.Limits.MaxWidth > 0 && w > s.Limits.MaxWidth || s.Limits.MaxHeight > 0 && h > s.Limits.MaxHeight {
			continue
		}
		info.Sizes = append(info.Sizes, InfoSize{Type: "Size", Width: w, Height: h})
	}
	for i := range p.levels {
		sf = append(sf, 1<<i)
	}
	l := p.levels[0]
	info.Tiles = []InfoTiles{{Type: "Tile", Width: l.TileWidth, Height: l.TileHeight, ScaleFactors: sf}}
	return info, nil
}

// ETag returns the entity tag of a result: images never change under a
// SHA-256, so it depends on the master and the canonical request only.
func ETag(sum, canonical string) string {
	h := fnv.New64a()
	h.Write([]byte(canonical))
	return `"` + sum[:16] + "-" + strconv.FormatUint(h.Sum64(), 36) + `"`
}
