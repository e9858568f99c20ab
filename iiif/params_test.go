package iiif

import (
	"errors"
	"strings"
	"testing"
)

// splitPath splits "region/size/rotation/quality.format" into the four
// arguments of ParseRequest. Anything past the third slash goes to the last.
func splitPath(path string) (region, size, rotation, qf string) {
	p := strings.SplitN(path, "/", 4)
	for len(p) < 4 {
		p = append(p, "")
	}
	return p[0], p[1], p[2], p[3]
}

func parsePath(path string) (Request, error) {
	return ParseRequest(splitPath(path))
}

// box is a resolved region and output size: x, y, w, h, outW, outH.
type box [6]int

func boxOf(p Plan) box { return box{p.X, p.Y, p.W, p.H, p.OutW, p.OutH} }

type resolveCase struct {
	name          string
	path          string // region/size; "/0/default.jpg" is added
	width, height int
	lim           Limits
	want          box
}

var resolveCases = []resolveCase{
	// Regions, Image API 3.0 §4.1.
	{"full", "full/max", 1000, 800, Limits{}, box{0, 0, 1000, 800, 1000, 800}},
	{"square landscape", "square/max", 1000, 800, Limits{}, box{100, 0, 800, 800, 800, 800}},
	{"square landscape odd", "square/max", 999, 777, Limits{}, box{111, 0, 777, 777, 777, 777}},
	{"square portrait", "square/max", 800, 1000, Limits{}, box{0, 100, 800, 800, 800, 800}},
	{"square portrait odd", "square/max", 777, 999, Limits{}, box{0, 111, 777, 777, 777, 777}},
	{"square of a square", "square/max", 500, 500, Limits{}, box{0, 0, 500, 500, 500, 500}},
	{"pixels", "125,15,120,140/max", 1000, 800, Limits{}, box{125, 15, 120, 140, 120, 140}},
	{"pixels whole image", "0,0,1000,800/max", 1000, 800, Limits{}, box{0, 0, 1000, 800, 1000, 800}},
	{"pixels partly outside", "900,700,200,200/max", 1000, 800, Limits{}, box{900, 700, 100, 100, 100, 100}},
	{"pixels last pixel", "999,799,1,1/max", 1000, 800, Limits{}, box{999, 799, 1, 1, 1, 1}},
	{"pixels huge clipped", "0,0,99999999999999,99999999999999/max", 1000, 800, Limits{}, box{0, 0, 1000, 800, 1000, 800}},
	{"pixels leading zeros", "0125,015,0120,0140/max", 1000, 800, Limits{}, box{125, 15, 120, 140, 120, 140}},
	{"spec region example 3", "125,15,120,140/max", 300, 200, Limits{}, box{125, 15, 120, 140, 120, 140}},
	{"spec region example 5", "125,15,200,200/max", 300, 200, Limits{}, box{125, 15, 175, 185, 175, 185}},
	{"spec region example 4", "pct:41.6,7.5,40,70/max", 300, 200, Limits{}, box{125, 15, 120, 140, 120, 140}},
	{"spec region example 6", "pct:41.6,7.5,66.6,100/max", 300, 200, Limits{}, box{125, 15, 175, 185, 175, 185}},
	{"pct whole image", "pct:0,0,100,100/max", 1000, 800, Limits{}, box{0, 0, 1000, 800, 1000, 800}},
	{"pct", "pct:10,10,80,80/max", 1000, 800, Limits{}, box{100, 80, 800, 640, 800, 640}},
	{"pct odd edges rounded", "pct:25,25,50,50/max", 999, 777, Limits{}, box{250, 194, 499, 389, 499, 389}},
	{"pct tile 1 of 3", "pct:0,0,33.3,100/max", 999, 777, Limits{}, box{0, 0, 333, 777, 333, 777}},
	{"pct tile 2 of 3", "pct:33.3,0,33.4,100/max", 999, 777, Limits{}, box{333, 0, 333, 777, 333, 777}},
	{"pct tile 3 of 3", "pct:66.7,0,33.3,100/max", 999, 777, Limits{}, box{666, 0, 333, 777, 333, 777}},
	{"pct start rounds to edge", "pct:99.99,0,1,100/max", 1000, 800, Limits{}, box{999, 0, 1, 800, 1, 800}},
	{"pct tiny keeps a pixel", "pct:0,0,0.01,0.01/max", 1000, 800, Limits{}, box{0, 0, 1, 1, 1, 1}},
	{"pct half rounds up", "pct:0.05,0,10,10/max", 1000, 800, Limits{}, box{1, 0, 100, 80, 100, 80}},
	{"pct trailing zeros and no leading zero", "pct:10.0,.5,80.00,80/max", 1000, 800, Limits{}, box{100, 4, 800, 640, 800, 640}},
	{"pct over 100 clipped", "pct:50,50,200,200/max", 1000, 800, Limits{}, box{500, 400, 500, 400, 500, 400}},

	// Sizes, §4.2, on 1000×800.
	{"^max", "full/^max", 1000, 800, Limits{}, box{0, 0, 1000, 800, 1000, 800}},
	{"w,", "full/500,", 1000, 800, Limits{}, box{0, 0, 1000, 800, 500, 400}},
	{",h", "full/,400", 1000, 800, Limits{}, box{0, 0, 1000, 800, 500, 400}},
	{"pct:n", "full/pct:50", 1000, 800, Limits{}, box{0, 0, 1000, 800, 500, 400}},
	{"pct:100", "full/pct:100", 1000, 800, Limits{}, box{0, 0, 1000, 800, 1000, 800}},
	{"pct:12.5", "full/pct:12.5", 1000, 800, Limits{}, box{0, 0, 1000, 800, 125, 100}},
	{"w,h", "full/500,300", 1000, 800, Limits{}, box{0, 0, 1000, 800, 500, 300}},
	{"w,h region size", "full/1000,800", 1000, 800, Limits{}, box{0, 0, 1000, 800, 1000, 800}},
	{"!w,h square box", "full/!500,500", 1000, 800, Limits{}, box{0, 0, 1000, 800, 500, 400}},
	{"!w,h wide box", "full/!2000,400", 1000, 800, Limits{}, box{0, 0, 1000, 800, 500, 400}},
	{"!w,h box wider than region", "full/!2000,800", 1000, 800, Limits{}, box{0, 0, 1000, 800, 1000, 800}},
	{"^!w,h", "full/^!2000,2000", 1000, 800, Limits{}, box{0, 0, 1000, 800, 2000, 1600}},
	{"^w,", "full/^1500,", 1000, 800, Limits{}, box{0, 0, 1000, 800, 1500, 1200}},
	{"^,h", "full/^,1200", 1000, 800, Limits{}, box{0, 0, 1000, 800, 1500, 1200}},
	{"^pct:n", "full/^pct:150", 1000, 800, Limits{}, box{0, 0, 1000, 800, 1500, 1200}},
	{"^w,h", "full/^1500,900", 1000, 800, Limits{}, box{0, 0, 1000, 800, 1500, 900}},
	{"^w, not upscaling", "full/^500,", 1000, 800, Limits{}, box{0, 0, 1000, 800, 500, 400}},
	{"w, height at least 1", "full/1,", 1000, 800, Limits{}, box{0, 0, 1000, 800, 1, 1}},
	{"w, flat image height at least 1", "full/1,", 1000, 10, Limits{}, box{0, 0, 1000, 10, 1, 1}},
	{",h tall image width at least 1", "full/,1", 10, 1000, Limits{}, box{0, 0, 10, 1000, 1, 1}},
	{"pct tiny at least 1", "full/pct:0.01", 1000, 800, Limits{}, box{0, 0, 1000, 800, 1, 1}},
	{"pct half rounds up to 1", "full/pct:0.05", 1000, 800, Limits{}, box{0, 0, 1000, 800, 1, 1}},
	{"size of a region", "125,15,120,140/90,", 1000, 800, Limits{}, box{125, 15, 120, 140, 90, 105}},

	// Odd sizes: half up, from the region's own dimensions.
	{"odd max", "full/max", 999, 777, Limits{}, box{0, 0, 999, 777, 999, 777}},
	{"odd w,", "full/500,", 999, 777, Limits{}, box{0, 0, 999, 777, 500, 389}},
	{"odd ,h", "full/,500", 999, 777, Limits{}, box{0, 0, 999, 777, 643, 500}},
	{"odd pct:50 halves round up", "full/pct:50", 999, 777, Limits{}, box{0, 0, 999, 777, 500, 389}},
	{"odd pct:33.3", "full/pct:33.3", 999, 777, Limits{}, box{0, 0, 999, 777, 333, 259}},
	{"odd !w,h width bound", "full/!500,500", 999, 777, Limits{}, box{0, 0, 999, 777, 500, 389}},
	{"odd !w,h height bound", "full/!400,300", 999, 777, Limits{}, box{0, 0, 999, 777, 386, 300}},
	{"odd ^!w,h", "full/^!2000,2000", 999, 777, Limits{}, box{0, 0, 999, 777, 2000, 1556}},
	{"odd ^,h", "full/^,1000", 999, 777, Limits{}, box{0, 0, 999, 777, 1286, 1000}},
	{"odd square pct:50", "square/pct:50", 999, 777, Limits{}, box{111, 0, 777, 777, 389, 389}},
	{"odd square w,", "square/100,", 999, 777, Limits{}, box{111, 0, 777, 777, 100, 100}},

	// The spec's size examples, on its 300×200 image.
	{"spec size w,", "full/150,", 300, 200, Limits{}, box{0, 0, 300, 200, 150, 100}},
	{"spec size ,h", "full/,150", 300, 200, Limits{}, box{0, 0, 300, 200, 225, 150}},
	{"spec size pct", "full/pct:50", 300, 200, Limits{}, box{0, 0, 300, 200, 150, 100}},
	{"spec size w,h", "full/225,100", 300, 200, Limits{}, box{0, 0, 300, 200, 225, 100}},
	{"spec size !w,h", "full/!225,100", 300, 200, Limits{}, box{0, 0, 300, 200, 150, 100}},
	{"spec size ^!w,h", "full/^!360,360", 300, 200, Limits{}, box{0, 0, 300, 200, 360, 240}},
	{"spec size max under maxWidth 200", "full/max", 300, 200, Limits{MaxWidth: 200}, box{0, 0, 300, 200, 200, 133}},
	{"spec size ^max under maxWidth 360", "full/^max", 300, 200, Limits{MaxWidth: 360}, box{0, 0, 300, 200, 360, 240}},
	{"spec size ^w, under maxWidth 360", "full/^360,", 300, 200, Limits{MaxWidth: 360}, box{0, 0, 300, 200, 360, 240}},
	{"spec size ^w,h under maxWidth 360", "full/^360,200", 300, 200, Limits{MaxWidth: 360}, box{0, 0, 300, 200, 360, 200}},

	// Limits, §5.2.
	{"max under maxWidth and maxHeight", "full/max", 1000, 800, Limits{MaxWidth: 500, MaxHeight: 500}, box{0, 0, 1000, 800, 500, 400}},
	{"maxHeight inferred from maxWidth", "full/max", 800, 1000, Limits{MaxWidth: 500}, box{0, 0, 800, 1000, 400, 500}},
	{"max under maxHeight", "full/max", 1000, 800, Limits{MaxWidth: 1000, MaxHeight: 500}, box{0, 0, 1000, 800, 625, 500}},
	{"max under maxHeight only", "full/max", 999, 777, Limits{MaxHeight: 500}, box{0, 0, 999, 777, 643, 500}},
	{"odd max under maxWidth", "full/max", 999, 777, Limits{MaxWidth: 500}, box{0, 0, 999, 777, 500, 389}},
	{"max under maxArea rounds down", "full/max", 1000, 800, Limits{MaxArea: 100000}, box{0, 0, 1000, 800, 353, 282}},
	{"max under maxArea half", "full/max", 1000, 800, Limits{MaxArea: 400000}, box{0, 0, 1000, 800, 707, 565}},
	{"max under maxArea 1", "full/max", 1000, 800, Limits{MaxArea: 1}, box{0, 0, 1000, 800, 1, 1}},
	{"max of a line under maxArea", "full/max", 1000, 1, Limits{MaxArea: 100}, box{0, 0, 1000, 1, 100, 1}},
	{"max of a region within limits", "125,15,120,140/max", 1000, 800, Limits{MaxWidth: 500}, box{125, 15, 120, 140, 120, 140}},
	{"max under negative limits", "full/max", 1000, 800, Limits{MaxWidth: -1, MaxHeight: -1, MaxArea: -1}, box{0, 0, 1000, 800, 1000, 800}},
	{"^max under maxWidth and maxHeight", "full/^max", 1000, 800, Limits{MaxWidth: 2000, MaxHeight: 1000}, box{0, 0, 1000, 800, 1250, 1000}},
	{"^max under maxArea", "full/^max", 1000, 800, Limits{MaxArea: 2000000}, box{0, 0, 1000, 800, 1581, 1265}},
	{"max with room to upscale", "full/max", 1000, 800, Limits{MaxWidth: 2000, MaxHeight: 1000}, box{0, 0, 1000, 800, 1000, 800}},
	{"w, at maxWidth", "full/500,", 1000, 800, Limits{MaxWidth: 500}, box{0, 0, 1000, 800, 500, 400}},
	{"!w,h fits maxWidth", "full/!2000,700", 1000, 800, Limits{MaxWidth: 500}, box{0, 0, 1000, 800, 500, 400}},
	{"^!w,h fits maxWidth", "full/^!2000,2000", 1000, 800, Limits{MaxWidth: 500}, box{0, 0, 1000, 800, 500, 400}},
	{"^!w,h fits maxArea", "full/^!2000,2000", 1000, 800, Limits{MaxArea: 400000}, box{0, 0, 1000, 800, 707, 565}},
}

