package search

import (
	"fmt"
	"math"
	"math/bits"
	"strings"
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
				e2.into(unscored(n), excluded, nil)
			}
			e2.release()
		}()
	}
	set := e.bits()
	e.into(and, set, nil)
	for i, w := range x.docs.live {
		set[i] &= w
	}
	// A record whose title is the query, word for word, ranks first.
	if tl := x.terms.get(string(nsTitle) + titleKey(r.Query)); tl != nil && len(p.Clauses) > 0 {
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
		res.Hits[i] = Hit{ID: x.docs.id(d), Institution: x.insts[x.docs.inst[d]], Accession: x.docs.accession(d), Score: h.scores[k]}
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
