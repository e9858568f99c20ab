// Command searchpeers measures Wenyuan's search engine side by side with
// bleve (given Wenyuan's own analysis pipeline: folding, CJK bigrams with
// unigrams) and SQLite FTS5 with the trigram tokenizer, in one run:
//
//	cd bench/searchpeers && go run . -n 1000000
//
// For each engine it reports the indexing rate, the index size, the
// latency of every query of the relevance set (internal/relevance) with
// two facets and a year range over n synthetic records
// (bench/gen/searchsynth), and the recall of the relevance set over the
// sample collection. It is a module of its own so that Wenyuan itself does
// not depend on the peers.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"time"

	"wenyuan"
	"wenyuan/bench/gen/searchsynth"
	"wenyuan/internal/relevance"
	"wenyuan/search"
	"wenyuan/sqlite"
)

// engine is one search engine under test.
type engine interface {
	name() string
	add(o *wenyuan.Object, text string) error
	finish() error
	size() (int64, error)
	// search returns the accession numbers of the hits (all of them when
	// all, else the first 20) and computes two facets (institution and
	// classification) over all hits.
	search(q string, scope wenyuan.ReadScope, from, to *int, all bool) ([]string, error)
	close() error
}

func main() {
	n := flag.Int("n", 100000, "synthetic records to index")
	seed := flag.Uint64("seed", 1, "random seed of the records")
	// A 99th percentile needs a hundred samples: of 20, it is the slowest,
	// whatever one hiccup of a shared machine made it.
	runs := flag.Int("runs", 101, "runs of each query (the first, warming caches, is not timed)")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "wenyuan-searchpeers"), "scratch directory for the peers' index files")
	only := flag.String("engines", "wenyuan,fts5,bleve", "engines to measure, comma-separated")
	flag.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the timed queries (of the last engine) to this file")
	match := flag.String("queries", "", "time only the queries this regular expression matches")
	flag.Parse()
	if *match != "" {
		queryFilter = regexp.MustCompile(*match)
	}
	if err := run(*n, *seed, *runs, *dir, strings.Split(*only, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "searchpeers:", err)
		os.Exit(1)
	}
}

var (
	cpuProfile  string
	queryFilter *regexp.Regexp
)

type result struct {
	name           string
	docsPerSec     float64
	size           int64
	p50, p99, p99w time.Duration // over all queries; p99w: the worst query's p99
	worst          string
	found, wanted  int
	over           []string // queries whose p99 is over 20 ms
	wrong          int      // must-not records found
	failed         []string
}

func newEngine(name, dir string) (engine, error) {
	switch name {
	case "wenyuan":
		return newWenyuan(dir), nil
	case "fts5":
		return newFTS5(dir)
	case "bleve":
		return newBleve(dir)
	}
	return nil, fmt.Errorf("unknown engine %q", name)
}

