package search

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

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
	var toks []queryToken
	an.Analyze(c.Text, 0, func(t *Token) {
		toks = append(toks, queryToken{t.Kind, string(t.Term), string(t.Raw), t.Pos, t.Start, t.End})
	})
	// Marked in snippets: what must match, but common words.
	if !c.Exclude {
		for i, t := range toks {
			if needed(toks, i) && !commonWords[t.term] {
				hl[t.term] = true
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
		for i, t := range toks {
			if needed(toks, i) {
				and.kids = append(and.kids, term(string(nsField)+string(code)+t.term, false))
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
	var words []queryToken
	var joined string
	flushWords := func() {
		if len(words) == 0 {
			return
		}
		alt := &node{op: opOr, scored: true}
		if len(words) == 1 {
			w := words[0]
			alt.kids = append(alt.kids, term(string(nsAll)+w.term, true), term(string(nsJoined)+w.raw, false), term(string(nsPinyin)+w.raw, false))
			auths := x.auth.pinyinNamed(w.raw)
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
	for i, t := range toks {
		switch t.kind {
		case Word:
			words = append(words, t)
		case Joined:
			joined = t.term
			flushWords()
		case Unigram:
			flushWords()
			if needed(toks, i) {
				and.kids = append(and.kids, term(string(nsUni)+t.term, false))
			}
		case Bigram:
			and.kids = append(and.kids, term(string(nsAll)+t.term, true))
		}
	}
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

// addWords adds the words of a phrase to it: each pair of adjacent words
// as their gram, every other word as itself.
func (ph *node) addWords(ws []phraseWord) {
	covered := make([]bool, len(ws))
	for i := 0; i+1 < len(ws); i++ {
		a, b := ws[i], ws[i+1]
		if b.pos == a.pos+1 {
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
		codes = linkFacets
	}
	var out []*node
	seen := map[uint32]bool{}
	if len(auths) > maxLinked { // the most used first
		auths = slices.Clone(auths)
		uses := func(n uint32) uint32 {
			var u uint32
			for _, code := range linkFacets {
				if p := x.terms.get(string(nsFacet) + string(code) + x.auth.list[n].id); p != nil {
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
			if x.terms.get(key) != nil {
				out = append(out, &node{op: opTerm, key: key, scored: true})
			}
		}
	}
	return out
}

// queryToken is a token of a query clause, kept while it is compiled.
type queryToken struct {
	kind       TokenKind
	term, raw  string
	pos        int32
	start, end int
}

// needed reports whether toks[i] must be found for the clause to match:
// a word, a pair of characters, or a character no pair covers (a run of
// CJK text is found by all its pairs, or by its one character). Joined
// forms are alternatives, not requirements.
func needed(toks []queryToken, i int) bool {
	switch toks[i].kind {
	case Word, Bigram:
		return true
	case Unigram:
		for _, b := range toks {
			if b.kind == Bigram && b.start <= toks[i].start && toks[i].start < b.end {
				return false
			}
		}
		return true
	}
	return false
}
