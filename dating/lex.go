package dating

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is the kind of a lexical token.
type tokKind uint8

const (
	tNone       tokKind = iota
	tNum                // a number; ord for "18th", decade for "1680s"
	tName               // a period name; cands holds the candidate periods
	tDash               // a range: "-", "–", "to", 至
	tSemi               // ";": separates independently dated parts
	tComma              // ",", 、
	tOr                 // "or", "and", 或
	tCirca              // "ca.", 约 in front of a date
	tCircaPost          // 左右, 前后 after a date
	tBC                 // "BC", "BCE"
	tAD                 // "AD", "CE"
	tBCPre              // 公元前, 前
	tADPre              // 公元
	tCentury            // "century", 世纪
	tMillennium         // "millennium", 千纪
	tYear               // 年 (and 年间, 年制 …)
	tYearOne            // 元年
	tDecade             // 年代
	tQual               // a qualifier in front: "early", "2nd half", 晚
	tQualPost           // a qualifier after: 初, 中期, 末, 上半叶
	tGanzhi             // a sexagenary year: num is its index 0..59
	tLast               // "last", waiting for "half" or "quarter"
	tHalf               // "half"
	tQuarter            // "quarter"
	tCee                // "c": circa, or century after an ordinal
	tThird              // "third": an ordinal, or a fraction after one
)

// qual is a part of a span. A vague qual counts early (0), mid (1) and late
// (2) from a to b; otherwise it is the fraction a/den to b/den.
type qual struct {
	vague     bool
	a, b, den uint8
}

var (
	qEarly = qual{vague: true, a: 0, b: 0}
	qMid   = qual{vague: true, a: 1, b: 1}
	qLate  = qual{vague: true, a: 2, b: 2}
)

// combine joins "mid" and "late" of "mid-to-late" into one qual.
func (q qual) combine(r qual) qual {
	switch {
	case q.vague && r.vague && q.a <= r.b:
		return qual{vague: true, a: q.a, b: r.b}
	case !q.vague && !r.vague && q.den == r.den && q.a < r.b:
		return qual{a: q.a, b: r.b, den: q.den}
	}
	return q
}

type token struct {
	kind   tokKind
	ord    bool // "18th", "eighteenth"
	decade bool // "1680s"
	digits int8 // number of digits as written, for "1522-66"
	num    int
	q      qual
	cands  []int32
}

// keyword is what a word or a Chinese term stands for.
type keyword struct {
	kind tokKind
	num  int
	ord  bool
	q    qual
}

func (st *state) emit(t token) {
	st.toks = append(st.toks, t)
}

func (st *state) last() *token {
	if len(st.toks) == 0 {
		return nil
	}
	return &st.toks[len(st.toks)-1]
}

// lex splits s into tokens.
func (p *Parser) lex(s string, st *state) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
				i = p.lexWord(s, i, st)
			case '0' <= c && c <= '9':
				i = lexNumber(s, i, st)
			case c == '-' || c == '~':
				st.emit(token{kind: tDash})
				i++
			case c == ';':
				st.emit(token{kind: tSemi})
				i++
			case c == ',' || c == '/':
				st.emit(token{kind: tComma})
				i++
			case c == '&':
				st.emit(token{kind: tOr})
				i++
			default:
				i++
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case '０' <= r && r <= '９':
			i = lexNumber(s, i, st)
		case isDash(r):
			st.emit(token{kind: tDash})
			i += size
		case r == '；':
			st.emit(token{kind: tSemi})
			i += size
		case r == '，' || r == '、':
			st.emit(token{kind: tComma})
			i += size
		case isCJK(r):
			i = p.lexCJK(s, i, st)
		case isLetter(r):
			i = p.lexWord(s, i, st)
		default:
			i += size
		}
	}
}

func isDash(r rune) bool {
	switch r {
	case '‐', '‑', '‒', '–', '—', '―', '−', '－', '～', '〜', '〰':
		return true
	}
	return false
}

func isCJK(r rune) bool {
	return r >= 0x3400 && r <= 0x9FFF || r >= 0xF900 && r <= 0xFAFF || r >= 0x20000 && r <= 0x2FFFF || r == '〇'
}

// isLetter reports whether r can be part of a Latin word.
func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return !isCJK(r) && unicode.IsLetter(r)
}

