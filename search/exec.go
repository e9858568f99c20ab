package search

import (
	"container/heap"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"wenyuan"
)

// Request is one search.
type Request struct {
	Query string            // in the syntax of ParseQuery
	Scope wenyuan.ReadScope // what the user may read: applied inside the query

	// Filters: a record must match one value of each filter given.
	Institutions    []string
	Classifications []string // concept ids; narrower concepts included
	Periods         []string // period ids; sub-periods included
	Materials       []string
	Makers          []string // agent ids
	Places          []string // place ids; places within included
	HasImage        *bool
	Visibilities    []wenyuan.Visibility
	From, To        *int // the record's earliest–latest overlaps [From, To]

	Sort      string // SortRelevance (default), SortDate, SortDateDesc, SortAccession
	Offset    int
	Limit     int // hits to return, 0 to 1000; 0 returns counts and facets only
	FacetSize int // values per facet; 0 means no facets
}

// Sort orders.
const (
	SortRelevance = "relevance"
	SortDate      = "date"
	SortDateDesc  = "-date"
	SortAccession = "accession"
)

// exactTitleBoost is added to the score of a record whose title is the
// query: more than any ordinary match can score.
const exactTitleBoost = 1000

// MaxLimit is the most hits one page returns.
const MaxLimit = 1000

// Result is a page of hits, the total and the facet counts.
type Result struct {
	Total  int
	Hits   []Hit
	Facets []Facet
	// Highlight is the analysed terms of the query, for marking matches
	// in text with Highlight.
	Highlight map[string]bool
}

// Hit is one record found.
type Hit struct {
	ID          string
	Institution string
	Accession   string
	Score       float32
}

// Facet is the counts of one facet's values among all hits (not only
// the page's).
type Facet struct {
	Name   string // "institution", "classification", "period", "material", "maker", "place", "has_image", "visibility"
	Values []FacetValue
}

// FacetValue is one value of a facet with the number of hits that have it.
// Parent is set for periods (a reign's dynasty) and other hierarchies.
type FacetValue struct {
	Value  string
	Count  int
	Parent string
	Names  wenyuan.Names
}

var facetNames = []struct {
	code byte
	name string
}{
	{facetInstitution, "institution"}, {facetClass, "classification"}, {facetPeriod, "period"},
	{facetMaterial, "material"}, {facetMaker, "maker"}, {facetPlace, "place"},
}

// node is a compiled query.
type node struct {
	cost   uint64 // postings it reads, +1; 0 until eval.cost works it out
	op     int
	key    string // opTerm
	pos    bool   // opTerm: the list has positions
	scored bool
	kids   []*node
	keys   []string // opPhrase
	offs   []int32
}

const (
	opTerm = iota
	opAnd
	opOr
	opPhrase
	opNone // matches nothing
	opAll  // every document
)

// hits is a set of documents in increasing order with their scores.
type hits struct {
	docs   []uint32
	scores []float32
}

