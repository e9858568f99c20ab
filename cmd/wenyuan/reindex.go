package main

import (
	"fmt"
	"time"

	"wenyuan/exchange"
	"wenyuan/search"
)

// runReindex rebuilds the search index of a data directory from its store.
// A running server keeps its own index fresh by itself; this is for an
// index to be made anew (after an upgrade, or to be sure).
func runReindex(e *env, args []string) error {
	fs := newFlags(e, "reindex", "--data DIR")
	data := dataFlag(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	db, err := openDB(*data, false)
	if err != nil {
		return err
	}
	defer db.Close()
	c := Config{Data: *data}
	eng := search.NewEngine(db, nil)
	bar := newProgress(e.stderr, "reindex", "records")
	start := time.Now()
	lastDraw := time.Time{}
	eng.Progress = func(done int, frac float64) {
		if time.Since(lastDraw) < bar.every {
			return
		}
		lastDraw = time.Now()
		bar.update(exchange.Progress{Rows: done, Bytes: int64(frac * 1e6), Size: 1e6, Elapsed: time.Since(start)})
	}
	if err := eng.Open(e.ctx, ""); err != nil { // in memory: build, then save below
		return err
	}
	bar.done()
	if err := eng.Index().Save(c.IndexPath(), eng.StoreID()); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "indexed %d records in %s into %s\n", eng.Index().Len(), time.Since(start).Round(time.Millisecond), c.IndexPath())
	return nil
}
