package search

import (
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// TokenKind says what a token is, which decides how it is indexed.
type TokenKind uint8

// The kinds of token analysis makes.
const (
	// Word is a run of letters or digits outside CJK scripts, lower-cased
	// and, for English words, stemmed. Words have positions.
	Word TokenKind = iota + 1
	// Bigram is two adjacent CJK characters. Bigrams have positions, so a
	// phrase of CJK text is a run of bigrams at consecutive positions.
	Bigram
	// Unigram is one CJK character, so that one-character words (唐, 宋,
	// 瓶) are found inside longer ones. Unigrams have no positions.
	Unigram
	// Joined is a hyphenated or apostrophed word written as one
	// ("blue-and-white" → "blueandwhite"), so either spelling finds it.
	Joined
)

// Token is one term of analysed text. Term is only valid during the
// callback. Start and End are byte offsets in the text analysed.
type Token struct {
	Term       []byte
	Raw        []byte // a Word before stemming
	Kind       TokenKind
	Pos        int32
	Start, End int
}

// Analyzer turns text into tokens. One Analyzer is used by one goroutine
// at a time; its buffers are reused between calls.
type Analyzer struct {
	f      *runeFold
	folded []rune
	term   []byte
	joined []byte
	raw    []byte
	parts  int
	word   []rune
	wordAt int
	wordTo int
	tok    Token
	emit   func(*Token)
	pos    int32
	// cjk state: the previous CJK rune and where it started
	prev   rune
	prevAt int
	// compound state
	compAt int
	stems  map[string]string
}

// NewAnalyzer returns an analyzer.
func NewAnalyzer() *Analyzer { return &Analyzer{f: folds()} }

type class uint8

const (
	sep class = iota
	letter
	cjk
	apostrophe
	hyphen
)

func classify(r rune) class {
	switch {
	case r >= 0x4E00 && r <= 0x9FFF, r >= 0x3400 && r <= 0x4DBF:
		return cjk
	case r < 0x80:
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return letter
		case r == '\'':
			return apostrophe
		case r == '-':
			return hyphen
		}
		return sep
	case r == '\u2019' || r == '\u02bc' || r == '\u2018' || r == '\u02bb':
		return apostrophe
	case r == '\u2010' || r == '\u2011':
		return hyphen
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
		return cjk
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return letter
	}
	return sep
}

// Analyze calls emit for every token of text, numbering positions from
// pos, and returns the next free position. Callers analysing several
// values of one field leave a gap between them so that no phrase spans
// two values.
func (a *Analyzer) Analyze(text string, pos int32, emit func(*Token)) int32 {
	a.emit, a.pos = emit, pos
	a.prev, a.parts = -1, 0
	a.word = a.word[:0]
	a.joined = a.joined[:0]
	for i, r := range text {
		end := i + utf8.RuneLen(r)
		if r == utf8.RuneError {
			end = i + 1
		}
		a.folded = a.f.fold(a.folded[:0], r, true)
		for _, c := range a.folded {
			a.rune(c, i, end)
		}
	}
	a.endWord(true)
	a.prev = -1
	return a.pos
}

func (a *Analyzer) rune(c rune, at, end int) {
	switch classify(c) {
	case cjk:
		a.endWord(true)
		a.unigram(c, at, end)
		if a.prev >= 0 {
			a.term = utf8.AppendRune(utf8.AppendRune(a.term[:0], a.prev), c)
			a.send(Bigram, a.pos, a.prevAt, end)
			a.pos++
		}
		a.prev, a.prevAt = c, at
	case letter:
		a.prev = -1
		if len(a.word) == 0 {
			a.wordAt = at
			if a.parts == 0 {
				a.compAt = at
			}
		}
		a.word = append(a.word, c)
		a.wordTo = end
	case apostrophe:
		// ch'ien, Xi'an: the apostrophe is part of the word and dropped.
		if len(a.word) == 0 {
			a.endWord(true)
		}
	case hyphen:
		if len(a.word) > 0 {
			a.endWord(false)
		}
	default:
		a.prev = -1
		a.endWord(true)
	}
}

func (a *Analyzer) unigram(c rune, at, end int) {
	a.term = utf8.AppendRune(a.term[:0], c)
	a.send(Unigram, a.pos, at, end)
}

// endWord emits the word being read. last says the compound it belongs to
// (if any) ends here too.
func (a *Analyzer) endWord(last bool) {
	if len(a.word) > 0 {
		a.term = a.term[:0]
		ascii := true
		for _, c := range a.word {
			if c >= utf8.RuneSelf || c < 'a' || c > 'z' {
				ascii = false
			}
			a.term = utf8.AppendRune(a.term, c)
		}
		a.joined = append(a.joined, a.term...)
		a.parts++
		a.raw = append(a.raw[:0], a.term...)
		if ascii && len(a.term) > 2 {
			a.term = append(a.term[:0], a.stem(a.term)...)
		}
		a.send(Word, a.pos, a.wordAt, a.wordTo)
		a.pos++
		a.word = a.word[:0]
	}
	if last {
		if a.parts > 1 {
			a.term = append(a.term[:0], a.joined...)
			a.send(Joined, a.pos-1, a.compAt, a.wordTo)
		}
		a.parts = 0
		a.joined = a.joined[:0]
	}
}

// stem returns the English stem of w, remembering the stems of the words
// it has seen (an index sees the same words again and again).
func (a *Analyzer) stem(w []byte) string {
	if s, ok := a.stems[string(w)]; ok {
		return s
	}
	if a.stems == nil || len(a.stems) > 100000 {
		a.stems = make(map[string]string)
	}
	s := english.Stem(string(w), false)
	a.stems[string(w)] = s
	return s
}

func (a *Analyzer) send(k TokenKind, pos int32, start, end int) {
	a.tok = Token{Term: a.term, Kind: k, Pos: pos, Start: start, End: end}
	if k == Word {
		a.tok.Raw = a.raw
	}
	a.emit(&a.tok)
}
