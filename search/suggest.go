package search

import (
	"sort"
	"strings"

	"wenyuan"
)

// Suggestion is an authority whose name starts with what the user typed,
// for typeahead: its id, kind and names, and how many records the user may
// see link to it.
type Suggestion struct {
	ID    string
	Kind  wenyuan.Kind
	Names wenyuan.Names
	Count int
}

// Suggest returns up to limit authorities with a name (in any language, or
// its pinyin) that begins with prefix, or failing that contains it, most
// used first. Counts are of the objects scope lets the user read.
func (x *Index) Suggest(prefix string, scope wenyuan.ReadScope, limit int) []Suggestion {
	p := strings.TrimSpace(Fold(prefix))
	if p == "" || limit <= 0 {
		return nil
	}
	compact := compactName.Replace(p)
	x.mu.RLock()
	defer x.mu.RUnlock()
	allowed := x.allowedTable(scope, nil)
	type cand struct {
		s     Suggestion
		start bool
	}
	var cs []cand
	for i := range x.auth.list {
		au := &x.auth.list[i]
		if len(au.names) == 0 || au.kind == wenyuan.KindInstitution {
			continue
		}
		start, contains := false, false
		for _, k := range au.keys() {
			if strings.HasPrefix(k, p) || strings.HasPrefix(k, compact) {
				start = true
				break
			}
			if strings.Contains(k, p) {
				contains = true
			}
		}
		if !start && !contains {
			continue
		}
		cs = append(cs, cand{Suggestion{ID: au.id, Kind: au.kind, Names: au.names, Count: x.countLinked(au.id, allowed)}, start})
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].start != cs[j].start {
			return cs[i].start
		}
		if cs[i].s.Count != cs[j].s.Count {
			return cs[i].s.Count > cs[j].s.Count
		}
		return cs[i].s.ID < cs[j].s.ID
	})
	out := make([]Suggestion, 0, min(limit, len(cs)))
	for _, c := range cs {
		if len(out) == limit {
			break
		}
		out = append(out, c.s)
	}
	return out
}

// compactName writes a name without its spaces, apostrophes and hyphens,
// as people type it into a search box: "ch'ien-lung" → "chienlung".
var compactName = strings.NewReplacer(" ", "", "'", "", "’", "", "-", "")

// keys are the folded names of an authority and their pinyin, run
// together ("qianlong") — what typeahead matches a prefix against.
func (au *authority) keys() []string { return au.folded }

func typeaheadKeys(names wenyuan.Names) []string {
	var out []string
	an := NewAnalyzer()
	for _, n := range names {
		f := Fold(n.Value)
		out = append(out, f, compactName.Replace(f))
		if py := an.pinyinKey(n.Value); py != "" {
			out = append(out, py)
		}
	}
	return out
}

// countLinked counts the live objects linked to authority id that the
// allowed table lets through. Caller holds mu.
func (x *Index) countLinked(id string, allowed []bool) int {
	seen := 0
	var docs []uint32
	for _, code := range linkFacets[1:] { // not the institution
		p := x.terms.get(string(nsFacet) + string(code) + id)
		if p == nil {
			continue
		}
		c := newCursor(p, false)
		for c.next() {
			if x.docs.isLive(c.doc) && allowed[int(x.docs.inst[c.doc])*len(visibilities)+int(x.docs.vis[c.doc])] {
				docs = append(docs, c.doc)
			}
		}
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i] < docs[j] })
	for i, d := range docs {
		if i == 0 || d != docs[i-1] {
			seen++
		}
	}
	return seen
}

// pinyinKey is the pinyin of the Chinese in s, first readings (or the
// override's) run together: 乾隆 → "qianlong".
func (a *Analyzer) pinyinKey(s string) string {
	var b strings.Builder
	a.pinyinRuns(s, func(run [][]string) {
		for _, rs := range run {
			b.WriteString(rs[0])
		}
	})
	return b.String()
}
