package dating

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// CircaYears is how far a circa ("ca. 1700", 约1700年) widens a date on each
// side. Twelve years is what the Walters Art Museum uses for its begin and
// end years.
const CircaYears = 12

// Year bounds: a larger year is taken for a catalogue number, not a date.
const (
	maxYearCE  = 2100
	maxYearBCE = 100_000
)

// Result is what Parse found.
type Result struct {
	Earliest, Latest int // inclusive years, negative = BCE; valid only if OK
	OK               bool
	Periods          []string // ids of the periods named, with their ancestors, most specific first
}

// Parser parses date text against a period table. It is safe for concurrent
// use.
type Parser struct {
	periods  []pinfo
	one      []int32 // one[i:i+1] is a candidate list holding only period i
	latin    map[string][]int32
	bare     map[string][]int32 // latin keys without apostrophes: "Kang-hsi"
	prefix   map[string]struct{}
	maxWords int
	words    map[string]keyword
	cjk      map[string]cjkEntry
	cjkMax   map[rune]uint8 // longest key, in bytes, starting with a rune
	states   sync.Pool      // of *state
}

type pinfo struct {
	id     string
	parent int32 // -1 for top level
	depth  int32
	rank   int8 // preference among periods sharing a name: dynasties, then reigns, then eras
	lo, hi int  // astronomical years: 1 BCE is 0
}

type cjkEntry struct {
	kind  tokKind
	num   int
	q     qual
	cands []int32
}

var std struct {
	once   sync.Once
	parser *Parser
}

// Parse parses text with a parser over the built-in table, built on first use.
func Parse(text string) Result {
	std.once.Do(func() { std.parser = NewParser(builtinPeriods()) })
	return std.parser.Parse(text)
}

// NewParser returns a parser that recognises the names of periods. Parents
// that are not in the table are treated as absent.
func NewParser(periods []Period) *Parser {
	p := &Parser{
		periods: make([]pinfo, len(periods)),
		one:     make([]int32, len(periods)),
		latin:   map[string][]int32{},
		bare:    map[string][]int32{},
		prefix:  map[string]struct{}{},
		words:   englishWords(),
		cjk:     map[string]cjkEntry{},
		cjkMax:  map[rune]uint8{},
	}
	index := make(map[string]int32, len(periods))
	for i, pe := range periods {
		if _, dup := index[pe.ID]; !dup {
			index[pe.ID] = int32(i)
		}
	}
	for i, pe := range periods {
		parent := int32(-1)
		if j, ok := index[pe.Parent]; ok && pe.Parent != "" && j != int32(i) {
			parent = j
		}
		lo, hi := astro(pe.Start), astro(pe.End)
		if lo > hi {
			lo, hi = hi, lo
		}
		rank := int8(0)
		switch pe.Kind {
		case KindReign:
			rank = 1
		case KindEra:
			rank = 2
		}
		p.periods[i] = pinfo{id: pe.ID, parent: parent, rank: rank, lo: lo, hi: hi}
		p.one[i] = int32(i)
	}
	for i := range p.periods {
		// The bound guards against a cycle in an edited table.
		d := int32(0)
		for j := p.periods[i].parent; j >= 0 && int(d) < len(p.periods); j = p.periods[j].parent {
			d++
		}
		p.periods[i].depth = d
	}

	cjkNames := map[string][]int32{}
	for i, pe := range periods {
		names := append([]string{pe.ZhHans, pe.ZhHant, pe.Pinyin, pe.En}, pe.Alt...)
		for _, name := range names {
			if strings.TrimSpace(name) == "" {
				continue
			}
			if strings.ContainsFunc(name, isCJK) {
				cjkNames[name] = appendOnce(cjkNames[name], int32(i))
			} else {
				p.addLatin(name, int32(i))
			}
		}
	}
	byPreference := func(m map[string][]int32) {
		for _, c := range m {
			slices.SortStableFunc(c, func(a, b int32) int {
				if d := int(p.periods[a].rank) - int(p.periods[b].rank); d != 0 {
					return d
				}
				return int(a - b)
			})
		}
	}
	byPreference(p.latin)
	byPreference(p.bare)
	byPreference(cjkNames)
	for name, c := range cjkNames {
		p.addCJK(name, cjkEntry{kind: tName, cands: c})
	}
	// Terms win over a period name spelled the same.
	for term, e := range chineseTerms() {
		p.addCJK(term, e)
	}
	return p
}

func appendOnce(c []int32, i int32) []int32 {
	if slices.Contains(c, i) {
		return c
	}
	return append(c, i)
}

func (p *Parser) addCJK(key string, e cjkEntry) {
	p.cjk[key] = e
	r, _ := utf8.DecodeRuneInString(key)
	if n := uint8(min(len(key), 255)); n > p.cjkMax[r] {
		p.cjkMax[r] = n
	}
}

// addLatin registers a Latin name under its folded words run together, with
// and without apostrophes, and records its word prefixes so that the lexer
// knows when to read another word.
func (p *Parser) addLatin(name string, i int32) {
	var kb, bb []byte
	words := 0
	for j := 0; j < len(name); {
		r, size := utf8.DecodeRuneInString(name[j:])
		if !isLetter(r) {
			j += size
			continue
		}
		if words > 0 {
			p.prefix[string(kb)] = struct{}{}
			p.prefix[string(bb)] = struct{}{}
		}
		j, kb, bb = readWord(name, j, kb, bb)
		words++
	}
	if words == 0 {
		return
	}
	p.maxWords = max(p.maxWords, words)
	p.latin[string(kb)] = appendOnce(p.latin[string(kb)], i)
	p.bare[string(bb)] = appendOnce(p.bare[string(bb)], i)
}

