package search_test

import (
	"context"
	"sync"
	"testing"

	"wenyuan/internal/relevance"
	"wenyuan/search"
	"wenyuan/sqlite"
)

var sampleOnce struct {
	sync.Once
	db  *sqlite.DB
	eng *search.Engine
	err error
}

// sampleEngine returns an engine over a store holding the sample
// collection plus the relevance set's records, shared by the tests that
// only read it.
func sampleEngine(t testing.TB) *search.Engine {
	t.Helper()
	s := &sampleOnce
	s.Do(func() {
		ctx := context.Background()
		s.db, s.err = sqlite.Open(":memory:")
		if s.err != nil {
			return
		}
		if s.err = relevance.Load(ctx, s.db); s.err != nil {
			return
		}
		s.eng = search.NewEngine(s.db, nil)
		s.err = s.eng.Rebuild(ctx)
	})
	if s.err != nil {
		t.Fatal(s.err)
	}
	return s.eng
}
