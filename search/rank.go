package search

import (
	"container/heap"
	"sort"
	"strings"
	"sync"
)

// facets counts the facet values of docs.
func (x *Index) facets(docs []uint32, size int, staff bool) []Facet {
	// Count in two halves at once on large result sets: a facet count
	// touches every hit.
	type tally struct {
		counts []uint32 // by authority number << 3 | slot
		insts  []int
		images [2]int
		vis    [3]int
	}
	count := func(docs []uint32) *tally {
		n := len(x.auth.list) << 3
		t := &tally{counts: countBufs.get(2 * n), insts: make([]int, len(x.insts))}
		d := &x.docs
		// Neighbouring documents mostly share their values (a
		// collection's classification, its period): counting every other
		// document in a second array lets the increments of one not wait
		// for the other's.
		a, b := t.counts[:n], t.counts[n:2*n]
		for i, doc := range docs {
			t.insts[d.inst[doc]]++
			t.vis[d.vis[doc]]++
			t.images[d.flags[doc]&flagImage]++
			start := uint32(0)
			if doc > 0 {
				start = d.facEnd[doc-1]
			}
			c := a
			if i&1 != 0 {
				c = b
			}
			for _, v := range d.facets[start:d.facEnd[doc]] {
				c[v]++
			}
		}
		for i, v := range b {
			a[i] += v
		}
		t.counts = a
		return t
	}
	var all *tally
	if len(docs) < 1<<15 {
		all = count(docs)
	} else {
		half := len(docs) / 2
		done := make(chan *tally)
		go func() { done <- count(docs[half:]) }()
		all = count(docs[:half])
		other := <-done
		for i, n := range other.counts {
			all.counts[i] += n
		}
		countBufs.put(other.counts)
		for i, n := range other.insts {
			all.insts[i] += n
		}
		for i := range all.images {
			all.images[i] += other.images[i]
		}
		for i := range all.vis {
			all.vis[i] += other.vis[i]
		}
	}
	counts, insts, images, vis := all.counts, all.insts, all.images, all.vis
	defer countBufs.put(counts)
	var out []Facet
	for i, fn := range facetNames {
		f := Facet{Name: fn.name}
		if fn.code == facetInstitution {
			for j, n := range insts {
				if n > 0 {
					fv := FacetValue{Value: x.insts[j], Count: n}
					if au := x.auth.get(x.insts[j]); au != nil {
						fv.Names = au.names
					}
					f.Values = append(f.Values, fv)
				}
			}
		} else {
			// Only the largest counts are shown (periods keep their
			// parents too): select those before making values of them.
			limit := len(x.auth.list)
			if fn.code != facetPeriod {
				limit = size
			}
			for _, a := range topCounts(counts, i, limit, func(a, b int) bool { return x.auth.list[a].id < x.auth.list[b].id }) {
				au := &x.auth.list[a]
				f.Values = append(f.Values, FacetValue{Value: au.id, Count: int(counts[a<<3|i]), Parent: au.parent, Names: au.names})
			}
		}
		sort.SliceStable(f.Values, func(a, b int) bool {
			if f.Values[a].Count != f.Values[b].Count {
				return f.Values[a].Count > f.Values[b].Count
			}
			return f.Values[a].Value < f.Values[b].Value
		})
		if fn.code != facetPeriod && len(f.Values) > size {
			f.Values = f.Values[:size]
		}
		if fn.code == facetPeriod {
			f.Values = topTree(f.Values, size)
		}
		out = append(out, f)
	}
	out = append(out, Facet{Name: "has_image", Values: []FacetValue{{Value: "true", Count: images[1]}, {Value: "false", Count: images[0]}}})
	if staff {
		f := Facet{Name: "visibility"}
		for i, n := range vis {
			if n > 0 {
				f.Values = append(f.Values, FacetValue{Value: string(visibilities[i]), Count: n})
			}
		}
		out = append(out, f)
	}
	return out
}

// topTree keeps the size most frequent values of a hierarchical facet and
// every value below a kept one's parent chain, so a dynasty's reigns are
// shown with it: the top values, then each one's children up to size.
func topTree(vs []FacetValue, size int) []FacetValue {
	if len(vs) <= size {
		return vs
	}
	keep := map[string]bool{}
	var out []FacetValue
	for _, v := range vs {
		if len(out) >= size {
			break
		}
		if v.Parent == "" || keep[v.Parent] {
			keep[v.Value] = true
			out = append(out, v)
		}
	}
	for _, v := range vs {
		if len(out) >= 2*size {
			break
		}
		if !keep[v.Value] && keep[v.Parent] {
			keep[v.Value] = true
			out = append(out, v)
		}
	}
	return out
}

