package search

import (
	"bytes"
	"math"
	"sync"
	"unicode/utf8"

	"wenyuan"
)

// Term namespaces: the first byte of every key in the term dictionary.
const (
	nsAll     = 'a' // words and bigrams of every field, positional, weighted
	nsUni     = 'u' // CJK unigrams of every field
	nsJoined  = 'j' // hyphenated words joined
	nsPinyin  = 'p' // pinyin of titles and authority names
	nsField   = 'F' // then a field code: terms of one field, for title:, maker:, …
	nsFacet   = 'f' // then a facet code and a value: documents with that value
	nsAccNo   = 'n' // the whole accession number, folded
	nsGram    = 'g' // two adjacent words, positional: a phrase of two words is one list, a longer one is led by its rarest pair
	nsTitle   = 'e' // a whole title (titleKey): the record a query names exactly ranks first
	noYear    = math.MinInt32
	flagImage = 1
)

// Field codes, for field-prefixed queries and fielded term lists.
const (
	fieldTitle       = 't'
	fieldMaker       = 'm'
	fieldMaterial    = 'x'
	fieldPeriod      = 'd'
	fieldPlace       = 'l'
	fieldClass       = 'c'
	fieldInscription = 'i'
)

// Facet codes.
const (
	facetInstitution = 'i'
	facetClass       = 'c'
	facetPeriod      = 'd'
	facetMaterial    = 'x'
	facetMaker       = 'm'
	facetPlace       = 'l'
	facetTechnique   = 'k' // not counted; kept so that a renamed technique reindexes its objects
)

// linkFacets are the facet lists through which objects link to authorities
// and institutions.
var linkFacets = []byte{facetInstitution, facetClass, facetPeriod, facetMaterial, facetMaker, facetPlace, facetTechnique}

// Index is the embedded search index: an inverted index over the terms of
// the analysis pipeline, in memory, with a column per document for what
// queries filter, count and sort by. Documents are objects; authorities are
// kept beside them so that an object is found by the names of the periods,
// makers, places and concepts it links to, in every language they have.
//
// Readers share the index; the one writer (the Indexer) excludes them
// only while it applies a batch.
type Index struct {
	mu    sync.RWMutex
	terms termDict
	docs  docTable
	byID  hashIndex // object id → its live document (its hash, checked against docs)
	auth  authorities
	insts []string // institution slugs; docTable.inst indexes it
	instN map[string]uint16
	rev   int64 // the store revision the index reflects

	// authToks caches the tokens of each authority's names, by authority
	// number and field code: most of an object's text is the names of what
	// it links to, the same for many objects.
	authToks map[uint64][]indexToken

	// scratch for the writer
	toks     []indexToken
	prevWord []byte
	an       *Analyzer
	accDoc   uint32 // the document being indexed + 1
	accs     []termAcc
	uni      []uint32          // CJK unigram terms of the BMP by rune (number + 1), a cache of terms
	bi       map[uint64]uint32 // CJK bigram terms by their two runes, a cache of terms
	keyb     []byte
	facb     []uint32
}

type termAcc struct {
	pl         *plist
	tf         uint32
	positional bool
	pos        []int32
}

// docTable holds one row per document number, as columns.
type docTable struct {
	ids      []byte
	idEnd    []uint32
	accNo    []byte
	accEnd   []uint32
	inst     []uint16
	vis      []uint8
	flags    []uint8
	earliest []int32
	latest   []int32
	length   []uint32 // weighted number of tokens, for BM25
	facEnd   []uint32
	facets   []uint32 // authority number << 3 | facet slot (facetSlot)
	live     []uint64 // bit set
	nlive    int
	totalLen uint64 // of live documents
}

func (d *docTable) len() int { return len(d.inst) }

func (d *docTable) isLive(doc uint32) bool { return d.live[doc>>6]&(1<<(doc&63)) != 0 }

func (d *docTable) id(doc uint32) string {
	return string(d.idBytes(doc))
}

// idBytes is the id of doc, not copied.
func (d *docTable) idBytes(doc uint32) []byte {
	start := uint32(0)
	if doc > 0 {
		start = d.idEnd[doc-1]
	}
	return d.ids[start:d.idEnd[doc]]
}

