package bench

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"wenyuan"
	"wenyuan/bench/gen/synth"
	"wenyuan/exchange"
	"wenyuan/sample"
	"wenyuan/sqlite"
)

// BenchmarkImport100k imports 100,000 synthetic Walters records into a
// fresh SQLite store per iteration, end to end as `wenyuan import` does it
// (with its garbage-collector setting, exchange.BatchGC): open and migrate
// the store, create the institution, import through the Walters mapping,
// close. The goal is 20,000 rows/s. It reports rows/s over all of that, and
// commit-rows/s over the import itself, from the first byte read to the
// commit (after which the rows are durable and visible; closing the store
// then folds SQLite's write-ahead log into the database file).
func BenchmarkImport100k(b *testing.B) {
	const n = 100_000
	path := filepath.Join(b.TempDir(), "synth.jsonl")
	writeSynth(b, path, n, 1)
	m := waltersMapping(b)
	ctx := wenyuan.WithActor(context.Background(), "bench")
	// As `wenyuan import` runs it.
	defer exchange.BatchGC()()
	b.ReportAllocs()
	rows := 0
	var committed time.Duration
	for b.Loop() {
		r, d := importFile(b, ctx, path, m, n)
		rows += r
		committed += d
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(rows)/committed.Seconds(), "commit-rows/s")
}

// importFile imports path into a fresh store and checks every row was created.
func importFile(b *testing.B, ctx context.Context, path string, m *exchange.Mapping, want int) (int, time.Duration) {
	b.Helper()
	dir := b.TempDir()
	db := openStore(b, filepath.Join(dir, "wenyuan.db"))
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	res, err := exchange.Import(ctx, db, f, exchange.Options{Institution: "walters", Mapping: m})
	if err != nil {
		for i, r := range res.Rejects {
			if i == 5 {
				break
			}
			b.Log(r)
		}
		b.Fatalf("Import(%s) = %v", path, err)
	}
	if res.Created != want {
		b.Fatalf("Import(%s) created %d, want %d", path, res.Created, want)
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	// Each store is hundreds of megabytes; don't keep them all to the end.
	if err := os.RemoveAll(dir); err != nil {
		b.Fatal(err)
	}
	return res.Rows, res.Elapsed
}

// openStore opens a SQLite store at path with the Walters institution in it.
func openStore(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	inst := &wenyuan.Institution{ID: "walters", Names: wenyuan.Names{{Lang: "en", Value: "The Walters Art Museum"}, {Lang: "zh-Hans", Value: "沃尔特斯艺术博物馆"}}}
	if err := db.CreateRecord(wenyuan.WithActor(context.Background(), "bench"), inst); err != nil {
		tb.Fatal(err)
	}
	return db
}

// writeSynth writes n synthetic records drawn from the Walters sample to path.
func writeSynth(tb testing.TB, path string, n int, seed uint64) {
	tb.Helper()
	src, err := sample.FS.Open("walters-chinese.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	defer src.Close()
	v, err := synth.ReadVocabulary(src)
	if err != nil {
		tb.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := v.Write(f, n, seed); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

// waltersMapping is the sample's mapping for Walters records.
func waltersMapping(tb testing.TB) *exchange.Mapping {
	tb.Helper()
	b, err := sample.FS.ReadFile("walters.mapping.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	m, err := exchange.ParseMapping(b)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// TestSynthImports checks that generated records still import through the
// Walters mapping without a reject, so the benchmark measures a clean import.
func TestSynthImports(t *testing.T) {
	const n = 300
	path := filepath.Join(t.TempDir(), "synth.jsonl")
	writeSynth(t, path, n, 7)
	db := openStore(t, filepath.Join(t.TempDir(), "wenyuan.db"))
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := exchange.Import(wenyuan.WithActor(context.Background(), "test"), db, f, exchange.Options{Institution: "walters", Mapping: waltersMapping(t)})
	if err != nil {
		t.Fatalf("Import = %v, rejects %v", err, res.Rejects)
	}
	if res.Created != n {
		t.Errorf("Import created %d, want %d", res.Created, n)
	}
}
