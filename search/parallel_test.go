package search

import (
	"context"
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