// hasID returns whether a document's id is id: how byID checks a hash.
func (x *Index) hasID(id []byte) func(doc uint32) bool {
	return func(doc uint32) bool { return bytes.Equal(x.docs.idBytes(doc), id) }
}

// liveDoc returns the live document of id.
func (x *Index) liveDoc(id string) (uint32, bool) {
	b := bytesOf(id)
	return x.byID.find(hashOf(b), b, x.hasID(b))
}

// setLive records doc as the live document of its id.
func (x *Index) setLive(doc uint32) {
	b := x.docs.idBytes(doc)
	x.byID.set(hashOf(b), b, doc, x.hasID(b))
}

func (d *docTable) accession(doc uint32) string {
	start := uint32(0)
	if doc > 0 {
		start = d.accEnd[doc-1]
	}
	return string(d.accNo[start:d.accEnd[doc]])
}

// facetSlot is the place of a facet in facetNames, or 7 for values kept
// but not counted.
func facetSlot(code byte) uint32 {
	for i, f := range facetNames {
		if f.code == code {
			return uint32(i)
		}
	}
	return 7
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{
		terms: newTermDict(0),
		byID:  newHashIndex(0),
		auth:  newAuthorities(),
		instN: map[string]uint16{},
		an:    NewAnalyzer(),
		bi:    map[uint64]uint32{},

		authToks: map[uint64][]indexToken{},
	}
}

// Rev returns the store revision the index reflects.
func (x *Index) Rev() int64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.rev
}

// Len returns the number of live documents.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.docs.nlive
}

func (x *Index) institution(slug string) uint16 {
	if n, ok := x.instN[slug]; ok {
		return n
	}
	n := uint16(len(x.insts))
	x.insts = append(x.insts, slug)
	x.instN[slug] = n
	return n
}

// visibilities, by their number in docTable.vis.
var visibilities = []wenyuan.Visibility{wenyuan.VisibilityPublic, wenyuan.VisibilityConsortium, wenyuan.VisibilityInternal}

func visNumber(v wenyuan.Visibility) uint8 {
	for i, x := range visibilities {
		if x == v {
			return uint8(i)
		}
	}
	return uint8(len(visibilities) - 1) // unknown: the most restricted
}

// remove marks the live document of id, if any, deleted. Caller holds mu.
func (x *Index) remove(id string) {
	doc, ok := x.liveDoc(id)
	if !ok {
		return
	}
	b := bytesOf(id)
	x.byID.remove(hashOf(b), b, func(d uint32) bool { return d == doc })
	x.docs.live[doc>>6] &^= 1 << (doc & 63)
	x.docs.nlive--
	x.docs.totalLen -= uint64(x.docs.length[doc])
}

// commonWords are the words too frequent to be worth finding alone: a
// query clause of several words does not require them (its phrase, of
// grams, still places them).
var commonWords = map[string]bool{
	"a": true, "an": true, "and": true, "the": true, "of": true, "with": true, "in": true, "on": true,
	"at": true, "to": true, "for": true, "from": true, "by": true, "or": true, "as": true, "is": true,
	"it": true, "its": true, "that": true, "this": true, "be": true, "are": true, "was": true, "de": true,
}

func appendGram(dst, a, b []byte) []byte {
	dst = append(dst, nsGram)
	dst = append(dst, a...)
	dst = append(dst, 0)
	return append(dst, b...)
}

// unigram returns the list of a CJK character, through the rune-indexed
// cache for the BMP.
func (x *Index) unigram(term []byte) *plist {
	r, n := utf8.DecodeRune(term)
	if r >= 0x10000 || n != len(term) {
		x.keyb = append(append(x.keyb[:0], nsUni), term...)
		return x.term(x.keyb)
	}
	if x.uni == nil {
		x.uni = make([]uint32, 0x10000)
	}
	if n := x.uni[r]; n != 0 {
		return x.terms.at(n - 1)
	}
	x.keyb = append(append(x.keyb[:0], nsUni), term...)
	t := x.terms.number(x.keyb)
	x.uni[r] = t + 1
	return x.terms.at(t)
}

