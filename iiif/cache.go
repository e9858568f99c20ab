package iiif

import (
	"container/list"
	"sync"
)

// Cache keeps encoded images by key, dropping the least recently used past
// its size in bytes. It is safe for concurrent use.
type Cache struct {
	max int64

	mu           sync.Mutex
	size         int64
	ll           *list.List // front: most recently used
	m            map[string]*list.Element
	hits, misses int64
}

type cacheEntry struct {
	key  string
	body []byte
}

// NewCache returns a cache of at most max bytes (keys included); a max of 0
// or less caches nothing.
func NewCache(max int64) *Cache {
	return &Cache{max: max, ll: list.New(), m: map[string]*list.Element{}}
}

// Get returns the body kept under key.
func (c *Cache) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[key]; ok {
		c.ll.MoveToFront(e)
		c.hits++
		return e.Value.(*cacheEntry).body, true
	}
	c.misses++
	return nil, false
}

// Put keeps body under key. body must not be changed afterwards.
func (c *Cache) Put(key string, body []byte) {
	n := int64(len(key) + len(body))
	if n > c.max/8 {
		return // one huge result would push out hundreds of tiles
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[key]; ok {
		old := e.Value.(*cacheEntry)
		c.size += int64(len(body) - len(old.body))
		old.body = body
		c.ll.MoveToFront(e)
	} else {
		c.m[key] = c.ll.PushFront(&cacheEntry{key, body})
		c.size += n
	}
	for c.size > c.max {
		e := c.ll.Back()
		ce := e.Value.(*cacheEntry)
		c.ll.Remove(e)
		delete(c.m, ce.key)
		c.size -= int64(len(ce.key) + len(ce.body))
	}
}

// Stats returns the bytes kept, the entries, and the hits and misses so far.
func (c *Cache) Stats() (bytes int64, entries int, hits, misses int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size, len(c.m), c.hits, c.misses
}
