package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"wenyuan"
)

// searchView is what the search page shows: the form, the hits with their
// snippets, the facets as links that narrow the search, and paging.
type searchView struct {
	frame
	Q, From, To string
	Searched    bool
	Total       int
	Hits        []searchHitView
	Facets      []facetView
	Prev, Next  string
	Error       string
}

type searchHitView struct {
	ID, Institution, Accession string
	Title                      string
	TitleLang                  string
	Snippet                    template.HTML
	SnippetLang                string
	Thumb                      string
}

type facetView struct {
	Name     string
	Label    string
	Values   []facetLinkView
	Selected bool
}

type facetLinkView struct {
	Label  string
	Lang   string
	Count  int
	URL    string
	Active bool
	Indent bool // a reign under its dynasty
}

func (s *Server) handleSearchPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := s.newFrame(r, "")
	f.Title = joinNonEmpty(" · ", q.Get("q"), f.T("search.title"))
	v := searchView{frame: f, Q: q.Get("q"), From: q.Get("from"), To: q.Get("to")}
	// The page is for people: an empty year box is no filter, and the page
	// size is the page's own.
	for _, k := range []string{"from", "to"} {
		if q.Get(k) == "" {
			q.Del(k)
		}
	}
	q.Set("limit", "20")
	q.Set("lang", f.Lang)
	r2 := r.Clone(r.Context())
	r2.URL.RawQuery = q.Encode()
	page, err := s.search(r2)
	switch {
	case wenyuan.ErrorCode(err) == wenyuan.EINVALID:
		// A query people can mistype is answered on the page, with 400.
		v.Error = wenyuan.ErrorMessage(err)
		for _, f := range wenyuan.ErrorFields(err) {
			v.Error = f.Field + ": " + f.Message
		}
		w.WriteHeader(http.StatusBadRequest)
		return render(w, "search.html", v)
	case err != nil:
		return err
	}
	v.Searched, v.Total = true, page.Total
	n := s.namer(r)
	for _, h := range page.Hits {
		hv := searchHitView{ID: h.ID, Institution: f.In(n.of(wenyuan.KindInstitution, h.Institution)), Accession: h.AccessionNumber}
		if hv.Institution == "" {
			hv.Institution = h.Institution
		}
		if hv.Thumb, err = s.thumb(r, h.ID); err != nil {
			return err
		}
		if h.Title != nil {
			hv.Title, hv.TitleLang = h.Title.Value, h.Title.Lang
		}
		if h.Snippet != nil {
			// search.Snippet escapes the text and adds only <mark>.
			hv.Snippet, hv.SnippetLang = template.HTML(h.Snippet.HTML), h.Snippet.Lang
		}
		v.Hits = append(v.Hits, hv)
	}
	for _, name := range []string{"institution", "classification", "period", "material", "maker", "place", "has_image", "visibility"} {
		vals, ok := page.Facets[name]
		if !ok || len(vals) == 0 {
			continue
		}
		fv := facetView{Name: name, Label: f.T("facet." + name)}
		param := name // each facet filters by the search parameter of its name
		for _, fc := range vals {
			label, lang := fc.Value, ""
			if p := f.Pick(fc.Names); p != nil {
				label, lang = p.Value, p.Lang
			}
			switch name {
			case "has_image":
				label = f.T("facet.has_image." + fc.Value)
			case "visibility":
				label = f.Term("visibility", fc.Value)
			}
			active := false
			for _, x := range q[param] {
				active = active || x == fc.Value
			}
			fv.Selected = fv.Selected || active
			u := url.Values{}
			for k, vs := range q {
				if k != "offset" && k != "limit" {
					u[k] = append([]string(nil), vs...)
				}
			}
			if active {
				u.Del(param)
			} else {
				u.Set(param, fc.Value)
			}
			fv.Values = append(fv.Values, facetLinkView{Label: label, Lang: lang, Count: fc.Count, URL: "/search?" + u.Encode(), Active: active, Indent: name == "period" && fc.Parent != ""})
		}
		v.Facets = append(v.Facets, fv)
	}
	offset := page.Offset
	pageURL := func(off int) string {
		u := url.Values{}
		for k, vs := range q {
			if k != "limit" {
				u[k] = vs
			}
		}
		u.Set("offset", strconv.Itoa(off))
		return "/search?" + u.Encode()
	}
	if offset > 0 {
		v.Prev = pageURL(max(offset-page.Limit, 0))
	}
	if offset+page.Limit < page.Total {
		v.Next = pageURL(offset + page.Limit)
	}
	return render(w, "search.html", v)
}

// render executes a page template into a buffer, then writes it: a
// template that fails writes nothing.
func render(w http.ResponseWriter, name string, v any) error {
	var buf bytes.Buffer
	if err := renderTo(&buf, name, v); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, err := w.Write(buf.Bytes())
	return err
}

// renderTo executes a page template into buf.
func renderTo(buf *bytes.Buffer, name string, v any) error {
	t, ok := pages[name]
	if !ok {
		return fmt.Errorf("no page template %s", name)
	}
	return t.ExecuteTemplate(buf, "layout", v)
}
