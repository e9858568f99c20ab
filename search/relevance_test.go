package search_test

import (
	"slices"
	"testing"

	"wenyuan"
	"wenyuan/internal/relevance"
	"wenyuan/search"
)

// allHits runs q and returns the accession numbers of every hit.
func allHits(t testing.TB, e *search.Engine, q string, scope wenyuan.ReadScope) []string {
	t.Helper()
	var out []string
	for off := 0; ; off += search.MaxLimit {
		r, err := e.Search(&search.Request{Query: q, Scope: scope, Limit: search.MaxLimit, Offset: off})
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		for _, h := range r.Hits {
			out = append(out, h.Accession)
		}
		if off+search.MaxLimit >= r.Total {
			return out
		}
	}
}

// TestRelevance runs the committed relevance set (internal/relevance):
// every record that must be found is found (recall 100 %), and none that
// must not be is.
func TestRelevance(t *testing.T) {
	e := sampleEngine(t)
	cases, err := relevance.Cases()
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 60 {
		t.Fatalf("the relevance set has %d queries, want at least 60", len(cases))
	}
	found, wanted := 0, 0
	for _, c := range cases {
		got := allHits(t, e, c.Query, c.Scope)
		for _, m := range c.Must {
			wanted++
			if slices.Contains(got, m) {
				found++
			} else {
				t.Errorf("relevance.tsv:%d: %q (%s) does not find %s (%d hits)", c.Line, c.Query, c.ScopeName, m, len(got))
			}
		}
		for _, m := range c.MustNot {
			if slices.Contains(got, m) {
				t.Errorf("relevance.tsv:%d: %q (%s) finds %s, which it must not", c.Line, c.Query, c.ScopeName, m)
			}
		}
	}
	t.Logf("recall %d/%d over %d queries", found, wanted, len(cases))
}