// Search runs r.
func (x *Index) Search(r *Request) (*Result, error) {
	if r.Limit < 0 || r.Limit > MaxLimit {
		return nil, invalid("limit", fmt.Sprintf("must be 0 to %d", MaxLimit))
	}
	if r.Offset < 0 || r.Offset > 100000 {
		return nil, invalid("offset", "must be 0 to 100000")
	}
	switch r.Sort {
	case "", SortRelevance, SortDate, SortDateDesc, SortAccession:
	default:
		return nil, invalid("sort", fmt.Sprintf("%q is not one of relevance, date, -date, accession", r.Sort))
	}
	p, err := ParseQuery(r.Query)
	if err != nil {
		return nil, invalid("q", err.Error())
	}
	from, to := r.From, r.To
	if p.From != nil {
		from = p.From
	}
	if p.To != nil {
		to = p.To
	}
	if from != nil && to != nil && *from > *to {
		return nil, invalid("from", fmt.Sprintf("%d is after to (%d)", *from, *to))
	}

	x.mu.RLock()
	defer x.mu.RUnlock()
	an := NewAnalyzer()
	res := &Result{Highlight: map[string]bool{}}
	and := &node{op: opAnd}
	var excl []*node
	for i := 0; i < len(p.Clauses); i++ {
		c := p.Clauses[i]
		n := x.compileExpanded(an, c, res.Highlight)
		if c.Exclude {
			excl = append(excl, n)
			continue
		}
		// Pinyin written syllable by syllable ("qian long", "dun huang"):
		// the words, or the syllables run together.
		if j := syllableRun(p.Clauses, i); j > i+1 {
			words := &node{op: opAnd, scored: true, kids: []*node{n}}
			joined := c.Text
			for _, c2 := range p.Clauses[i+1 : j] {
				words.kids = append(words.kids, x.compileExpanded(an, c2, res.Highlight))
				joined += c2.Text
			}
			n = &node{op: opOr, scored: true, kids: []*node{words, x.compile(an, Clause{Text: strings.ToLower(joined)}, res.Highlight)}}
			i = j - 1
		}
		and.kids = append(and.kids, n)
	}
	filter := func(code byte, ids []string) {
		if len(ids) == 0 {
			return
		}
		or := &node{op: opOr}
		for _, id := range ids {
			or.kids = append(or.kids, &node{op: opTerm, key: string(nsFacet) + string(code) + id})
		}
		and.kids = append(and.kids, or)
	}
	filter(facetInstitution, r.Institutions)
	filter(facetClass, r.Classifications)
	filter(facetPeriod, r.Periods)
	filter(facetMaterial, r.Materials)
	filter(facetMaker, r.Makers)
	filter(facetPlace, r.Places)
	if len(and.kids) == 0 {
		and = &node{op: opAll}
	}

	e := x.newEval()
	defer e.release()
	// Exclusions are read on another core while the query is.
	var excluded []uint64
	var exclDone chan struct{}
	if len(excl) > 0 {
		e2 := x.newEval()
		excluded = e2.bits()
		exclDone = make(chan struct{})
		go func() {
			defer close(exclDone)
			for _, n := range excl {
				e2.into(unscored(n), excluded)
			}
			e2.release()
		}()
	}
	set := e.bits()
	e.into(and, set)
	for i, w := range x.docs.live {
		set[i] &= w
	}
	// A record whose title is the query, word for word, ranks first.
	if tl := x.terms[string(nsTitle)+titleKey(strings.NewReplacer(`"`, "", "“", "", "”", "").Replace(r.Query))]; tl != nil && len(p.Clauses) > 0 {
		c := newCursor(tl, false)
		for c.next() {
			if int(c.doc>>6) < len(set) && set[c.doc>>6]&(1<<(c.doc&63)) != 0 {
				e.scores[c.doc] += exactTitleBoost
			}
		}
	}
	if exclDone != nil {
		<-exclDone
		for i := range set {
			set[i] &^= excluded[i]
		}
	}

	// Columns: scope, visibility, images, years.
	allowed := x.allowedTable(r.Scope, r.Visibilities)
	h := hits{docs: e.hitDocs[:0], scores: e.hitScores[:0]}
	defer func() { e.hitDocs, e.hitScores = h.docs[:0], h.scores[:0] }()
	lo, hi := int32(math.MinInt32+1), int32(math.MaxInt32)
	years := from != nil || to != nil
	if from != nil {
		lo = int32(*from)
	}
	if to != nil {
		hi = int32(*to)
	}
	nv := len(visibilities)
	for wi, w := range set {
		for w != 0 {
			d := uint32(wi*64 + bits.TrailingZeros64(w))
			w &= w - 1
			if !allowed[int(x.docs.inst[d])*nv+int(x.docs.vis[d])] {
				continue
			}
			if r.HasImage != nil && (x.docs.flags[d]&flagImage != 0) != *r.HasImage {
				continue
			}
			if years {
				el, la := x.docs.earliest[d], x.docs.latest[d]
				if el == noYear || el > hi || la < lo {
					continue
				}
			}
			h.docs = append(h.docs, d)
			h.scores = append(h.scores, e.scores[d])
		}
	}
	e.free(set)
	res.Total = len(h.docs)
	if r.FacetSize > 0 {
		res.Facets = x.facets(h.docs, r.FacetSize, r.Scope.Consortium || r.Scope.Institution != "")
	}
	order := x.top(h, r.Sort, r.Offset+r.Limit)
	if r.Offset < len(order) {
		order = order[r.Offset:]
	} else {
		order = nil
	}
	res.Hits = make([]Hit, len(order))
	for i, k := range order {
		d := h.docs[k]
		res.Hits[i] = Hit{ID: x.docs.id(d), Institution: x.insts[x.docs.inst[d]], Accession: x.docs.accession(d)}
		if h.scores != nil {
			res.Hits[i].Score = h.scores[k]
		}
	}
	return res, nil
}

