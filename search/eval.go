package search

import (
	"math"
	"math/bits"
	"slices"
	"sort"
)

// eval evaluates nodes against the index, document-set at a time: each
// node sets the bits of the documents it matches in a bit set, and adds
// its BM25 scores (over weighted term frequencies) into one accumulator
// indexed by document. AND is a word-wise AND of bit sets, OR lets its
// children set bits in the same set, so no list of hits is built until
// the end, and a query over a million records touches each posting once.
type eval struct {
	x      *Index
	n      float64
	c1, c2 float32   // BM25's length normalisation: c1 + c2 × length
	words  int       // bit set length in uint64s
	scores []float32 // by document; garbage outside the final set
	spare  [][]uint64
	// the final hits, kept for the next search
	hitDocs   []uint32
	hitScores []float32
	posA      []int32
	posB      []int32
}

// scratch keeps evaluation buffers (a score per document: megabytes at a
// million records) from one search to the next, across collections.
var scratch freeList[*eval]

func (x *Index) newEval() *eval {
	e, _ := scratch.take()
	if e == nil {
		e = &eval{}
	}
	e.x = x
	e.n = float64(max(x.docs.nlive, 1))
	avgLen := float64(x.docs.totalLen) / e.n
	if avgLen == 0 {
		avgLen = 1
	}
	e.c1, e.c2 = float32(bm25k1*(1-bm25b)), float32(bm25k1*bm25b/avgLen)
	n := x.docs.len()
	e.words = (n + 63) / 64
	if cap(e.scores) < n {
		e.scores = make([]float32, n)
	}
	e.scores = e.scores[:n]
	clear(e.scores)
	return e
}

func (e *eval) release() {
	e.x = nil
	scratch.give(e)
}

// bits returns a cleared bit set; put it back with free.
func (e *eval) bits() []uint64 {
	if k := len(e.spare); k > 0 {
		b := e.spare[k-1]
		e.spare = e.spare[:k-1]
		if cap(b) >= e.words {
			b = b[:e.words]
			clear(b)
			return b
		}
	}
	return make([]uint64, e.words)
}

func (e *eval) free(b []uint64) { e.spare = append(e.spare, b) }

const (
	bm25k1 = 1.2
	bm25b  = 0.75
)

func (e *eval) idf(df uint32) float64 {
	return math.Log(1 + (e.n-float64(df)+0.5)/(float64(df)+0.5))
}

// weight is a term's BM25 factor for its document frequency.
func (e *eval) weight(df uint32) float32 { return float32(e.idf(df) * (bm25k1 + 1)) }

// bm25 is the score of a term of weight w found tf times in doc.
func (e *eval) bm25(w float32, tf uint32, doc uint32) float32 {
	f := float32(tf)
	return w * f / (f + e.c1 + e.c2*float32(e.x.docs.length[doc]))
}

// cost estimates how many postings a node reads.
func (e *eval) cost(n *node) uint64 {
	if n.cost == 0 {
		n.cost = e.estimate(n) + 1
	}
	return n.cost - 1
}

func (e *eval) estimate(n *node) uint64 {
	switch n.op {
	case opTerm:
		if p := e.x.terms.get(n.key); p != nil {
			return uint64(p.n)
		}
	case opPhrase:
		c := uint64(math.MaxUint64)
		for _, k := range n.keys {
			if p := e.x.terms.get(k); p != nil {
				c = min(c, uint64(p.n))
			} else {
				return 0
			}
		}
		return c
	case opAnd:
		c := uint64(math.MaxUint64)
		for _, k := range n.kids {
			c = min(c, e.cost(k))
		}
		return c
	case opOr:
		var c uint64
		for _, k := range n.kids {
			c += e.cost(k)
		}
		return c
	case opAll:
		return uint64(e.x.docs.len())
	}
	return 0
}

