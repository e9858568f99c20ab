package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"wenyuan"
)

// document is an object as the index takes it: its text fields with their
// weights, the columns queries filter by, and its facet values.
type document struct {
	id, institution, accession string
	visibility                 wenyuan.Visibility
	earliest, latest           int32
	hasImage                   bool
	titles                     []string // for the exact-title boost
	fields                     []docField
	facets                     []facetValue
}

type docField struct {
	code   byte // field code for field-prefixed queries, or 0
	weight uint8
	pinyin bool
	text   string
	auth   int32 // the names of this authority (by number) rather than text; -1 if text
}

type facetValue struct {
	code byte
	id   string
}

// Field weights: a word in a title counts three times one in a
// description; names of linked authorities count twice.
const (
	weightTitle     = 3
	weightAuthority = 2
	weightText      = 1
)

// titleKey is a title or a query as compared for an exact match: folded,
// with only its letters, digits and characters.
func titleKey(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, Fold(s))
}

// authority is what the index keeps of an authority record: its names
// (for finding the objects that link to it, in any language, and for
// facet labels) and its parent (a reign's dynasty, a concept's broader
// term), whose names an object is found by too.
type authority struct {
	id     string
	kind   wenyuan.Kind
	parent string
	names  wenyuan.Names
	folded []string // for typeahead
	// dynasty: a period of type dynasty, found also as 宋代, 宋朝 and
	// "Song dynasty", as people write them.
	dynasty bool
}

type authorities struct {
	byID   map[string]uint32
	list   []authority
	byName map[string][]uint32 // folded name → authorities with it, for query expansion
	// byPinyin maps the pinyin terms of authorities' names (as Pinyin makes
	// them: pairs joined, initials) to the authorities: a pinyin query finds
	// the objects linked to them through their facet lists, so objects do
	// not each carry the pinyin of every name they link to.
	byPinyin map[string][]uint32
}

func newAuthorities() authorities {
	return authorities{byID: map[string]uint32{}, byName: map[string][]uint32{}, byPinyin: map[string][]uint32{}}
}