func TestParseRequest(t *testing.T) {
	for _, tt := range resolveCases {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.path + "/0/default.jpg"
			req, err := parsePath(path)
			if err != nil {
				t.Fatalf("ParseRequest(%q) = %v, want no error", path, err)
			}
			p, err := req.Resolve(tt.width, tt.height, tt.lim)
			if err != nil {
				t.Fatalf("ParseRequest(%q).Resolve(%d, %d, %+v) = %v, want %v", path, tt.width, tt.height, tt.lim, err, tt.want)
			}
			if got := boxOf(p); got != tt.want {
				t.Errorf("ParseRequest(%q).Resolve(%d, %d, %+v) = %v, want %v", path, tt.width, tt.height, tt.lim, got, tt.want)
			}
		})
	}
}

func TestParseRequestFields(t *testing.T) {
	tests := []struct {
		name string
		path string
		want Request
	}{
		{"zero value is full/max", "full/max/0/default.jpg", Request{Quality: "default", Format: "jpg"}},
		{"square", "square/max/0/default.jpg", Request{Region: Region{Kind: RegionSquare}, Quality: "default", Format: "jpg"}},
		{"pixels", "1,2,3,4/max/0/default.jpg", Request{Region: Region{RegionPixels, 1, 2, 3, 4}, Quality: "default", Format: "jpg"}},
		{"percent", "pct:1.5,2,3,4.25/max/0/default.jpg", Request{Region: Region{RegionPercent, 1.5, 2, 3, 4.25}, Quality: "default", Format: "jpg"}},
		{"^max", "full/^max/0/default.jpg", Request{Size: Size{Kind: SizeMax, Upscale: true}, Quality: "default", Format: "jpg"}},
		{"w,", "full/5,/0/default.jpg", Request{Size: Size{Kind: SizeWidth, W: 5}, Quality: "default", Format: "jpg"}},
		{"^,h", "full/^,6/0/default.jpg", Request{Size: Size{Kind: SizeHeight, Upscale: true, H: 6}, Quality: "default", Format: "jpg"}},
		{"pct:n", "full/pct:7.5/0/default.jpg", Request{Size: Size{Kind: SizePercent, Percent: 7.5}, Quality: "default", Format: "jpg"}},
		{"w,h", "full/5,6/0/default.jpg", Request{Size: Size{Kind: SizeExact, W: 5, H: 6}, Quality: "default", Format: "jpg"}},
		{"^!w,h", "full/^!5,6/0/default.jpg", Request{Size: Size{Kind: SizeBestFit, Upscale: true, W: 5, H: 6}, Quality: "default", Format: "jpg"}},
		{"rotation 90", "full/max/90/default.jpg", Request{Degrees: 90, Quality: "default", Format: "jpg"}},
		{"rotation 22.5", "full/max/22.5/default.png", Request{Degrees: 22.5, Quality: "default", Format: "png"}},
		{"rotation no leading zero", "full/max/.5/default.png", Request{Degrees: 0.5, Quality: "default", Format: "png"}},
		{"rotation trailing zeros", "full/max/22.50/default.png", Request{Degrees: 22.5, Quality: "default", Format: "png"}},
		{"rotation 359.99", "full/max/359.99/default.png", Request{Degrees: 359.99, Quality: "default", Format: "png"}},
		{"rotation 360 is 0", "full/max/360/default.jpg", Request{Quality: "default", Format: "jpg"}},
		{"mirror", "full/max/!0/default.jpg", Request{Mirror: true, Quality: "default", Format: "jpg"}},
		{"mirror 180", "full/max/!180/default.jpg", Request{Mirror: true, Degrees: 180, Quality: "default", Format: "jpg"}},
		{"mirror 360", "full/max/!360/default.jpg", Request{Mirror: true, Quality: "default", Format: "jpg"}},
		{"color", "full/max/0/color.jpg", Request{Quality: "color", Format: "jpg"}},
		{"gray", "full/max/0/gray.webp", Request{Quality: "gray", Format: "webp"}},
		{"bitonal", "full/max/0/bitonal.png", Request{Quality: "bitonal", Format: "png"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parsePath(tt.path)
			if err != nil || got != tt.want {
				t.Errorf("ParseRequest(%q) = %+v, %v, want %+v", tt.path, got, err, tt.want)
			}
		})
	}
}

