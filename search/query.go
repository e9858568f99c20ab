package search

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clause is one part of a parsed query: a word, or a quoted phrase,
// optionally limited to a field and optionally excluded.
type Clause struct {
	Field   string // "" for every field, else one of Fields' keys
	Text    string
	Phrase  bool // written in double quotes: the words in this order
	Exclude bool // written with a leading '-': records with it are left out
}

// Parsed is a query as its user wrote it, parsed.
type Parsed struct {
	Clauses  []Clause
	From, To *int // from:YEAR, to:YEAR written in the query
}

// Fields maps the field prefixes a query may use, in English and Chinese,
// to the field they search.
var Fields = map[string]string{
	"title": "title", "标题": "title", "題名": "title", "题名": "title", "名称": "title",
	"maker": "maker", "artist": "maker", "作者": "maker", "制作者": "maker",
	"material": "material", "medium": "material", "材质": "material", "质地": "material",
	"period": "period", "date": "period", "年代": "period", "时代": "period", "朝代": "period",
	"place": "place", "地点": "place", "产地": "place",
	"classification": "classification", "class": "classification", "type": "classification", "类别": "classification", "分类": "classification",
	"inscription": "inscription", "款识": "inscription", "题款": "inscription", "铭文": "inscription",
	"description": "", "描述": "", // descriptions are searched as all text is
	"accession": "accession", "编号": "accession", "藏品号": "accession",
}

var fieldCodes = map[string]byte{
	"title": fieldTitle, "maker": fieldMaker, "material": fieldMaterial, "period": fieldPeriod,
	"place": fieldPlace, "classification": fieldClass, "inscription": fieldInscription,
}

// SyntaxError is a query that cannot be parsed; Offset is the byte where
// the problem is.
type SyntaxError struct {
	Offset  int
	Message string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("at character %d: %s", e.Offset+1, e.Message)
}

// MaxQueryLen is the longest query accepted, in bytes.
const MaxQueryLen = 1000

// ParseQuery parses q: words, "exact phrases", -excluded words, field:word
// and field:"phrase" with the prefixes in Fields, and from:YEAR / to:YEAR
// (negative years are BCE). Words not in quotes must all be found; full-
// width quotes, colons and minus signs work as their ASCII forms.
func ParseQuery(q string) (*Parsed, error) {
	if len(q) > MaxQueryLen {
		return nil, &SyntaxError{Offset: MaxQueryLen, Message: fmt.Sprintf("the query is longer than %d bytes", MaxQueryLen)}
	}
	if !utf8.ValidString(q) {
		return nil, &SyntaxError{Message: "the query is not valid UTF-8"}
	}
	p := &Parsed{}
	i := 0
	for {
		for i < len(q) {
			r, n := utf8.DecodeRuneInString(q[i:])
			if !unicode.IsSpace(r) {
				break
			}
			i += n
		}
		if i >= len(q) {
			break
		}
		start := i
		c := Clause{}
		if r, n := utf8.DecodeRuneInString(q[i:]); r == '-' || r == '－' || r == '−' {
			c.Exclude = true
			i += n
			if i >= len(q) || startsSpace(q[i:]) {
				return nil, &SyntaxError{Offset: start, Message: "nothing after '-' to exclude"}
			}
		}
		// A field prefix: letters (any script) up to a colon, when the
		// word before the colon is a known field.
		if j, name, ok := fieldPrefix(q[i:]); ok {
			c.Field = name
			i += j
			if i >= len(q) || startsSpace(q[i:]) {
				return nil, &SyntaxError{Offset: start, Message: fmt.Sprintf("nothing after %q", q[start:i])}
			}
		}
		if r, n := utf8.DecodeRuneInString(q[i:]); isQuote(r) {
			i += n
			end := strings.IndexFunc(q[i:], isQuote)
			if end < 0 {
				return nil, &SyntaxError{Offset: i - n, Message: "a quotation mark is not closed"}
			}
			c.Text, c.Phrase = q[i:i+end], true
			_, m := utf8.DecodeRuneInString(q[i+end:])
			i += end + m
		} else {
			end := strings.IndexFunc(q[i:], unicode.IsSpace)
			if end < 0 {
				end = len(q) - i
			}
			c.Text = q[i : i+end]
			i += end
		}
		if c.Field == "from" || c.Field == "to" {
			y, err := strconv.Atoi(strings.TrimSpace(c.Text))
			if err != nil || c.Exclude {
				return nil, &SyntaxError{Offset: start, Message: fmt.Sprintf("%s: wants a year such as 1736 or -206 (BCE), not %q", c.Field, c.Text)}
			}
			if c.Field == "from" {
				p.From = &y
			} else {
				p.To = &y
			}
			continue
		}
		if strings.TrimSpace(c.Text) == "" {
			continue // "" or a field with only spaces in quotes: nothing to find
		}
		p.Clauses = append(p.Clauses, c)
	}
	return p, nil
}

func startsSpace(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

func isQuote(r rune) bool {
	return r == '"' || r == '“' || r == '”' || r == '＂' || r == '「' || r == '」'
}

// fieldPrefix reports whether s starts with "name:" for a known field
// (or from:/to:), returning the bytes it takes and the field.
func fieldPrefix(s string) (int, string, bool) {
	for i, r := range s {
		if r == ':' || r == '：' {
			name := strings.ToLower(s[:i])
			n := i + utf8.RuneLen(r)
			if name == "from" || name == "to" || name == "从" || name == "至" {
				if name == "从" {
					name = "from"
				} else if name == "至" {
					name = "to"
				}
				return n, name, true
			}
			f, ok := Fields[name]
			return n, f, ok
		}
		if !unicode.IsLetter(r) {
			return 0, "", false
		}
	}
	return 0, "", false
}

// String writes p back as a query.
func (p *Parsed) String() string {
	var parts []string
	for _, c := range p.Clauses {
		s := c.Text
		if c.Phrase {
			s = `"` + s + `"`
		}
		if c.Field != "" {
			s = c.Field + ":" + s
		}
		if c.Exclude {
			s = "-" + s
		}
		parts = append(parts, s)
	}
	if p.From != nil {
		parts = append(parts, "from:"+strconv.Itoa(*p.From))
	}
	if p.To != nil {
		parts = append(parts, "to:"+strconv.Itoa(*p.To))
	}
	return strings.Join(parts, " ")
}
