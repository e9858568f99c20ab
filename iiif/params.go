package iiif

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Rounding. The spec leaves it to the implementation (Image API 3.0 §4.7:
// "Intermediate calculations may use floating point numbers and the rounding
// method is implementation specific"). This file rounds every computed pixel
// value half up, floor(v+0.5), as the Python reference implementation by one
// of the spec's editors does (zimeon/iiif, manipulator.py: int(v+0.5)); the
// IIIF validator's size checks (w,; ,h; pct:n; !w,h on its 1000×1000 test
// image) give the same answers under it. Three refinements:
//
//   - pct:x,y,w,h regions round their two edges, x and x+w (and y and y+h),
//     rather than x and w, so that regions whose percentages abut give pixel
//     regions that abut; a region whose start is inside the image keeps at
//     least one pixel.
//   - A dimension worked out from the other one to keep the aspect ratio
//     ("w,", ",h", "pct:n", "!w,h", "max") is at least 1 px. A dimension the
//     client gives as 0 is still an error (§4.2: "MUST NOT be less than 1
//     pixel").
//   - "max", "^max" and "!w,h" never round past a limit: if rounding both
//     sides up would go over maxArea, both sides are rounded down instead.

// maxDim is the largest width or height this package will compute; it keeps
// every area within an int64 and every dimension within an int.
const maxDim = math.MaxInt32

// ParamError is a bad or unsupported request parameter.
type ParamError struct {
	Param  string // "region", "size", "rotation", "quality", "format"
	Status int    // 400 for bad syntax or impossible values, 501 for well-formed but unsupported
	Msg    string // lower-case, names the value: `size "0,100": width and height must be above 0`
}

// Error returns the message.
func (e *ParamError) Error() string { return e.Msg }

func paramErr(param string, status int, value, format string, args ...any) *ParamError {
	return &ParamError{
		Param:  param,
		Status: status,
		Msg:    fmt.Sprintf("%s %q: ", param, value) + fmt.Sprintf(format, args...),
	}
}

// Request is one image request, parsed but not yet resolved against an image.
type Request struct {
	Region  Region
	Size    Size
	Mirror  bool
	Degrees float64 // 0 <= Degrees < 360; arbitrary angles allowed
	Quality string  // "default", "color", "gray", "bitonal"
	Format  string  // "jpg", "png", "webp"
}

// RegionKind is the form of a region parameter.
type RegionKind int

// The region forms of Image API 3.0 §4.1.
const (
	RegionFull    RegionKind = iota // "full"
	RegionSquare                    // "square": the largest centred square
	RegionPixels                    // "x,y,w,h" in pixels
	RegionPercent                   // "pct:x,y,w,h" in percent of the full image
)

// Region is a parsed region parameter. X, Y, W and H are pixels for
// RegionPixels, percentages for RegionPercent, and unused otherwise.
type Region struct {
	Kind       RegionKind
	X, Y, W, H float64
}

// SizeKind is the form of a size parameter.
type SizeKind int

// The size forms of Image API 3.0 §4.2; each may carry the "^" prefix.
const (
	SizeMax     SizeKind = iota // "max"
	SizeWidth                   // "w,"
	SizeHeight                  // ",h"
	SizePercent                 // "pct:n"
	SizeExact                   // "w,h"
	SizeBestFit                 // "!w,h"
)

// Size is a parsed size parameter. Upscale is the "^" prefix. W and H are used
// by the forms that name them, Percent by SizePercent.
type Size struct {
	Kind    SizeKind
	Upscale bool
	W, H    int
	Percent float64
}

// ParseRequest parses the four last path segments of an image request:
// region, size, rotation and "quality.format". The segments must already be
// percent-decoded. The first bad parameter, in that order, is returned as a
// *ParamError.
func ParseRequest(region, size, rotation, qualityFormat string) (Request, error) {
	var r Request
	var err error
	if r.Region, err = parseRegion(region); err != nil {
		return Request{}, err
	}
	if r.Size, err = parseSize(size); err != nil {
		return Request{}, err
	}
	if r.Mirror, r.Degrees, err = parseRotation(rotation); err != nil {
		return Request{}, err
	}
	if r.Quality, r.Format, err = parseQualityFormat(qualityFormat); err != nil {
		return Request{}, err
	}
	return r, nil
}

// isInteger reports whether s is a non-empty run of ASCII digits: §4 allows
// only non-negative integers for pixels, so no sign, space, exponent or hex.
func isInteger(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isDecimal reports whether s has only digits and at most one ".", with at
// least one digit. §4.7 says floats "MUST consist only of decimal digits and
// '.'"; a missing leading 0 (".5") and trailing zeros ("0.50") are only
// SHOULD NOTs, so they are accepted.
func isDecimal(s string) bool {
	digits, dots := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			dots++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}

// parseNumber parses a pixel value (integer) or a percentage or angle
// (decimal). It reports ok false for bad syntax or a value too large to use.
func parseNumber(s string, decimal bool) (v float64, ok bool) {
	if decimal {
		if !isDecimal(s) {
			return 0, false
		}
		v, err := strconv.ParseFloat(s, 64)
		return v, err == nil
	}
	if !isInteger(s) {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return float64(n), err == nil
}

func parseRegion(s string) (Region, error) {
	switch s {
	case "full":
		return Region{Kind: RegionFull}, nil
	case "square":
		return Region{Kind: RegionSquare}, nil
	}
	r := Region{Kind: RegionPixels}
	body := s
	if rest, ok := strings.CutPrefix(s, "pct:"); ok {
		r.Kind, body = RegionPercent, rest
	}
	parts := strings.Split(body, ",")
	if len(parts) != 4 {
		return Region{}, paramErr("region", 400, s, "must be full, square, x,y,w,h or pct:x,y,w,h")
	}
	var v [4]float64
	for i, p := range parts {
		var ok bool
		if v[i], ok = parseNumber(p, r.Kind == RegionPercent); !ok {
			if r.Kind == RegionPercent {
				return Region{}, paramErr("region", 400, s, "%q is not a non-negative decimal number", p)
			}
			return Region{}, paramErr("region", 400, s, "%q is not a non-negative integer", p)
		}
	}
	r.X, r.Y, r.W, r.H = v[0], v[1], v[2], v[3]
	if err := r.check(); err != nil {
		return Region{}, err
	}
	return r, nil
}

// spec returns the region in request syntax, for messages.
func (r Region) spec() string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	switch r.Kind {
	case RegionFull:
		return "full"
	case RegionSquare:
		return "square"
	case RegionPercent:
		return "pct:" + f(r.X) + "," + f(r.Y) + "," + f(r.W) + "," + f(r.H)
	}
	return f(r.X) + "," + f(r.Y) + "," + f(r.W) + "," + f(r.H)
}

// check finds the errors that do not depend on the image. It repeats the
// parser's range checks so that a hand-built Region is safe to resolve.
func (r Region) check() error {
	switch r.Kind {
	case RegionFull, RegionSquare:
		return nil
	case RegionPixels, RegionPercent:
	default:
		return paramErr("region", 400, r.spec(), "unknown kind %d", int(r.Kind))
	}
	for _, v := range [...]float64{r.X, r.Y, r.W, r.H} {
		// Written so that NaN fails too.
		if !(v >= 0 && v <= math.MaxFloat64) {
			return paramErr("region", 400, r.spec(), "values must be non-negative numbers")
		}
	}
	if r.W == 0 || r.H == 0 {
		return paramErr("region", 400, r.spec(), "width and height must be above 0")
	}
	if r.Kind == RegionPercent && (r.X >= 100 || r.Y >= 100) {
		return paramErr("region", 400, r.spec(), "entirely outside the image")
	}
	return nil
}

// resolve returns the region in pixels of a width×height image, clipped to it.
func (r Region) resolve(width, height int) (x, y, w, h int, err error) {
	switch r.Kind {
	case RegionFull:
		return 0, 0, width, height, nil
	case RegionSquare:
		s := min(width, height)
		return (width - s) / 2, (height - s) / 2, s, s, nil
	case RegionPixels:
		if r.X >= float64(width) || r.Y >= float64(height) {
			return 0, 0, 0, 0, paramErr("region", 400, r.spec(), "entirely outside the %dx%d image", width, height)
		}
		x, y = int(r.X), int(r.Y)
		x1 := int(min(r.X+r.W, float64(width)))
		y1 := int(min(r.Y+r.H, float64(height)))
		return x, y, x1 - x, y1 - y, nil
	}
	x, x1 := pctSpan(r.X, r.W, width)
	y, y1 := pctSpan(r.Y, r.H, height)
	return x, y, x1 - x, y1 - y, nil
}

// pctSpan turns a start and length in percent of n pixels into pixel edges
// [a, b), rounding each edge half up. The caller has checked 0 <= p < 100 and
// l > 0, so the start lies inside and the span keeps at least one pixel.
func pctSpan(p, l float64, n int) (a, b int) {
	// Multiplying before dividing keeps values like 12.5% of 1000 exact.
	fa := roundHalfUp(p * float64(n) / 100)
	fb := roundHalfUp((p + l) * float64(n) / 100)
	fa = min(fa, float64(n-1))
	fb = min(fb, float64(n))
	if fb <= fa {
		fb = fa + 1
	}
	return int(fa), int(fb)
}

func roundHalfUp(v float64) float64 { return math.Floor(v + 0.5) }

func parseSize(s string) (Size, error) {
	var z Size
	body := s
	if rest, ok := strings.CutPrefix(body, "^"); ok {
		z.Upscale, body = true, rest
	}
	const forms = "must be max, w,, ,h, pct:n, w,h or !w,h, each optionally after ^"
	switch {
	case body == "max":
		z.Kind = SizeMax
	case strings.HasPrefix(body, "pct:"):
		z.Kind = SizePercent
		n, ok := parseNumber(body[len("pct:"):], true)
		if !ok {
			return Size{}, paramErr("size", 400, s, "percentage must be a non-negative decimal number")
		}
		z.Percent = n
	default:
		bang := false
		if rest, ok := strings.CutPrefix(body, "!"); ok {
			bang, body = true, rest
		}
		ws, hs, ok := strings.Cut(body, ",")
		if !ok {
			return Size{}, paramErr("size", 400, s, forms)
		}
		switch {
		case bang && ws != "" && hs != "":
			z.Kind = SizeBestFit
		case bang:
			return Size{}, paramErr("size", 400, s, "!w,h needs both width and height")
		case ws != "" && hs != "":
			z.Kind = SizeExact
		case ws != "":
			z.Kind = SizeWidth
		case hs != "":
			z.Kind = SizeHeight
		default:
			return Size{}, paramErr("size", 400, s, forms)
		}
		for _, p := range [...]struct {
			s string
			v *int
		}{{ws, &z.W}, {hs, &z.H}} {
			if p.s == "" {
				continue
			}
			v, ok := parseNumber(p.s, false)
			if !ok {
				return Size{}, paramErr("size", 400, s, "%q is not a non-negative integer", p.s)
			}
			if v > maxDim {
				return Size{}, paramErr("size", 400, s, "%s is too large", p.s)
			}
			*p.v = int(v)
		}
	}
	if err := z.check(); err != nil {
		return Size{}, err
	}
	return z, nil
}

// spec returns the size in request syntax, for messages.
func (z Size) spec() string {
	s := ""
	if z.Upscale {
		s = "^"
	}
	switch z.Kind {
	case SizeMax:
		return s + "max"
	case SizeWidth:
		return s + strconv.Itoa(z.W) + ","
	case SizeHeight:
		return s + "," + strconv.Itoa(z.H)
	case SizePercent:
		return s + "pct:" + strconv.FormatFloat(z.Percent, 'f', -1, 64)
	case SizeBestFit:
		s += "!"
	}
	return s + strconv.Itoa(z.W) + "," + strconv.Itoa(z.H)
}

// check finds the errors that do not depend on the image.
func (z Size) check() error {
	bad := func(format string, args ...any) error { return paramErr("size", 400, z.spec(), format, args...) }
	switch z.Kind {
	case SizeMax:
		return nil
	case SizePercent:
		if !(z.Percent > 0 && z.Percent <= math.MaxFloat64) {
			return bad("percentage must be above 0")
		}
		if z.Percent > 100 && !z.Upscale {
			return bad(`percentages above 100 need "^"`)
		}
		return nil
	case SizeWidth:
		if z.W <= 0 {
			return bad("width must be above 0")
		}
	case SizeHeight:
		if z.H <= 0 {
			return bad("height must be above 0")
		}
	case SizeExact, SizeBestFit:
		if z.W <= 0 || z.H <= 0 {
			return bad("width and height must be above 0")
		}
	default:
		return bad("unknown kind %d", int(z.Kind))
	}
	if z.W > maxDim || z.H > maxDim {
		return bad("too large")
	}
	return nil
}

// Limits are an image's maxWidth, maxHeight and maxArea (0 = no limit). As
// Image API 3.0 §5.2 says, a maxWidth without a maxHeight also limits the
// height to maxWidth.
type Limits struct {
	MaxWidth, MaxHeight int
	MaxArea             int64
}

// effective returns lim with Image API 3.0 §5.2 applied: "If maxWidth is
// specified and maxHeight is not, then clients should infer that maxHeight =
// maxWidth". Zero or negative means no limit.
func (lim Limits) effective() Limits {
	lim.MaxWidth = max(lim.MaxWidth, 0)
	lim.MaxHeight = max(lim.MaxHeight, 0)
	lim.MaxArea = max(lim.MaxArea, 0)
	if lim.MaxHeight == 0 {
		lim.MaxHeight = lim.MaxWidth
	}
	return lim
}

// over names the first limit w×h breaks, or returns "".
func (lim Limits) over(w, h int) string {
	switch {
	case lim.MaxWidth > 0 && w > lim.MaxWidth:
		return fmt.Sprintf("maxWidth %d", lim.MaxWidth)
	case lim.MaxHeight > 0 && h > lim.MaxHeight:
		return fmt.Sprintf("maxHeight %d", lim.MaxHeight)
	case lim.MaxArea > 0 && int64(w)*int64(h) > lim.MaxArea:
		return fmt.Sprintf("maxArea %d", lim.MaxArea)
	}
	return ""
}

// fit returns the largest size with the aspect ratio of rw×rh (as nearly as
// whole pixels allow) that is no larger than the box boxW×boxH (0: no box),
// the region itself unless up, and the limits. It is "max" (no box, !up),
// "^max" (no box, up), "!w,h" and "^!w,h". lim must be effective.
func fit(rw, rh int, boxW, boxH int, lim Limits, up bool) (w, h int) {
	if rw <= 0 || rh <= 0 {
		return 0, 0
	}
	fw, fh := float64(rw), float64(rh)
	s := math.Inf(1)
	capW, capH := float64(maxDim), float64(maxDim)
	bound := func(c float64, side float64, cap *float64) {
		s = min(s, c/side)
		*cap = min(*cap, c)
	}
	if boxW > 0 {
		bound(float64(boxW), fw, &capW)
	}
	if boxH > 0 {
		bound(float64(boxH), fh, &capH)
	}
	if !up {
		bound(fw, fw, &capW)
		bound(fh, fh, &capH)
	}
	if lim.MaxWidth > 0 {
		bound(float64(lim.MaxWidth), fw, &capW)
	}
	if lim.MaxHeight > 0 {
		bound(float64(lim.MaxHeight), fh, &capH)
	}
	if lim.MaxArea > 0 {
		s = min(s, math.Sqrt(float64(lim.MaxArea)/fw/fh))
	}
	if math.IsInf(s, 1) {
		// "^max" with no limits: §4.2 only defines it as the size the limits
		// allow, and a server that upscales must declare limits (§5.7), so
		// without any it is "max".
		s = 1
	}
	s = min(s, maxDim/fw, maxDim/fh)
	size := func(round func(float64) float64) (int, int) {
		return int(min(max(1, round(fw*s)), capW)), int(min(max(1, round(fh*s)), capH))
	}
	w, h = size(roundHalfUp)
	if a := lim.MaxArea; a > 0 && int64(w)*int64(h) > a {
		w, h = size(math.Floor)
		// Only the at-least-1-px rule can still break the area, for a
		// region far thinner than it is long; give the long side what is left.
		if int64(w)*int64(h) > a {
			if w >= h {
				w = int(max(1, a/int64(h)))
			} else {
				h = int(max(1, a/int64(w)))
			}
		}
		if int64(w)*int64(h) > a {
			w, h = 1, 1
		}
	}
	return w, h
}

// resolve returns the scaled size of an rw×rh region.
func (z Size) resolve(rw, rh int, lim Limits) (w, h int, err error) {
	switch z.Kind {
	case SizeMax:
		w, h = fit(rw, rh, 0, 0, lim, z.Upscale)
		return w, h, nil
	case SizeBestFit:
		// A box the region fits into only by growing asks for upscaling:
		// without "^" that is an error, as the IIIF validator (size_noup,
		// "!2000,3000" on its 1000×1000 image) requires of level 1 and up,
		// though §4.2 could be read as "fit, but no larger than the region".
		if !z.Upscale && z.W > rw && z.H > rh {
			return 0, 0, paramErr("size", 400, z.spec(), `the %dx%d region fits the box only by growing; upscaling needs "^"`, rw, rh)
		}
		w, h = fit(rw, rh, z.W, z.H, lim, z.Upscale)
		return w, h, nil
	}
	fw, fh := float64(rw), float64(rh)
	var ow, oh float64
	// A dimension worked out from the other is at least 1 px: asking for a
	// width of a very flat region still yields an image.
	derived := func(v float64) float64 { return max(1, roundHalfUp(v)) }
	switch z.Kind {
	case SizeWidth:
		ow = float64(z.W)
		oh = derived(fh * ow / fw)
	case SizeHeight:
		oh = float64(z.H)
		ow = derived(fw * oh / fh)
	case SizePercent:
		ow = derived(fw * z.Percent / 100)
		oh = derived(fh * z.Percent / 100)
	case SizeExact:
		ow, oh = float64(z.W), float64(z.H)
	}
	if !z.Upscale && (ow > fw || oh > fh) {
		return 0, 0, paramErr("size", 400, z.spec(), `larger than the %dx%d region; upscaling needs "^"`, rw, rh)
	}
	if ow > maxDim || oh > maxDim {
		return 0, 0, paramErr("size", 400, z.spec(), "too large")
	}
	w, h = int(ow), int(oh)
	if l := lim.over(w, h); l != "" {
		return 0, 0, paramErr("size", 400, z.spec(), "%dx%d is over the image's %s", w, h, l)
	}
	return w, h, nil
}

func parseRotation(s string) (mirror bool, deg float64, err error) {
	n := s
	if rest, ok := strings.CutPrefix(s, "!"); ok {
		mirror, n = true, rest
	}
	deg, ok := parseNumber(n, true)
	if !ok {
		return false, 0, paramErr("rotation", 400, s, "must be a number of degrees from 0 to 360, optionally after !")
	}
	deg, err = checkDegrees(s, deg)
	return mirror, deg, err
}

// checkDegrees maps 0..360 to 0 <= deg < 360: §4.3 allows "any floating point
// number from 0 to 360", and 360 turns the image as far as 0 does.
func checkDegrees(s string, deg float64) (float64, error) {
	if !(deg >= 0 && deg <= 360) {
		return 0, paramErr("rotation", 400, s, "must be from 0 to 360")
	}
	if deg == 360 {
		deg = 0
	}
	return deg, nil
}

func parseQualityFormat(s string) (quality, format string, err error) {
	i := strings.LastIndexByte(s, '.')
	if i < 0 {
		return "", "", paramErr("format", 400, s, "want quality.format, as in default.jpg")
	}
	quality, format = s[:i], s[i+1:]
	switch quality {
	case "default", "color", "gray", "bitonal":
	default:
		return "", "", paramErr("quality", 400, quality, "must be default, color, gray or bitonal")
	}
	switch format {
	case "jpg", "png", "webp":
	case "tif", "gif", "pdf", "jp2":
		// Valid Image API formats this server does not make: §7.3 "501 Not
		// Implemented: a valid IIIF request that is not implemented".
		return "", "", paramErr("format", 501, format, "not supported; use jpg, png or webp")
	default:
		return "", "", paramErr("format", 400, format, "unknown; use jpg, png or webp")
	}
	return quality, format, nil
}

// Plan is a request resolved against an image of a given size: the pixel
// region of the full image to read and the size to scale it to (before
// rotation), and the rest.
type Plan struct {
	X, Y, W, H int // region in full-image pixels, clipped to the image
	OutW, OutH int // scaled size, before rotation
	Mirror     bool
	Degrees    float64
	Quality    string // "default" and "color" both stay as given
	Format     string
}

// Resolve works out the plan for an image of width×height, or a *ParamError
// (400) when the request cannot be served: region entirely outside the image
// or zero-sized, size zero, upscaling without "^", a size over the limits
// (except "max"/"^max" and "!w,h"/"^!w,h", which the spec defines as the
// largest size within the limits, so they are scaled down to fit, keeping the
// aspect ratio). A width or height below 1 is a plain error. Quality and
// Format are copied as they are.
func (r Request) Resolve(width, height int, lim Limits) (Plan, error) {
	if width <= 0 || height <= 0 {
		return Plan{}, fmt.Errorf("iiif: image size %dx%d is not positive", width, height)
	}
	if err := r.Region.check(); err != nil {
		return Plan{}, err
	}
	if err := r.Size.check(); err != nil {
		return Plan{}, err
	}
	deg, err := checkDegrees(strconv.FormatFloat(r.Degrees, 'f', -1, 64), r.Degrees)
	if err != nil {
		return Plan{}, err
	}
	x, y, w, h, err := r.Region.resolve(width, height)
	if err != nil {
		return Plan{}, err
	}
	ow, oh, err := r.Size.resolve(w, h, lim.effective())
	if err != nil {
		return Plan{}, err
	}
	return Plan{
		X: x, Y: y, W: w, H: h,
		OutW: ow, OutH: oh,
		Mirror:  r.Mirror,
		Degrees: deg,
		Quality: r.Quality,
		Format:  r.Format,
	}, nil
}

// Canonical returns the canonical form of the plan's request per Image API
// 3.0 §4.8, as "region/size/rotation/quality.format" (no leading slash, no
// identifier), for an image of width×height with the given limits: region
// "full" when the whole image is requested, else "x,y,w,h"; size "max" when
// the result is what "max" gives for that region, "^max" when it is what
// "^max" gives and that is larger than the region, otherwise "w,h", with "^"
// when upscaled beyond the region's pixel size; rotation "!" when mirrored,
// then the angle, an integer without decimals when it is one, else with no
// trailing zeros; quality and format as requested.
func (p Plan) Canonical(width, height int, lim Limits) string {
	var b strings.Builder
	if p.X == 0 && p.Y == 0 && p.W == width && p.H == height {
		b.WriteString("full")
	} else {
		fmt.Fprintf(&b, "%d,%d,%d,%d", p.X, p.Y, p.W, p.H)
	}
	b.WriteByte('/')
	lim = lim.effective()
	upscaled := p.OutW > p.W || p.OutH > p.H
	switch mw, mh := fit(p.W, p.H, 0, 0, lim, false); {
	case p.OutW == mw && p.OutH == mh:
		b.WriteString("max")
	case upscaled:
		if uw, uh := fit(p.W, p.H, 0, 0, lim, true); p.OutW == uw && p.OutH == uh {
			b.WriteString("^max")
		} else {
			fmt.Fprintf(&b, "^%d,%d", p.OutW, p.OutH)
		}
	default:
		fmt.Fprintf(&b, "%d,%d", p.OutW, p.OutH)
	}
	b.WriteByte('/')
	if p.Mirror {
		b.WriteByte('!')
	}
	// 'f' with precision -1 is the shortest decimal that parses back to the
	// same float: "90", "22.5", never "22.50" or an exponent (§4.7).
	b.WriteString(strconv.FormatFloat(p.Degrees, 'f', -1, 64))
	b.WriteByte('/')
	b.WriteString(p.Quality)
	b.WriteByte('.')
	b.WriteString(p.Format)
	return b.String()
}
