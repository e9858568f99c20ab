package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/registry"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"wenyuan"
	"wenyuan/search"
)

func init() {
	registry.RegisterTokenizer("wenyuan", func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return tokenizer{}, nil
	})
}

// tokenizer gives bleve Wenyuan's analysis: NFKC, case and diacritics
// folded, traditional → simplified, CJK unigrams and bigrams, English
// words stemmed.
type tokenizer struct{}

func (tokenizer) Tokenize(input []byte) analysis.TokenStream {
	var out analysis.TokenStream
	search.NewAnalyzer().Analyze(string(input), 0, func(t *search.Token) {
		typ := analysis.AlphaNumeric
		if t.Kind == search.Bigram || t.Kind == search.Unigram {
			typ = analysis.Ideographic
		}
		out = append(out, &analysis.Token{Term: append([]byte(nil), t.Term...), Start: t.Start, End: t.End, Position: int(t.Pos) + 1, Type: typ})
	})
	return out
}

// bleveEngine is bleve v2 (scorch) with Wenyuan's analysis as its
// analyzer, years as numbers (its dates cannot hold years before 1677).
type bleveEngine struct {
	dir   string
	idx   bleve.Index
	batch *bleve.Batch
}

func newBleve(dir string) (*bleveEngine, error) {
	im := bleve.NewIndexMapping()
	if err := im.AddCustomAnalyzer("wenyuan", map[string]any{"type": custom.Name, "tokenizer": "wenyuan"}); err != nil {
		return nil, err
	}
	dm := bleve.NewDocumentMapping()
	text := bleve.NewTextFieldMapping()
	text.Analyzer, text.Store = "wenyuan", false
	dm.AddFieldMappingsAt("text", text)
	for _, f := range []string{"institution", "classification", "visibility"} {
		kw := bleve.NewKeywordFieldMapping()
		kw.Store = false
		dm.AddFieldMappingsAt(f, kw)
	}
	for _, f := range []string{"earliest", "latest"} {
		num := bleve.NewNumericFieldMapping()
		num.Store = false
		dm.AddFieldMappingsAt(f, num)
	}
	im.DefaultMapping = dm
	im.DefaultAnalyzer = "wenyuan"
	os.RemoveAll(dir)
	idx, err := bleve.New(dir, im)
	if err != nil {
		return nil, err
	}
	return &bleveEngine{dir: dir, idx: idx}, nil
}

func (b *bleveEngine) name() string { return "bleve" }

func (b *bleveEngine) add(o *wenyuan.Object, text string) error {
	if b.batch == nil {
		b.batch = b.idx.NewBatch()
	}
	doc := map[string]any{"text": text, "institution": o.Institution, "visibility": string(o.Visibility)}
	if len(o.Classification) > 0 {
		doc["classification"] = o.Classification[0]
	}
	if o.Date != nil && o.Date.Earliest != nil {
		doc["earliest"], doc["latest"] = float64(*o.Date.Earliest), float64(*o.Date.Latest)
	}
	if err := b.batch.Index(o.AccessionNumber, doc); err != nil {
		return err
	}
	if b.batch.Size() >= 1000 {
		return b.finish()
	}
	return nil
}

func (b *bleveEngine) finish() error {
	if b.batch == nil || b.batch.Size() == 0 {
		return nil
	}
	err := b.idx.Batch(b.batch)
	b.batch = nil
	return err
}

func (b *bleveEngine) size() (int64, error) {
	var n int64
	err := filepath.Walk(b.dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return err
	})
	return n, err
}

func (b *bleveEngine) query(q string, scope wenyuan.ReadScope, from, to *int) (query.Query, error) {
	p, err := search.ParseQuery(q)
	if err != nil {
		return nil, err
	}
	bq := bleve.NewBooleanQuery()
	musts := 0
	for _, c := range p.Clauses {
		var cq query.Query
		if c.Phrase || strings.ContainsAny(c.Text, "-'’") {
			m := bleve.NewMatchPhraseQuery(c.Text)
			m.SetField("text")
			cq = m
		} else {
			m := bleve.NewMatchQuery(c.Text)
			m.SetField("text")
			m.SetOperator(query.MatchQueryOperatorAnd)
			cq = m
		}
		if c.Exclude {
			bq.AddMustNot(cq)
		} else {
			bq.AddMust(cq)
			musts++
		}
	}
	if musts == 0 {
		bq.AddMust(bleve.NewMatchAllQuery())
	}
	vis := bleve.NewDisjunctionQuery()
	for _, v := range []string{"public", "consortium"} {
		if v == "public" || scope.Consortium {
			t := bleve.NewTermQuery(v)
			t.SetField("visibility")
			vis.AddQuery(t)
		}
	}
	if scope.Institution != "" {
		t1, t2 := bleve.NewTermQuery("internal"), bleve.NewTermQuery(scope.Institution)
		t1.SetField("visibility")
		t2.SetField("institution")
		vis.AddQuery(bleve.NewConjunctionQuery(t1, t2))
	}
	bq.AddMust(vis)
	if p.From != nil {
		from = p.From
	}
	if p.To != nil {
		to = p.To
	}
	if from != nil {
		f := float64(*from)
		r := bleve.NewNumericRangeInclusiveQuery(&f, nil, boolp(true), nil)
		r.SetField("latest")
		bq.AddMust(r)
	}
	if to != nil {
		t := float64(*to)
		r := bleve.NewNumericRangeInclusiveQuery(nil, &t, nil, boolp(true))
		r.SetField("earliest")
		bq.AddMust(r)
	}
	return bq, nil
}

func boolp(b bool) *bool { return &b }

func (b *bleveEngine) search(q string, scope wenyuan.ReadScope, from, to *int, all bool) ([]string, error) {
	bq, err := b.query(q, scope, from, to)
	if err != nil {
		return nil, err
	}
	req := bleve.NewSearchRequestOptions(bq, 20, 0, false)
	if all {
		req.Size = 100000
	} else {
		req.AddFacet("institution", bleve.NewFacetRequest("institution", 10))
		req.AddFacet("classification", bleve.NewFacetRequest("classification", 10))
	}
	res, err := b.idx.Search(req)
	if err != nil {
		return nil, fmt.Errorf("bleve %q: %w", q, err)
	}
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	_ = bsearch.DocumentMatchCollection(res.Hits)
	return out, nil
}

func (b *bleveEngine) close() error { return b.idx.Close() }
