// Command iiif is a side-by-side load generator for IIIF image servers. It
// sends the same request sequences to IIPImage (IIIF Image API 2, Debian's
// iipsrv 1.1) and to Wenyuan (Image API 3) and prints a Markdown table of
// requests/s, megapixels/s, latency percentiles and errors per server,
// scenario and client count:
//
//	go run ./bench/iiif -size 20000 -d 10s -c 1,4 \
//	  -iip 'http://127.0.0.1:8080/iiif?IIIF=pyr.tif' \
//	  -wenyuan http://127.0.0.1:8181/iiif/3/IDENT
//
// bench/iiif/run.sh makes the test image and starts IIPImage; README.md in
// this directory describes the scenarios.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// server is one image server under test.
type server struct {
	name string
	base string // image base URL, without a trailing slash
	v3   bool   // Image API 3 size syntax ("w,h"); else API 2 ("w,")
}

// req is one image request: a region of the full-size image and the size
// of the reply.
type req struct {
	full       bool // region "full"; x, y, w, h are then the whole image
	x, y, w, h int  // region in full-size pixels
	ow, oh     int  // expected reply size in pixels
	max        bool // size "max" (API 2) — the region at full resolution
}

// path is the part of the URL after the image base, in the server's syntax.
func (r req) path(v3 bool) string {
	region := "full"
	if !r.full {
		region = fmt.Sprintf("%d,%d,%d,%d", r.x, r.y, r.w, r.h)
	}
	var size string
	switch {
	case v3:
		size = fmt.Sprintf("%d,%d", r.ow, r.oh)
	case r.max:
		size = "max"
	default:
		size = fmt.Sprintf("%d,", r.ow)
	}
	return "/" + region + "/" + size + "/0/default.jpg"
}