type errorCase struct {
	name          string
	path          string
	width, height int // 0: 1000×800
	lim           Limits
	param         string
	status        int
}

var errorCases = []errorCase{
	// Region syntax.
	{"region empty", "/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region leading space", " full/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region trailing space", "full /max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region upper case", "FULL/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region title case", "Square/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region three values", "1,2,3/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region five values", "1,2,3,4,5/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region empty value", "1,,10,10/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region plus sign", "+1,0,10,10/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region minus sign", "-1,0,10,10/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region exponent", "1e3,0,10,10/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region hex", "0x10,0,10,10/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region decimal pixels", "1.5,0,10,10/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region space inside", "0, 0,10,10/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region space after", "0,0,10,10 /max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region fullwidth digit", "１,0,10,10/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region overflow", "99999999999999999999999,0,1,1/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region square with comma", "square,/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region pct empty", "pct:/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region pct three values", "pct:1,2,3/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region pct plus sign", "pct:+1,0,10,10/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region pct minus sign", "pct:-1,0,10,10/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region pct exponent", "pct:1e1,0,10,10/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region pct exponent after point", "pct:10.0,.5e0,80,80/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region pct two points", "pct:1..0,0,10,10/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region pct lone point", "pct:.,0,10,10/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region pct word", "pct:full/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region pct upper case", "PCT:0,0,10,10/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	// Region values, §4.1: zero or entirely outside.
	{"region zero width", "0,0,0,10/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region zero height", "0,0,10,0/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region right of image", "1000,0,10,10/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region below image", "0,800,10,10/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region far outside", "5000,5000,10,10/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region odd image right edge", "999,0,10,10/max/0/default.jpg", 999, 777, Limits{}, "region", 400},
	{"region pct right of image", "pct:100,0,10,10/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region pct below image", "pct:0,100,10,10/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region pct zero width", "pct:0,0,0,10/max/0/default.jpg", 0, 0, Limits{}, "region", 400},
	{"region pct zero height", "pct:0,0,10,0.0/max/0/default.jpg", 0, 0, Limits{}, "region", 400},

	// Size syntax.
	{"size empty", "full//0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size full is 2.x", "full/full/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size upper case", "full/MAX/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size caret alone", "full/^/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size two carets", "full/^^max/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size bang max", "full/!max/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size bang w,", "full/!100,/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size bang ,h", "full/!,100/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size comma alone", "full/,/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size no comma", "full/100/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size three values", "full/100,100,100/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size leading space", "full/ 100,/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size trailing space", "full/100, /0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size plus sign", "full/+100,/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size exponent", "full/1e2,/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size hex", "full/0x10,/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size decimal pixels", "full/100.5,/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size pct empty", "full/pct:/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size pct negative", "full/pct:-5/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size pct exponent", "full/pct:1e2/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size pct percent sign", "full/pct:50%/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size pct without colon", "full/pct50/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size caret pct without value", "full/^pct/0/default.jpg", 0, 0, Limits{}, "size", 400},
	// The spec's example list shows ",^240"; its size table's form is "^,h".
	{"size caret after comma", "full/,^240/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size caret inside", "full/100,^100/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size too large", "full/^99999999999,/0/default.jpg", 0, 0, Limits{}, "size", 400},
	// Size values, §4.2: zero, or larger than the region without "^".
	{"size zero width", "full/0,/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size zero height", "full/,0/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size zero w,h", "full/0,100/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size zero h of w,h", "full/100,0/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size zero ^w,", "full/^0,/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size zero pct", "full/pct:0/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size zero ^pct", "full/^pct:0.0/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size zero !w,h", "full/!0,100/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size pct over 100", "full/pct:101/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size pct just over 100", "full/pct:100.5/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size w, over region", "full/1001,/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size ,h over region", "full/,801/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size w,h wider than region", "full/1001,800/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size w,h taller than region", "full/1000,801/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size w, over pixel region", "125,15,120,140/121,/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size w, over clipped region", "900,700,200,200/150,/0/default.jpg", 0, 0, Limits{}, "size", 400},
	{"size w, over square", "square/778,/0/default.jpg", 999, 777, Limits{}, "size", 400},
	{"size ^ result too large", "full/^2147483647,/0/default.jpg", 1, 1000, Limits{}, "size", 400},
	{"size ^pct too large", "full/^pct:1000000000/0/default.jpg", 0, 0, Limits{}, "size", 400},
	// Limits, §4.2: "MUST NOT be ... greater than the server-imposed limits".
	{"size w, over maxWidth", "full/600,/0/default.jpg", 0, 0, Limits{MaxWidth: 500}, "size", 400},
	{"size ^w, over maxWidth", "full/^1200,/0/default.jpg", 0, 0, Limits{MaxWidth: 1100, MaxHeight: 2000}, "size", 400},
	{"size ,h over inferred maxHeight", "full/,700/0/default.jpg", 800, 1000, Limits{MaxWidth: 600}, "size", 400},
	{"size w,h over maxArea", "full/400,300/0/default.jpg", 0, 0, Limits{MaxArea: 100000}, "size", 400},
	{"size ^pct over maxWidth", "full/^pct:300/0/default.jpg", 0, 0, Limits{MaxWidth: 2000}, "size", 400},
	{"size pct over maxWidth", "full/pct:80/0/default.jpg", 0, 0, Limits{MaxWidth: 500, MaxHeight: 1000}, "size", 400},
	{"size ^w,h over maxHeight", "full/^100,1200/0/default.jpg", 0, 0, Limits{MaxWidth: 2000, MaxHeight: 1000}, "size", 400},

	// Rotation, §4.3 and §4.7.
	{"rotation negative", "full/max/-90/default.jpg", 0, 0, Limits{}, "rotation", 400},
	{"rotation over 360", "full/max/361/default.jpg", 0, 0, Limits{}, "rotation", 400},
	{"rotation just over 360", "full/max/360.1/default.jpg", 0, 0, Limits{}, "rotation", 400},
	{"rotation plus sign", "full/max/+90/default.jpg", 0, 0, Limits{}, "rotation", 400},
	{"rotation exponent", "full/max/1e2/default.jpg", 0, 0, Limits{}, "rotation", 400},
	{"rotation hex", "full/max/0x10/default.jpg", 0, 0, Limits{}, "rotation", 400},
	{"rotation underscore", "full/max/1_0/default.jpg", 0, 0, Limits{}, "rotation", 400},
	{"rotation leading space", "full/max/ 90/default.jpg", 0, 0, Limits{}, "rotation", 400},
	{"rotation trailing space", "full/max/90 /default.jpg", 0, 0, Limits{}, "rotation", 400},
	{"rotation empty", "full/max//default.jpg", 0, 0, Limits{}, "rotation", 400},
	{"rotation bang alone", "full/max/!/default.jpg", 0, 0, Limits{}, "rotation", 400},
	{"rotation two bangs", "full/max/!!90/default.jpg", 0, 0, Limits{}, "rotation", 400},
	{"rotation bang after", "full/max/90!/default.jpg", 0, 0, Limits{}, "rotation", 400},
	{"rotation bang negative", "full/max/!-1/default.jpg", 0, 0, Limits{}, "rotation", 400},
	{"rotation NaN", "full/max/NaN/default.jpg", 0, 0, Limits{}, "rotation", 400},
	{"rotation Inf", "full/max/Inf/default.jpg", 0, 0, Limits{}, "rotation", 400},
	{"rotation comma", "full/max/9,0/default.jpg", 0, 0, Limits{}, "rotation", 400},
	{"rotation two points", "full/max/1..2/default.jpg", 0, 0, Limits{}, "rotation", 400},
	{"rotation lone point", "full/max/./default.jpg", 0, 0, Limits{}, "rotation", 400},
	{"rotation arabic-indic digits", "full/max/٩٠/default.jpg", 0, 0, Limits{}, "rotation", 400},

	// Quality and format, §4.4 and §4.5.
	{"quality and format without dot", "full/max/0/default", 0, 0, Limits{}, "format", 400},
	{"quality and format empty", "full/max/0/", 0, 0, Limits{}, "format", 400},
	{"quality empty", "full/max/0/.jpg", 0, 0, Limits{}, "quality", 400},
	{"format empty", "full/max/0/default.", 0, 0, Limits{}, "format", 400},
	{"quality grey", "full/max/0/grey.jpg", 0, 0, Limits{}, "quality", 400},
	{"quality native is 1.x", "full/max/0/native.jpg", 0, 0, Limits{}, "quality", 400},
	{"quality upper case", "full/max/0/Default.jpg", 0, 0, Limits{}, "quality", 400},
	{"quality with dot", "full/max/0/default.x.jpg", 0, 0, Limits{}, "quality", 400},
	{"format upper case", "full/max/0/default.JPG", 0, 0, Limits{}, "format", 400},
	{"format trailing space", "full/max/0/default.jpg ", 0, 0, Limits{}, "format", 400},
	{"format jpeg", "full/max/0/default.jpeg", 0, 0, Limits{}, "format", 400},
	{"format unknown", "full/max/0/default.bmp", 0, 0, Limits{}, "format", 400},
	{"format tif unsupported", "full/max/0/default.tif", 0, 0, Limits{}, "format", 501},
	{"format gif unsupported", "full/max/0/color.gif", 0, 0, Limits{}, "format", 501},
	{"format pdf unsupported", "full/max/0/gray.pdf", 0, 0, Limits{}, "format", 501},
	{"format jp2 unsupported", "full/max/0/bitonal.jp2", 0, 0, Limits{}, "format", 501},

	// The first bad parameter wins, in path order.
	{"all bad", "junk/junk/junk/junk", 0, 0, Limits{}, "region", 400},
	{"size before rotation", "full/junk/-1/default.tif", 0, 0, Limits{}, "size", 400},
	{"rotation before quality", "full/max/-1/grey.tif", 0, 0, Limits{}, "rotation", 400},
	{"quality before format", "full/max/0/grey.tif", 0, 0, Limits{}, "quality", 400},
	{"region before size at resolve", "5000,0,10,10/2000,/0/default.jpg", 0, 0, Limits{}, "region", 400},
}

func TestParseRequestErrors(t *testing.T) {
	for _, tt := range errorCases {
		t.Run(tt.name, func(t *testing.T) {
			width, height := tt.width, tt.height
			if width == 0 {
				width, height = 1000, 800
			}
			req, err := parsePath(tt.path)
			if err == nil {
				var p Plan
				p, err = req.Resolve(width, height, tt.lim)
				if err == nil {
					t.Fatalf("ParseRequest(%q).Resolve(%d, %d, %+v) = %+v, want %s error %d", tt.path, width, height, tt.lim, p, tt.param, tt.status)
				}
			}
			var pe *ParamError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseRequest(%q) = %v (%T), want *ParamError", tt.path, err, err)
			}
			if pe.Param != tt.param || pe.Status != tt.status {
				t.Errorf("ParseRequest(%q) = %s %d %q, want %s %d", tt.path, pe.Param, pe.Status, pe.Msg, tt.param, tt.status)
			}
			if !strings.HasPrefix(pe.Msg, pe.Param+" ") || pe.Error() != pe.Msg {
				t.Errorf("ParseRequest(%q) = %q, want a message that starts with %q", tt.path, pe.Msg, pe.Param)
			}
		})
	}
}

func TestParamsErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		path string
		want string
	}{
		{"zero size", "full/0,100/0/default.jpg", `size "0,100": width and height must be above 0`},
		{"zero region", "0,0,0,10/max/0/default.jpg", `region "0,0,0,10": width and height must be above 0`},
		{"pixels not integers", "0,0,10.5,10/max/0/default.jpg", `region "0,0,10.5,10": "10.5" is not a non-negative integer`},
		{"rotation range", "full/max/361/default.jpg", `rotation "361": must be from 0 to 360`},
		{"quality", "full/max/0/grey.jpg", `quality "grey": must be default, color, gray or bitonal`},
		{"format unsupported", "full/max/0/default.tif", `format "tif": not supported; use jpg, png or webp`},
		{"format unknown", "full/max/0/default.bmp", `format "bmp": unknown; use jpg, png or webp`},
		{"pct over 100", "full/pct:120/0/default.jpg", `size "pct:120": percentages above 100 need "^"`},
		{"upscale", "full/2000,/0/default.jpg", `size "2000,": larger than the 1000x800 region; upscaling needs "^"`},
		{"!w,h box larger than the region both ways", "full/!2000,3000/0/default.jpg", `size "!2000,3000": the 1000x800 region fits the box only by growing; upscaling needs "^"`},
		{"limit", "full/^2000,/0/default.jpg", `size "^2000,": 2000x1600 is over the image's maxWidth 1500`},
		{"outside", "1000,0,1,1/max/0/default.jpg", `region "1000,0,1,1": entirely outside the 1000x800 image`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := parsePath(tt.path)
			if err == nil {
				_, err = req.Resolve(1000, 800, Limits{MaxWidth: 1500, MaxHeight: 2000})
			}
			if err == nil || err.Error() != tt.want {
				t.Errorf("ParseRequest(%q) = %v, want %v", tt.path, err, tt.want)
			}
		})
	}
}

