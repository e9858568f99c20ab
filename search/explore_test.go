package search_test

import (
	"context"
	"testing"

	"wenyuan"
	"wenyuan/search"
)

func loadRelevanceRecords(ctx context.Context, db wenyuan.Store) error { return nil }

func TestExplore(t *testing.T) {
	e := sampleEngine(t)
	for _, q := range []string{"唐", "書法", "青花瓷", "qianlong", "blue-and-white", "敦煌 莫高窟", "Ch'ien-lung", "dunhuang", "\"blue and white\"", "maker:张择端", "清明上河图", "mgk", "ql", "ceramics", "陶瓷", "-唐 壁画"} {
		r, err := e.Search(&search.Request{Query: q, Limit: 3, FacetSize: 3})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%-20s %4d %v", q, r.Total, r.Hits)
	}
	r, _ := e.Search(&search.Request{Query: "", Limit: 0, FacetSize: 5})
	for _, f := range r.Facets {
		t.Logf("%s: %v", f.Name, f.Values)
	}
}