type config struct {
	size       int
	d          time.Duration
	clients    []int
	pass       int
	vw, vh     int
	pans       int
	seed       uint64
	scenarios  map[string]bool
	timeout    time.Duration
	pause      time.Duration
	tileSizes  map[int]int // scenario tile size → tiles in the pyramid
	serverInfo []string
	loadBefore string // load average before and after the runs
	loadAfter  string
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("iiif", flag.ContinueOnError)
	fs.SetOutput(stderr)
	iip := fs.String("iip", "", "IIPImage image base URL (Image API 2), e.g. 'http://127.0.0.1:8080/iiif?IIIF=pyr.tif'")
	wen := fs.String("wenyuan", "", "Wenyuan image base URL (Image API 3), e.g. http://127.0.0.1:8181/iiif/3/IDENT")
	size := fs.Int("size", 0, "image width = height in pixels (0: read from info.json)")
	d := fs.Duration("d", 10*time.Second, "duration of each timed run of scenarios c and d")
	cs := fs.String("c", "1,4", "comma-separated client counts")
	pass := fs.Int("pass", 3000, "most requests in one viewer pass of scenarios a and b")
	viewport := fs.String("viewport", "1600x1000", "viewer viewport in screen pixels for scenarios a and b")
	pans := fs.Int("pans", 6, "viewport pans per zoom level in scenarios a and b")
	seed := fs.Uint64("seed", 1, "seed of the request sequences")
	only := fs.String("scenarios", "a,b,c,d", "scenarios to run (a, b, c, d)")
	timeout := fs.Duration("timeout", 60*time.Second, "per-request timeout")
	pause := fs.Duration("pause", time.Second, "idle time between runs")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: iiif [-iip URL] [-wenyuan URL] [-size N] [-d 10s] [-c 1,4] [flags]")
		fmt.Fprintln(stderr, "\nScenarios (README.md has the details):")
		fmt.Fprintln(stderr, "  a  256-px tiles in viewer order (zoom level by level, pan), cold then warm")
		fmt.Fprintln(stderr, "  b  512-px tiles the same way, cold then warm")
		fmt.Fprintln(stderr, "  c  random unaligned 512x512 regions at full resolution")
		fmt.Fprintln(stderr, "  d  the full image 1024 and 2048 wide; random 4096x4096 regions scaled to 1024")
		fmt.Fprintln(stderr, "\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	var servers []server
	if *iip != "" {
		servers = append(servers, server{name: "IIPImage", base: strings.TrimSuffix(*iip, "/")})
	}
	if *wen != "" {
		servers = append(servers, server{name: "Wenyuan", base: strings.TrimSuffix(*wen, "/"), v3: true})
	}
	cfg := config{d: *d, pass: *pass, pans: *pans, seed: *seed, timeout: *timeout, pause: *pause,
		scenarios: map[string]bool{}}
	var err error
	cfg.clients, err = parseInts(*cs)
	if err == nil {
		_, err = fmt.Sscanf(*viewport, "%dx%d", &cfg.vw, &cfg.vh)
	}
	for s := range strings.SplitSeq(*only, ",") {
		s = strings.TrimSpace(s)
		if s != "a" && s != "b" && s != "c" && s != "d" {
			err = fmt.Errorf("unknown scenario %q", s)
		}
		cfg.scenarios[s] = true
	}
	if err != nil || len(servers) == 0 || fs.NArg() > 0 || *d <= 0 || cfg.pass < 1 || cfg.vw < 1 || cfg.vh < 1 {
		if err != nil {
			fmt.Fprintf(stderr, "iiif: %v\n", err)
		}
		fs.Usage()
		return 2
	}
	maxc := slices.Max(cfg.clients)
	client := &http.Client{
		Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        2 * maxc * len(servers),
			MaxIdleConnsPerHost: 2 * maxc,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
			ForceAttemptHTTP2:   false,
		},
		Timeout: cfg.timeout,
	}
	defer client.CloseIdleConnections()

	// info.json: the image size, and what each server says about tiles.
	for _, s := range servers {
		w, h, tiles, err := info(ctx, client, s)
		if err != nil {
			fmt.Fprintf(stderr, "iiif: %s: %v\n", s.name, err)
			return 1
		}
		if w != h {
			fmt.Fprintf(stderr, "iiif: %s: image is %dx%d; this benchmark wants a square image\n", s.name, w, h)
			return 1
		}
		if *size == 0 {
			*size = w
		}
		if w != *size {
			fmt.Fprintf(stderr, "iiif: %s: image is %dx%d, not %d\n", s.name, w, h, *size)
			return 1
		}
		cfg.serverInfo = append(cfg.serverInfo, fmt.Sprintf("%s %s: %dx%d, tiles %s", s.name, s.base, w, h, tiles))
	}
	cfg.size = *size
	cfg.tileSizes = map[int]int{256: pyramidTiles(cfg.size, 256), 512: pyramidTiles(cfg.size, 512)}

	cfg.loadBefore = loadAvg()
	rows := bench(ctx, client, servers, cfg, stderr)
	cfg.loadAfter = loadAvg()
	printTable(stdout, cfg, rows)
	for _, r := range rows {
		if r.errors > 0 {
			return 1
		}
	}
	return 0
}

