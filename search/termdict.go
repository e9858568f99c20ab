package search

import (
	"bytes"
	"hash/maphash"
	"slices"
	"unsafe"
)

// The index's two large maps — term key → posting list, and object id →
// document — hold no pointer per entry. A map of strings to pointers costs
// the garbage collector two objects to find and mark per entry, on every
// collection: at 100,000 objects that was some 700,000 objects and most
// of a collection's work, and a server's requests wait while it is done.
// Here a key is looked up by its 64-bit hash in a map of plain numbers,
// and the number is checked against the key kept elsewhere (in one byte
// arena, or the document table), so that two keys with the same hash can
// never be confused: the second goes to a small map of its own.

// hashIndex maps keys to numbers through their hashes. is(n) reports
// whether number n belongs to the key being looked for; the caller keeps
// the keys.
type hashIndex struct {
	m    map[uint64]uint32
	more map[string]uint32 // keys whose hash a key in m has
}

var hashSeed = maphash.MakeSeed()

func hashOf(key []byte) uint64 { return maphash.Bytes(hashSeed, key) }

// bytesOf is s's bytes, not copied: for reading only.
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

func newHashIndex(size int) hashIndex {
	return hashIndex{m: make(map[uint64]uint32, size)}
}

func (h *hashIndex) find(hash uint64, key []byte, is func(uint32) bool) (uint32, bool) {
	if n, ok := h.m[hash]; ok && is(n) {
		return n, true
	}
	if len(h.more) == 0 {
		return 0, false
	}
	n, ok := h.more[string(key)]
	return n, ok
}

// set maps key to n.
func (h *hashIndex) set(hash uint64, key []byte, n uint32, is func(uint32) bool) {
	cur, ok := h.m[hash]
	switch {
	case ok && is(cur):
		h.m[hash] = n
	case ok:
		if h.more == nil {
			h.more = map[string]uint32{}
		}
		h.more[string(key)] = n
	default:
		h.m[hash] = n
		if len(h.more) > 0 {
			delete(h.more, string(key)) // a stale entry from when another key had the hash
		}
	}
}

// remove forgets key.
func (h *hashIndex) remove(hash uint64, key []byte, is func(uint32) bool) {
	if cur, ok := h.m[hash]; ok && is(cur) {
		delete(h.m, hash)
		return
	}
	delete(h.more, string(key))
}

func (h *hashIndex) len() int { return len(h.m) + len(h.more) }

// termDict holds the posting lists by term key. Lists live in chunks that
// never move, so a *plist stays valid as terms are added.
type termDict struct {
	idx    hashIndex
	keys   []byte   // every term's key, one after the other
	keyEnd []uint32 // where term n's key ends in keys
	chunks [][]plist
}

const (
	termChunkBits = 12
	termChunk     = 1 << termChunkBits
)

func newTermDict(size int) termDict {
	return termDict{idx: newHashIndex(size), keyEnd: make([]uint32, 0, size)}
}

func (t *termDict) len() int { return len(t.keyEnd) }

// at returns term n's list.
func (t *termDict) at(n uint32) *plist { return &t.chunks[n>>termChunkBits][n&(termChunk-1)] }

// key returns term n's key.
func (t *termDict) key(n uint32) []byte {
	start := uint32(0)
	if n > 0 {
		start = t.keyEnd[n-1]
	}
	return t.keys[start:t.keyEnd[n]]
}

// get returns the list of key, or nil.
func (t *termDict) get(key string) *plist {
	b := bytesOf(key)
	n, ok := t.idx.find(hashOf(b), b, func(n uint32) bool { return bytes.Equal(t.key(n), b) })
	if !ok {
		return nil
	}
	return t.at(n)
}

// number returns the number of key's term, adding the term if it is new.
func (t *termDict) number(key []byte) uint32 {
	h := hashOf(key)
	is := func(n uint32) bool { return bytes.Equal(t.key(n), key) }
	if n, ok := t.idx.find(h, key, is); ok {
		return n
	}
	n := uint32(len(t.keyEnd))
	if n&(termChunk-1) == 0 {
		t.chunks = append(t.chunks, make([]plist, termChunk))
	}
	t.keys = append(t.keys, key...)
	t.keyEnd = append(t.keyEnd, uint32(len(t.keys)))
	t.idx.set(h, key, n, is)
	return n
}

// term returns the list of key, adding the term if it is new.
func (t *termDict) term(key []byte) *plist { return t.at(t.number(key)) }

// sorted returns the term numbers in the order of their keys.
func (t *termDict) sorted() []uint32 {
	ns := make([]uint32, t.len())
	for i := range ns {
		ns[i] = uint32(i)
	}
	slices.SortFunc(ns, func(a, b uint32) int { return bytes.Compare(t.key(a), t.key(b)) })
	return ns
}

// Pack copies the index's posting lists into a few large blocks (see
// termDict.pack): for an index built by AddObject, before it serves.
func (x *Index) Pack() {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.terms.pack()
}

// pack copies the posting lists and skips into a few large blocks, so
// that the collector finds a few objects instead of two per term, and
// the spare capacity that appending left is given back. Lists appended to
// later move out of their block, as any full slice would.
func (t *termDict) pack() {
	const block = 4 << 20
	var bb []byte
	var sb []uint32
	for n := range uint32(t.len()) {
		p := t.at(n)
		if l := len(p.buf); l > 0 && l <= block/8 {
			if cap(bb)-len(bb) < l {
				bb = make([]byte, 0, block)
			}
			s := len(bb)
			bb = append(bb, p.buf...)
			p.buf = bb[s:len(bb):len(bb)]
		}
		if l := len(p.skips); l > 0 && l <= block/32 {
			if cap(sb)-len(sb) < l {
				sb = make([]uint32, 0, block/4)
			}
			s := len(sb)
			sb = append(sb, p.skips...)
			p.skips = sb[s:len(sb):len(sb)]
		}
	}
}
