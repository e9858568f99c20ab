package search

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// fold.tsv maps traditional and variant Chinese characters to the
// simplified form, one character per line; see fold_test.go for how it is
// made and from what.
//
//go:embed fold.tsv
var foldTSV string

// runeFold is what analysis does to one rune before it looks at words:
// compatibility and width folding (NFKC), case folding, removal of
// diacritics (pinyin tone marks, ü), and, in t2s, traditional and variant
// characters to simplified ones. It works rune by rune so that every token
// keeps the byte offsets of the text it came from, for highlighting.
type runeFold struct {
	base  [0x10000]rune   // for the BMP: the folded rune, dropRune, or multiRune
	multi map[rune]string // runes that fold to more than one rune ("ﬁ" → "fi", "①" → "1")
	t2s   map[rune]rune   // traditional/variant → simplified, after base
	bmpT  [0x10000]rune   // base then t2s, for the BMP
}

const (
	dropRune  = -1 // combining marks, format characters: ignored
	multiRune = -2 // see multi
)

var folds = sync.OnceValue(newRuneFold)

func newRuneFold() *runeFold {
	f := &runeFold{multi: map[rune]string{}, t2s: map[rune]rune{}}
	for _, line := range strings.Split(foldTSV, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		from, to, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		fr, tr := []rune(from), []rune(to)
		if len(fr) == 1 && len(tr) == 1 {
			f.t2s[fr[0]] = tr[0]
		}
	}
	var buf []byte
	for r := rune(0); r < 0x10000; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			f.base[r] = dropRune
			continue
		}
		s := foldString(r, &buf)
		switch n := len([]rune(s)); {
		case n == 0:
			f.base[r] = dropRune
		case n == 1:
			f.base[r] = []rune(s)[0]
		default:
			f.base[r] = multiRune
			f.multi[r] = s
		}
	}
	for r := range f.bmpT {
		b := f.base[r]
		if t, ok := f.t2s[b]; ok && b >= 0 {
			b = t
		}
		f.bmpT[r] = b
	}
	return f
}

// foldString folds one rune the slow way: NFKD, drop nonspacing marks,
// NFC, lower case. Hangul and kana survive because NFC puts them back.
func foldString(r rune, buf *[]byte) string {
	if r < 0x80 {
		if r >= 'A' && r <= 'Z' {
			return string(r + 'a' - 'A')
		}
		return string(r)
	}
	if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Cf, r) {
		return ""
	}
	d := norm.NFKD.String(string(r))
	*buf = (*buf)[:0]
	for _, c := range d {
		if unicode.Is(unicode.Mn, c) {
			continue
		}
		*buf = append(*buf, string(c)...)
	}
	return strings.ToLower(norm.NFC.String(string(*buf)))
}

// fold appends the folded form of r to dst. simplify says whether
// traditional and variant characters become simplified ones.
func (f *runeFold) fold(dst []rune, r rune, simplify bool) []rune {
	if r < 0x10000 {
		var m rune
		if simplify {
			m = f.bmpT[r]
		} else {
			m = f.base[r]
		}
		switch m {
		case dropRune:
			return dst
		case multiRune:
			for _, c := range f.multi[r] {
				if simplify {
					if t, ok := f.t2s[c]; ok {
						c = t
					}
				}
				dst = append(dst, c)
			}
			return dst
		}
		return append(dst, m)
	}
	r = unicode.ToLower(r)
	if simplify {
		if t, ok := f.t2s[r]; ok {
			r = t
		}
	}
	return append(dst, r)
}

// Fold returns s as analysis sees it: NFKC, lower case, no diacritics,
// traditional and variant Chinese characters made simplified. Two texts
// that fold to the same string are the same to search.
func Fold(s string) string {
	f := folds()
	out := make([]rune, 0, len(s))
	for _, r := range s {
		out = f.fold(out, r, true)
	}
	return string(out)
}