// englishWords returns the English keywords, folded to lowercase.
func englishWords() map[string]keyword {
	m := map[string]keyword{
		"ca": {kind: tCirca}, "circa": {kind: tCirca}, "circ": {kind: tCirca},
		"approx": {kind: tCirca}, "approximately": {kind: tCirca},
		"about": {kind: tCirca}, "around": {kind: tCirca}, "c": {kind: tCee},
		"century": {kind: tCentury}, "centuries": {kind: tCentury}, "cent": {kind: tCentury},
		"millennium": {kind: tMillennium}, "millennia": {kind: tMillennium}, "millenium": {kind: tMillennium},
		"bc": {kind: tBC}, "bce": {kind: tBC}, "ad": {kind: tAD}, "ce": {kind: tAD},
		"early": {kind: tQual, q: qEarly}, "beginning": {kind: tQual, q: qEarly},
		"mid": {kind: tQual, q: qMid}, "middle": {kind: tQual, q: qMid},
		"late": {kind: tQual, q: qLate}, "end": {kind: tQual, q: qLate},
		"half": {kind: tHalf}, "quarter": {kind: tQuarter}, "third": {kind: tThird},
		"last": {kind: tLast}, "final": {kind: tLast},
		"to": {kind: tDash}, "until": {kind: tDash}, "till": {kind: tDash},
		"through": {kind: tDash}, "thru": {kind: tDash},
		"or": {kind: tOr}, "and": {kind: tOr},
	}
	ordinals := []string{"first", "second", "", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
		"eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
		"eighteenth", "nineteenth", "twentieth"}
	for n, w := range ordinals {
		if w != "" {
			m[w] = keyword{kind: tNum, num: n + 1, ord: true}
		}
	}
	return m
}

// chineseTerms returns the Chinese words the parser understands, in
// simplified and traditional forms.
func chineseTerms() map[string]cjkEntry {
	m := map[string]cjkEntry{}
	add := func(e cjkEntry, terms ...string) {
		for _, t := range terms {
			m[t] = e
		}
	}
	add(cjkEntry{kind: tBCPre}, "公元前", "纪元前", "紀元前", "西元前", "前")
	add(cjkEntry{kind: tADPre}, "公元", "纪元", "紀元", "西元")
	add(cjkEntry{kind: tCentury}, "世纪", "世紀")
	add(cjkEntry{kind: tMillennium}, "千纪", "千紀", "千年纪", "千年紀")
	add(cjkEntry{kind: tYear}, "年", "年间", "年間", "年制", "年製", "年造", "年款", "年作")
	add(cjkEntry{kind: tYearOne}, "元年")
	add(cjkEntry{kind: tDecade}, "年代")
	add(cjkEntry{kind: tCirca}, "约", "約", "大约", "大約", "约为", "約為")
	add(cjkEntry{kind: tCircaPost}, "左右", "前后", "前後", "上下")
	add(cjkEntry{kind: tDash}, "至", "到")
	add(cjkEntry{kind: tOr}, "或", "或者")
	add(cjkEntry{kind: tQual, q: qEarly}, "早")
	add(cjkEntry{kind: tQual, q: qLate}, "晚")
	add(cjkEntry{kind: tQualPost, q: qEarly}, "初", "初期", "初年", "早期", "前期", "前叶", "前葉")
	add(cjkEntry{kind: tQualPost, q: qMid}, "中期", "中叶", "中葉")
	add(cjkEntry{kind: tQualPost, q: qLate}, "末", "末期", "末年", "末叶", "末葉", "晚期", "后期", "後期", "后叶", "後葉")
	add(cjkEntry{kind: tQualPost, q: qual{vague: true, a: 1, b: 2}}, "中晚期", "中后期", "中後期")
	add(cjkEntry{kind: tQualPost, q: qual{vague: true, a: 0, b: 1}}, "早中期", "初中期")
	add(cjkEntry{kind: tQualPost, q: qual{a: 0, b: 1, den: 2}}, "上半叶", "上半葉", "前半叶", "前半葉", "上半期", "前半期")
	add(cjkEntry{kind: tQualPost, q: qual{a: 1, b: 2, den: 2}}, "下半叶", "下半葉", "后半叶", "後半葉", "下半期", "后半期", "後半期")
	// Words that only pad a date: skipped, though they end a longer match.
	add(cjkEntry{kind: tNone}, "代", "朝", "时期", "時期", "时代", "時代", "期间", "期間", "款")
	const stems, branches = "甲乙丙丁戊己庚辛壬癸", "子丑寅卯辰巳午未申酉戌亥"
	s, b := []rune(stems), []rune(branches)
	for i := range 60 {
		m[string(s[i%10])+string(b[i%12])] = cjkEntry{kind: tGanzhi, num: i}
	}
	return m
}

// astro converts a historical year to an astronomical one (1 BCE is 0).
func astro(y int) int {
	if y <= 0 {
		return y + 1
	}
	return y
}

// historical converts an astronomical year back.
func historical(a int) int {
	if a <= 0 {
		return a - 1
	}
	return a
}

// FormatLine formats r as "earliest<TAB>latest<TAB>input", with both year
// fields empty when r is not OK.
func FormatLine(r Result, input string) string {
	if !r.OK {
		return "\t\t" + input
	}
	return strconv.Itoa(r.Earliest) + "\t" + strconv.Itoa(r.Latest) + "\t" + input
}
