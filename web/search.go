package web

import (
	"net/http"
	"strconv"
	"strings"

	"wenyuan"
	"wenyuan/search"
)

// SearchPage is the answer of GET /api/v1/search.
type SearchPage struct {
	Query  string                  `json:"query"`
	Total  int                     `json:"total"`
	Offset int                     `json:"offset"`
	Limit  int                     `json:"limit"`
	Hits   []SearchHit             `json:"hits"`
	Facets map[string][]FacetCount `json:"facets,omitempty"`
}

// SearchHit is one record found: enough to list it and link to it.
type SearchHit struct {
	ID              string              `json:"id"`
	Institution     string              `json:"institution"`
	AccessionNumber string              `json:"accession_number"`
	Score           float32             `json:"score"`
	Title           *wenyuan.LangString `json:"title,omitempty"`
	Snippet         *Snippet            `json:"snippet,omitempty"`
}

// Snippet is a passage of the record with the query's matches marked, as
// HTML (text escaped, matches in <mark>), in the language of the text it
// comes from.
type Snippet struct {
	Lang string `json:"lang"`
	HTML string `json:"html"`
}

// FacetCount is one value of a facet and how many hits have it.
type FacetCount struct {
	Value  string        `json:"value"`
	Count  int           `json:"count"`
	Parent string        `json:"parent,omitempty"`
	Names  wenyuan.Names `json:"names,omitempty"`
}

var searchParams = []string{"q", "limit", "offset", "sort", "facets", "lang", "from", "to",
	"institution", "classification", "period", "material", "maker", "place", "has_image", "visibility"}

// repeatable are the filters that may be given more than once (any value
// matches).
var repeatable = map[string]bool{"institution": true, "classification": true, "period": true, "material": true, "maker": true, "place": true, "visibility": true}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) error {
	page, err := s.search(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page)
}

// search runs the search a request asks for, for the API and the page.
func (s *Server) search(r *http.Request) (*SearchPage, error) {
	if s.Search == nil {
		return nil, wenyuan.Errorf(wenyuan.EUNAVAILABLE, "search is not running")
	}
	q := r.URL.Query()
	for k, vs := range q {
		known := false
		for _, p := range searchParams {
			known = known || p == k
		}
		if !known {
			return nil, paramError(k, "is not a parameter of search; known: "+strings.Join(searchParams, ", "))
		}
		if len(vs) > 1 && !repeatable[k] {
			return nil, paramError(k, "is given more than once")
		}
	}
	p := wenyuan.PrincipalFrom(r.Context())
	req := &search.Request{
		Query: q.Get("q"), Scope: wenyuan.ReadScopeOf(p), Sort: q.Get("sort"),
		Institutions: q["institution"], Classifications: q["classification"], Periods: q["period"],
		Materials: q["material"], Makers: q["maker"], Places: q["place"],
		Limit: 20, FacetSize: 10,
	}
	var err error
	for _, n := range []struct {
		name string
		dst  *int
	}{{"limit", &req.Limit}, {"offset", &req.Offset}, {"facets", &req.FacetSize}} {
		v, err := queryInt(r, n.name)
		if err != nil {
			return nil, err
		}
		if v != nil {
			*n.dst = *v
		}
	}
	if req.FacetSize < 0 || req.FacetSize > 100 {
		return nil, paramError("facets", "must be 0 (none) to 100 values per facet")
	}
	if req.From, err = queryInt(r, "from"); err != nil {
		return nil, err
	}
	if req.To, err = queryInt(r, "to"); err != nil {
		return nil, err
	}
	if v := q.Get("has_image"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, paramError("has_image", "must be true or false")
		}
		req.HasImage = &b
	}
	for _, v := range q["visibility"] {
		vis := wenyuan.Visibility(v)
		if !vis.IsValid() {
			return nil, paramError("visibility", "must be public, consortium or internal")
		}
		req.Visibilities = append(req.Visibilities, vis)
	}
	res, err := s.Search.Search(req)
	if err != nil {
		return nil, err
	}
	page := SearchPage{Query: req.Query, Total: res.Total, Offset: req.Offset, Limit: req.Limit, Hits: []SearchHit{}}
	lang := q.Get("lang")
	for _, h := range res.Hits {
		hit := SearchHit{ID: h.ID, Institution: h.Institution, AccessionNumber: h.Accession, Score: h.Score}
		// The index may be a moment behind the store: a record deleted or
		// hidden since is left out rather than shown.
		raw, err := s.Store.FindRawRecord(r.Context(), wenyuan.KindObject, h.ID)
		if wenyuan.ErrorCode(err) == wenyuan.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !wenyuan.Can(p, wenyuan.ActionRead, wenyuan.Target{Kind: wenyuan.KindObject, Institution: raw.Institution, Visibility: raw.Visibility}) {
			continue
		}
		rec, err := raw.Decode()
		if err != nil {
			return nil, err
		}
		o := rec.(*wenyuan.Object)
		hit.Title = o.Titles.Pick(lang)
		hit.Snippet = snippetOf(o, res.Highlight, lang)
		page.Hits = append(page.Hits, hit)
	}
	if res.Facets != nil {
		page.Facets = map[string][]FacetCount{}
		for _, f := range res.Facets {
			vs := make([]FacetCount, len(f.Values))
			for i, v := range f.Values {
				vs[i] = FacetCount{Value: v.Value, Count: v.Count, Parent: v.Parent, Names: v.Names}
			}
			page.Facets[f.Name] = vs
		}
	}
	return &page, nil
}

