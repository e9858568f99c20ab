package search

import (
	"html"
	"strings"
	"unicode/utf8"
)

// Snippet returns a passage of text of about size runes around the
// densest run of the query's terms, as HTML with each match in <mark>, and
// how many matches text has. With no match it returns the start of text.
func Snippet(text string, terms map[string]bool, size int) (string, int) {
	type span struct{ start, end int }
	var marks []span
	NewAnalyzer().Analyze(text, 0, func(t *Token) {
		if terms[string(t.Term)] {
			if n := len(marks); n > 0 && t.Start < marks[n-1].end {
				marks[n-1].end = max(marks[n-1].end, t.End)
				return
			}
			marks = append(marks, span{t.Start, t.End})
		}
	})
	// The window of size runes that holds the most marks, starting at one.
	from, to := 0, len(text)
	if utf8.RuneCountInString(text) > size {
		best, bestAt := -1, 0
		for i, m := range marks {
			end := byteAfterRunes(text, m.start, size)
			n := 0
			for _, m2 := range marks[i:] {
				if m2.end > end {
					break
				}
				n++
			}
			if n > best {
				best, bestAt = n, i
			}
		}
		if len(marks) > 0 {
			// Start a little before the first match, at a rune boundary.
			from = byteBeforeRunes(text, marks[bestAt].start, size/5)
		}
		to = byteAfterRunes(text, from, size)
	}
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	at := from
	for _, m := range marks {
		if m.end <= from || m.start >= to {
			continue
		}
		s, e := max(m.start, from), min(m.end, to)
		b.WriteString(html.EscapeString(text[at:s]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s:e]))
		b.WriteString("</mark>")
		at = e
	}
	b.WriteString(html.EscapeString(text[at:to]))
	if to < len(text) {
		b.WriteString("…")
	}
	return b.String(), len(marks)
}

func byteAfterRunes(s string, at, n int) int {
	for i := 0; i < n && at < len(s); i++ {
		_, w := utf8.DecodeRuneInString(s[at:])
		at += w
	}
	return at
}

func byteBeforeRunes(s string, at, n int) int {
	for i := 0; i < n && at > 0; i++ {
		_, w := utf8.DecodeLastRuneInString(s[:at])
		at -= w
	}
	return at
}