// into sets in b the bits of the documents n matches, adding scores.
// With a mask, documents outside it may be left out (and are, where that
// saves work): an AND's later children need not decode positions or add
// scores for what its first ones ruled out. Every caller that passes a
// mask ANDs b with it afterwards, and scores outside the final set are
// never read.
func (e *eval) into(n *node, b, mask []uint64) {
	switch n.op {
	case opTerm:
		e.term(n, b, mask)
	case opOr:
		if e.cost(n) >= parallelCost && len(n.kids) > 1 {
			e.orInParallel(n, b, mask)
			return
		}
		for _, k := range n.kids {
			e.into(k, b, mask)
		}
	case opAnd:
		// b may hold an OR's other children: the AND is worked out in a
		// set of its own and added.
		a := e.bits()
		e.and(n, a, mask)
		for i, w := range a {
			b[i] |= w
		}
		e.free(a)
	case opPhrase:
		e.phrase(n, b, mask)
	case opAll:
		for i, w := range e.x.docs.live {
			if mask != nil {
				w &= mask[i]
			}
			b[i] |= w
		}
	}
}

// and sets in b, which is empty, the documents every child of n matches
// (among mask's, if not nil).
func (e *eval) and(n *node, b, mask []uint64) {
	kids := slices.Clone(n.kids)
	sort.SliceStable(kids, func(i, j int) bool { return e.cost(kids[i]) < e.cost(kids[j]) })
	if len(kids) == 0 || e.cost(kids[0]) == 0 {
		return // a child that matches nothing: the AND matches nothing
	}
	e.into(kids[0], b, mask)
	for _, k := range kids[1:] {
		if uint64(popcount(b))*16 < e.cost(k) {
			e.probe(k, b)
			continue
		}
		t := e.bits()
		e.into(k, t, b)
		any := uint64(0)
		for i := range b {
			b[i] &= t[i]
			any |= b[i]
		}
		e.free(t)
		if any == 0 {
			return
		}
	}
}

// parallelCost is the postings an OR reads above which its children are
// read on two cores.
var parallelCost uint64 = 200_000

// orInParallel evaluates the children of an OR in two groups of about
// equal work, the second on another goroutine with its own bit set and
// scores, and merges them.
func (e *eval) orInParallel(n *node, b, mask []uint64) {
	kids := slices.Clone(n.kids)
	work := make(map[*node]uint64, len(kids))
	for _, k := range kids {
		work[k] = e.work(k)
	}
	sort.SliceStable(kids, func(i, j int) bool { return work[kids[i]] > work[kids[j]] })
	var mine, theirs []*node
	var cm, ct uint64
	for _, k := range kids {
		if ct < cm {
			theirs, ct = append(theirs, k), ct+work[k]
		} else {
			mine, cm = append(mine, k), cm+work[k]
		}
	}
	e2 := e.x.newEval()
	b2 := e2.bits()
	done := make(chan struct{})
	go func() {
		for _, k := range theirs {
			e2.into(k, b2, mask)
		}
		close(done)
	}()
	for _, k := range mine {
		e.into(k, b, mask)
	}
	<-done
	for wi, w := range b2 {
		b[wi] |= w
		for w != 0 {
			d := wi*64 + bits.TrailingZeros64(w)
			w &= w - 1
			e.scores[d] += e2.scores[d]
		}
	}
	e2.free(b2)
	e2.release()
}

// phraseWork is how much more a posting of a phrase's lists costs than
// one of a term's: positions are decoded and compared (measured at 1M
// records: a phrase 1.5–3 ms per 100,000 postings of its lists, a term
// 0.5 ms).
const phraseWork = 4

// work estimates the time n takes, for sharing an OR between two cores:
// unlike cost, which is the postings a node could match, it counts every
// list a phrase reads.
func (e *eval) work(n *node) uint64 {
	switch n.op {
	case opPhrase:
		if len(n.keys) == 1 {
			return e.cost(n)
		}
		var w uint64
		for _, k := range n.keys {
			if p := e.x.terms.get(k); p != nil {
				w += uint64(p.n)
			}
		}
		return phraseWork * w
	case opAnd, opOr:
		var w uint64
		for _, k := range n.kids {
			w += e.work(k)
		}
		return w
	}
	return e.cost(n)
}

