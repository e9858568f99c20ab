package web_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/jpeg"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"wenyuan"
	"wenyuan/web"
)

// pngBomb returns a tiny PNG that claims w×h pixels.
func pngBomb(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		c := append([]byte(typ), data...)
		b.Write(c)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(c))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x63, 0, 0, 0, 1, 0, 1})
	chunk("IEND", nil)
	return b.Bytes()
}

func presentationSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("../iiif/testdata/iiif-presentation-3.0.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("p3.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("p3.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validateJSON(t *testing.T, s *jsonschema.Schema, what string, body []byte) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if err := s.Validate(doc); err != nil {
		t.Errorf("%s does not validate against the IIIF Presentation 3.0 schema: %v", what, err)
	}
}

// TestImages follows an image from upload to every IIIF answer: the
// upload and its errors, info.json, image requests with their headers,
// the manifest and the collection, and edits of the image's record.
func TestImages(t *testing.T) {
	srv, db := MustServer(t)
	hdr := mustUser(t, db, "museum", wenyuan.RoleCataloguer)
	r := do(t, srv, "POST", "/api/v1/objects", map[string]any{"institution": "museum", "accession_number": "A1",
		"titles": []map[string]string{{"lang": "zh-Hans", "value": "青花瓷瓶"}, {"lang": "en", "value": "Blue-and-white vase"}}}, hdr...)
	mustStatus(t, "create object", r, 201)
	var obj wenyuan.Object
	r.json(t, &obj)
	up := func(metadata, name string, file []byte, headers ...string) response {
		t.Helper()
		body, ct := multipartUpload(t, metadata, name, file)
		return do(t, srv, "POST", "/api/v1/objects/"+obj.ID+"/images", body, append(append([]string{}, headers...), "Content-Type", ct)...)
	}

	// Upload, then the same file again.
	master := quadrants(t, 1200, 900)
	r = up(`{"caption":[{"lang":"zh-Hans","value":"正面"}],"photographer":"王五","rights":"https://creativecommons.org/licenses/by/4.0/"}`, "vase.png", master, hdr...)
	mustStatus(t, "upload", r, 201)
	var im wenyuan.Image
	r.json(t, &im)
	if im.Width != 1200 || im.Height != 900 || im.Format != "png" || im.Object != obj.ID || im.Institution != "museum" ||
		im.FileName != "vase.png" || im.Photographer != "王五" || im.Visibility != wenyuan.VisibilityPublic || len(im.SHA256) != 64 {
		t.Fatalf("upload = %+v", im)
	}
	r = up("", "again.png", master, hdr...)
	mustStatus(t, "upload of the same file", r, 200)
	var again wenyuan.Image
	r.json(t, &again)
	if again.ID != im.ID {
		t.Errorf("the same file uploaded again made image %s, want %s", again.ID, im.ID)
	}

	// Bad uploads: a clear 4xx naming the problem, nothing recorded.
	for _, tt := range []struct {
		name     string
		metadata string
		file     []byte
		headers  []string
		status   int
		detail   string
	}{
		{"anonymous", "", master, nil, 401, "sign in"},
		{"not an image", "", []byte("hello, world"), hdr, 400, "not an image"},
		{"decompression bomb", "", pngBomb(200000, 200000), hdr, 400, "decompression bomb"},
		{"no file", `{"photographer":"x"}`, nil, hdr, 400, "no file"},
		{"bad metadata", `{"colour":"blue"}`, master, hdr, 400, "invalid metadata"},
		{"empty file", "", []byte{}, hdr, 400, "empty"},
		{"a JPEG cut short", "", cutJPEG(t), hdr, 400, "could not be converted"},
		{"an SVG", "", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>`), hdr, 400, "accepted format"},
		{"a PPM", "", []byte("P6\n2 2\n255\n\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"), hdr, 400, "accepted format"},
		{"bad visibility", `{"visibility":"secret"}`, quadrants(t, 30, 20), hdr, 400, "visibility"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := up(tt.metadata, "x.png", tt.file, tt.headers...)
			if r.status != tt.status || !strings.Contains(strings.ToLower(string(r.body)), tt.detail) {
				t.Errorf("upload %s = %d %s, want %d saying %q", tt.name, r.status, r.body, tt.status, tt.detail)
			}
		})
	}
	// A body cut off in the middle of the file.
	body, ct := multipartUpload(t, "", "x.png", quadrants(t, 300, 200))
	r = do(t, srv, "POST", "/api/v1/objects/"+obj.ID+"/images", body[:len(body)-100], append(append([]string{}, hdr...), "Content-Type", ct)...)
	if r.status != 400 {
		t.Errorf("an upload cut short = %d %s, want 400", r.status, r.body)
	}
	// Nothing refused stayed on disk: one master, one pyramid.
	files := srv.Config.Handler.(*web.Server).Images.Files
	for _, dir := range []string{"masters", "pyramids"} {
		var n int
		filepath.WalkDir(filepath.Join(files.Dir, dir), func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				n++
			}
			return nil
		})
		if n != 1 {
			t.Errorf("%s holds %d files after one good upload and refused ones, want 1", dir, n)
		}
	}
	var list web.ImageList
	do(t, srv, "GET", "/api/v1/objects/"+obj.ID+"/images", nil).json(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != im.ID {
		t.Fatalf("images of the object = %+v, want just %s", list.Items, im.ID)
	}

	// info.json, plain and as JSON-LD.
	base := "/iiif/3/" + im.ID
	r = do(t, srv, "GET", base+"/info.json", nil)
	mustStatus(t, "info.json", r, 200)
	var info struct {
		Context string `json:"@context"`
		ID      string `json:"id"`
		Width   int    `json:"width"`
		Rights  string `json:"rights"`
		Tiles   []struct {
			Width        int   `json:"width"`
			ScaleFactors []int `json:"scaleFactors"`
		} `json:"tiles"`
	}
	r.json(t, &info)
	if info.ID != srv.URL+base || info.Width != 1200 || info.Context != "http://iiif.io/api/image/3/context.json" || len(info.Tiles) != 1 ||
		info.Rights != "http://creativecommons.org/licenses/by/4.0/" {
		t.Errorf("info.json = %+v", info)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("info.json Content-Type = %q, want application/json", ct)
	}
	if r.header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(r.header.Get("Link"), "level2.json") {
		t.Errorf("info.json headers = %v, want CORS and a profile link", r.header)
	}
	r = do(t, srv, "GET", base+"/info.json", nil, "Accept", "application/ld+json")
	if ct := r.header.Get("Content-Type"); ct != `application/ld+json;profile="http://iiif.io/api/image/3/context.json"` {
		t.Errorf("info.json for JSON-LD has Content-Type %q", ct)
	}
	if r := do(t, srv, "GET", base+"/info.json", nil, "If-None-Match", r.header.Get("ETag")); r.status != 304 {
		t.Errorf("info.json with its ETag = %d, want 304", r.status)
	}
	noRedirect := *srv.Client()
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if res, err := noRedirect.Get(srv.URL + base); err != nil || res.StatusCode != 303 || res.Header.Get("Location") != base+"/info.json" {
		t.Errorf("GET %s = %v %v, want 303 to info.json", base, res, err)
	}

	// Image requests: bytes, headers, errors.
	r = do(t, srv, "GET", base+"/0,0,600,450/300,/0/default.jpg", nil)
	mustStatus(t, "image", r, 200)
	got, format, err := image.Decode(bytes.NewReader(r.body))
	if err != nil || format != "jpeg" || got.Bounds().Dx() != 300 || got.Bounds().Dy() != 225 {
		t.Fatalf("image = %v %s %v, want a 300×225 JPEG", got.Bounds(), format, err)
	}
	if c := rgb(got.At(150, 110)); c[0] < 180 || c[1] > 50 || c[2] > 50 {
		t.Errorf("top-left quarter is %v, want red", c)
	}
	if want := `<` + srv.URL + base + `/0,0,600,450/300,225/0/default.jpg>;rel="canonical"`; !strings.Contains(r.header.Get("Link"), want) {
		t.Errorf("Link = %q, want %s", r.header.Get("Link"), want)
	}
	if r.header.Get("Access-Control-Allow-Origin") != "*" || r.header.Get("Cache-Control") != "public, max-age=3600" || r.header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("image headers = %v", r.header)
	}
	if r := do(t, srv, "GET", base+"/0,0,600,450/300,225/0/default.jpg", nil, "If-None-Match", r.header.Get("ETag")); r.status != 304 {
		t.Errorf("the canonical form with the ETag of another spelling = %d, want 304", r.status)
	}
	for _, tt := range []struct {
		path   string
		status int
		field  string
	}{
		{base + "/full/2000,/0/default.jpg", 400, "size"},
		{base + "/full/max/0/default.tif", 501, "format"},
		{base + "/5000,0,10,10/max/0/default.jpg", 400, "region"},
		{base + "/full/max/0/default", 400, "format"},
		{"/iiif/3/nosuchimage/full/max/0/default.jpg", 404, ""},
		{"/iiif/3/nosuchimage/info.json", 404, ""},
	} {
		r := do(t, srv, "GET", tt.path, nil)
		var p web.Problem
		json.Unmarshal(r.body, &p)
		if r.status != tt.status || (tt.field != "" && (len(p.Errors) != 1 || p.Errors[0].Field != tt.field)) {
			t.Errorf("GET %s = %d %s, want %d naming %q", tt.path, r.status, r.body, tt.status, tt.field)
		}
	}

	// The manifest and the collection validate.
	schema := presentationSchema(t)
	r = do(t, srv, "GET", "/iiif/manifests/"+obj.ID, nil)
	mustStatus(t, "manifest", r, 200)
	validateJSON(t, schema, "the manifest", r.body)
	var man struct {
		Label map[string][]string `json:"label"`
		Items []json.RawMessage   `json:"items"`
	}
	r.json(t, &man)
	if man.Label["zh-Hans"][0] != "青花瓷瓶" || len(man.Items) != 1 {
		t.Errorf("manifest label %v with %d canvases", man.Label, len(man.Items))
	}
	r = do(t, srv, "GET", "/iiif/collections/museum", nil, "Accept", "application/ld+json")
	mustStatus(t, "collection", r, 200)
	validateJSON(t, schema, "the collection", r.body)
	if !strings.HasPrefix(r.header.Get("Content-Type"), "application/ld+json") {
		t.Errorf("collection Content-Type = %q", r.header.Get("Content-Type"))
	}

	// Behind a proxy, ids carry the configured public URL.
	srv.Config.Handler.(*web.Server).PublicURL = "https://wenyuan.example.org"
	r = do(t, srv, "GET", base+"/info.json", nil)
	r.json(t, &info)
	if info.ID != "https://wenyuan.example.org"+base {
		t.Errorf("info.json id with a public URL = %q", info.ID)
	}
	srv.Config.Handler.(*web.Server).PublicURL = ""

	// The record: metadata can be edited and has a history; the file
	// cannot be swapped; a new caption shows in the manifest at once.
	im.Caption = wenyuan.Text{{Lang: "zh-Hans", Value: "正面全景"}}
	r = do(t, srv, "PUT", "/api/v1/images/"+im.ID, im, hdr...)
	mustStatus(t, "edit caption", r, 200)
	r.json(t, &im)
	swap := im
	swap.SHA256 = strings.Repeat("0", 64)
	if r := do(t, srv, "PUT", "/api/v1/images/"+im.ID, swap, hdr...); r.status != 400 || !strings.Contains(string(r.body), "sha256") {
		t.Errorf("swapping the file = %d %s, want 400 naming sha256", r.status, r.body)
	}
	r = do(t, srv, "GET", "/api/v1/images/"+im.ID+"/versions", nil, hdr...)
	mustStatus(t, "versions", r, 200)
	if r := do(t, srv, "GET", "/iiif/manifests/"+obj.ID, nil); !strings.Contains(string(r.body), "正面全景") {
		t.Errorf("manifest after the caption changed: %s", r.body)
	}
	// Hiding the object hides its images.
	obj.Visibility = wenyuan.VisibilityInternal
	obj.Version = 0
	mustStatus(t, "hide object", do(t, srv, "PUT", "/api/v1/objects/"+obj.ID, obj, hdr...), 200)
	for _, path := range []string{base + "/info.json", base + "/full/max/0/default.jpg", "/iiif/manifests/" + obj.ID, "/api/v1/images/" + im.ID} {
		if r := do(t, srv, "GET", path, nil); r.status != 404 {
			t.Errorf("GET %s of a hidden object = %d, want 404", path, r.status)
		}
	}
	if r := do(t, srv, "GET", base+"/full/max/0/default.jpg", nil, hdr...); r.status != 200 || r.header.Get("Cache-Control") != "private, max-age=3600" {
		t.Errorf("the owner's cataloguer reads the image of a hidden object: %d, Cache-Control %q; want 200, private", r.status, r.header.Get("Cache-Control"))
	}
}

// cutJPEG returns the first third of a JPEG: a header that reads, data
// that stops (libvips 8.14 crashes writing a pyramid of it).
func cutJPEG(t *testing.T) []byte {
	t.Helper()
	im, _, err := image.Decode(bytes.NewReader(quadrants(t, 800, 600)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, im, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()[:b.Len()/3]
}

func rgb(c interface{ RGBA() (r, g, b, a uint32) }) [3]int {
	r, g, b, _ := c.RGBA()
	return [3]int{int(r >> 8), int(g >> 8), int(b >> 8)}
}
