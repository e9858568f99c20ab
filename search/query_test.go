package search

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var queryTests = []struct {
	in   string
	want []Clause
	err  string
}{
	{in: "青花 瓷", want: []Clause{{Text: "青花"}, {Text: "瓷"}}},
	{in: `"blue and white" -唐`, want: []Clause{{Text: "blue and white", Phrase: true}, {Text: "唐", Exclude: true}}},
	{in: "maker:王羲之 作者：王珣", want: []Clause{{Field: "maker", Text: "王羲之"}, {Field: "maker", Text: "王珣"}}},
	{in: `title:"清明上河图"`, want: []Clause{{Field: "title", Text: "清明上河图", Phrase: true}}},
	{in: "Ch'ien-lung: vase", want: []Clause{{Text: "Ch'ien-lung:"}, {Text: "vase"}}},
	{in: "「青花」", want: []Clause{{Text: "青花", Phrase: true}}},
	{in: "－唐", want: []Clause{{Text: "唐", Exclude: true}}},
	{in: "   ", want: nil},
	{in: `""`, want: nil},
	{in: `"open`, err: "not closed"},
	{in: "title:", err: "nothing after"},
	{in: "- x", err: "nothing after '-'"},
	{in: "from:abc", err: "wants a year"},
	{in: "\xff", err: "UTF-8"},
	{in: strings.Repeat("a", 1001), err: "longer than"},
}

func TestParseQuery(t *testing.T) {
	for _, tt := range queryTests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParseQuery(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ParseQuery(%q) = %v, want an error with %q", tt.in, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, p.Clauses); diff != "" {
				t.Errorf("ParseQuery(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
	p, err := ParseQuery("瓶 from:-206 至:220")
	if err != nil || p.From == nil || *p.From != -206 || p.To == nil || *p.To != 220 {
		t.Errorf("ParseQuery(from/to) = %+v, %v", p, err)
	}
}

// FuzzSearch: no query, however malformed, makes the parser or the index
// panic; a query that parses, written back and parsed again, means the same.
func FuzzSearch(f *testing.F) {
	for _, tt := range queryTests {
		f.Add(tt.in)
	}
	for _, s := range []string{"qianlong", "dunhuangmogaoku", "ql", "REL-09", "a-b-c'd", "唐 宋 元 明 清", "-\"x\"", "title:-"} {
		f.Add(s)
	}
	x := NewIndex()
	x.add(&document{id: "o1", institution: "i", accession: "A-1", earliest: 1, latest: 2,
		fields: []docField{{code: fieldTitle, weight: 3, pinyin: true, text: "青花缠枝莲纹瓶 blue-and-white vase", auth: -1}}})
	f.Fuzz(func(t *testing.T, q string) {
		p, err := ParseQuery(q)
		if err == nil {
			p2, err := ParseQuery(p.String())
			if err != nil {
				t.Fatalf("ParseQuery(%q) = %q, which does not parse: %v", q, p.String(), err)
			}
			if len(p2.Clauses) != len(p.Clauses) {
				t.Fatalf("ParseQuery(%q) = %d clauses; written back as %q, %d", q, len(p.Clauses), p.String(), len(p2.Clauses))
			}
		}
		if _, err := x.Search(&Request{Query: q, Limit: 10, FacetSize: 5}); err != nil && !strings.Contains(err.Error(), "invalid search") {
			t.Fatalf("Search(%q) = %v", q, err)
		}
	})
}
