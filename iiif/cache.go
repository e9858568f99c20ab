package iiif

import (
	"encoding/binary"
	"hash/maphash"
	"sync"

	"wenyuan/internal/offheap"
)

// Cache keeps encoded images by key, dropping the oldest past its size in
// bytes (an entry read when it is near its end is written again at the
// front, so what viewers keep asking for stays). It is safe for
// concurrent use.
//
// Entries are copied into a ring of large chunks, indexed by a map of
// hashes to offsets, and copied out on a hit. Keeping each image as a
// slice of its own cost a cold tile more than reading it: every new
// 13 KB body touched fresh heap pages, and a page fault on this virtual
// machine costs some 13 µs (74 µs of a cold tile's time was the kernel
// zeroing pages). The chunks are mapped with their pages made up front
// (on Linux), 47 ms for 256 MiB where touching them one by one took 0.8 s,
// and the garbage collector never scans them.
type Cache struct {
	max   int64
	chunk int // bytes per chunk; no entry is larger than chunk/8

	mu     sync.Mutex
	seed   maphash.Seed
	idx    map[uint64]uint64 // hash of key → absolute offset of its entry
	chunks [][]byte          // made as the ring reaches them
	next   chan []byte       // the chunk after the last, being made
	pos    uint64            // absolute offset of the next entry
	hits   int64
	misses int64
}

// entryHeader: the entry's body length (4 bytes) and key length (2), then
// the key and the body.
const entryHeader = 6

// NewCache returns a cache of at most max bytes (keys included); a max of 0
// or less caches nothing.
func NewCache(max int64) *Cache {
	chunk := int(min(max, 32<<20))
	if max > 0 {
		max = (max + int64(chunk) - 1) / int64(chunk) * int64(chunk)
	}
	return &Cache{max: max, chunk: chunk, seed: maphash.MakeSeed(), idx: map[uint64]uint64{}}
}

// Get returns a copy of the body kept under key.
func (c *Cache) Get(key string) ([]byte, bool) { return c.AppendTo(nil, key) }

// AppendTo appends the body kept under key to dst: with dst from a pool,
// a hit allocates nothing.
func (c *Cache) AppendTo(dst []byte, key string) ([]byte, bool) {
	if c.max <= 0 {
		return dst, false
	}
	h := maphash.String(c.seed, key)
	c.mu.Lock()
	defer c.mu.Unlock()
	off, ok := c.idx[h]
	if !ok {
		c.misses++
		return dst, false
	}
	k, body, ok := c.entry(off)
	if !ok || string(k) != key {
		c.misses++
		return dst, false
	}
	c.hits++
	start := len(dst)
	dst = append(dst, body...)
	// Near its end of the ring: written again at the front (from the
	// copy, which the ring cannot write over), so that a tile every
	// viewer asks for is not dropped for being old.
	if c.pos-off > uint64(c.max)*3/4 {
		c.put(h, key, dst[start:])
	}
	return dst, true
}

// entry returns the key and body of the entry at off, unless the ring has
// written over it. Caller holds mu.
func (c *Cache) entry(off uint64) (key, body []byte, ok bool) {
	if c.pos-off > uint64(c.max) || off >= c.pos {
		return nil, nil, false
	}
	ch := c.chunks[off%uint64(c.max)/uint64(c.chunk)]
	b := ch[off%uint64(c.chunk):]
	n, k := int(binary.LittleEndian.Uint32(b)), int(binary.LittleEndian.Uint16(b[4:]))
	b = b[entryHeader:]
	return b[:k], b[k : k+n], true
}

// Put keeps a copy of body under key.
func (c *Cache) Put(key string, body []byte) {
	n := entryHeader + len(key) + len(body)
	if c.max <= 0 || n > c.chunk/8 || len(key) > 0xffff {
		return // one huge result would push out hundreds of tiles
	}
	h := maphash.String(c.seed, key)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.put(h, key, body)
}

// put writes the entry at the front of the ring. Caller holds mu; body
// must not be in the ring.
func (c *Cache) put(h uint64, key string, body []byte) {
	n := entryHeader + len(key) + len(body)
	chunk := uint64(c.chunk)
	if c.pos%chunk+uint64(n) > chunk { // no room before the chunk's end: the next one
		c.pos += chunk - c.pos%chunk
	}
	i := int(c.pos % uint64(c.max) / chunk)
	if len(c.chunks) <= i {
		// The next chunk is made while this one fills, so no request
		// waits for a chunk's pages.
		if c.next != nil {
			c.chunks = append(c.chunks, <-c.next)
			c.next = nil
		} else {
			c.chunks = append(c.chunks, offheap.Bytes(c, c.chunk, true))
		}
		if int64(len(c.chunks)*c.chunk) < c.max {
			c.next = make(chan []byte, 1)
			go func(c *Cache, ch chan<- []byte, size int) { ch <- offheap.Bytes(c, size, true) }(c, c.next, c.chunk)
		}
	}
	b := c.chunks[i][c.pos%chunk:]
	binary.LittleEndian.PutUint32(b, uint32(len(body)))
	binary.LittleEndian.PutUint16(b[4:], uint16(len(key)))
	copy(b[entryHeader+copy(b[entryHeader:], key):], body)
	c.idx[h] = c.pos
	c.pos += uint64(n)
	// Entries the ring has written over are forgotten now and then, so the
	// index does not grow without bound.
	if len(c.idx) > 2*int(c.max>>10) {
		for k, o := range c.idx {
			if c.pos-o > uint64(c.max) {
				delete(c.idx, k)
			}
		}
	}
}

// Stats returns the bytes kept, the entries, and the hits and misses so far.
func (c *Cache) Stats() (bytes int64, entries int, hits, misses int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, o := range c.idx {
		if k, b, ok := c.entry(o); ok {
			entries++
			bytes += int64(entryHeader + len(k) + len(b))
		}
	}
	return bytes, entries, c.hits, c.misses
}