func invalid(field, msg string) error {
	return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "invalid search: " + field + " " + msg,
		Fields: []wenyuan.FieldError{{Field: field, Message: msg}}}
}

func unscored(n *node) *node {
	c := *n
	c.scored = false
	c.kids = make([]*node, len(n.kids))
	for i, k := range n.kids {
		c.kids[i] = unscored(k)
	}
	return &c
}

// allowedTable says, per institution × visibility, whether a document may
// be returned: the read scope and the visibility filter in one lookup.
func (x *Index) allowedTable(s wenyuan.ReadScope, only []wenyuan.Visibility) []bool {
	t := make([]bool, len(x.insts)*len(visibilities))
	for i, inst := range x.insts {
		for j, v := range visibilities {
			ok := s.Allows(wenyuan.Target{Kind: wenyuan.KindObject, Institution: inst, Visibility: v})
			if ok && len(only) > 0 {
				ok = false
				for _, o := range only {
					ok = ok || o == v
				}
			}
			t[i*len(visibilities)+j] = ok
		}
	}
	return t
}

// compileExpanded compiles c and, when c is the name of an authority
// (乾隆, Ch'ien-lung, blue-and-white), lets each of the authority's other
// names find records too, as phrases: so 青花 finds a record that says
// "underglaze blue" and K'ang-hsi one that says "Kangxi" even when neither
// is linked to the authority. One-character names are left out: alone
// they would find far too much.
func (x *Index) compileExpanded(an *Analyzer, c Clause, hl map[string]bool) *node {
	n := x.compile(an, c, hl)
	if c.Field != "" || c.Phrase {
		return n
	}
	key := Fold(strings.TrimSpace(c.Text))
	or := &node{op: opOr, scored: true, kids: []*node{n}}
	seen := map[string]bool{key: true}
	for _, au := range x.auth.named(key) {
		for _, nm := range au.names {
			f := Fold(strings.TrimSpace(nm.Value))
			if seen[f] || len(or.kids) > 8 || utf8.RuneCountInString(f) < 2 {
				continue
			}
			seen[f] = true
			or.kids = append(or.kids, x.compile(an, Clause{Text: nm.Value, Phrase: true}, hl))
		}
	}
	if len(or.kids) == 1 {
		return n
	}
	return or
}

