package bench

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"wenyuan"
	"wenyuan/exchange"
	"wenyuan/sample"
	"wenyuan/web"
)

// clients is how many clients BenchmarkObjectGET runs at once.
const clients = 50

// BenchmarkObjectGET serves the Walters sample from SQLite on a loopback
// httptest server and has 50 concurrent clients GET random objects from
// /api/v1/objects/{id}, b.N requests in all. It reports the latency
// percentiles in milliseconds; the goal is a p99 under 5 ms.
func BenchmarkObjectGET(b *testing.B) {
	db := openStore(b, filepath.Join(b.TempDir(), "wenyuan.db"))
	ctx := wenyuan.WithActor(context.Background(), "bench")
	f, err := sample.FS.Open("walters-chinese.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	res, err := exchange.Import(ctx, db, f, exchange.Options{Institution: "walters", Mapping: waltersMapping(b)})
	f.Close()
	if err != nil {
		b.Fatalf("Import(walters-chinese.jsonl) = %v", err)
	}
	var ids []string
	for cursor := ""; ; {
		objs, next, err := db.FindObjects(ctx, wenyuan.ObjectFilter{Cursor: cursor, Limit: 1000})
		if err != nil {
			b.Fatal(err)
		}
		for _, o := range objs {
			ids = append(ids, o.ID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if len(ids) != res.Created {
		b.Fatalf("FindObjects listed %d objects, want %d", len(ids), res.Created)
	}

	srv := httptest.NewServer(web.NewServer(db, nil))
	defer srv.Close()
	client := &http.Client{
		Transport: &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients},
		Timeout:   10 * time.Second,
	}
	defer client.CloseIdleConnections()

	// The clients share b.N requests, rather than use b.Loop, so that
	// exactly 50 of them are in flight whatever GOMAXPROCS is.
	var (
		left   atomic.Int64
		failed atomic.Int64
		wg     sync.WaitGroup
		lats   = make([][]time.Duration, clients)
	)
	left.Store(int64(b.N))
	b.ResetTimer()
	for c := range clients {
		wg.Go(func() {
			for left.Add(-1) >= 0 {
				url := srv.URL + "/api/v1/objects/" + ids[rand.IntN(len(ids))]
				t0 := time.Now()
				if err := get(client, url); err != nil {
					if failed.Add(1) == 1 {
						b.Error(err)
					}
					continue
				}
				lats[c] = append(lats[c], time.Since(t0))
			}
		})
	}
	wg.Wait()
	b.StopTimer()

	all := slices.Concat(lats...)
	slices.Sort(all)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(percentile(all, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(all, 99)), "p99-ms")
	b.ReportMetric(float64(len(all))/b.Elapsed().Seconds(), "req/s")
}

// get fetches url and reads the whole body, failing on any status but 200.
func get(client *http.Client, url string) error {
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return fmt.Errorf("GET %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return nil
}

// percentile returns the p-th percentile of sorted durations, nearest rank.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(float64(len(sorted))*p/100)) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
