// Command nullserver is the ceiling of the tile benchmark: a net/http
// server that answers image requests from a map in memory and does
// nothing else. Driven by the same load generator, it shows how many
// requests a second the generator and Go's HTTP server alone allow on this
// machine, which bounds the ratio any Go server can reach against IIPImage
// with one client.
//
//	go run ./bench/iiif/nullserver -from http://127.0.0.1:PORT/iiif/3/bench
//
// A URL's first request is fetched from the image service at -from (so
// replies are byte for byte that server's) and kept; run the load
// generator twice against http://127.0.0.1:18200/iiif/3/null and read the
// second run.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"
)

func main() {
	from := flag.String("from", "", "IIIF image service to fetch each URL from once")
	addr := flag.String("addr", "127.0.0.1:18200", "address to serve on (loopback)")
	flag.Parse()
	if *from == "" {
		log.Fatal("nullserver: -from is required")
	}
	base := strings.TrimSuffix(*from, "/")
	self := "http://" + *addr + "/iiif/3/null"
	var mu sync.RWMutex
	kept := map[string][]byte{}
	http.HandleFunc("/iiif/3/null/", func(w http.ResponseWriter, r *http.Request) {
		rest := strings.TrimPrefix(r.URL.Path, "/iiif/3/null/")
		mu.RLock()
		b, ok := kept[rest]
		mu.RUnlock()
		if !ok {
			var err error
			if b, err = get(base + "/" + rest); err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			if rest == "info.json" {
				b = bytes.ReplaceAll(b, []byte(`"`+base+`"`), []byte(`"`+self+`"`))
			}
			mu.Lock()
			kept[rest] = b
			mu.Unlock()
		}
		if rest == "info.json" {
			w.Header().Set("Content-Type", "application/json")
		} else {
			w.Header().Set("Content-Type", "image/jpeg")
		}
		w.Header().Set("Content-Length", fmt.Sprint(len(b)))
		w.Write(b)
	})
	log.Printf("nullserver: %s, fetching each URL once from %s", self, base)
	log.Fatal(http.ListenAndServe(*addr, nil))
}

func get(url string) ([]byte, error) {
	r, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer r.Body.Close()
	b, err := io.ReadAll(r.Body)
	if err == nil && r.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %s", url, r.Status)
	}
	return b, err
}