func (e *eval) term(n *node, b, mask []uint64) {
	p := e.x.terms.get(n.key)
	if p == nil {
		return
	}
	w := e.weight(p.n)
	// A long list ("dynasty" is in nearly every record of a Chinese
	// collection) is read in two halves at once, split at a skip entry.
	// The halves' documents are apart, so they add to the same scores;
	// the second sets its bits in a set of its own, merged after.
	if uint64(p.n) >= parallelCost && len(p.skips) >= 4 {
		k := len(p.skips) / 4 * 2 // a (document before, offset) pair
		before, off := p.skips[k], p.skips[k+1]
		b2 := e.bits()
		done := make(chan struct{})
		go func() {
			defer close(done)
			e.decode(p.buf[off:], before, n, w, b2, mask)
		}()
		e.decode(p.buf[:off], 0, n, w, b, mask)
		<-done
		for i := int(before >> 6); i < len(b); i++ {
			b[i] |= b2[i]
		}
		e.free(b2)
		return
	}
	e.decode(p.buf, 0, n, w, b, mask)
}

// decode reads the postings in buf, the first one's gap counted from doc,
// setting their bits in b (those in mask, if any) and adding their scores.
// This is the decoding loop of the cursor, inlined: it is where a search
// over a million records spends its time.
func (e *eval) decode(buf []byte, doc uint32, n *node, w float32, b, mask []uint64) {
	scores := e.scores
	off := 0
	for off < len(buf) {
		// One-byte uvarints, by far the most common, without a call.
		gap := uint64(buf[off])
		if gap < 0x80 {
			off++
		} else {
			var k int
			gap, k = uvarint(buf[off:])
			off += k
		}
		if off >= len(buf) {
			return
		}
		tf := uint64(buf[off])
		if tf < 0x80 {
			off++
		} else {
			var k int
			tf, k = uvarint(buf[off:])
			off += k
		}
		if n.pos && off < len(buf) {
			if sz := int(buf[off]); sz < 0x80 {
				off += 1 + sz
			} else {
				sz, k := uvarint(buf[off:])
				off += k + int(sz)
			}
		}
		doc += uint32(gap)
		if int(doc>>6) >= len(b) {
			return // damaged list: stop rather than write out of bounds
		}
		if mask != nil && mask[doc>>6]&(1<<(doc&63)) == 0 {
			continue
		}
		b[doc>>6] |= 1 << (doc & 63)
		if n.scored {
			scores[doc] += e.bm25(w, uint32(tf), doc)
		}
	}
}

// probe keeps in cand only the documents n matches, adding their scores:
// for a candidate set much smaller than n's lists, it jumps through the
// lists by their skips instead of reading them whole.
func (e *eval) probe(n *node, cand []uint64) {
	switch n.op {
	case opTerm:
		p := e.x.terms.get(n.key)
		if p == nil {
			clear(cand)
			return
		}
		wt := e.weight(p.n)
		c := newCursor(p, n.pos)
		done := false
		for wi, w := range cand {
			keep := uint64(0)
			for w != 0 && !done {
				bit := w & -w
				w &^= bit
				d := uint32(wi*64 + bits.TrailingZeros64(bit))
				if !c.advance(d) {
					done = true
					break
				}
				if c.doc == d {
					keep |= bit
					if n.scored {
						e.scores[d] += e.bm25(wt, c.tf, d)
					}
				}
			}
			cand[wi] = keep
		}
	case opAnd:
		kids := slices.Clone(n.kids)
		sort.SliceStable(kids, func(i, j int) bool { return e.cost(kids[i]) < e.cost(kids[j]) })
		for _, k := range kids {
			e.probe(k, cand)
		}
	case opOr:
		out := e.bits()
		t := e.bits()
		for _, k := range n.kids {
			copy(t, cand)
			e.probe(k, t)
			for i := range out {
				out[i] |= t[i]
			}
		}
		copy(cand, out)
		e.free(t)
		e.free(out)
	case opPhrase:
		t := e.bits()
		e.phrase(n, t, cand)
		for i := range cand {
			cand[i] &= t[i]
		}
		e.free(t)
	case opAll:
	default:
		clear(cand)
	}
}