// compile turns one clause into a node, adding the terms to highlight.
func (x *Index) compile(an *Analyzer, c Clause, hl map[string]bool) *node {
	type tok struct {
		kind       TokenKind
		term, raw  string
		pos        int32
		start, end int
	}
	var toks []tok
	an.Analyze(c.Text, 0, func(t *Token) {
		toks = append(toks, tok{t.Kind, string(t.Term), string(t.Raw), t.Pos, t.Start, t.End})
	})
	// Marked in snippets: words but common ones, pairs of characters, and
	// a character only where it stands alone (its pairs mark it otherwise).
	if !c.Exclude {
		for _, t := range toks {
			switch t.kind {
			case Word:
				if !commonWords[t.term] {
					hl[t.term] = true
				}
			case Bigram:
				hl[t.term] = true
			case Unigram:
				alone := true
				for _, b := range toks {
					if b.kind == Bigram && b.start <= t.start && t.start < b.end {
						alone = false
					}
				}
				if alone {
					hl[t.term] = true
				}
			}
		}
	}
	term := func(key string, pos bool) *node { return &node{op: opTerm, key: key, pos: pos, scored: true} }
	if c.Field == "accession" {
		return term(string(nsAccNo)+Fold(strings.TrimSpace(c.Text)), false)
	}
	if len(toks) == 0 {
		return &node{op: opNone}
	}
	if code, ok := fieldCodes[c.Field]; ok {
		and := &node{op: opAnd, scored: true}
		for _, t := range runsOf(toks, func(i int) (TokenKind, int, int) { return toks[i].kind, toks[i].start, toks[i].end }) {
			for _, i := range t {
				and.kids = append(and.kids, term(string(nsField)+string(code)+toks[i].term, false))
			}
		}
		// The field's linked authorities are found by their names: the
		// objects linked to one whose name holds the text.
		if codes := authorityFacets[code]; codes != nil {
			return &node{op: opOr, scored: true, kids: append([]*node{and}, x.linkedNodes(x.auth.containing(Fold(strings.TrimSpace(c.Text))), codes...)...)}
		}
		return and
	}
	if c.Phrase {
		ph := &node{op: opPhrase, scored: true}
		var uni []string
		var words []phraseWord
		for _, t := range toks {
			switch t.kind {
			case Word:
				words = append(words, phraseWord{t.term, t.pos})
			case Bigram:
				ph.keys = append(ph.keys, string(nsAll)+t.term)
				ph.offs = append(ph.offs, t.pos)
			case Unigram:
				uni = append(uni, string(nsUni)+t.term)
			}
		}
		ph.addWords(words)
		switch {
		case len(ph.keys) == 1:
			return term(ph.keys[0], true)
		case len(ph.keys) > 1:
			base := ph.offs[0]
			for i := range ph.offs {
				ph.offs[i] -= base
			}
			return ph
		case len(uni) > 0:
			return term(uni[0], false)
		}
		return &node{op: opNone}
	}
	// A word: every CJK run must be found (its bigrams, or the character
	// alone); Latin words in a row are a phrase, or their joined form, or
	// pinyin; the whole word may also be an accession number.
	and := &node{op: opAnd, scored: true}
	var words []tok
	var joined string
	flushWords := func() {
		if len(words) == 0 {
			return
		}
		alt := &node{op: opOr, scored: true}
		if len(words) == 1 {
			w := words[0]
			alt.kids = append(alt.kids, term(string(nsAll)+w.term, true), term(string(nsJoined)+w.raw, false), term(string(nsPinyin)+w.raw, false))
			var auths []uint32
			if !pinyins().syllables[w.raw] { // one syllable names too many things
				auths = x.auth.pinyinNamed(w.raw)
			}
			if syl := splitPinyin(w.raw); len(syl) > 2 {
				pairs := &node{op: opAnd, scored: true}
				var common []uint32
				for i := 0; i+1 < len(syl); i++ {
					p := syl[i] + syl[i+1]
					pairs.kids = append(pairs.kids, term(string(nsPinyin)+p, false))
					if i == 0 {
						common = slices.Clone(x.auth.pinyinNamed(p))
					} else {
						common = slices.DeleteFunc(common, func(n uint32) bool { return !slices.Contains(x.auth.pinyinNamed(p), n) })
					}
				}
				alt.kids = append(alt.kids, pairs)
				auths = append(slices.Clone(auths), common...)
			}
			alt.kids = append(alt.kids, x.linkedNodes(auths)...)
		} else {
			ph := &node{op: opPhrase, scored: true}
			pw := make([]phraseWord, len(words))
			for i, w := range words {
				pw[i] = phraseWord{w.term, w.pos - words[0].pos}
			}
			ph.addWords(pw)
			alt.kids = append(alt.kids, ph)
			if joined != "" {
				alt.kids = append(alt.kids, term(string(nsJoined)+joined, false))
			}
		}
		and.kids = append(and.kids, alt)
		words, joined = words[:0], ""
	}
	// A CJK run is found by all its bigrams, or by its one character.
	runEnd := -1
	var uni, bi []*node
	flushRun := func() {
		switch {
		case len(bi) > 0:
			and.kids = append(and.kids, bi...)
		case len(uni) > 0:
			and.kids = append(and.kids, uni[0])
		}
		uni, bi = nil, nil
	}
	for _, t := range toks {
		switch t.kind {
		case Word:
			flushRun()
			words = append(words, t)
		case Joined:
			joined = t.term
			flushWords()
		case Unigram:
			flushWords()
			if t.start != runEnd {
				flushRun()
			}
			runEnd = t.end
			uni = append(uni, term(string(nsUni)+t.term, false))
		case Bigram:
			bi = append(bi, term(string(nsAll)+t.term, true))
		}
	}
	flushRun()
	flushWords()
	if strings.ContainsFunc(c.Text, func(r rune) bool { return r >= '0' && r <= '9' }) {
		return &node{op: opOr, scored: true, kids: []*node{and, term(string(nsAccNo)+Fold(c.Text), false)}}
	}
	return and
}

