package search_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"wenyuan"
	"wenyuan/internal/relevance"
	"wenyuan/search"
	"wenyuan/sqlite"
)

func mustStore(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "wenyuan.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := wenyuan.WithActor(context.Background(), "test")
	for _, id := range []string{"palace-museum", "university"} {
		if err := db.CreateRecord(ctx, &wenyuan.Institution{ID: id, Names: wenyuan.Names{{Lang: "en", Value: id}}}); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func create(t *testing.T, db wenyuan.Store, r wenyuan.Record) {
	t.Helper()
	if err := db.CreateRecord(wenyuan.WithActor(context.Background(), "test"), r); err != nil {
		t.Fatal(err)
	}
}

func ids(t *testing.T, e *search.Engine, q string) []string {
	t.Helper()
	return idsOf(t, e, &search.Request{Query: q})
}

// idsOf returns the accession numbers r finds, read by a university user.
func idsOf(t *testing.T, e *search.Engine, r *search.Request) []string {
	t.Helper()
	r.Limit, r.Scope = 100, wenyuan.ReadScope{Consortium: true, Institution: "university"}
	res, err := e.Search(r)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Accession)
	}
	slices.Sort(out)
	return out
}

// TestFresh: a running engine makes a write searchable within a second,
// an update replaces what is found, a deletion removes it.
func TestFresh(t *testing.T) {
	db := mustStore(t)
	e := search.NewEngine(db, nil)
	if err := e.Open(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go e.Run(ctx)
	within := func(q string, want []string) {
		t.Helper()
		deadline := time.Now().Add(time.Second)
		for {
			got := ids(t, e, q)
			if cmp.Equal(got, want) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("after 1 s, %q finds %v, want %v", q, got, want)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	o := &wenyuan.Object{Institution: "university", AccessionNumber: "F-1", Titles: wenyuan.Text{{Lang: "zh-Hans", Value: "新入藏青花瓷盘"}}}
	create(t, db, o)
	within("青花", []string{"F-1"})
	o.Titles = wenyuan.Text{{Lang: "zh-Hans", Value: "新入藏白瓷盘"}}
	if err := db.UpdateRecord(ctx, o); err != nil {
		t.Fatal(err)
	}
	within("青花", nil)
	within("白瓷", []string{"F-1"})
	if err := db.DeleteRecord(ctx, wenyuan.KindObject, o.ID); err != nil {
		t.Fatal(err)
	}
	within("白瓷", nil)
}

// TestAuthorityRename: objects are found by the names of what they link
// to, so renaming an authority re-indexes its objects.
func TestAuthorityRename(t *testing.T) {
	db := mustStore(t)
	ctx := wenyuan.WithActor(context.Background(), "test")
	a := &wenyuan.Agent{Type: "person", Names: wenyuan.Names{{Lang: "zh-Hans", Value: "郎世宁"}}}
	create(t, db, a)
	create(t, db, &wenyuan.Object{Institution: "palace-museum", AccessionNumber: "A-1", Titles: wenyuan.Text{{Lang: "zh-Hans", Value: "百骏图"}}, Makers: []wenyuan.Maker{{Agent: a.ID}}})
	e := search.NewEngine(db, nil)
	if err := e.Open(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if got := ids(t, e, "Castiglione"); len(got) != 0 {
		t.Fatalf("before the rename, Castiglione finds %v", got)
	}
	a.Names = append(a.Names, wenyuan.Name{Lang: "en", Value: "Giuseppe Castiglione"})
	if err := db.UpdateRecord(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := e.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := ids(t, e, "Castiglione"), []string{"A-1"}; !cmp.Equal(got, want) {
		t.Errorf("after the rename, Castiglione finds %v, want %v", got, want)
	}
	if got, want := ids(t, e, "maker:郎世宁"), []string{"A-1"}; !cmp.Equal(got, want) {
		t.Errorf("maker:郎世宁 finds %v, want %v", got, want)
	}
}

// TestSavedIndex: an index saved and loaded answers as the one built; a
// damaged file, or one of another store, is rebuilt rather than served;
// changes written while no server ran are caught up on start.
func TestSavedIndex(t *testing.T) {
	src := sampleEngine(t)
	path := filepath.Join(t.TempDir(), "search.idx")
	if err := src.Index().Save(path, src.StoreID()); err != nil {
		t.Fatal(err)
	}
	x, storeID, err := search.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if storeID != src.StoreID() || x.Len() != src.Index().Len() || x.Rev() != src.Index().Rev() {
		t.Fatalf("loaded index: store %q, %d docs, rev %d; want %q, %d, %d", storeID, x.Len(), x.Rev(), src.StoreID(), src.Index().Len(), src.Index().Rev())
	}
	cases, err := relevance.Cases()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		req := func() *search.Request {
			return &search.Request{Query: c.Query, Scope: c.Scope, Limit: 50, FacetSize: 5, Sort: search.SortRelevance}
		}
		want, err1 := src.Index().Search(req())
		got, err2 := x.Search(req())
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("%q on the loaded index (-built +loaded):\n%s", c.Query, diff)
		}
	}

	b, _ := os.ReadFile(path)
	for name, damaged := range map[string][]byte{
		"cut short":    b[:len(b)/2],
		"a byte flips": func() []byte { c := slices.Clone(b); c[len(c)/3] ^= 0x40; return c }(),
		"empty":        {},
		"not an index": []byte("hello"),
	} {
		p := filepath.Join(t.TempDir(), "search.idx")
		os.WriteFile(p, damaged, 0o644)
		if _, _, err := search.Load(p); !errors.Is(err, search.ErrDamaged) {
			t.Errorf("Load(%s) = %v, want ErrDamaged", name, err)
		}
	}

	// A store with a damaged index file, then with one of another store.
	db := mustStore(t)
	create(t, db, &wenyuan.Object{Institution: "university", AccessionNumber: "S-1", Titles: wenyuan.Text{{Lang: "en", Value: "Seal"}}})
	p := filepath.Join(t.TempDir(), "search.idx")
	for _, file := range [][]byte{b[:100], b} {
		os.WriteFile(p, file, 0o644)
		e := search.NewEngine(db, nil)
		if err := e.Open(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		if got := ids(t, e, "seal"); !cmp.Equal(got, []string{"S-1"}) {
			t.Errorf("Open over a wrong index file: seal finds %v", got)
		}
		if got := ids(t, e, "qianlong"); len(got) != 0 {
			t.Errorf("Open over another store's index: qianlong finds %v", got)
		}
	}
	// Written while no server ran: caught up when the saved index opens.
	create(t, db, &wenyuan.Object{Institution: "university", AccessionNumber: "S-2", Titles: wenyuan.Text{{Lang: "en", Value: "Seal box"}}})
	e := search.NewEngine(db, nil)
	if err := e.Open(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if got := ids(t, e, "seal"); !cmp.Equal(got, []string{"S-1", "S-2"}) {
		t.Errorf("after a restart, seal finds %v, want S-1 S-2", got)
	}
}

// TestFacetsAndFilters: counts cover every hit, not the page; filters by
// period take sub-periods; a year range is an overlap.
func TestFacetsAndFilters(t *testing.T) {
	e := sampleEngine(t)
	r, err := e.Search(&search.Request{Query: "", Periods: []string{"qing"}, Limit: 1, FacetSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, f := range r.Facets {
		if f.Name != "institution" {
			continue
		}
		for _, v := range f.Values {
			sum += v.Count
		}
	}
	if r.Total < 100 || sum != r.Total || len(r.Hits) != 1 {
		t.Errorf("period=qing: total %d, institution counts sum %d, %d hits on the page", r.Total, sum, len(r.Hits))
	}
	var reign *search.FacetValue
	for _, f := range r.Facets {
		for i, v := range f.Values {
			if f.Name == "period" && v.Value == "qing-qianlong" {
				reign = &f.Values[i]
			}
		}
	}
	if reign == nil || reign.Parent != "qing" || reign.Count == 0 {
		t.Errorf("period facet: qing-qianlong = %+v, want a count under parent qing", reign)
	}
	from, to := 1736, 1795
	r2, err := e.Search(&search.Request{Periods: []string{"qing-qianlong"}, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	r3, err := e.Search(&search.Request{From: &from, To: &to, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if r3.Total < r2.Total {
		t.Errorf("from 1736 to 1795 finds %d, fewer than the %d Qianlong-period records", r3.Total, r2.Total)
	}
	for _, bad := range []*search.Request{
		{Query: `"unclosed`}, {Query: "title:"}, {Query: "from:abc"}, {Limit: 1001}, {Sort: "price"}, {Query: "from:1800 to:1700"},
	} {
		if _, err := e.Search(bad); wenyuan.ErrorCode(err) != wenyuan.EINVALID {
			t.Errorf("Search(%+v) = %v, want EINVALID", bad, err)
		}
	}
}

// TestHighlight: snippets mark what the query asked for — pairs of
// characters, words — not the common words and single characters that
// come with them.
func TestHighlight(t *testing.T) {
	e := sampleEngine(t)
	r, err := e.Search(&search.Request{Query: "青花 -唐", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"青花", "blue", "white"} {
		if !r.Highlight[want] {
			t.Errorf("青花: %q is not marked (%v)", want, r.Highlight)
		}
	}
	for _, not := range []string{"and", "青", "花", "唐", "下"} {
		if r.Highlight[not] {
			t.Errorf("青花 -唐: %q is marked", not)
		}
	}
	html, n := search.Snippet("通体青花缠枝莲纹 with blue and white decoration", r.Highlight, 100)
	if n != 3 || html != "通体<mark>青花</mark>缠枝莲纹 with <mark>blue</mark> and <mark>white</mark> decoration" {
		t.Errorf("Snippet = %q, %d marks", html, n)
	}
}

// TestRanking: the record a query names by its title comes first, in
// either script and either case.
func TestRanking(t *testing.T) {
	e := sampleEngine(t)
	for _, tt := range []struct{ q, first string }{
		{"清明上河圖", "故-画-0001"},
		{"五牛图", "故-画-0003"},
		{"blue and white dish", "REL-17"},
		{"長安城圖", "REL-05"},
	} {
		r, err := e.Search(&search.Request{Query: tt.q, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Hits) == 0 || r.Hits[0].Accession != tt.first {
			t.Errorf("Search(%q) = %+v, want %s first", tt.q, r.Hits, tt.first)
		}
	}
}

// TestHasImage: has_image follows the images of objects as they are added,
// hidden and deleted, counting only images at least as open as their
// object; a rebuilt index says the same.
func TestHasImage(t *testing.T) {
	db := mustStore(t)
	e := search.NewEngine(db, nil)
	if err := e.Open(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	ctx := wenyuan.WithActor(context.Background(), "test")
	imaged := func(e *search.Engine) []string {
		t.Helper()
		yes := true
		return idsOf(t, e, &search.Request{Query: "瓷盘", HasImage: &yes})
	}
	caughtUp := func(want ...string) {
		t.Helper()
		if err := e.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		if got := imaged(e); !cmp.Equal(got, want) {
			t.Fatalf("has_image finds %v, want %v", got, want)
		}
	}
	pub := &wenyuan.Object{Institution: "university", AccessionNumber: "I-1", Titles: wenyuan.Text{{Lang: "zh-Hans", Value: "青花瓷盘"}}}
	hid := &wenyuan.Object{Institution: "university", AccessionNumber: "I-2", Titles: wenyuan.Text{{Lang: "zh-Hans", Value: "白瓷盘"}}, Visibility: wenyuan.VisibilityInternal}
	create(t, db, pub)
	create(t, db, hid)
	caughtUp()
	img := func(o *wenyuan.Object, v wenyuan.Visibility) *wenyuan.Image {
		return &wenyuan.Image{Object: o.ID, Institution: o.Institution, SHA256: strings.Repeat("a", 64), Format: "jpeg", Width: 10, Height: 10, Bytes: 100, Visibility: v}
	}
	condition := img(pub, wenyuan.VisibilityInternal)
	create(t, db, condition)
	caughtUp() // an internal photograph of a public object does not count
	create(t, db, img(hid, wenyuan.VisibilityInternal))
	caughtUp("I-2")
	condition.Visibility = wenyuan.VisibilityPublic
	if err := db.UpdateRecord(ctx, condition); err != nil {
		t.Fatal(err)
	}
	caughtUp("I-1", "I-2")
	fresh := search.NewEngine(db, nil)
	if err := fresh.Open(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	if got := imaged(fresh); !cmp.Equal(got, []string{"I-1", "I-2"}) {
		t.Errorf("a rebuilt index's has_image finds %v, want [I-1 I-2]", got)
	}
	if err := db.DeleteRecord(ctx, wenyuan.KindImage, condition.ID); err != nil {
		t.Fatal(err)
	}
	caughtUp("I-2")
}