func TestParamsResolveHandBuilt(t *testing.T) {
	tests := []struct {
		name  string
		req   Request
		param string // "" for a plain error
	}{
		{"negative region", Request{Region: Region{RegionPixels, -1, 0, 10, 10}}, "region"},
		{"unknown region kind", Request{Region: Region{Kind: 99}}, "region"},
		{"negative size", Request{Size: Size{Kind: SizeWidth, W: -5}}, "size"},
		{"unknown size kind", Request{Size: Size{Kind: 99, W: 5, H: 5}}, "size"},
		{"negative degrees", Request{Degrees: -1}, "rotation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.req.Resolve(1000, 800, Limits{})
			var pe *ParamError
			if !errors.As(err, &pe) || pe.Param != tt.param || pe.Status != 400 {
				t.Errorf("%+v.Resolve(1000, 800) = %v, want a %s error", tt.req, err, tt.param)
			}
		})
	}
	if _, err := (Request{}).Resolve(0, 800, Limits{}); err == nil {
		t.Errorf("Request{}.Resolve(0, 800) = nil error, want one")
	}
}

type canonicalCase struct {
	name          string
	path          string
	width, height int
	lim           Limits
	want          string
}

var canonicalCases = []canonicalCase{
	{"full max", "full/max/0/default.jpg", 1000, 800, Limits{}, "full/max/0/default.jpg"},
	{"everything spelled out", "pct:0,0,100,100/pct:100/360/default.jpg", 1000, 800, Limits{}, "full/max/0/default.jpg"},
	{"whole image in pixels", "0,0,1000,800/1000,800/0/color.png", 1000, 800, Limits{}, "full/max/0/color.png"},
	{"clipped to whole image", "0,0,2000,2000/^max/0/default.jpg", 1000, 800, Limits{}, "full/max/0/default.jpg"},
	{"w,", "full/500,/90/gray.jpg", 1000, 800, Limits{}, "full/500,400/90/gray.jpg"},
	{",h", "full/,400/0/default.webp", 1000, 800, Limits{}, "full/500,400/0/default.webp"},
	{"pct", "full/pct:50/0/default.jpg", 1000, 800, Limits{}, "full/500,400/0/default.jpg"},
	{"!w,h", "full/!500,500/0/default.jpg", 1000, 800, Limits{}, "full/500,400/0/default.jpg"},
	{"!w,h that is max", "full/!2000,800/0/default.jpg", 1000, 800, Limits{}, "full/max/0/default.jpg"},
	{"!w,h exactly the region", "full/!1000,800/0/default.jpg", 1000, 800, Limits{}, "full/max/0/default.jpg"},
	{"^!w,h", "full/^!2000,2000/0/default.jpg", 1000, 800, Limits{}, "full/^2000,1600/0/default.jpg"},
	{"^w,", "full/^1500,/0/default.jpg", 1000, 800, Limits{}, "full/^1500,1200/0/default.jpg"},
	{"^w, without upscaling", "full/^500,/0/default.jpg", 1000, 800, Limits{}, "full/500,400/0/default.jpg"},
	{"w,h distorted", "full/1000,400/0/default.jpg", 1000, 800, Limits{}, "full/1000,400/0/default.jpg"},
	{"^w,h upscaled one way", "full/^1500,400/0/default.jpg", 1000, 800, Limits{}, "full/^1500,400/0/default.jpg"},
	{"square", "square/max/0/default.jpg", 1000, 800, Limits{}, "100,0,800,800/max/0/default.jpg"},
	{"square of a square", "square/max/0/default.jpg", 500, 500, Limits{}, "full/max/0/default.jpg"},
	{"clipped region", "900,700,200,200/max/0/default.jpg", 1000, 800, Limits{}, "900,700,100,100/max/0/default.jpg"},
	{"odd pct size", "full/pct:50/0/default.jpg", 999, 777, Limits{}, "full/500,389/0/default.jpg"},
	{"odd square pct", "square/pct:50/0/default.jpg", 999, 777, Limits{}, "111,0,777,777/389,389/0/default.jpg"},

	// Examples from the spec.
	{"spec §4.6 order of implementation", "125,15,120,140/90,/!345/gray.jpg", 300, 200, Limits{}, "125,15,120,140/90,105/!345/gray.jpg"},
	{"spec §4.1 example 6", "pct:41.6,7.5,66.6,100/max/0/default.jpg", 300, 200, Limits{}, "125,15,175,185/max/0/default.jpg"},
	{"spec §9 id1 png", "0,10,100,200/pct:50/90/default.png", 1000, 800, Limits{}, "0,10,100,200/50,100/90/default.png"},
	{"spec §9 id1 jpg", "pct:10,10,80,80/50,/22.5/color.jpg", 1000, 800, Limits{}, "100,80,800,640/50,40/22.5/color.jpg"},
	{"spec §9 bb157hs6068", "full/max/270/gray.jpg", 1000, 800, Limits{}, "full/max/270/gray.jpg"},
	{"spec §4.8 link header", "full/400,300/0/default.jpg", 1000, 800, Limits{}, "full/400,300/0/default.jpg"},
	{"spec §4.2 max under maxWidth", "full/max/0/default.jpg", 300, 200, Limits{MaxWidth: 200}, "full/max/0/default.jpg"},
	{"spec §4.2 w, that is max", "full/200,/0/default.jpg", 300, 200, Limits{MaxWidth: 200}, "full/max/0/default.jpg"},
	{"spec §4.2 ^max", "full/^max/0/default.jpg", 300, 200, Limits{MaxWidth: 360}, "full/^max/0/default.jpg"},
	{"spec §4.2 ^w, that is ^max", "full/^360,/0/default.jpg", 300, 200, Limits{MaxWidth: 360}, "full/^max/0/default.jpg"},

	// Limits.
	{"max under maxWidth", "full/max/0/default.jpg", 1000, 800, Limits{MaxWidth: 500}, "full/max/0/default.jpg"},
	{"w, at the limit is max", "full/500,/0/default.jpg", 1000, 800, Limits{MaxWidth: 500}, "full/max/0/default.jpg"},
	{"w, under the limit", "full/400,/0/default.jpg", 1000, 800, Limits{MaxWidth: 500}, "full/400,320/0/default.jpg"},
	{"^max with room", "full/^max/0/default.jpg", 1000, 800, Limits{MaxWidth: 2000, MaxHeight: 1000}, "full/^max/0/default.jpg"},
	{"^w, that is ^max", "full/^1250,/0/default.jpg", 1000, 800, Limits{MaxWidth: 2000, MaxHeight: 1000}, "full/^max/0/default.jpg"},
	{"^max without limits is max", "full/^max/0/default.jpg", 1000, 800, Limits{}, "full/max/0/default.jpg"},
	{"^max under limits is max", "full/^max/0/default.jpg", 1000, 800, Limits{MaxArea: 100000}, "full/max/0/default.jpg"},

	// Rotation, §4.7: integers without decimals, no trailing zeros.
	{"rotation trailing zero", "full/max/22.50/default.png", 1000, 800, Limits{}, "full/max/22.5/default.png"},
	{"rotation leading zero", "full/max/090/default.jpg", 1000, 800, Limits{}, "full/max/90/default.jpg"},
	{"rotation no leading zero", "full/max/.5/default.jpg", 1000, 800, Limits{}, "full/max/0.5/default.jpg"},
	{"rotation integer with decimals", "full/max/180.0/default.jpg", 1000, 800, Limits{}, "full/max/180/default.jpg"},
	{"rotation small", "full/max/0.000001/default.png", 1000, 800, Limits{}, "full/max/0.000001/default.png"},
	{"rotation 360", "full/max/360/default.jpg", 1000, 800, Limits{}, "full/max/0/default.jpg"},
	{"mirror", "full/max/!0/default.jpg", 1000, 800, Limits{}, "full/max/!0/default.jpg"},
	{"mirror 360", "full/max/!360/default.jpg", 1000, 800, Limits{}, "full/max/!0/default.jpg"},
	{"mirror decimal", "full/max/!22.50/default.jpg", 1000, 800, Limits{}, "full/max/!22.5/default.jpg"},
}