func parseInts(s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad client count %q", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// info fetches the image's info.json and returns its size and a short
// description of its tiles.
func info(ctx context.Context, client *http.Client, s server) (w, h int, tiles string, err error) {
	u := s.base + "/info.json"
	rq, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, 0, "", err
	}
	resp, err := client.Do(rq)
	if err != nil {
		return 0, 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, 0, "", fmt.Errorf("GET %s: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		return 0, 0, "", fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	var doc struct {
		Width  int `json:"width"`
		Height int `json:"height"`
		Tiles  []struct {
			Width        int   `json:"width"`
			Height       int   `json:"height"`
			ScaleFactors []int `json:"scaleFactors"`
		} `json:"tiles"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return 0, 0, "", fmt.Errorf("GET %s: %w", u, err)
	}
	var ts []string
	for _, t := range doc.Tiles {
		th := t.Height
		if th == 0 {
			th = t.Width // height defaults to width
		}
		ts = append(ts, fmt.Sprintf("%dx%d scaleFactors %v", t.Width, th, t.ScaleFactors))
	}
	if len(ts) == 0 {
		ts = []string{"(none advertised)"}
	}
	return doc.Width, doc.Height, strings.Join(ts, "; "), nil
}

// levels returns the scale factors a viewer uses for tiles of size t: powers
// of two from the one at which the whole image fits in one tile down to 1.
func levels(size, t int) []int {
	smax := 1
	for ceilDiv(size, smax) > t {
		smax *= 2
	}
	var out []int
	for s := smax; s >= 1; s /= 2 {
		out = append(out, s)
	}
	return out
}

// pyramidTiles is the number of distinct tiles of size t over all levels.
func pyramidTiles(size, t int) int {
	n := 0
	for _, s := range levels(size, t) {
		k := ceilDiv(size, t*s)
		n += k * k
	}
	return n
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// tileReq is the request for tile (col, row) of size t at scale factor s,
// by the Image API's tile rules: region x = col·t·s, width t·s clipped at
// the image edge; size ceil(region/s).
func tileReq(size, t, s, col, row int) req {
	x, y := col*t*s, row*t*s
	w, h := min(t*s, size-x), min(t*s, size-y)
	return req{x: x, y: y, w: w, h: h, ow: ceilDiv(w, s), oh: ceilDiv(h, s)}
}

type tileKey struct{ s, col, row int }

// viewerPass makes the tile requests of viewer sessions, as OpenSeadragon
// sends them: each session picks a random point, shows the whole image,
// then zooms in on the point one level at a time; at each level the
// viewport (vw×vh screen pixels) pans `pans` times by up to half its size in
// a random direction, and the viewer requests the tiles that come into view.
// A tile is requested once: used holds the tiles requested by this and
// earlier passes, so every pass is fresh to the server. Sessions are added
// until the pass has n requests or no new tiles turn up.
func viewerPass(cfg config, t, n int, rng *rand.Rand, used map[tileKey]bool) []req {
	size := cfg.size
	var out []req
	idle := 0
	for len(out) < n && idle < 100 {
		before := len(out)
		cx, cy := rng.Float64()*float64(size), rng.Float64()*float64(size)
		for _, s := range levels(size, t) {
			vw, vh := float64(cfg.vw*s), float64(cfg.vh*s)
			for p := 0; p <= cfg.pans; p++ {
				if p > 0 {
					a := rng.Float64() * 2 * math.Pi
					r := rng.Float64() * 0.5
					cx = clamp(cx+math.Cos(a)*r*vw, 0, float64(size))
					cy = clamp(cy+math.Sin(a)*r*vh, 0, float64(size))
				}
				x0, x1 := clamp(cx-vw/2, 0, float64(size)), clamp(cx+vw/2, 0, float64(size))
				y0, y1 := clamp(cy-vh/2, 0, float64(size)), clamp(cy+vh/2, 0, float64(size))
				span := float64(t * s)
				for row := int(y0 / span); float64(row)*span < y1; row++ {
					for col := int(x0 / span); float64(col)*span < x1; col++ {
						k := tileKey{s, col, row}
						if used[k] || col*t*s >= size || row*t*s >= size {
							continue
						}
						used[k] = true
						out = append(out, tileReq(size, t, s, col, row))
						if len(out) == n {
							return out
						}
					}
				}
			}
		}
		if len(out) == before {
			idle++
		} else {
			idle = 0
		}
	}
	return out
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// unaligned is scenario c's i-th request: a random 512×512 region at full
// resolution.
func unaligned(size int, seed uint64, i int) req {
	rng := rand.New(rand.NewPCG(seed, uint64(i)))
	w := min(512, size)
	x, y := rng.IntN(size-w+1), rng.IntN(size-w+1)
	return req{x: x, y: y, w: w, h: w, ow: w, oh: w, max: true}
}

// fullImage is scenario d-full's i-th request: the whole image, 1024 and
// 2048 wide by turns.
func fullImage(size int, i int) req {
	w := []int{1024, 2048}[i%2]
	return req{full: true, w: size, h: size, ow: w, oh: w}
}

// zoomedOut is scenario d-region's i-th request: a random 4096×4096 region
// scaled to 1024.
func zoomedOut(size int, seed uint64, i int) req {
	rng := rand.New(rand.NewPCG(seed, uint64(i)))
	w := min(4096, size)
	x, y := rng.IntN(size-w+1), rng.IntN(size-w+1)
	return req{x: x, y: y, w: w, h: w, ow: w / 4, oh: w / 4}
}

// row is one measured run.
type row struct {
	scenario, cache string
	clients         int
	server          string
	n, errors       int
	first           error
	elapsed         time.Duration
	lats            []time.Duration // sorted
	px, bytes       int64
	cpu             time.Duration // the load generator's CPU time
}

func (r *row) rate() float64 { return float64(r.n) / r.elapsed.Seconds() }

// cpuPct is the load generator's CPU use during the run, in % of one core.
func (r *row) cpuPct() float64 { return 100 * r.cpu.Seconds() / r.elapsed.Seconds() }

func (r *row) p(q float64) time.Duration {
	if len(r.lats) == 0 {
		return 0
	}
	i := int(math.Ceil(float64(len(r.lats))*q/100)) - 1
	return r.lats[max(0, min(i, len(r.lats)-1))]
}

// bench runs every scenario, client count and server, in that nesting, and
// returns the measurements.
func bench(ctx context.Context, client *http.Client, servers []server, cfg config, stderr io.Writer) []*row {
	var rows []*row
	fmt.Fprintf(stderr, "image %dx%d; %d CPUs; clients %v; %s per timed run\n",
		cfg.size, cfg.size, runtime.NumCPU(), cfg.clients, cfg.d)
	for _, si := range cfg.serverInfo {
		fmt.Fprintf(stderr, "  %s\n", si)
	}
	measure := func(r *row, s server, next func(i int) (req, bool), c int) {
		if ctx.Err() != nil {
			return
		}
		client.CloseIdleConnections()
		time.Sleep(cfg.pause)
		load(ctx, client, s, next, c, r)
		rows = append(rows, r)
		fmt.Fprintf(stderr, "%-16s %-6s c=%-3d %-9s %6d req %8.1f req/s %7.1f Mpx/s p50 %7.2f ms p99 %7.2f ms errors %d, load generator %.0f%% CPU\n",
			r.scenario, r.cache, r.clients, r.server, r.n, r.rate(), float64(r.px)/1e6/r.elapsed.Seconds(),
			ms(r.p(50)), ms(r.p(99)), r.errors, r.cpuPct())
	}
	for _, sc := range []struct {
		name string
		tile int
	}{{"a", 256}, {"b", 512}} {
		if !cfg.scenarios[sc.name] {
			continue
		}
		used := map[tileKey]bool{}
		total := cfg.tileSizes[sc.tile]
		n := min(cfg.pass, total/len(cfg.clients))
		rng := rand.New(rand.NewPCG(cfg.seed, uint64(sc.tile)))
		for _, c := range cfg.clients {
			list := viewerPass(cfg, sc.tile, n, rng, used)
			fmt.Fprintf(stderr, "%s: %d fresh %d-px tiles for c=%d (of %d in the pyramid)\n", sc.name, len(list), sc.tile, c, total)
			next := func(i int) (req, bool) {
				if i >= len(list) {
					return req{}, false
				}
				return list[i], true
			}
			for _, s := range servers {
				for _, cache := range []string{"cold", "warm"} {
					measure(&row{scenario: fmt.Sprintf("%s %d", sc.name, sc.tile), cache: cache, clients: c, server: s.name}, s, next, c)
				}
			}
		}
	}
	if cfg.scenarios["c"] {
		for _, c := range cfg.clients {
			seed := cfg.seed*1000 + uint64(c)
			for _, s := range servers {
				measure(&row{scenario: "c 512 unaligned", cache: "random", clients: c, server: s.name}, s,
					timed(cfg.d, func(i int) req { return unaligned(cfg.size, seed, i) }), c)
			}
		}
	}
	if cfg.scenarios["d"] {
		for _, c := range cfg.clients {
			for _, s := range servers {
				measure(&row{scenario: "d full→1024/2048", cache: "2 URLs", clients: c, server: s.name}, s,
					timed(cfg.d, func(i int) req { return fullImage(cfg.size, i) }), c)
			}
		}
		for _, c := range cfg.clients {
			seed := cfg.seed*2000 + uint64(c)
			for _, s := range servers {
				measure(&row{scenario: "d 4096→1024", cache: "random", clients: c, server: s.name}, s,
					timed(cfg.d, func(i int) req { return zoomedOut(cfg.size, seed, i) }), c)
			}
		}
	}
	return rows
}

// timed turns gen into a request source for a run of duration d, counted
// from the first request.
func timed(d time.Duration, gen func(i int) req) func(i int) (req, bool) {
	var deadline time.Time
	return func(i int) (req, bool) {
		if i == 0 {
			deadline = time.Now().Add(d)
		}
		return gen(i), time.Now().Before(deadline)
	}
}

// load runs c clients that take requests from next in order until it says
// stop, and records the measurements in r. A run of a fixed list ends when
// the list does; a timed run ends when next says the time is up, and the
// requests in flight then finish.
func load(ctx context.Context, client *http.Client, s server, next func(i int) (req, bool), c int, r *row) {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		idx atomic.Int64
	)
	idx.Store(-1)
	var nextMu sync.Mutex // next is called in index order, one at a time
	cpu0 := cpuTime()
	start := time.Now()
	for range c {
		wg.Go(func() {
			var (
				lats   []time.Duration
				errs   int
				first  error
				px, nb int64
				buf    bytes.Buffer
			)
			for ctx.Err() == nil {
				nextMu.Lock()
				i := int(idx.Add(1))
				q, got := next(i)
				nextMu.Unlock()
				if !got {
					break
				}
				t0 := time.Now()
				w, h, n, err := get(ctx, client, s.base+q.path(s.v3), &buf)
				if ctx.Err() != nil {
					break
				}
				if err == nil {
					err = checkSize(q, s.v3, w, h)
				}
				if err != nil {
					errs++
					if first == nil {
						first = fmt.Errorf("%s %s", s.name, err)
					}
					continue
				}
				lats = append(lats, time.Since(t0))
				px += int64(w) * int64(h)
				nb += n
			}
			mu.Lock()
			r.lats = append(r.lats, lats...)
			r.errors += errs
			if r.first == nil {
				r.first = first
			}
			r.px += px
			r.bytes += nb
			mu.Unlock()
		})
	}
	wg.Wait()
	r.elapsed = time.Since(start)
	r.cpu = cpuTime() - cpu0
	r.n = len(r.lats)
	slices.Sort(r.lats)
}

// get fetches u into buf and returns the image's size and byte count. Any
// status but 200, a Content-Type that is not image/*, or a body that does
// not decode as an image header is an error.
func get(ctx context.Context, client *http.Client, u string, buf *bytes.Buffer) (w, h int, n int64, err error) {
	rq, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, 0, 0, err
	}
	resp, err := client.Do(rq)
	if err != nil {
		return 0, 0, 0, err
	}
	defer resp.Body.Close()
	buf.Reset()
	n, err = buf.ReadFrom(resp.Body)
	if err != nil {
		return 0, 0, n, fmt.Errorf("GET %s: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		return 0, 0, n, fmt.Errorf("GET %s: %s: %.200q", u, resp.Status, buf.Bytes())
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "image/") {
		return 0, 0, n, fmt.Errorf("GET %s: Content-Type %q", u, ct)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(buf.Bytes()))
	if err != nil {
		return 0, 0, n, fmt.Errorf("GET %s: %d bytes: %w", u, n, err)
	}
	return cfg.Width, cfg.Height, n, nil
}

// checkSize checks a reply's size. With API 2's "w," the server derives the
// height from the region's aspect ratio, which may round differently from
// the tile rule's ceil(h/s), so the height may be one or two off there.
func checkSize(q req, v3 bool, w, h int) error {
	okH := h == q.oh
	if !v3 && !q.max {
		okH = abs(h-q.oh) <= 2
	}
	if w != q.ow || !okH {
		return fmt.Errorf("%s: got %dx%d, want %dx%d", q.path(v3), w, h, q.ow, q.oh)
	}
	return nil
}

func abs(a int) int {
	if a < 0 {
		return -a
	}
	return a
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// printTable prints the rows as a Markdown table, with the Wenyuan/IIPImage
// ratios of req/s and p99 on Wenyuan's rows.
func printTable(w io.Writer, cfg config, rows []*row) {
	fmt.Fprintf(w, "Image %d×%d, %d CPUs, load generator on the same machine; timed runs %s.\n", cfg.size, cfg.size, runtime.NumCPU(), cfg.d)
	if cfg.loadBefore != "" {
		fmt.Fprintf(w, "Load average before %s, after %s.\n", cfg.loadBefore, cfg.loadAfter)
	}
	fmt.Fprintln(w)
	for _, si := range cfg.serverInfo {
		fmt.Fprintf(w, "- %s\n", si)
	}
	fmt.Fprintln(w, "\nThe OS page cache holds the image throughout. a and b: \"cold\" is each URL's first request in this")
	fmt.Fprintln(w, "invocation (a fresh pass per client count), \"warm\" the same pass replayed at once; c and d-region")
	fmt.Fprintln(w, "are random regions that do not repeat; d-full alternates two URLs. Timed runs: c, d.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| scenario | cache | clients | server | replies | req/s | Mpx/s | KB/reply | p50 ms | p99 ms | errors | gen CPU | W/I req/s | W/I p99 |")
	fmt.Fprintln(w, "|---|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
	type key struct {
		scenario, cache string
		clients         int
	}
	iip := map[key]*row{}
	for _, r := range rows {
		if r.server == "IIPImage" {
			iip[key{r.scenario, r.cache, r.clients}] = r
		}
	}
	for _, r := range rows {
		ratios := "| |"
		if b := iip[key{r.scenario, r.cache, r.clients}]; r.server == "Wenyuan" && b != nil && b.n > 0 && r.n > 0 {
			ratios = fmt.Sprintf("| %.2f | %.2f |", r.rate()/b.rate(), ms(r.p(99))/ms(b.p(99)))
		}
		kb := 0.0
		if r.n > 0 {
			kb = float64(r.bytes) / float64(r.n) / 1024
		}
		fmt.Fprintf(w, "| %s | %s | %d | %s | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %d | %.0f%% %s\n",
			r.scenario, r.cache, r.clients, r.server, r.n, r.rate(), float64(r.px)/1e6/r.elapsed.Seconds(),
			kb, ms(r.p(50)), ms(r.p(99)), r.errors, r.cpuPct(), ratios)
	}
	for _, r := range rows {
		if r.first != nil {
			fmt.Fprintf(w, "\nfirst error in %s %s c=%d: %v\n", r.scenario, r.cache, r.clients, r.first)
		}
	}
}