// bigram returns the list of two CJK characters, through a cache keyed
// by the two runes.
func (x *Index) bigram(term []byte) *plist {
	r1, n1 := utf8.DecodeRune(term)
	r2, n2 := utf8.DecodeRune(term[n1:])
	k := uint64(r1)<<32 | uint64(r2)
	if n1+n2 == len(term) {
		if n, ok := x.bi[k]; ok {
			return x.terms.at(n)
		}
	}
	x.keyb = append(append(x.keyb[:0], nsAll), term...)
	n := x.terms.number(x.keyb)
	if n1+n2 == len(term) {
		x.bi[k] = n
	}
	return x.terms.at(n)
}

// term returns the posting list of key, creating it.
func (x *Index) term(key []byte) *plist { return x.terms.term(key) }

func (x *Index) accumulate(pl *plist, tf uint32, positional bool, pos int32) {
	i := int(pl.accIdx)
	if pl.accDoc != x.accDoc {
		i = len(x.accs)
		pl.accDoc, pl.accIdx = x.accDoc, int32(i)
		if i < cap(x.accs) {
			x.accs = x.accs[:i+1]
			x.accs[i].pl, x.accs[i].tf, x.accs[i].positional, x.accs[i].pos = pl, 0, positional, x.accs[i].pos[:0]
		} else {
			x.accs = append(x.accs, termAcc{pl: pl, positional: positional})
		}
	}
	a := &x.accs[i]
	a.tf += tf
	if positional {
		a.pos = append(a.pos, pos)
	}
}

// indexToken is a token of a field as the index keeps it: its posting
// list, its field's list (for field-prefixed queries) if any, and its
// position relative to the field's start (-1: none).
type indexToken struct {
	pl, fpl *plist
	pos     int32
	span    int32 // the field's last position, on every token
	gram    bool  // a common-word gram: not counted in the document's length
}

// tokensOf returns the tokens of a field, from the cache for the names of
// an authority. Caller holds mu.
func (x *Index) tokensOf(f *docField) []indexToken {
	var key uint64
	if f.auth >= 0 {
		key = uint64(f.auth)<<8 | uint64(f.code)
		if t, ok := x.authToks[key]; ok {
			return t
		}
	}
	toks := x.toks[:0]
	text := f.text
	if f.auth >= 0 {
		toks = nil // kept in the cache
		text = x.auth.list[f.auth].text()
	}
	prevPos := int32(-2)
	last := x.an.Analyze(text, 0, func(t *Token) {
		it := indexToken{pos: -1}
		switch t.Kind {
		case Word:
			// Every pair of adjacent words is a gram: a phrase is found
			// through lists far shorter than its words' ("underglaze blue":
			// 65,000 documents at 1M records, where "blue" has 300,000).
			if prevPos == t.Pos-1 {
				x.keyb = appendGram(x.keyb[:0], x.prevWord, t.Term)
				toks = append(toks, indexToken{pl: x.term(x.keyb), pos: prevPos, gram: true})
			}
			x.prevWord = append(x.prevWord[:0], t.Term...)
			prevPos = t.Pos
			x.keyb = append(append(x.keyb[:0], nsAll), t.Term...)
			it.pos = t.Pos
			it.pl = x.term(x.keyb)
		case Bigram:
			it.pos = t.Pos
			it.pl = x.bigram(t.Term)
		case Unigram:
			it.pl = x.unigram(t.Term)
		case Joined:
			x.keyb = append(append(x.keyb[:0], nsJoined), t.Term...)
			it.pl = x.term(x.keyb)
		}
		// Authorities' names have no field lists: a field query finds the
		// authorities by name and their objects through the facet lists.
		if f.code != 0 && f.auth < 0 {
			x.keyb = append(append(x.keyb[:0], nsField, f.code), t.Term...)
			it.fpl = x.term(x.keyb)
		}
		toks = append(toks, it)
	})
	if f.pinyin {
		x.an.Pinyin(text, func(term []byte) {
			x.keyb = append(append(x.keyb[:0], nsPinyin), term...)
			toks = append(toks, indexToken{pl: x.term(x.keyb), pos: -1})
		})
	}
	for i := range toks {
		toks[i].span = last
	}
	if f.auth >= 0 {
		x.authToks[key] = toks
	} else {
		x.toks = toks
	}
	return toks
}