func TestCanonical(t *testing.T) {
	for _, tt := range canonicalCases {
		t.Run(tt.name, func(t *testing.T) {
			req, err := parsePath(tt.path)
			if err != nil {
				t.Fatalf("ParseRequest(%q) = %v, want no error", tt.path, err)
			}
			p, err := req.Resolve(tt.width, tt.height, tt.lim)
			if err != nil {
				t.Fatalf("ParseRequest(%q).Resolve(%d, %d, %+v) = %v, want no error", tt.path, tt.width, tt.height, tt.lim, err)
			}
			if got := p.Canonical(tt.width, tt.height, tt.lim); got != tt.want {
				t.Errorf("ParseRequest(%q).Canonical(%d, %d, %+v) = %q, want %q", tt.path, tt.width, tt.height, tt.lim, got, tt.want)
			}
			// The canonical form is a fixed point.
			p2, err := parsePath(tt.want)
			if err != nil {
				t.Fatalf("ParseRequest(%q) = %v, want no error", tt.want, err)
			}
			q, err := p2.Resolve(tt.width, tt.height, tt.lim)
			if err != nil || q != p {
				t.Errorf("ParseRequest(%q).Resolve(%d, %d, %+v) = %+v, %v, want %+v", tt.want, tt.width, tt.height, tt.lim, q, err, p)
			}
		})
	}
}