// containing returns the authorities with a name whose folded form
// contains folded.
func (a *authorities) containing(folded string) []uint32 {
	if folded == "" {
		return nil
	}
	var out []uint32
	for k, ns := range a.byName {
		if strings.Contains(k, folded) {
			out = append(out, ns...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// pinyinNamed returns the authorities with a name whose pinyin has term.
func (a *authorities) pinyinNamed(term string) []uint32 { return a.byPinyin[term] }

func (a *authorities) indexPinyin(n uint32, names wenyuan.Names, add bool) {
	an := NewAnalyzer()
	for _, nm := range names {
		an.Pinyin(nm.Value, func(t []byte) { setMember(a.byPinyin, string(t), n, add) })
	}
}

// named returns the authorities with a name that folds to folded.
func (a *authorities) named(folded string) []*authority {
	var out []*authority
	for _, n := range a.byName[folded] {
		out = append(out, &a.list[n])
	}
	return out
}

func (a *authorities) indexNames(n uint32, names wenyuan.Names, add bool) {
	for _, nm := range names {
		setMember(a.byName, Fold(strings.TrimSpace(nm.Value)), n, add)
	}
}

// setMember adds n to (or, with !add, removes it from) the numbers m
// keeps under k.
func setMember(m map[string][]uint32, k string, n uint32, add bool) {
	list := m[k]
	i := slices.Index(list, n)
	switch {
	case add && i < 0:
		m[k] = append(list, n)
	case !add && i >= 0:
		if list = slices.Delete(list, i, i+1); len(list) == 0 {
			delete(m, k)
		} else {
			m[k] = list
		}
	}
}

// number returns the number of authority id, adding a placeholder for an
// id not seen yet.
func (a *authorities) number(id string) uint32 {
	if n, ok := a.byID[id]; ok {
		return n
	}
	n := uint32(len(a.list))
	a.list = append(a.list, authority{id: id})
	a.byID[id] = n
	return n
}

func (a *authorities) get(id string) *authority {
	if n, ok := a.byID[id]; ok {
		return &a.list[n]
	}
	return nil
}

// set records r if it is an authority or an institution, and reports
// whether what the index keeps of it changed.
func (a *authorities) set(r wenyuan.Record) bool {
	var au authority
	switch r := r.(type) {
	case *wenyuan.Institution:
		au = authority{id: r.ID, kind: wenyuan.KindInstitution, names: r.Names}
	case *wenyuan.Agent:
		au = authority{id: r.ID, kind: wenyuan.KindAgent, names: r.Names}
	case *wenyuan.Place:
		au = authority{id: r.ID, kind: wenyuan.KindPlace, parent: r.Parent, names: r.Names}
	case *wenyuan.Period:
		au = authority{id: r.ID, kind: wenyuan.KindPeriod, parent: r.Parent, names: r.Names, dynasty: r.Type == "dynasty"}
	case *wenyuan.Concept:
		au = authority{id: r.ID, kind: wenyuan.KindConcept, parent: r.Broader, names: r.Names}
	default:
		return false
	}
	p := &a.list[a.number(au.id)]
	same := p.kind == au.kind && p.parent == au.parent && p.dynasty == au.dynasty && len(p.names) == len(au.names)
	if same {
		for i := range au.names {
			if p.names[i] != au.names[i] {
				same = false
			}
		}
	}
	if !same {
		au.folded = typeaheadKeys(au.names)
		a.indexNames(a.byID[au.id], p.names, false)
		a.indexNames(a.byID[au.id], au.names, true)
		a.indexPinyin(a.byID[au.id], p.names, false)
		a.indexPinyin(a.byID[au.id], au.names, true)
	} else {
		au.folded = p.folded
	}
	*p = au
	return !same
}

// remove forgets the names of a deleted authority; its number stays.
func (a *authorities) remove(id string) bool {
	p := a.get(id)
	if p == nil || p.names == nil {
		return false
	}
	a.indexNames(a.byID[id], p.names, false)
	a.indexPinyin(a.byID[id], p.names, false)
	p.names, p.parent, p.folded = nil, "", nil
	return true
}

// text is every name of the authority, joined so that no phrase spans two.
func (au *authority) text() string {
	var b strings.Builder
	for i, n := range au.names {
		if i > 0 {
			b.WriteString(" ; ")
		}
		b.WriteString(n.Value)
		if au.dynasty {
			switch {
			case strings.HasPrefix(n.Lang, "zh") && !strings.Contains(n.Lang, "Latn") && utf8.RuneCountInString(n.Value) <= 2:
				b.WriteString(" ; " + n.Value + "代 ; " + n.Value + "朝")
			case n.Lang == "en":
				b.WriteString(" ; " + n.Value + " dynasty")
			}
		}
	}
	return b.String()
}

// withAncestors calls fn for id and each authority above it, nearest
// first, stopping at cycles and after 16 levels.
func (a *authorities) withAncestors(id string, fn func(au *authority, depth int)) {
	for depth := 0; id != "" && depth < 16; depth++ {
		au := a.get(id)
		if au == nil {
			fn(&authority{id: id}, depth)
			return
		}
		fn(au, depth)
		id = au.parent
	}
}

// newDocument makes the document of o, finding the names of what it links
// to in a.
func newDocument(o *wenyuan.Object, a *authorities) *document {
	d := &document{
		id: o.ID, institution: o.Institution, accession: o.AccessionNumber,
		visibility: o.Visibility, earliest: noYear, latest: noYear,
	}
	add := func(code byte, weight uint8, pinyin bool, text string) {
		if strings.TrimSpace(text) != "" {
			d.fields = append(d.fields, docField{code: code, weight: weight, pinyin: pinyin, text: text, auth: -1})
		}
	}
	addAuth := func(code byte, weight uint8, id string) {
		if n, ok := a.byID[id]; ok && len(a.list[n].names) > 0 {
			d.fields = append(d.fields, docField{code: code, weight: weight, auth: int32(n)})
		}
	}
	for _, t := range o.Titles {
		add(fieldTitle, weightTitle, true, t.Value)
		d.titles = append(d.titles, t.Value)
	}
	add(fieldTitle, weightAuthority, true, o.ObjectName)
	add(0, weightTitle, false, o.AccessionNumber)
	// Authorities: the linked one's names and its ancestors' names; facet
	// values for each, so that period=qing finds Qianlong pieces.
	link := func(id string, field, facet byte) {
		a.withAncestors(id, func(au *authority, depth int) {
			w := uint8(weightAuthority)
			if depth > 0 {
				w = weightText
			}
			addAuth(field, w, au.id)
			if facet != 0 {
				d.facets = append(d.facets, facetValue{code: facet, id: au.id})
			}
		})
	}
	for _, m := range o.Makers {
		add(fieldMaker, weightAuthority, true, m.Name)
		if m.Agent != "" {
			link(m.Agent, fieldMaker, facetMaker)
		}
	}
	if o.Date != nil {
		add(fieldPeriod, weightText, false, o.Date.Display)
		for _, p := range o.Date.Periods {
			link(p, fieldPeriod, facetPeriod)
		}
		if o.Date.Earliest != nil {
			d.earliest = int32(*o.Date.Earliest)
		}
		if o.Date.Latest != nil {
			d.latest = int32(*o.Date.Latest)
		}
		if d.earliest == noYear {
			d.earliest = d.latest
		}
		if d.latest == noYear {
			d.latest = d.earliest
		}
	}
	for _, p := range o.Places {
		link(p, fieldPlace, facetPlace)
	}
	for _, c := range o.Classification {
		link(c, fieldClass, facetClass)
	}
	for _, c := range o.Materials {
		link(c, fieldMaterial, facetMaterial)
	}
	for _, c := range o.Techniques {
		link(c, fieldMaterial, facetTechnique)
	}
	add(fieldMaterial, weightText, false, o.Medium)
	for _, in := range o.Inscriptions {
		add(fieldInscription, weightText, false, in.Text)
		add(fieldInscription, weightText, false, in.Translation)
	}
	for _, t := range o.Description {
		add(0, weightText, false, t.Value)
	}
	for _, t := range o.Provenance {
		add(0, weightText, false, t.Value)
	}
	add(0, weightText, false, o.CreditLine)
	add(0, weightText, false, o.CurrentLocation)
	addAuth(0, weightText, o.Institution)
	return d
}