// snippetOf picks the passage with the most matches among the record's
// descriptions, inscriptions and titles, preferring lang on a tie.
func snippetOf(o *wenyuan.Object, terms map[string]bool, lang string) *Snippet {
	var best *Snippet
	bestN := 0
	try := func(l, text string) {
		if text == "" {
			return
		}
		html, n := search.Snippet(text, terms, 160)
		if best == nil || n > bestN || (n == bestN && l == lang && best.Lang != lang) {
			best, bestN = &Snippet{Lang: l, HTML: html}, n
		}
	}
	for _, d := range o.Description {
		try(d.Lang, d.Value)
	}
	for _, in := range o.Inscriptions {
		try(in.Lang, in.Text)
	}
	if best == nil || bestN == 0 {
		for _, t := range o.Titles {
			try(t.Lang, t.Value)
		}
	}
	return best
}

// Suggestion is one typeahead answer.
type Suggestion struct {
	ID    string        `json:"id"`
	Kind  wenyuan.Kind  `json:"kind"`
	Names wenyuan.Names `json:"names"`
	Count int           `json:"count"`
}

func (s *Server) handleSuggest(w http.ResponseWriter, r *http.Request) error {
	if s.Search == nil {
		return wenyuan.Errorf(wenyuan.EUNAVAILABLE, "search is not running")
	}
	q := r.URL.Query()
	for k := range q {
		if k != "q" && k != "limit" {
			return paramError(k, "is not a parameter of suggest; known: q, limit")
		}
	}
	n := 10
	if v, err := queryInt(r, "limit"); err != nil {
		return err
	} else if v != nil {
		if *v < 1 || *v > 50 {
			return paramError("limit", "must be 1 to 50")
		}
		n = *v
	}
	scope := wenyuan.ReadScopeOf(wenyuan.PrincipalFrom(r.Context()))
	out := []Suggestion{}
	for _, sg := range s.Search.Index().Suggest(q.Get("q"), scope, n) {
		out = append(out, Suggestion{ID: sg.ID, Kind: sg.Kind, Names: sg.Names, Count: sg.Count})
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": out})
}

func paramError(name, msg string) error {
	return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "invalid query parameter",
		Fields: []wenyuan.FieldError{{Field: name, Message: msg}}}
}
