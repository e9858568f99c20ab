package sqlite

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"wenyuan"
)

func TestCacheRing(t *testing.T) {
	c := newCache(64 << 10)
	at := time.Date(2026, 11, 29, 1, 2, 3, 4, time.UTC)
	mk := func(i int) *wenyuan.RawRecord {
		return &wenyuan.RawRecord{Kind: wenyuan.KindObject, ID: "id" + strconv.Itoa(i), Institution: "palace-museum", Visibility: "internal",
			Meta: wenyuan.Meta{Version: i, CreatedAt: at, UpdatedAt: at.Add(time.Duration(i))}, Doc: []byte(`{"n":"` + strings.Repeat("文", i%50) + `"}`)}
	}
	for i := 1; i <= 2000; i++ {
		_, gen := c.get(wenyuan.KindObject, "id"+strconv.Itoa(i))
		c.put(mk(i), gen)
	}
	hits := 0
	for i := 1; i <= 2000; i++ {
		r, _ := c.get(wenyuan.KindObject, "id"+strconv.Itoa(i))
		if r == nil {
			continue
		}
		hits++
		want := mk(i)
		if r.ID != want.ID || r.Meta != want.Meta || r.Institution != want.Institution || r.Visibility != want.Visibility || string(r.Doc) != string(want.Doc) {
			t.Fatalf("get(%d) = %+v, want %+v", i, r, want)
		}
	}
	if hits == 0 || hits == 2000 {
		t.Errorf("%d hits of 2000 in a ring that holds some", hits)
	}
	if r, _ := c.get(wenyuan.KindObject, "id2000"); r == nil {
		t.Error("the newest record is gone")
	}
	_, gen := c.get(wenyuan.KindObject, "id1")
	c.drop([]cacheKey{{wenyuan.KindObject, "id2000"}})
	if r, _ := c.get(wenyuan.KindObject, "id2000"); r != nil {
		t.Error("a dropped record is still there")
	}
	c.put(mk(1), gen) // read before the drop: must not be kept
	if r, _ := c.get(wenyuan.KindObject, "id1"); r != nil && r.Meta.Version == 1 && hits == 0 {
		t.Error("a stale put was kept")
	}
	c.clear()
	if r, _ := c.get(wenyuan.KindObject, "id1999"); r != nil {
		t.Error("clear kept a record")
	}
}