func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', '`', 'ʼ', '′':
		return true
	}
	return false
}

// foldRune lowercases r and drops its diacritics: "Ü" becomes 'u'.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}
	r = unicode.ToLower(r)
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'ā', 'ǎ', 'ă':
		return 'a'
	case 'è', 'é', 'ê', 'ë', 'ē', 'ě':
		return 'e'
	case 'ì', 'í', 'î', 'ï', 'ī', 'ǐ':
		return 'i'
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ō', 'ǒ':
		return 'o'
	case 'ù', 'ú', 'û', 'ü', 'ū', 'ǔ', 'ǖ', 'ǘ', 'ǚ', 'ǜ':
		return 'u'
	case 'ç':
		return 'c'
	case 'ñ', 'ń', 'ň':
		return 'n'
	}
	return r
}

const maxKey = 120 // longest folded name kept; longer words match nothing

// readWord reads the Latin word at s[i:] (letters with inner apostrophes),
// appends its folded form to kb and, without apostrophes, to bb, and returns
// the offset after it.
func readWord(s string, i int, kb, bb []byte) (int, []byte, []byte) {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isApostrophe(r) {
			// Only inside a word: "Ch'ing", not "'Ming'".
			n, _ := utf8.DecodeRuneInString(s[i+size:])
			if len(kb) == 0 || !isLetter(n) {
				break
			}
			if len(kb) < maxKey {
				kb = append(kb, '\'')
			}
			i += size
			continue
		}
		if !isLetter(r) {
			break
		}
		f := foldRune(r)
		if len(kb) < maxKey {
			kb = utf8.AppendRune(kb, f)
		}
		if len(bb) < maxKey {
			bb = utf8.AppendRune(bb, f)
		}
		i += size
	}
	return i, kb, bb
}

// nextWord skips the separator allowed inside a multi-word name (spaces and
// at most one hyphen) and returns where the next word starts, or -1.
func nextWord(s string, i int) int {
	hyphen := false
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == ' ' || r == '\t' || r == '\u00a0':
		case (r == '-' || r == '‐' || r == '‑') && !hyphen:
			hyphen = true
		case isLetter(r):
			return i
		default:
			return -1
		}
		i += size
	}
	return -1
}

// lexWord reads a Latin period name of up to maxWords words, or else one
// word as a keyword.
func (p *Parser) lexWord(s string, i int, st *state) int {
	kb, bb := st.kbuf[:0], st.bbuf[:0]
	var best []int32
	bestEnd := -1
	firstEnd, firstLen := i, 0
	for w, j := 0, i; w < p.maxWords; w++ {
		if w > 0 {
			if j = nextWord(s, j); j < 0 {
				break
			}
		}
		j, kb, bb = readWord(s, j, kb, bb)
		if w == 0 {
			firstEnd, firstLen = j, len(kb)
			if firstLen == 0 {
				break
			}
		}
		if c, ok := p.latin[string(kb)]; ok {
			best, bestEnd = c, j
		} else if c, ok := p.bare[string(bb)]; ok {
			best, bestEnd = c, j
		}
		if _, ok := p.prefix[string(kb)]; !ok {
			if _, ok := p.prefix[string(bb)]; !ok {
				break
			}
		}
	}
	if bestEnd >= 0 {
		st.emit(token{kind: tName, cands: best})
		return bestEnd
	}
	if firstEnd == i {
		// An apostrophe or letter that starts no word.
		_, size := utf8.DecodeRuneInString(s[i:])
		return i + size
	}
	return p.lexKeyword(s, firstEnd, st.kbuf[:firstLen], st)
}

// lexKeyword classifies the word w that ends at end.
func (p *Parser) lexKeyword(s string, end int, w []byte, st *state) int {
	// Dotted abbreviations: "b.c.", "a.d.", "c.e.", "n.d.".
	if len(w) == 1 && end+1 < len(s) && s[end] == '.' && isASCIILetter(s[end+1]) {
		buf := append(st.abuf[:0], w[0])
		j := end
		for j+1 < len(s) && s[j] == '.' && isASCIILetter(s[j+1]) &&
			(j+2 >= len(s) || !isASCIILetter(s[j+2])) && len(buf) < len(st.abuf) {
			buf = append(buf, s[j+1]|0x20)
			j += 2
		}
		w, end = buf, j
	}
	k, ok := p.words[string(w)]
	if !ok {
		return end
	}
	prev := st.last()
	prevOrd := prev != nil && prev.kind == tNum && prev.ord
	switch k.kind {
	case tCee:
		if prevOrd {
			st.emit(token{kind: tCentury})
		} else {
			st.emit(token{kind: tCirca})
		}
	case tHalf, tQuarter, tThird:
		den := 2
		switch k.kind {
		case tQuarter:
			den = 4
		case tThird:
			den = 3
		}
		n := 0
		switch {
		case prevOrd:
			n = prev.num
		case prev != nil && prev.kind == tLast:
			n = den
		}
		if n >= 1 && n <= den {
			*prev = token{kind: tQual, q: qual{a: uint8(n - 1), b: uint8(n), den: uint8(den)}}
		} else if k.kind == tThird {
			st.emit(token{kind: tNum, num: 3, ord: true, digits: 1})
		}
	default:
		st.emit(token{kind: k.kind, num: k.num, ord: k.ord, q: k.q, digits: digitsOf(k.num)})
	}
	return end
}

func isASCIILetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func digitsOf(n int) int8 {
	d := int8(1)
	for n >= 10 {
		n /= 10
		d++
	}
	return d
}

const maxNum = 10_000_000 // numbers are capped here; no date is this large

// lexNumber reads digits (ASCII or fullwidth), a thousands separator as in
// "10,000", and an ordinal ("18th") or decade ("1680s") suffix.
func lexNumber(s string, i int, st *state) int {
	n, digits := 0, 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		var d int
		switch {
		case '0' <= r && r <= '9':
			d = int(r - '0')
		case '０' <= r && r <= '９':
			d = int(r - '０')
		case r == ',' && digits <= 3 && thousands(s, i+1):
			i++
			continue
		default:
			goto done
		}
		if n < maxNum {
			n = n*10 + d
		}
		digits++
		i += size
	}
done:
	t := token{kind: tNum, num: n, digits: int8(min(digits, 100))}
	// Suffixes: st, nd, rd, th, d ("2d") make an ordinal; s or 's a decade.
	j := i
	if j < len(s) && (s[j] == '\'' || s[j] == '`') {
		j++
	} else if j+3 <= len(s) && s[j:j+3] == "’" {
		j += 3
	}
	k := j
	for k < len(s) && isASCIILetter(s[k]) && k-j < 3 {
		k++
	}
	if k < len(s) && isASCIILetter(s[k]) {
		k = j // a longer word follows: no suffix
	}
	switch suf := s[j:k]; {
	case j == i && (eqFold(suf, "st") || eqFold(suf, "nd") || eqFold(suf, "rd") || eqFold(suf, "th") || eqFold(suf, "d")):
		t.ord = true
		i = k
	case eqFold(suf, "s"):
		t.decade = true
		i = k
	}
	st.emit(t)
	return i
}

