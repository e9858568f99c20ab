package search

import (
	"bytes"
	"fmt"
	"testing"
)

// Keys that share a hash are kept apart, through every order of setting
// and removing them.
func TestHashIndexCollisions(t *testing.T) {
	keys := [][]byte{[]byte("a"), []byte("b"), []byte("c")}
	owner := map[uint32][]byte{} // number → its key, as the caller keeps it
	var h hashIndex
	h = newHashIndex(0)
	const hash = 42 // every key collides
	is := func(key []byte) func(uint32) bool {
		return func(n uint32) bool { return bytes.Equal(owner[n], key) }
	}
	want := map[string]uint32{}
	check := func(step string) {
		t.Helper()
		for _, k := range keys {
			n, ok := h.find(hash, k, is(k))
			w, wok := want[string(k)]
			if ok != wok || n != w {
				t.Fatalf("%s: find(%s) = %d, %v; want %d, %v", step, k, n, ok, w, wok)
			}
		}
		if h.len() != len(want) {
			t.Fatalf("%s: len = %d, want %d", step, h.len(), len(want))
		}
	}
	next := uint32(0)
	set := func(k []byte) {
		n := next
		next++
		owner[n] = k
		h.set(hash, k, n, is(k))
		want[string(k)] = n
		check(fmt.Sprintf("set %s", k))
	}
	remove := func(k []byte) {
		n := want[string(k)]
		h.remove(hash, k, func(m uint32) bool { return m == n })
		delete(want, string(k))
		check(fmt.Sprintf("remove %s", k))
	}
	set(keys[0])
	set(keys[1])
	set(keys[2])
	set(keys[1]) // a new number for a key kept in more
	remove(keys[0])
	set(keys[2]) // now in m? no: still in more, m is empty
	remove(keys[1])
	set(keys[0])
	remove(keys[2])
	remove(keys[0])
	set(keys[1])
	set(keys[0])
}

func TestTermDict(t *testing.T) {
	d := newTermDict(0)
	n := 3*termChunk + 5 // over several chunks
	for i := range n {
		p := d.term([]byte(fmt.Sprintf("k%d", i)))
		p.add(uint32(i), 1, nil, false)
	}
	first := d.get("k0")
	for i := range n {
		p := d.get(fmt.Sprintf("k%d", i))
		if p == nil || p.n != 1 || p.last != uint32(i) {
			t.Fatalf("k%d: %+v", i, p)
		}
	}
	if d.get("k") != nil || d.get("") != nil {
		t.Fatal("found a key never added")
	}
	d.pack()
	if d.get("k0") != first || first.n != 1 {
		t.Fatal("a list moved")
	}
	first.add(uint32(n), 1, nil, false) // appending to a packed list copies it
	if p := d.get("k1"); p.n != 1 || p.last != 1 {
		t.Fatalf("appending to k0 changed k1: %+v", p)
	}
	order := d.sorted()
	for i := 1; i < len(order); i++ {
		if bytes.Compare(d.key(order[i-1]), d.key(order[i])) >= 0 {
			t.Fatal("not sorted")
		}
	}
}
