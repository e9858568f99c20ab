package sqlite

import (
	"context"
	"encoding/binary"
	"hash/maphash"
	"sync"
	"time"

	"wenyuan"
	"wenyuan/internal/offheap"
)

// cache keeps recently read records in memory, as stored: reading a
// record is the commonest request and costs far more through SQLite than
// from memory. Writes through this DB drop what they change as they
// commit; writes by another process (a command-line import while the
// server runs) are noticed within pollEvery through SQLite's data_version,
// and then everything is dropped.
//
// Entries live in one byte ring, indexed by a map of hashes to offsets.
// Neither holds pointers, so the garbage collector never scans the cache:
// a cache of Go values with a pointer each measured slower at the tail
// than no cache at all, from collection work alone.
type cache struct {
	mu   sync.RWMutex
	seed maphash.Seed
	idx  map[uint64]uint64 // hash of kind and id → absolute offset in the ring
	ring []byte
	pos  uint64 // absolute offset of the next write; ring[pos % len(ring)]
	// gen counts drops, so that a read that raced a write does not put
	// back what the write made stale.
	gen uint64
}

const (
	cacheBytes = 128 << 20
	pollEvery  = 200 * time.Millisecond
	headerLen  = 4 + 8 + 8 + 8 + 1 + 1 + 1 + 2 // doc, version, created, updated, kind, id, visibility, institution lengths
)

// newCache makes a cache of size bytes. Its ring is outside Go's heap
// (package offheap), so that it does not raise the collector's goal by its
// size; its pages are made as entries first reach them.
func newCache(size int) *cache {
	c := &cache{seed: maphash.MakeSeed(), idx: map[uint64]uint64{}}
	c.ring = offheap.Bytes(c, size, false)
	return c
}

func (c *cache) hash(kind wenyuan.Kind, id string) uint64 {
	var h maphash.Hash
	h.SetSeed(c.seed)
	h.WriteString(string(kind))
	h.WriteByte(0)
	h.WriteString(id)
	return h.Sum64()
}

// get returns a copy of the cached record, or nil, and the generation to
// pass to put after reading the record from the store.
func (c *cache) get(kind wenyuan.Kind, id string) (*wenyuan.RawRecord, uint64) {
	h := c.hash(kind, id)
	c.mu.RLock()
	defer c.mu.RUnlock()
	off, ok := c.idx[h]
	if !ok || c.pos-off > uint64(len(c.ring)) {
		return nil, c.gen
	}
	e := c.ring[off%uint64(len(c.ring)):]
	if len(e) < headerLen {
		return nil, c.gen
	}
	docLen := int(binary.LittleEndian.Uint32(e))
	kindLen, idLen, visLen := int(e[28]), int(e[29]), int(e[30])
	instLen := int(binary.LittleEndian.Uint16(e[31:]))
	n := headerLen + kindLen + idLen + visLen + instLen + docLen
	if len(e) < n {
		return nil, c.gen
	}
	p := e[headerLen:n]
	if string(p[:kindLen]) != string(kind) || string(p[kindLen:kindLen+idLen]) != id {
		return nil, c.gen // another record with the same hash
	}
	p = p[kindLen+idLen:]
	r := &wenyuan.RawRecord{Kind: kind, ID: id,
		Meta: wenyuan.Meta{
			Version:   int(binary.LittleEndian.Uint64(e[4:])),
			CreatedAt: fromNanos(int64(binary.LittleEndian.Uint64(e[12:]))),
			UpdatedAt: fromNanos(int64(binary.LittleEndian.Uint64(e[20:]))),
		},
		Visibility:  wenyuan.Visibility(p[:visLen]),
		Institution: string(p[visLen : visLen+instLen]),
		Doc:         append([]byte(nil), p[visLen+instLen:]...),
	}
	return r, c.gen
}

// put keeps r unless something was dropped since gen was read.
func (c *cache) put(r *wenyuan.RawRecord, gen uint64) {
	n := headerLen + len(r.Kind) + len(r.ID) + len(r.Visibility) + len(r.Institution) + len(r.Doc)
	if n > len(c.ring)/16 || len(r.Kind) > 255 || len(r.ID) > 255 || len(r.Visibility) > 255 || len(r.Institution) > 65535 {
		return
	}
	h := c.hash(r.Kind, r.ID)
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	size := uint64(len(c.ring))
	if c.pos%size+uint64(n) > size { // no room before the end: start over at the front
		c.pos += size - c.pos%size
	}
	off := c.pos
	e := c.ring[off%size : off%size+uint64(n)]
	binary.LittleEndian.PutUint32(e, uint32(len(r.Doc)))
	binary.LittleEndian.PutUint64(e[4:], uint64(r.Meta.Version))
	binary.LittleEndian.PutUint64(e[12:], uint64(r.Meta.CreatedAt.UnixNano()))
	binary.LittleEndian.PutUint64(e[20:], uint64(r.Meta.UpdatedAt.UnixNano()))
	e[28], e[29], e[30] = byte(len(r.Kind)), byte(len(r.ID)), byte(len(r.Visibility))
	binary.LittleEndian.PutUint16(e[31:], uint16(len(r.Institution)))
	p := e[headerLen:]
	p = p[copy(p, r.Kind):]
	p = p[copy(p, r.ID):]
	p = p[copy(p, r.Visibility):]
	p = p[copy(p, r.Institution):]
	copy(p, r.Doc)
	c.pos += uint64(n)
	c.idx[h] = off
	// Entries the ring has written over are forgotten now and then, so the
	// index does not grow without bound.
	if len(c.idx) > 4*len(c.ring)/1024 {
		for k, o := range c.idx {
			if c.pos-o > size {
				delete(c.idx, k)
			}
		}
	}
}

func (c *cache) drop(keys []cacheKey) {
	if len(keys) == 0 {
		return
	}
	hs := make([]uint64, len(keys))
	for i, k := range keys {
		hs[i] = c.hash(k.kind, k.id)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for _, h := range hs {
		delete(c.idx, h)
	}
}

func (c *cache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.idx)
}

// cacheKey names a record to drop.
type cacheKey struct {
	kind wenyuan.Kind
	id   string
}

// watch clears the cache whenever any connection commits, until ctx ends.
// SQLite cannot tell this process's commits from another's here; those
// have dropped their own records already, and clearing the rest costs
// only a refill.
func (db *DB) watch(ctx context.Context) {
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	var last int64 = -1
	t := time.NewTicker(pollEvery)
	defer t.Stop()
	for {
		var v int64
		if err := conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
			if ctx.Err() != nil {
				return
			}
			db.cache.clear()
		} else if last != -1 && v != last {
			db.cache.clear()
		}
		last = v
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