// setAuthority records r and forgets the cached tokens of its names if
// they changed. Caller holds mu.
func (x *Index) setAuthority(r wenyuan.Record) bool {
	if !x.auth.set(r) {
		return false
	}
	x.forgetTokens(r.RecordID())
	return true
}

func (x *Index) removeAuthority(id string) bool {
	if !x.auth.remove(id) {
		return false
	}
	x.forgetTokens(id)
	return true
}

func (x *Index) forgetTokens(id string) {
	n, ok := x.auth.byID[id]
	if !ok {
		return
	}
	for _, code := range []byte{0, fieldTitle, fieldMaker, fieldMaterial, fieldPeriod, fieldPlace, fieldClass, fieldInscription} {
		delete(x.authToks, uint64(n)<<8|uint64(code))
	}
}

// add indexes d as a new document, replacing the one with its id. Caller
// holds mu.
func (x *Index) add(d *document) {
	x.remove(d.id)
	doc := uint32(x.docs.len())
	x.accDoc = doc + 1
	x.accs = x.accs[:0]
	var length uint32
	var pos int32
	for i := range d.fields {
		f := &d.fields[i]
		w := uint32(f.weight)
		toks := x.tokensOf(f)
		for _, t := range toks {
			if !t.gram {
				length += w
			}
			x.accumulate(t.pl, w, t.pos >= 0, pos+t.pos)
			if t.fpl != nil {
				x.accumulate(t.fpl, 1, false, 0)
			}
		}
		if n := len(toks); n > 0 {
			pos += toks[n-1].span + 16
		}
	}
	if d.accession != "" {
		x.keyb = append(append(x.keyb[:0], nsAccNo), Fold(d.accession)...)
		x.accumulate(x.term(x.keyb), 1, false, 0)
	}
	for _, t := range d.titles {
		if k := titleKey(t); k != "" {
			x.keyb = append(append(x.keyb[:0], nsTitle), k...)
			x.accumulate(x.term(x.keyb), 1, false, 0)
		}
	}
	inst := x.institution(d.institution)
	x.keyb = append(append(x.keyb[:0], nsFacet, facetInstitution), d.institution...)
	x.accumulate(x.term(x.keyb), 1, false, 0)
	x.facb = x.facb[:0]
	for _, fv := range d.facets {
		n := x.auth.number(fv.id)
		x.facb = append(x.facb, n<<3|facetSlot(fv.code))
		x.keyb = append(append(x.keyb[:0], nsFacet, fv.code), fv.id...)
		x.accumulate(x.term(x.keyb), 1, false, 0)
	}
	for i := range x.accs {
		a := &x.accs[i]
		a.pl.add(doc, a.tf, a.pos, a.positional)
	}

	t := &x.docs
	t.ids = append(t.ids, d.id...)
	t.idEnd = append(t.idEnd, uint32(len(t.ids)))
	t.accNo = append(t.accNo, d.accession...)
	t.accEnd = append(t.accEnd, uint32(len(t.accNo)))
	t.inst = append(t.inst, inst)
	t.vis = append(t.vis, visNumber(d.visibility))
	var flags uint8
	if d.hasImage {
		flags |= flagImage
	}
	t.flags = append(t.flags, flags)
	t.earliest = append(t.earliest, d.earliest)
	t.latest = append(t.latest, d.latest)
	t.length = append(t.length, length)
	t.facets = append(t.facets, x.facb...)
	t.facEnd = append(t.facEnd, uint32(len(t.facets)))
	if int(doc>>6) >= len(t.live) {
		t.live = append(t.live, 0)
	}
	t.live[doc>>6] |= 1 << (doc & 63)
	t.nlive++
	t.totalLen += uint64(length)
	x.setLive(doc)
}
