package main

import (
	"context"
	"os"
	"path/filepath"

	"wenyuan"
	"wenyuan/search"
)

// wenyuanEngine is Wenyuan's own index, built as the server builds it.
type wenyuanEngine struct {
	dir string
	x   *search.Index
	eng *search.Engine // for the relevance set: the engine over its store
}

func newWenyuan(dir string) *wenyuanEngine {
	os.MkdirAll(dir, 0o755)
	return &wenyuanEngine{dir: dir, x: search.NewIndex()}
}

func (w *wenyuanEngine) name() string { return "wenyuan" }

func (w *wenyuanEngine) useAuthorities(rs []wenyuan.Record) {
	for _, r := range rs {
		w.x.SetAuthority(r)
	}
}

// useStore answers from an engine over store, exactly as the server does
// (query expansion through the store's authorities included).
func (w *wenyuanEngine) useStore(ctx context.Context, store wenyuan.Store) {
	w.eng = search.NewEngine(store, nil)
	w.eng.Open(ctx, "")
	w.x = w.eng.Index()
}

func (w *wenyuanEngine) add(o *wenyuan.Object, _ string) error {
	if w.eng == nil {
		w.x.AddObject(o)
	}
	return nil
}

func (w *wenyuanEngine) finish() error {
	w.x.Pack() // as the server's rebuild does
	return nil
}

func (w *wenyuanEngine) size() (int64, error) {
	p := filepath.Join(w.dir, "search.idx")
	if err := w.x.Save(p, "bench"); err != nil {
		return 0, err
	}
	st, err := os.Stat(p)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

func (w *wenyuanEngine) search(q string, scope wenyuan.ReadScope, from, to *int, all bool) ([]string, error) {
	req := &search.Request{Query: q, Scope: scope, From: from, To: to, Limit: 20, FacetSize: 10}
	var out []string
	for {
		if all {
			req.Limit = search.MaxLimit
		}
		r, err := w.x.Search(req)
		if err != nil {
			return nil, err
		}
		for _, h := range r.Hits {
			out = append(out, h.Accession)
		}
		if !all || req.Offset+req.Limit >= r.Total {
			return out, nil
		}
		req.Offset += req.Limit
		req.FacetSize = 0
	}
}

func (w *wenyuanEngine) close() error { return nil }
