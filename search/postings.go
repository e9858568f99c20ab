package search

import "encoding/binary"

// plist is the posting list of one term: for each document that has the
// term, in increasing document order, the gap from the previous document,
// the term's weighted frequency and, for positional terms, the byte length
// of the positions followed by the positions as gaps, all as uvarints.
// Documents only ever get higher numbers (a changed record is indexed as a
// new document and the old one marked deleted), so lists only grow at the
// end and stay sorted.
type plist struct {
	buf  []byte
	last uint32 // the last document added, if n > 0
	n    uint32 // documents in the list, deleted ones included
	// skips has, for every skipEvery-th entry, the document before it and
	// the entry's offset in buf: a cursor looking for a later document
	// jumps over whole blocks instead of decoding them.
	skips []uint32
	// The writer's note of where this term's frequency for the document
	// being indexed is accumulated: valid while accDoc is that document + 1.
	accDoc uint32
	accIdx int32
}

// skipEvery is how many entries a skip jumps.
const skipEvery = 64

func (p *plist) add(doc uint32, tf uint32, positions []int32, positional bool) {
	gap := doc
	if p.n > 0 {
		gap = doc - p.last
		if p.n%skipEvery == 0 {
			p.skips = append(p.skips, p.last, uint32(len(p.buf)))
		}
	}
	p.buf = binary.AppendUvarint(p.buf, uint64(gap))
	p.buf = binary.AppendUvarint(p.buf, uint64(tf))
	if positional {
		sz := 0
		prev := int32(0)
		for _, q := range positions {
			sz += uvarintLen(uint64(q - prev))
			prev = q
		}
		p.buf = binary.AppendUvarint(p.buf, uint64(sz))
		prev = 0
		for _, q := range positions {
			p.buf = binary.AppendUvarint(p.buf, uint64(q-prev))
			prev = q
		}
	}
	p.last = doc
	p.n++
}

func uvarintLen(x uint64) int {
	n := 1
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n
}

// cursor reads a posting list from the start.
type cursor struct {
	buf        []byte
	skips      []uint32
	si         int // skips before si are behind the cursor
	off        int
	positional bool
	doc        uint32
	tf         uint32
	pos        []byte // the current document's positions, if positional
	started    bool
}

func newCursor(p *plist, positional bool) cursor {
	if p == nil {
		return cursor{}
	}
	return cursor{buf: p.buf, skips: p.skips, positional: positional}
}

func (c *cursor) next() bool {
	if c.off >= len(c.buf) {
		return false
	}
	gap, n := uvarint(c.buf[c.off:])
	c.off += n
	tf, n := uvarint(c.buf[c.off:])
	c.off += n
	if c.started {
		c.doc += uint32(gap)
	} else {
		c.doc, c.started = uint32(gap), true
	}
	c.tf = uint32(tf)
	if c.positional {
		sz, n := uvarint(c.buf[c.off:])
		c.off += n
		if sz > uint64(len(c.buf)-c.off) {
			c.off = len(c.buf)
			return false
		}
		c.pos = c.buf[c.off : c.off+int(sz)]
		c.off += int(sz)
	}
	return true
}

// advance moves to the first document >= doc.
func (c *cursor) advance(doc uint32) bool {
	if c.started && c.doc >= doc {
		return true
	}
	// Jump to the last block that starts before doc, if it is ahead.
	j := -1
	for c.si*2 < len(c.skips) && c.skips[c.si*2] < doc {
		j = c.si
		c.si++
	}
	if j >= 0 && int(c.skips[j*2+1]) > c.off {
		c.doc, c.off, c.started = c.skips[j*2], int(c.skips[j*2+1]), true
	}
	for !c.started || c.doc < doc {
		if !c.next() {
			return false
		}
	}
	return true
}

// positions appends the current document's positions to dst.
func (c *cursor) positions(dst []int32) []int32 {
	prev := int32(0)
	for b := c.pos; len(b) > 0; {
		v, n := uvarint(b)
		b = b[n:]
		prev += int32(v)
		dst = append(dst, prev)
	}
	return dst
}

// uvarint is binary.Uvarint with the one-byte case inline.
func uvarint(b []byte) (uint64, int) {
	if len(b) > 0 && b[0] < 0x80 {
		return uint64(b[0]), 1
	}
	v, n := binary.Uvarint(b)
	if n <= 0 {
		return 0, len(b) + 1 // corrupt: stop the reader
	}
	return v, n
}
