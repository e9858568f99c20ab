package search

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/mozillazg/go-pinyin"
)

//go:embed pinyin_override.tsv
var pinyinOverrideTSV string

type pinyinTable struct {
	readings  map[rune][]string   // toneless readings, most common first
	syllables map[string]bool     // every toneless syllable
	override  map[rune][]override // by first character
}

type override struct {
	name      []rune
	syllables []string
}

var pinyins = sync.OnceValue(func() *pinyinTable {
	t := &pinyinTable{readings: map[rune][]string{}, syllables: map[string]bool{}, override: map[rune][]override{}}
	f := folds()
	var buf []rune
	// The readings of all characters share a few hundred syllable strings
	// and one backing array: some 80,000 objects fewer for the garbage
	// collector to visit at every collection.
	interned := map[string]string{}
	block := make([]string, 0, 2*len(pinyin.PinyinDict))
	for r, s := range pinyin.PinyinDict {
		start := len(block)
		for _, syl := range strings.Split(s, ",") {
			buf = buf[:0]
			for _, c := range syl {
				buf = f.fold(buf, c, false)
			}
			p, ok := interned[string(buf)]
			if !ok {
				p = string(buf)
				interned[p] = p
			}
			if p == "" || contains(block[start:], p) || len(block)-start == 3 {
				continue
			}
			block = append(block, p)
			t.syllables[p] = true
		}
		if len(block) > start {
			t.readings[rune(r)] = block[start:len(block):len(block)]
		}
	}
	for _, line := range strings.Split(pinyinOverrideTSV, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		name, syl, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		n := []rune(Fold(name))
		o := override{name: n, syllables: strings.Fields(syl)}
		if len(o.syllables) == len(n) {
			t.override[n[0]] = append(t.override[n[0]], o)
		}
	}
	return t
})

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// Pinyin calls emit for the pinyin terms of the Chinese in text: each
// pair of adjacent characters joined ("qianlong", and "ganlong" for the
// other reading of 乾) and as initials ("ql"), the initials of a whole name
// of up to six characters ("mgk"), and the readings of a character that
// stands alone. Names in the override table
// get only their own reading. Pinyin terms have no positions.
func (a *Analyzer) Pinyin(text string, emit func(term []byte)) {
	a.pinyinRuns(text, func(run [][]string) { a.pinyinTerms(run, emit) })
}

// pinyinRuns calls fn with the readings of each run of Chinese characters
// in text, a name in the override table given exactly its own readings.
func (a *Analyzer) pinyinRuns(text string, fn func(run [][]string)) {
	t := pinyins()
	var run [][]string
	var key []rune
	flush := func() {
		if len(run) == 0 {
			return
		}
		for i := 0; i < len(key); i++ {
			for _, o := range t.override[key[i]] {
				if i+len(o.name) <= len(key) && string(key[i:i+len(o.name)]) == string(o.name) {
					for j, s := range o.syllables {
						run[i+j] = []string{s}
					}
					i += len(o.name) - 1
					break
				}
			}
		}
		fn(run)
		run, key = run[:0], key[:0]
	}
	for _, r := range text {
		a.folded = a.f.fold(a.folded[:0], r, false)
		for _, c := range a.folded {
			rs := t.readings[c]
			if len(rs) == 0 || classify(c) != cjk {
				flush()
				continue
			}
			run = append(run, rs)
			key = a.f.fold(key, c, true)
		}
	}
	flush()
}

func (a *Analyzer) pinyinTerms(run [][]string, emit func([]byte)) {
	term := func(parts ...string) {
		a.term = a.term[:0]
		for _, p := range parts {
			a.term = append(a.term, p...)
		}
		emit(a.term)
	}
	for i, rs := range run {
		// A syllable alone names too many characters to be worth a list;
		// it is kept only for a name of one character.
		if len(run) == 1 {
			for _, s := range rs {
				term(s)
			}
		}
		if i+1 < len(run) {
			n := 0
			for _, x := range rs {
				for _, y := range run[i+1] {
					if n++; n > 4 {
						break
					}
					term(x, y)
					term(x[:1], y[:1])
				}
			}
		}
	}
	if len(run) > 2 && len(run) <= 6 {
		a.term = a.term[:0]
		for _, rs := range run {
			a.term = append(a.term, rs[0][0])
		}
		emit(a.term)
	}
}

// splitPinyin splits a word of run-together pinyin ("dunhuangmogaoku")
// into syllables, choosing the split with the fewest, or returns nil.
func splitPinyin(w string) []string {
	t := pinyins()
	n := len(w)
	if n == 0 || n > 64 {
		return nil
	}
	best := make([]int, n+1) // fewest syllables for w[:i]; -1 = impossible
	from := make([]int, n+1)
	for i := 1; i <= n; i++ {
		best[i] = -1
		for j := max(0, i-6); j < i; j++ {
			if best[j] >= 0 && t.syllables[w[j:i]] && (best[i] < 0 || best[j]+1 < best[i]) {
				best[i], from[i] = best[j]+1, j
			}
		}
	}
	if best[n] < 0 {
		return nil
	}
	out := make([]string, best[n])
	for i, k := n, best[n]-1; i > 0; i, k = from[i], k-1 {
		out[k] = w[from[i]:i]
	}
	return out
}