type phraseWord struct {
	term string
	pos  int32
}

// addWords adds the words of a phrase to it: a pair of adjacent words of
// which one is common as their gram, every other word as itself.
func (ph *node) addWords(ws []phraseWord) {
	covered := make([]bool, len(ws))
	for i := 0; i+1 < len(ws); i++ {
		a, b := ws[i], ws[i+1]
		if b.pos == a.pos+1 && (commonWords[a.term] || commonWords[b.term]) {
			ph.keys = append(ph.keys, string(appendGram(nil, []byte(a.term), []byte(b.term))))
			ph.offs = append(ph.offs, a.pos)
			covered[i], covered[i+1] = true, true // the gram says both
		}
	}
	for i, w := range ws {
		if !covered[i] {
			ph.keys = append(ph.keys, string(nsAll)+w.term)
			ph.offs = append(ph.offs, w.pos)
		}
	}
}

// syllableRun returns the end of the run of plain one-syllable pinyin
// words starting at i (i itself if there is none).
func syllableRun(cs []Clause, i int) int {
	t := pinyins()
	j := i
	for j < len(cs) && cs[j].Field == "" && !cs[j].Phrase && !cs[j].Exclude && t.syllables[strings.ToLower(cs[j].Text)] {
		j++
	}
	return j
}

// authorityFacets are, for the fields whose values are links, the facet
// lists of the objects linked through that field.
var authorityFacets = map[byte][]byte{
	fieldMaker: {facetMaker}, fieldPeriod: {facetPeriod}, fieldPlace: {facetPlace},
	fieldMaterial: {facetMaterial, facetTechnique}, fieldClass: {facetClass},
}

// maxLinked is how many authorities one word may bring in by its pinyin.
const maxLinked = 64

// linkedNodes returns, for each authority (at most maxLinked), a node
// matching the objects linked to it.
func (x *Index) linkedNodes(auths []uint32, codes ...byte) []*node {
	if codes == nil {
		codes = []byte{facetInstitution, facetClass, facetPeriod, facetMaterial, facetMaker, facetPlace, facetTechnique}
	}
	var out []*node
	seen := map[uint32]bool{}
	if len(auths) > maxLinked { // the most used first
		auths = slices.Clone(auths)
		uses := func(n uint32) uint32 {
			var u uint32
			for _, code := range []byte{facetInstitution, facetClass, facetPeriod, facetMaterial, facetMaker, facetPlace, facetTechnique} {
				if p := x.terms[string(nsFacet)+string(code)+x.auth.list[n].id]; p != nil {
					u += p.n
				}
			}
			return u
		}
		sort.SliceStable(auths, func(i, j int) bool { return uses(auths[i]) > uses(auths[j]) })
	}
	for _, n := range auths {
		if seen[n] || len(seen) >= maxLinked {
			continue
		}
		seen[n] = true
		id := x.auth.list[n].id
		for _, code := range codes {
			key := string(nsFacet) + string(code) + id
			if _, ok := x.terms[key]; ok {
				out = append(out, &node{op: opTerm, key: key, scored: true})
			}
		}
	}
	return out
}

