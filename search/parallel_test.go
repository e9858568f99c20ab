package search

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wenyuan"
	"wenyuan/internal/relevance"
	"wenyuan/sqlite"
)

// TestParallelSameAnswers: reading an OR on two cores finds what reading
// it on one does (run with -race).
func TestParallelSameAnswers(t *testing.T) {
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if err := relevance.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	e := NewEngine(db, nil)
	if err := e.Open(ctx, ""); err != nil {
		t.Fatal(err)
	}
	cases, err := relevance.Cases()
	if err != nil {
		t.Fatal(err)
	}
	answer := func(q string, scope wenyuan.ReadScope) ([]string, int, []Facet) {
		r, err := e.Search(&Request{Query: q, Scope: scope, Limit: MaxLimit, FacetSize: 20})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range r.Hits {
			ids = append(ids, h.ID)
		}
		sort.Strings(ids)
		return ids, r.Total, r.Facets
	}
	defer func(v uint64) { parallelCost = v }(parallelCost)
	for _, c := range cases {
		parallelCost = 1 << 62
		ids1, n1, f1 := answer(c.Query, c.Scope)
		parallelCost = 0
		ids2, n2, f2 := answer(c.Query, c.Scope)
		if n1 != n2 || !cmp.Equal(ids1, ids2) || !cmp.Equal(f1, f2) {
			t.Errorf("%q: on one core %d hits, on two %d (hits equal: %v, facets equal: %v)", c.Query, n1, n2, cmp.Equal(ids1, ids2), cmp.Equal(f1, f2))
		}
	}
}

// TestParallelLongList: a list read in two halves at once finds, and
// scores, what reading it whole does, in an AND and alone.
func TestParallelLongList(t *testing.T) {
	x := NewIndex()
	for i := range 2000 {
		title := "dynasty bowl"
		switch {
		case i%3 == 0:
			title = "Song dynasty vase"
		case i%7 == 0:
			title = "Song dynasty dynasty bowl, a long description of it"
		}
		x.AddObject(&wenyuan.Object{ID: fmt.Sprintf("o%04d", i), Institution: "m", AccessionNumber: fmt.Sprint(i),
			Visibility: wenyuan.VisibilityPublic, Titles: wenyuan.Text{{Lang: "en", Value: title}}})
	}
	if p := x.terms.get(string(nsAll) + "dynasti"); p == nil || len(p.skips) < 4 {
		t.Fatal("the list is too short to be split")
	}
	defer func(v uint64) { parallelCost = v }(parallelCost)
	for _, q := range []string{"dynasty", "song dynasty", "dynasty -vase"} {
		answer := func() []Hit {
			r, err := x.Search(&Request{Query: q, Limit: MaxLimit})
			if err != nil {
				t.Fatal(err)
			}
			return r.Hits
		}
		parallelCost = 1 << 62
		whole := answer()
		parallelCost = 0
		halves := answer()
		if len(whole) == 0 || !cmp.Equal(whole, halves) {
			t.Errorf("%q: read whole %d hits, in halves %d, equal: %v", q, len(whole), len(halves), cmp.Equal(whole, halves))
		}
	}
}