// nextBit returns the first set bit at or after from.
func nextBit(b []uint64, from uint32) (uint32, bool) {
	wi := int(from >> 6)
	if wi >= len(b) {
		return 0, false
	}
	w := b[wi] &^ (1<<(from&63) - 1)
	for {
		if w != 0 {
			return uint32(wi*64 + bits.TrailingZeros64(w)), true
		}
		wi++
		if wi >= len(b) {
			return 0, false
		}
		w = b[wi]
	}
}

// popcount counts the documents in a bit set.
func popcount(b []uint64) int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// phrase sets the documents where the phrase's terms are at its offsets;
// with cand, only among those (the lead cursor jumps from candidate to
// candidate).
func (e *eval) phrase(n *node, b []uint64, cand []uint64) {
	switch len(n.keys) {
	case 0:
		return
	case 1: // two words, one gram: its list says where they are together
		e.term(&node{op: opTerm, key: n.keys[0], pos: true, scored: n.scored}, b, cand)
		return
	}
	cs := make([]cursor, len(n.keys))
	ws := make([]float32, len(n.keys))
	offs := make([]int32, len(n.keys))
	order := make([]int, len(n.keys))
	lens := make([]uint32, len(n.keys))
	for i, k := range n.keys {
		p := e.x.terms.get(k)
		if p == nil {
			return
		}
		order[i], lens[i] = i, p.n
	}
	// The rarest list leads; the others are checked at its documents.
	sort.SliceStable(order, func(a, b int) bool { return lens[order[a]] < lens[order[b]] })
	for i, k := range order {
		p := e.x.terms.get(n.keys[k])
		cs[i] = newCursor(p, true)
		ws[i] = e.weight(p.n)
		offs[i] = n.offs[k] - n.offs[order[0]]
	}
	target := uint32(0)
	for {
		if cand != nil {
			next, ok := nextBit(cand, target)
			if !ok {
				return
			}
			target = next
		}
		// Leapfrog: bring every cursor to the same document.
		if !cs[0].advance(target) {
			return
		}
		d := cs[0].doc
		aligned := true
		for i := 1; i < len(cs); i++ {
			if !cs[i].advance(d) {
				return
			}
			if cs[i].doc != d {
				target, aligned = cs[i].doc, false
				break
			}
		}
		if !aligned {
			continue
		}
		if cand != nil && cand[d>>6]&(1<<(d&63)) == 0 {
			target = d + 1 // not a candidate: no need to read its positions
			continue
		}
		if e.phraseAt(cs, offs) {
			b[d>>6] |= 1 << (d & 63)
			if n.scored {
				for i := range cs {
					e.scores[d] += e.bm25(ws[i], cs[i].tf, d)
				}
			}
		}
		target = d + 1
	}
}

// phraseAt reports whether the cursors, all on one document, have their
// terms at the offsets of the phrase.
func (e *eval) phraseAt(cs []cursor, offs []int32) bool {
	e.posA = cs[0].positions(e.posA[:0])
	for i := 1; i < len(cs) && len(e.posA) > 0; i++ {
		e.posB = cs[i].positions(e.posB[:0])
		out := e.posA[:0]
		j := 0
		for _, p := range e.posA {
			want := p + offs[i]
			for j < len(e.posB) && e.posB[j] < want {
				j++
			}
			if j < len(e.posB) && e.posB[j] == want {
				out = append(out, p)
			}
		}
		e.posA = out
	}
	return len(e.posA) > 0
}