// thousands reports whether s[i:] is exactly three digits followed by no
// further digit.
func thousands(s string, i int) bool {
	if i+3 > len(s) {
		return false
	}
	for k := i; k < i+3; k++ {
		if s[k] < '0' || s[k] > '9' {
			return false
		}
	}
	return i+3 == len(s) || s[i+3] < '0' || s[i+3] > '9'
}

// eqFold reports whether the ASCII word w is lower equal to the lowercase
// word lower, ignoring case.
func eqFold(w, lower string) bool {
	if len(w) != len(lower) {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i]|0x20 != lower[i] {
			return false
		}
	}
	return true
}

// lexCJK reads the longest Chinese name or term at s[i:], or a Chinese
// numeral.
func (p *Parser) lexCJK(s string, i int, st *state) int {
	r, size := utf8.DecodeRuneInString(s[i:])
	if max, ok := p.cjkMax[r]; ok {
		for n := min(int(max), len(s)-i); n >= size; n-- {
			if i+n < len(s) && !utf8.RuneStart(s[i+n]) {
				continue
			}
			e, ok := p.cjk[s[i:i+n]]
			if !ok {
				continue
			}
			// "至元代" is "to the Yuan dynasty", not the era Zhiyuan + 代.
			if e.kind == tName && r == '至' && n > size && (strings.HasPrefix(s[i+n:], "代") || strings.HasPrefix(s[i+n:], "朝")) {
				st.emit(token{kind: tDash})
				return i + size
			}
			switch e.kind {
			case tNone:
			case tName:
				st.emit(token{kind: tName, cands: e.cands})
			case tYearOne:
				st.emit(token{kind: tYearOne, num: 1})
			default:
				st.emit(token{kind: e.kind, num: e.num, q: e.q})
			}
			return i + n
		}
	}
	if _, ok := cnDigit(r); ok {
		return lexCNNumber(s, i, st)
	}
	return i + size
}

// cnDigit returns the value of a Chinese numeral character: 0-9, or 10, 100,
// 1000 for the unit characters, 20 and 30 for 廿 and 卅.
func cnDigit(r rune) (int, bool) {
	switch r {
	case '〇', '零':
		return 0, true
	case '一':
		return 1, true
	case '二', '两', '兩':
		return 2, true
	case '三':
		return 3, true
	case '四':
		return 4, true
	case '五':
		return 5, true
	case '六':
		return 6, true
	case '七':
		return 7, true
	case '八':
		return 8, true
	case '九':
		return 9, true
	case '十':
		return 10, true
	case '百':
		return 100, true
	case '千':
		return 1000, true
	case '廿':
		return 20, true
	case '卅':
		return 30, true
	}
	return 0, false
}

// lexCNNumber reads a Chinese numeral: positional (三十七, 一千二百) or
// digit by digit (一七三六).
func lexCNNumber(s string, i int, st *state) int {
	total, cur, seq := 0, 0, 0
	positional := false
	for count := 0; i < len(s) && count < 12; count++ {
		r, size := utf8.DecodeRuneInString(s[i:])
		v, ok := cnDigit(r)
		if !ok {
			break
		}
		switch v {
		case 10, 100, 1000:
			if cur == 0 {
				cur = 1
			}
			total += cur * v
			cur = 0
			positional = true
		case 20, 30:
			total += v
			positional = true
		default:
			cur = v
			seq = seq*10 + v
		}
		i += size
	}
	n := seq
	if positional {
		n = total + cur
	}
	st.emit(token{kind: tNum, num: n, digits: digitsOf(n)})
	return i
}
