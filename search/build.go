package search

import (
	"strings"

	"wenyuan"
)

// SetAuthority adds or replaces an authority (or institution) record whose
// names objects are found by. It is for building an index without a
// store — benchmarks and tools; the Engine does this itself.
func (x *Index) SetAuthority(r wenyuan.Record) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.setAuthority(r)
}

// AddObject indexes o, replacing the document of the same id. Like
// SetAuthority it is for building an index without a store.
func (x *Index) AddObject(o *wenyuan.Object) {
	d := newDocument(o, &x.auth)
	x.mu.Lock()
	defer x.mu.Unlock()
	x.add(d)
}

// TextOf returns all the text the index would take from o, field after
// field, with the names of what it links to: what a search engine without
// Wenyuan's fields is given, for comparisons.
func (x *Index) TextOf(o *wenyuan.Object) string {
	x.mu.RLock()
	defer x.mu.RUnlock()
	d := newDocument(o, &x.auth)
	parts := make([]string, len(d.fields))
	for i, f := range d.fields {
		parts[i] = f.text
		if f.auth >= 0 {
			parts[i] = x.auth.list[f.auth].text()
		}
	}
	return strings.Join(parts, " ; ")
}
