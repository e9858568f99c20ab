// Command load is an HTTP load generator for a running Wenyuan server. It
// lists every object id, then runs -c clients for -d, each GETting
// /api/v1/objects/{id} for random ids as fast as it can, and prints the
// request rate and latency percentiles:
//
//	go run ./bench/load -url http://127.0.0.1:18181 -c 50 -d 10s
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "", "server base URL, e.g. http://127.0.0.1:18181")
	c := fs.Int("c", 50, "concurrent clients")
	d := fs.Duration("d", 10*time.Second, "how long to run")
	timeout := fs.Duration("timeout", 10*time.Second, "per-request timeout")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *base == "" || fs.NArg() > 0 || *c < 1 || *d <= 0 {
		fmt.Fprintln(stderr, "usage: load -url http://127.0.0.1:PORT [-c 50] [-d 10s]")
		return 2
	}
	client := &http.Client{
		Transport: &http.Transport{MaxIdleConns: *c, MaxIdleConnsPerHost: *c},
		Timeout:   *timeout,
	}
	defer client.CloseIdleConnections()
	root := strings.TrimSuffix(*base, "/")
	ids, err := listIDs(ctx, client, root)
	if err != nil {
		fmt.Fprintf(stderr, "load: %v\n", err)
		return 1
	}
	if len(ids) == 0 {
		fmt.Fprintf(stderr, "load: %s has no objects\n", root)
		return 1
	}
	fmt.Fprintf(stdout, "%d objects; %d clients for %s\n", len(ids), *c, *d)
	r := hammer(ctx, client, root, ids, *c, *d)
	r.print(stdout)
	if r.errors > 0 {
		fmt.Fprintf(stderr, "first error: %v\n", r.first)
		return 1
	}
	return 0
}

// listIDs pages through /api/v1/objects and returns every object's id.
func listIDs(ctx context.Context, client *http.Client, root string) ([]string, error) {
	var ids []string
	cursor := ""
	for {
		u := root + "/api/v1/objects?limit=1000"
		if cursor != "" {
			u += "&cursor=" + url.QueryEscape(cursor)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		var page struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
			Next string `json:"next"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
		}
		if err != nil {
			return nil, fmt.Errorf("GET %s: %w", u, err)
		}
		for _, it := range page.Items {
			ids = append(ids, it.ID)
		}
		if page.Next == "" {
			return ids, nil
		}
		cursor = page.Next
	}
}

// result is what a run measured.
type result struct {
	elapsed time.Duration
	lats    []time.Duration // sorted
	errors  int
	first   error
}

// hammer runs c clients for d, each GETting random objects in a loop. At
// the end no new request starts and those in flight finish; an interrupt
// (ctx) cancels them.
func hammer(ctx context.Context, client *http.Client, root string, ids []string, c int, d time.Duration) *result {
	var (
		mu sync.Mutex
		wg sync.WaitGroup
		r  = &result{}
	)
	start := time.Now()
	end := start.Add(d)
	for range c {
		wg.Go(func() {
			var lats []time.Duration
			errs := 0
			var first error
			for t0 := time.Now(); t0.Before(end); t0 = time.Now() {
				u := root + "/api/v1/objects/" + url.PathEscape(ids[rand.IntN(len(ids))])
				err := get(ctx, client, u)
				if ctx.Err() != nil {
					break // interrupted: neither a success nor an error
				}
				if err != nil {
					errs++
					if first == nil {
						first = err
					}
					continue
				}
				lats = append(lats, time.Since(t0))
			}
			mu.Lock()
			r.lats = append(r.lats, lats...)
			r.errors += errs
			if r.first == nil {
				r.first = first
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	r.elapsed = time.Since(start)
	slices.Sort(r.lats)
	return r
}

// get fetches u and reads the whole body, failing on any status but 200.
func get(ctx context.Context, client *http.Client, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return fmt.Errorf("GET %s: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return nil
}

func (r *result) print(w io.Writer) {
	n := len(r.lats)
	fmt.Fprintf(w, "requests %d (%.0f req/s), errors %d\n", n+r.errors, float64(n)/r.elapsed.Seconds(), r.errors)
	if n == 0 {
		return
	}
	fmt.Fprintf(w, "latency p50 %s  p90 %s  p99 %s  max %s\n",
		ms(percentile(r.lats, 50)), ms(percentile(r.lats, 90)), ms(percentile(r.lats, 99)), ms(r.lats[n-1]))
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
}

// percentile returns the p-th percentile of sorted durations, nearest rank.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(math.Ceil(float64(len(sorted))*p/100)) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