func run(n int, seed uint64, runs int, dir string, names []string) error {
	ctx := context.Background()
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	vocab, err := searchsynth.NewVocabulary(ctx)
	if err != nil {
		return err
	}
	// The records and the text the peers are given, made once for all.
	texts := search.NewIndex()
	for _, a := range vocab.Authorities {
		texts.SetAuthority(a)
	}
	fmt.Fprintf(os.Stderr, "generating %d records\n", n)
	objs := make([]*wenyuan.Object, 0, n)
	txt := make([]string, 0, n)
	vocab.Objects(n, seed, func(o *wenyuan.Object) {
		objs = append(objs, o)
		txt = append(txt, texts.TextOf(o))
	})
	cases, err := relevance.Cases()
	if err != nil {
		return err
	}
	relStore, relObjs, relTexts, err := relevanceCorpus(ctx)
	if err != nil {
		return err
	}
	defer relStore.Close()

	var results []result
	for _, name := range names {
		res := result{name: name}
		// Recall over the sample and the set's records.
		e, err := newEngine(name, filepath.Join(dir, name+"-relevance"))
		if err != nil {
			return err
		}
		if w, ok := e.(*wenyuanEngine); ok {
			w.useStore(ctx, relStore)
		}
		for i, o := range relObjs {
			if err := e.add(o, relTexts[i]); err != nil {
				return err
			}
		}
		if err := e.finish(); err != nil {
			return err
		}
		for _, c := range cases {
			got, err := e.search(c.Query, c.Scope, nil, nil, true)
			if err != nil {
				res.failed = append(res.failed, fmt.Sprintf("%q: %v", c.Query, err))
				res.wanted += len(c.Must)
				continue
			}
			for _, m := range c.Must {
				res.wanted++
				if slices.Contains(got, m) {
					res.found++
				} else {
					res.failed = append(res.failed, fmt.Sprintf("%q misses %s", c.Query, m))
				}
			}
			for _, m := range c.MustNot {
				if slices.Contains(got, m) {
					res.wrong++
				}
			}
		}
		e.close()

		// Indexing and queries at n records.
		fmt.Fprintf(os.Stderr, "%s: indexing %d records\n", name, n)
		e, err = newEngine(name, filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if w, ok := e.(*wenyuanEngine); ok {
			w.useAuthorities(vocab.Authorities)
		}
		start := time.Now()
		for i, o := range objs {
			if err := e.add(o, txt[i]); err != nil {
				return err
			}
			if i > 0 && i%100000 == 0 {
				fmt.Fprintf(os.Stderr, "  %d (%.0f/s)\n", i, float64(i)/time.Since(start).Seconds())
			}
		}
		if err := e.finish(); err != nil {
			return err
		}
		res.docsPerSec = float64(n) / time.Since(start).Seconds()
		if res.size, err = e.size(); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "%s: %.0f records/s, %.1f MB; querying\n", name, res.docsPerSec, float64(res.size)/1e6)
		// The garbage of indexing is collected before queries are timed,
		// for every engine alike.
		runtime.GC()
		debug.FreeOSMemory()
		from, to := -1000, 1900
		var all []time.Duration
		type timed struct {
			query       string
			median, p99 time.Duration
		}
		var medians []timed
		if cpuProfile != "" {
			f, err := os.Create(cpuProfile)
			if err != nil {
				return err
			}
			pprof.StartCPUProfile(f)
		}
		for _, c := range cases {
			if queryFilter != nil && !queryFilter.MatchString(c.Query) {
				continue
			}
			var ds []time.Duration
			n := runs
			for r := 0; r <= n; r++ {
				t0 := time.Now()
				if _, err := e.search(c.Query, c.Scope, &from, &to, false); err != nil {
					break
				}
				d := time.Since(t0)
				switch {
				case r == 0 && d > time.Second:
					n = min(n, 3) // a query that takes seconds is timed fewer times
				case r == 0 && d > 50*time.Millisecond:
					n = min(n, 11) // one far over the goal needs no fine tail
				}
				if r > 0 { // the first run warms caches
					ds = append(ds, d)
				}
			}
			if len(ds) == 0 {
				continue
			}
			// Each query weighs the same in the figures over all queries,
			// however many times it was timed: twenty of its quantiles.
			for q := range 20 {
				all = append(all, percentile(ds, (float64(q)+0.5)/20))
			}
			p := percentile(ds, 0.99)
			if p > res.p99w {
				res.p99w, res.worst = p, c.Query
			}
			if p > 20*time.Millisecond {
				res.over = append(res.over, fmt.Sprintf("%s %s (median %s)", c.Query, p.Round(100*time.Microsecond), percentile(ds, 0.5).Round(100*time.Microsecond)))
			}
			medians = append(medians, timed{c.Query, percentile(ds, 0.5), p})
		}
		slices.SortFunc(medians, func(a, b timed) int { return int(b.median - a.median) })
		for _, m := range medians[:min(10, len(medians))] {
			fmt.Fprintf(os.Stderr, "  slowest medians: %-24s median %s  p99 %s\n", m.query, m.median.Round(100*time.Microsecond), m.p99.Round(100*time.Microsecond))
		}
		if cpuProfile != "" {
			pprof.StopCPUProfile()
		}
		res.p50, res.p99 = percentile(all, 0.5), percentile(all, 0.99)
		fmt.Fprintf(os.Stderr, "%s: p50 %s, p99 %s, worst query p99 %s (%s); recall %d/%d, must-not found %d; %d queries with p99 over 20 ms\n", name, res.p50, res.p99, res.p99w, res.worst, res.found, res.wanted, res.wrong, len(res.over))
		e.close()
		results = append(results, res)
	}

	fmt.Printf("\n%d synthetic records, %d queries × %d runs each with two facets and a year range; recall over the relevance set (%d queries)\n\n", n, len(cases), runs, len(cases))
	fmt.Println("| engine | index records/s | index size | query p50 | query p99 | worst query's p99 | relevance recall | must-not found |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range results {
		fmt.Printf("| %s | %.0f | %.0f MB | %s | %s | %s (%s) | %d/%d = %.1f %% | %d |\n", r.name, r.docsPerSec, float64(r.size)/1e6,
			r.p50.Round(10*time.Microsecond), r.p99.Round(10*time.Microsecond), r.p99w.Round(10*time.Microsecond), r.worst,
			r.found, r.wanted, 100*float64(r.found)/float64(max(r.wanted, 1)), r.wrong)
	}
	for _, r := range results {
		if len(r.over) > 0 && len(r.over) <= 20 {
			fmt.Printf("\n%s: queries with p99 over 20 ms (%d): %s\n", r.name, len(r.over), strings.Join(r.over, "; "))
		}
	}
	for _, r := range results {
		if len(r.failed) > 0 {
			fmt.Printf("\n%s misses (%d):\n", r.name, len(r.failed))
			for i, f := range r.failed {
				if i == 15 {
					fmt.Printf("  … and %d more\n", len(r.failed)-15)
					break
				}
				fmt.Println("  " + f)
			}
		}
	}
	return nil
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[min(int(float64(len(s))*p), len(s)-1)]
}

// relevanceCorpus loads the relevance set's store and returns its objects
// with the text the peers are given.
func relevanceCorpus(ctx context.Context) (*sqlite.DB, []*wenyuan.Object, []string, error) {
	db, err := sqlite.Open(":memory:")
	if err != nil {
		return nil, nil, nil, err
	}
	if err := relevance.Load(ctx, db); err != nil {
		return nil, nil, nil, err
	}
	eng := search.NewEngine(db, nil)
	if err := eng.Open(ctx, ""); err != nil {
		return nil, nil, nil, err
	}
	var objs []*wenyuan.Object
	var texts []string
	cursor := ""
	for {
		page, next, err := db.FindObjects(ctx, wenyuan.ObjectFilter{Cursor: cursor, Limit: 1000})
		if err != nil {
			return nil, nil, nil, err
		}
		for _, o := range page {
			objs = append(objs, o)
			texts = append(texts, eng.Index().TextOf(o))
		}
		if next == "" {
			return db, objs, texts, nil
		}
		cursor = next
	}
}