// runsOf returns, for fielded queries, the indexes of the tokens to
// require: words, and per CJK run its bigrams or its only character.
func runsOf[T any](toks []T, at func(int) (TokenKind, int, int)) [][]int {
	var out [][]int
	var cur []int
	uni := -1
	flush := func() {
		if len(cur) == 0 && uni >= 0 {
			cur = []int{uni}
		}
		if len(cur) > 0 {
			out = append(out, cur)
		}
		cur, uni = nil, -1
	}
	lastEnd := -1
	for i := range toks {
		k, start, end := at(i)
		switch k {
		case Word:
			flush()
			out = append(out, []int{i})
		case Unigram:
			if start != lastEnd {
				flush()
			}
			if uni < 0 {
				uni = i
			}
			lastEnd = end
		case Bigram:
			cur = append(cur, i)
			uni = -2
		}
	}
	flush()
	return out
}

// eval evaluates nodes against the index, document-set at a time: each
// node sets the bits of the documents it matches in a bit set, and adds
// its BM25 scores (over weighted term frequencies) into one accumulator
// indexed by document. AND is a word-wise AND of bit sets, OR lets its
// children set bits in the same set, so no list of hits is built until
// the end, and a query over a million records touches each posting once.
type eval struct {
	x      *Index
	n      float64
	avgLen float64
	words  int       // bit set length in uint64s
	scores []float32 // by document; garbage outside the final set
	spare  [][]uint64
	// the final hits, kept for the next search
	hitDocs   []uint32
	hitScores []float32
	posA      []int32
	posB      []int32
}

var scratch sync.Pool // *eval buffers, reused across searches

