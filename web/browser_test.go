package web_test

import (
	"bytes"
	"context"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"wenyuan/internal/testenv"

	"github.com/chromedp/chromedp"

	"wenyuan"
)

// browser starts headless Chromium for a test, or skips the test saying
// why (fails it under ./run test, which installs Debian's chromium).
func browser(t *testing.T) context.Context {
	t.Helper()
	path := testenv.Command(t, "chromium", "no chromium on PATH: ./run test installs Debian's chromium for the browser tests")
	testenv.File(t, "static/vendor/openseadragon/openseadragon.min.js", "the viewer is not built into this binary: ./run builds it from web/viewer's npm lock file (run ./run test)")
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1280, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelB(); cancelA(); cancel() })
	return bctx
}

// screenshot saves png under testout/ at the repository's root, for
// people to look at.
func screenshot(t *testing.T, name string, b []byte) {
	t.Helper()
	dir := filepath.Join("..", "testout")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// requestLog records the paths a server is asked for.
type requestLog struct {
	mu    sync.Mutex
	paths []string
}

func (l *requestLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.paths = append(l.paths, r.URL.Path)
		l.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

// tiles returns the IIIF image requests so far, excluding info.json.
func (l *requestLog) tiles() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, p := range l.paths {
		if strings.HasPrefix(p, "/iiif/3/") && !strings.HasSuffix(p, "/info.json") {
			out = append(out, p)
		}
	}
	return out
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestBrowserDeepZoom: an uploaded image opens in the object page's
// viewer in a real browser, which fetches its tiles; zooming in fetches
// full-resolution tiles, and what the canvas shows is the image.
func TestBrowserDeepZoom(t *testing.T) {
	ctx := browser(t)
	srv, db := MustServer(t)
	var log requestLog
	srv.Config.Handler = log.wrap(srv.Config.Handler)
	hdr := mustUser(t, db, "museum", wenyuan.RoleCataloguer)
	r := do(t, srv, "POST", "/api/v1/objects", map[string]any{"institution": "museum", "accession_number": "M-1",
		"titles": []map[string]string{{"lang": "zh-Hans", "value": "莫高窟第二二〇窟南壁"}, {"lang": "en", "value": "Mogao Cave 220, south wall"}}}, hdr...)
	mustStatus(t, "create", r, 201)
	var o wenyuan.Object
	r.json(t, &o)
	body, ct := multipartUpload(t, "", "wall.png", quadrants(t, 4096, 3072))
	mustStatus(t, "upload", do(t, srv, "POST", "/api/v1/objects/"+o.ID+"/images", body, append(hdr, "Content-Type", ct)...), 201)

	// The page in Chinese, chosen by its switch (the browser asks for English).
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/lang/zh-Hans?next=/objects/"+o.ID), chromedp.WaitVisible(chromedp.CSS(".viewer canvas"))); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(title, "莫高窟第二二〇窟南壁") {
		t.Errorf("title = %q", title)
	}
	waitFor(t, "the viewer's first tiles", func() bool { return len(log.tiles()) >= 2 })
	loaded := func() bool {
		ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!(wenyuanViewers[0].world.getItemAt(0) && wenyuanViewers[0].world.getItemAt(0).getFullyLoaded())`))
		return ok
	}
	waitFor(t, "the viewer to finish loading", loaded)
	before := len(log.tiles())
	// Zoom into the middle, where the four colours meet, to full resolution.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function(v){ v.viewport.zoomTo(v.viewport.imageToViewportZoom(1), undefined, true); return true })(wenyuanViewers[0])`)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "full-resolution tiles", func() bool {
		for _, p := range log.tiles()[before:] {
			// A tile of scale factor 1: a 256-pixel region at 256 pixels.
			if parts := strings.Split(p, "/"); len(parts) == 8 && strings.HasSuffix(parts[4], ",256,256") && parts[5] == "256,256" {
				return true
			}
		}
		return false
	})
	waitFor(t, "the zoomed view to load", loaded)
	shot, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(".viewer")))
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, "deep-zoom.png", shot)
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	// At full resolution around the centre, the viewer shows the four
	// quadrants: red, green, blue and white, each somewhere on screen.
	seen := map[string]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			c := rgb(img.At(x, y))
			switch {
			case c[0] > 190 && c[1] < 40 && c[2] < 40:
				seen["red"] = true
			case c[1] > 170 && c[0] < 40 && c[2] < 40:
				seen["green"] = true
			case c[2] > 190 && c[0] < 40 && c[1] < 40:
				seen["blue"] = true
			case c[0] > 240 && c[1] > 240 && c[2] > 240:
				seen["white"] = true
			}
		}
	}
	if len(seen) != 4 {
		t.Errorf("the zoomed viewer shows %v, want red, green, blue and white", seen)
	}
}
