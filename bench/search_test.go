package bench

import (
	"context"
	"os"
	"strconv"
	"sync"
	"testing"

	"wenyuan"
	"wenyuan/bench/gen/searchsynth"
	"wenyuan/internal/relevance"
	"wenyuan/search"
)

// searchDocs is how many synthetic records the search benchmarks index:
// WENYUAN_BENCH_SEARCH_DOCS, default 100,000. bench/searchpeers measures
// the peers side by side at 1M.
func searchDocs() int {
	if n, err := strconv.Atoi(os.Getenv("WENYUAN_BENCH_SEARCH_DOCS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

var searchCorpus struct {
	sync.Once
	vocab *searchsynth.Vocabulary
	objs  []*wenyuan.Object
	x     *search.Index
	err   error
}

func corpus(b *testing.B) (*searchsynth.Vocabulary, []*wenyuan.Object) {
	c := &searchCorpus
	c.Do(func() {
		c.vocab, c.err = searchsynth.NewVocabulary(context.Background())
		if c.err == nil {
			c.vocab.Objects(searchDocs(), 1, func(o *wenyuan.Object) { c.objs = append(c.objs, o) })
		}
	})
	if c.err != nil {
		b.Fatal(c.err)
	}
	return c.vocab, c.objs
}

func newSearchIndex(v *searchsynth.Vocabulary) *search.Index {
	x := search.NewIndex()
	for _, a := range v.Authorities {
		x.SetAuthority(a)
	}
	return x
}

// BenchmarkSearchIndex indexes the synthetic records; records/s is the
// figure to compare with the peers'.
func BenchmarkSearchIndex(b *testing.B) {
	v, objs := corpus(b)
	b.ReportAllocs()
	for b.Loop() {
		x := newSearchIndex(v)
		for _, o := range objs {
			x.AddObject(o)
		}
	}
	b.ReportMetric(float64(len(objs)*b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkSearchQueries runs every query of the relevance set with two
// facets and a year range over the synthetic records.
func BenchmarkSearchQueries(b *testing.B) {
	v, objs := corpus(b)
	c := &searchCorpus
	if c.x == nil {
		c.x = newSearchIndex(v)
		for _, o := range objs {
			c.x.AddObject(o)
		}
	}
	cases, err := relevance.Cases()
	if err != nil {
		b.Fatal(err)
	}
	from, to := -1000, 1900
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, cs := range cases {
			if _, err := c.x.Search(&search.Request{Query: cs.Query, Scope: cs.Scope, From: &from, To: &to, Limit: 20, FacetSize: 10}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N*len(cases)), "ms/query")
}