func FuzzParseRequest(f *testing.F) {
	add := func(path string, width, height int, lim Limits) {
		region, size, rotation, qf := splitPath(path)
		f.Add(region, size, rotation, qf, uint16(width-1), uint16(height-1), uint16(lim.MaxWidth), uint16(lim.MaxHeight), uint32(lim.MaxArea))
	}
	for _, tt := range resolveCases {
		add(tt.path+"/0/default.jpg", tt.width, tt.height, tt.lim)
	}
	for _, tt := range errorCases {
		add(tt.path, max(tt.width, 1000), max(tt.height, 800), tt.lim)
	}
	for _, tt := range canonicalCases {
		add(tt.path, tt.width, tt.height, tt.lim)
	}
	f.Fuzz(func(t *testing.T, region, size, rotation, qf string, w, h, maxW, maxH uint16, maxA uint32) {
		width, height := int(w)+1, int(h)+1
		lim := Limits{MaxWidth: int(maxW), MaxHeight: int(maxH), MaxArea: int64(maxA)}
		path := region + "/" + size + "/" + rotation + "/" + qf
		req, err := ParseRequest(region, size, rotation, qf)
		if err != nil {
			var pe *ParamError
			if !errors.As(err, &pe) || !(pe.Status == 400 || pe.Status == 501 && pe.Param == "format") {
				t.Fatalf("ParseRequest(%q) = %v, want a *ParamError with status 400, or 501 for format", path, err)
			}
			return
		}
		p, err := req.Resolve(width, height, lim)
		if err != nil {
			var pe *ParamError
			if !errors.As(err, &pe) || pe.Status != 400 || (pe.Param != "region" && pe.Param != "size") {
				t.Fatalf("ParseRequest(%q).Resolve(%d, %d, %+v) = %v, want a region or size *ParamError with status 400", path, width, height, lim, err)
			}
			return
		}
		if p.X < 0 || p.Y < 0 || p.W < 1 || p.H < 1 || p.X+p.W > width || p.Y+p.H > height {
			t.Fatalf("ParseRequest(%q).Resolve(%d, %d, %+v) = %+v: region outside the image", path, width, height, lim, p)
		}
		if p.OutW < 1 || p.OutH < 1 {
			t.Fatalf("ParseRequest(%q).Resolve(%d, %d, %+v) = %+v: size below 1 px", path, width, height, lim, p)
		}
		if l := lim.effective().over(p.OutW, p.OutH); l != "" {
			t.Fatalf("ParseRequest(%q).Resolve(%d, %d, %+v) = %+v: over %s", path, width, height, lim, p, l)
		}
		if !req.Size.Upscale && (p.OutW > p.W || p.OutH > p.H) {
			t.Fatalf("ParseRequest(%q).Resolve(%d, %d, %+v) = %+v: upscaled without ^", path, width, height, lim, p)
		}
		if !(p.Degrees >= 0 && p.Degrees < 360) {
			t.Fatalf("ParseRequest(%q).Resolve(%d, %d, %+v) = %+v: degrees out of range", path, width, height, lim, p)
		}
		c := p.Canonical(width, height, lim)
		req2, err := parsePath(c)
		if err != nil {
			t.Fatalf("ParseRequest(%q) = %v, want no error (canonical of %q)", c, err, path)
		}
		p2, err := req2.Resolve(width, height, lim)
		if err != nil || p2 != p {
			t.Fatalf("ParseRequest(%q).Resolve(%d, %d, %+v) = %+v, %v, want %+v (canonical of %q)", c, width, height, lim, p2, err, p, path)
		}
		if c2 := p2.Canonical(width, height, lim); c2 != c {
			t.Fatalf("ParseRequest(%q).Canonical = %q, want %q", c, c2, c)
		}
	})
}
