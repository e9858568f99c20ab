package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestLevels(t *testing.T) {
	if got, want := levels(20000, 256), []int{128, 64, 32, 16, 8, 4, 2, 1}; !slices.Equal(got, want) {
		t.Errorf("levels(20000, 256) = %v, want %v", got, want)
	}
	if got, want := pyramidTiles(20000, 256), 6241+1600+400+100+25+9+4+1; got != want {
		t.Errorf("pyramidTiles(20000, 256) = %d, want %d", got, want)
	}
}

func TestTileReq(t *testing.T) {
	for _, c := range []struct {
		s, col, row int
		want        req
		v2, v3      string
	}{
		{1, 0, 0, req{x: 0, y: 0, w: 256, h: 256, ow: 256, oh: 256},
			"/0,0,256,256/256,/0/default.jpg", "/0,0,256,256/256,256/0/default.jpg"},
		{64, 1, 0, req{x: 16384, y: 0, w: 3616, h: 16384, ow: 57, oh: 256},
			"/16384,0,3616,16384/57,/0/default.jpg", "/16384,0,3616,16384/57,256/0/default.jpg"},
		{128, 0, 0, req{x: 0, y: 0, w: 20000, h: 20000, ow: 157, oh: 157},
			"/0,0,20000,20000/157,/0/default.jpg", "/0,0,20000,20000/157,157/0/default.jpg"},
	} {
		got := tileReq(20000, 256, c.s, c.col, c.row)
		if got != c.want {
			t.Errorf("tileReq(s=%d, %d, %d) = %+v, want %+v", c.s, c.col, c.row, got, c.want)
		}
		if p := got.path(false); p != c.v2 {
			t.Errorf("API 2 path %q, want %q", p, c.v2)
		}
		if p := got.path(true); p != c.v3 {
			t.Errorf("API 3 path %q, want %q", p, c.v3)
		}
	}
	q := unaligned(20000, 1, 0)
	region := fmt.Sprintf("/%d,%d,512,512/", q.x, q.y)
	if q.w != 512 || q.h != 512 || q.path(false) != region+"max/0/default.jpg" || q.path(true) != region+"512,512/0/default.jpg" {
		t.Errorf("unaligned: %+v, paths %q, %q", q, q.path(false), q.path(true))
	}
	if p := fullImage(20000, 1).path(true); p != "/full/2048,2048/0/default.jpg" {
		t.Errorf("fullImage path %q", p)
	}
	if p := zoomedOut(20000, 1, 0).path(false); !strings.HasSuffix(p, ",4096,4096/1024,/0/default.jpg") {
		t.Errorf("zoomedOut path %q", p)
	}
}

func TestViewerPass(t *testing.T) {
	cfg := config{size: 20000, vw: 1600, vh: 1000, pans: 6}
	gen := func() [][]req {
		rng := rand.New(rand.NewPCG(1, 256))
		used := map[tileKey]bool{}
		return [][]req{viewerPass(cfg, 256, 3000, rng, used), viewerPass(cfg, 256, 3000, rng, used)}
	}
	a, b := gen(), gen()
	seen := map[req]bool{}
	for i, pass := range a {
		if len(pass) != 3000 {
			t.Errorf("pass %d has %d requests, want 3000", i, len(pass))
		}
		if !slices.Equal(pass, b[i]) {
			t.Errorf("pass %d differs between two runs with the same seed", i)
		}
		for _, q := range pass {
			if seen[q] {
				t.Fatalf("tile %+v requested twice", q)
			}
			seen[q] = true
			if q.x < 0 || q.y < 0 || q.w < 1 || q.h < 1 || q.x+q.w > 20000 || q.y+q.h > 20000 || q.ow > 256 || q.oh > 256 {
				t.Fatalf("bad tile %+v", q)
			}
		}
	}
	if a[0][0] != (req{x: 0, y: 0, w: 20000, h: 20000, ow: 157, oh: 157}) {
		t.Errorf("a pass starts with %+v, not the whole image", a[0][0])
	}
}
