package iiif

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
)

func TestCacheKeepsAndDrops(t *testing.T) {
	c := NewCache(1 << 20) // one chunk: entries up to 128 KB
	body := func(i int) []byte { return bytes.Repeat([]byte{byte(i)}, 1000+i) }
	for i := range 100 {
		c.Put(fmt.Sprint("k", i), body(i))
	}
	for i := range 100 {
		got, ok := c.Get(fmt.Sprint("k", i))
		if !ok || !bytes.Equal(got, body(i)) {
			t.Fatalf("k%d: %v, %d bytes", i, ok, len(got))
		}
		got[0] = 0xff // a copy: the cache's is untouched
	}
	if got, _ := c.Get("k1"); got[0] != 1 {
		t.Fatal("a caller's change reached the cache")
	}
	if _, ok := c.Get("nothing"); ok {
		t.Fatal("found a key never put")
	}
	big := make([]byte, 200<<10)
	c.Put("big", big)
	if _, ok := c.Get("big"); ok {
		t.Fatal("kept an entry over an eighth of a chunk")
	}
	// Writing the ring over: the oldest go, the newest stay, nothing is
	// ever returned wrong.
	for i := range 2000 {
		c.Put(fmt.Sprint("n", i), body(i%200))
	}
	if _, ok := c.Get("n0"); ok {
		t.Error("the oldest entry outlived the ring")
	}
	for i := 1900; i < 2000; i++ {
		if got, ok := c.Get(fmt.Sprint("n", i)); !ok || !bytes.Equal(got, body(i%200)) {
			t.Fatalf("n%d: %v", i, ok)
		}
	}
	if n, entries, hits, _ := c.Stats(); n > 1<<20 || entries == 0 || hits == 0 {
		t.Errorf("stats: %d bytes, %d entries, %d hits", n, entries, hits)
	}
}

// An entry read often stays, however many others pass through.
func TestCacheKeepsWhatIsRead(t *testing.T) {
	c := NewCache(4 << 20)
	hot := bytes.Repeat([]byte("hot"), 1000)
	c.Put("hot", hot)
	for i := range 20000 {
		c.Put(fmt.Sprint("k", i), make([]byte, 2000))
		if i%100 == 0 {
			if got, ok := c.Get("hot"); !ok || !bytes.Equal(got, hot) {
				t.Fatalf("after %d others: the entry read every 100 puts is gone", i)
			}
		}
	}
}

func TestCacheConcurrent(t *testing.T) {
	c := NewCache(2 << 20)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 0, 64<<10)
			for i := range 3000 {
				k := fmt.Sprint(i % 500)
				want := bytes.Repeat([]byte(k), 100+i%500)
				if got, ok := c.AppendTo(buf[:0], k); ok && !bytes.Equal(got, want) {
					t.Errorf("goroutine %d: %s came back wrong", g, k)
					return
				}
				c.Put(k, want)
			}
		}()
	}
	wg.Wait()
}

func TestCacheOff(t *testing.T) {
	c := NewCache(0)
	c.Put("k", []byte("v"))
	if _, ok := c.Get("k"); ok {
		t.Fatal("a cache of size 0 kept something")
	}
}