// top returns the indexes into h of the first k hits in the sort order.
func (x *Index) top(h hits, order string, k int) []int {
	if k <= 0 || len(h.docs) == 0 {
		return nil
	}
	var less func(a, b int) bool // a before b
	switch order {
	case SortDate, SortDateDesc:
		desc := order == SortDateDesc
		less = func(a, b int) bool {
			ea, eb := x.docs.earliest[h.docs[a]], x.docs.earliest[h.docs[b]]
			if ea != eb {
				if ea == noYear || eb == noYear {
					return eb == noYear
				}
				return (ea < eb) != desc
			}
			return h.docs[a] < h.docs[b]
		}
	case SortAccession:
		less = func(a, b int) bool {
			c := compareAccession(x.docs.accession(h.docs[a]), x.docs.accession(h.docs[b]))
			if c != 0 {
				return c < 0
			}
			return h.docs[a] < h.docs[b]
		}
	default:
		less = func(a, b int) bool {
			if h.scores[a] != h.scores[b] {
				return h.scores[a] > h.scores[b]
			}
			return h.docs[a] > h.docs[b]
		}
	}
	if k >= len(h.docs) {
		idx := make([]int, len(h.docs))
		for i := range idx {
			idx[i] = i
		}
		sort.Slice(idx, func(i, j int) bool { return less(idx[i], idx[j]) })
		return idx
	}
	// A heap of the best k so far, worst on top.
	t := &topHeap{less: less}
	for i := range h.docs {
		if len(t.idx) < k {
			heap.Push(t, i)
		} else if less(i, t.idx[0]) {
			t.idx[0] = i
			heap.Fix(t, 0)
		}
	}
	out := make([]int, len(t.idx))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(t).(int)
	}
	return out
}

type topHeap struct {
	idx  []int
	less func(a, b int) bool
}

func (t *topHeap) Len() int           { return len(t.idx) }
func (t *topHeap) Less(i, j int) bool { return t.less(t.idx[j], t.idx[i]) }
func (t *topHeap) Swap(i, j int)      { t.idx[i], t.idx[j] = t.idx[j], t.idx[i] }
func (t *topHeap) Push(v any)         { t.idx = append(t.idx, v.(int)) }
func (t *topHeap) Pop() any {
	v := t.idx[len(t.idx)-1]
	t.idx = t.idx[:len(t.idx)-1]
	return v
}

// compareAccession orders accession numbers as people do: runs of digits
// by their value, so 35.9 comes before 35.10.
func compareAccession(a, b string) int {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if len(na) != len(nb) {
				return len(na) - len(nb)
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func digitRun(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// topCounts returns the authority numbers a with the limit largest
// non-zero counts[a<<3|slot], ties to the one before by idLess (the order
// the values are shown in), in no order.
func topCounts(counts []uint32, slot, limit int, idLess func(a, b int) bool) []int {
	var out []int
	if limit <= 0 {
		return out
	}
	// A min-heap of the best so far: lowest count, then last by id, on top.
	worse := func(a, b int) bool {
		ca, cb := counts[a<<3|slot], counts[b<<3|slot]
		return ca < cb || (ca == cb && idLess(b, a))
	}
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(out) {
				return
			}
			if r := l + 1; r < len(out) && worse(out[r], out[l]) {
				l = r
			}
			if !worse(out[l], out[i]) {
				return
			}
			out[i], out[l] = out[l], out[i]
			i = l
		}
	}
	for a := 0; a<<3|slot < len(counts); a++ {
		if counts[a<<3|slot] == 0 {
			continue
		}
		if len(out) < limit {
			out = append(out, a)
			for i := len(out) - 1; i > 0 && worse(out[i], out[(i-1)/2]); i = (i - 1) / 2 {
				out[i], out[(i-1)/2] = out[(i-1)/2], out[i]
			}
		} else if worse(out[0], a) {
			out[0] = a
			down(0)
		}
	}
	return out
}

// freeList keeps a few buffers across garbage collections: a sync.Pool
// empties at every one, and these are megabytes that each search of a
// large index would allocate again, feeding the collector that emptied it.
type freeList[T any] struct {
	mu    sync.Mutex
	items []T
}

func (f *freeList[T]) take() (T, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var zero T
	if len(f.items) == 0 {
		return zero, false
	}
	v := f.items[len(f.items)-1]
	f.items = f.items[:len(f.items)-1]
	return v, true
}

func (f *freeList[T]) give(v T) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.items) < 8 {
		f.items = append(f.items, v)
	}
}

// counters is a free list of facet count buffers.
type counters struct{ freeList[[]uint32] }

func (c *counters) get(n int) []uint32 {
	if b, ok := c.take(); ok && cap(b) >= n {
		b = b[:n]
		clear(b)
		return b
	}
	return make([]uint32, n)
}

func (c *counters) put(b []uint32) { c.give(b) }

var countBufs counters