func (x *Index) newEval() *eval {
	e, _ := scratch.Get().(*eval)
	if e == nil {
		e = &eval{}
	}
	e.x = x
	e.n = float64(max(x.docs.nlive, 1))
	e.avgLen = float64(x.docs.totalLen) / e.n
	if e.avgLen == 0 {
		e.avgLen = 1
	}
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
	scratch.Put(e)
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

func (e *eval) bm25(idf float64, tf uint32, doc uint32) float32 {
	f := float64(tf)
	l := float64(e.x.docs.length[doc])
	return float32(idf * f * (bm25k1 + 1) / (f + bm25k1*(1-bm25b+bm25b*l/e.avgLen)))
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
		if p := e.x.terms[n.key]; p != nil {
			return uint64(p.n)
		}
	case opPhrase:
		c := uint64(math.MaxUint64)
		for _, k := range n.keys {
			if p := e.x.terms[k]; p != nil {
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
func (e *eval) into(n *node, b []uint64) {
	switch n.op {
	case opTerm:
		e.term(n, b)
	case opOr:
		if e.cost(n) >= parallelCost && len(n.kids) > 1 {
			e.orInParallel(n, b)
			return
		}
		for _, k := range n.kids {
			e.into(k, b)
		}
	case opAnd:
		// b may hold an OR's other children: the AND is worked out in a
		// set of its own and added.
		a := e.bits()
		e.and(n, a)
		for i, w := range a {
			b[i] |= w
		}
		e.free(a)
	case opPhrase:
		e.phrase(n, b, nil)
	case opAll:
		for i, w := range e.x.docs.live {
			b[i] |= w
		}
	}
}

// and sets in b, which is empty, the documents every child of n matches.
func (e *eval) and(n *node, b []uint64) {
	kids := slices.Clone(n.kids)
	sort.SliceStable(kids, func(i, j int) bool { return e.cost(kids[i]) < e.cost(kids[j]) })
	if len(kids) == 0 || e.cost(kids[0]) == 0 {
		return // a child that matches nothing: the AND matches nothing
	}
	e.into(kids[0], b)
	for _, k := range kids[1:] {
		if uint64(popcount(b))*16 < e.cost(k) {
			e.probe(k, b)
			continue
		}
		t := e.bits()
		e.into(k, t)
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
// equal cost, the second on another goroutine with its own bit set and
// scores, and merges them.
func (e *eval) orInParallel(n *node, b []uint64) {
	kids := slices.Clone(n.kids)
	sort.SliceStable(kids, func(i, j int) bool { return e.cost(kids[i]) > e.cost(kids[j]) })
	var mine, theirs []*node
	var cm, ct uint64
	for _, k := range kids {
		if ct < cm {
			theirs, ct = append(theirs, k), ct+e.cost(k)
		} else {
			mine, cm = append(mine, k), cm+e.cost(k)
		}
	}
	e2 := e.x.newEval()
	b2 := e2.bits()
	done := make(chan struct{})
	go func() {
		for _, k := range theirs {
			e2.into(k, b2)
		}
		close(done)
	}()
	for _, k := range mine {
		e.into(k, b)
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

func (e *eval) term(n *node, b []uint64) {
	p := e.x.terms[n.key]
	if p == nil {
		return
	}
	// The decoding loop of the cursor, inlined: this is where a search
	// over a million records spends its time.
	buf := p.buf
	idf := float32(e.idf(p.n) * (bm25k1 + 1))
	c1, c2 := float32(bm25k1*(1-bm25b)), float32(bm25k1*bm25b/e.avgLen)
	length, scores := e.x.docs.length, e.scores
	doc, off := uint32(0), 0
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
		if n.pos {
			sz, k := uvarint(buf[off:])
			off += k + int(sz)
		}
		doc += uint32(gap)
		if int(doc>>6) >= len(b) {
			return // damaged list: stop rather than write out of bounds
		}
		b[doc>>6] |= 1 << (doc & 63)
		if n.scored {
			f := float32(tf)
			scores[doc] += idf * f / (f + c1 + c2*float32(length[doc]))
		}
	}
}

// probe keeps in cand only the documents n matches, adding their scores:
// for a candidate set much smaller than n's lists, it jumps through the
// lists by their skips instead of reading them whole.
func (e *eval) probe(n *node, cand []uint64) {
	switch n.op {
	case opTerm:
		p := e.x.terms[n.key]
		if p == nil {
			clear(cand)
			return
		}
		idf := e.idf(p.n)
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
						e.scores[d] += e.bm25(idf, c.tf, d)
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
	if len(n.keys) == 0 {
		return
	}
	cs := make([]cursor, len(n.keys))
	idfs := make([]float64, len(n.keys))
	offs := make([]int32, len(n.keys))
	order := make([]int, len(n.keys))
	lens := make([]uint32, len(n.keys))
	for i, k := range n.keys {
		p := e.x.terms[k]
		if p == nil {
			return
		}
		order[i], lens[i] = i, p.n
	}
	// The rarest list leads; the others are checked at its documents.
	sort.SliceStable(order, func(a, b int) bool { return lens[order[a]] < lens[order[b]] })
	for i, k := range order {
		p := e.x.terms[n.keys[k]]
		cs[i] = newCursor(p, true)
		idfs[i] = e.idf(p.n)
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
		if e.phraseAt(cs, offs) {
			b[d>>6] |= 1 << (d & 63)
			if n.scored {
				for i := range cs {
					e.scores[d] += e.bm25(idfs[i], cs[i].tf, d)
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
		t := &tally{counts: make([]uint32, len(x.auth.list)<<3), insts: make([]int, len(x.insts))}
		d := &x.docs
		for _, doc := range docs {
			t.insts[d.inst[doc]]++
			t.vis[d.vis[doc]]++
			t.images[d.flags[doc]&flagImage]++
			start := uint32(0)
			if doc > 0 {
				start = d.facEnd[doc-1]
			}
			for _, v := range d.facets[start:d.facEnd[doc]] {
				t.counts[v]++
			}
		}
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
			for a := range x.auth.list {
				if n := counts[a<<3|i]; n > 0 {
					au := &x.auth.list[a]
					f.Values = append(f.Values, FacetValue{Value: au.id, Count: int(n), Parent: au.parent, Names: au.names})
				}
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
		if h.scores == nil {
			less = func(a, b int) bool { return h.docs[a] > h.docs[b] }
		} else {
			less = func(a, b int) bool {
				if h.scores[a] != h.scores[b] {
					return h.scores[a] > h.scores[b]
				}
				return h.docs[a] > h.docs[b]
			}
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
