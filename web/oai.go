package web

import (
	"context"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"wenyuan"
	"wenyuan/lido"
	"wenyuan/oai"
)

// handleOAI is the OAI-PMH provider: GET with the arguments in the query,
// or POST with them as a form. Harvesters see the public records only,
// whoever asks.
func (s *Server) handleOAI(w http.ResponseWriter, r *http.Request) error {
	args := r.URL.Query()
	if r.Method == "POST" {
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt != "application/x-www-form-urlencoded" {
			return wenyuan.Errorf(wenyuan.EINVALID, "POST the arguments as application/x-www-form-urlencoded, not %q", r.Header.Get("Content-Type"))
		}
		if err := parseSmallForm(w, r); err != nil {
			return err
		}
		args = r.PostForm
	}
	base := s.baseURL(r)
	n := s.namer(r)
	p := &oai.Provider{
		Store:          s.Store,
		Institutions:   s.Store.FindInstitutions,
		Concepts:       s.classificationConcepts,
		Names:          n.of,
		BaseURL:        base + "/oai",
		RepositoryName: "文渊 Wenyuan",
		AdminEmail:     s.adminEmail(),
		RepositoryID:   repositoryID(s.PublicURL),
		Formats:        s.oaiFormats(r.Context(), base),
		PageSize:       s.OAIPageSize,
		Now:            s.Now,
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	return p.Serve(r.Context(), args, w)
}

// oaiFormats are the metadata formats the provider offers. A harvester
// learns of no object that is not public, not even its id in a link.
func (s *Server) oaiFormats(ctx context.Context, base string) []oai.Format {
	dc := oai.DublinCore(base)
	writeDC := dc.Write
	dc.Write = func(w io.Writer, o *wenyuan.Object, names oai.Names) error {
		return writeDC(w, s.publicLinks(ctx, o), names)
	}
	return []oai.Format{dc, {
		Prefix:    "lido",
		Schema:    lido.SchemaLocation,
		Namespace: lido.Namespace,
		Write: func(w io.Writer, o *wenyuan.Object, names oai.Names) error {
			return lido.Marshal(w, s.publicLinks(ctx, o), lido.Context{Base: base, Names: names})
		},
	}}
}

// publicLinks returns o without its links to objects that are not public.
func (s *Server) publicLinks(ctx context.Context, o *wenyuan.Object) *wenyuan.Object {
	return s.linksOnly(o, func(id string) bool {
		raw, err := s.Store.FindRawRecord(ctx, wenyuan.KindObject, id)
		return err == nil && raw.Visibility == wenyuan.VisibilityPublic
	})
}

// linksOnly returns o, copied if need be, with only the part_of and
// related links keep allows.
func (s *Server) linksOnly(o *wenyuan.Object, keep func(id string) bool) *wenyuan.Object {
	if o.PartOf == "" && len(o.Related) == 0 {
		return o
	}
	c := *o
	if c.PartOf != "" && !keep(c.PartOf) {
		c.PartOf = ""
	}
	c.Related = nil
	for _, r := range o.Related {
		if keep(r.Object) {
			c.Related = append(c.Related, r)
		}
	}
	return &c
}

// classificationConcepts lists the classification vocabulary, for sets.
func (s *Server) classificationConcepts(ctx context.Context) ([]*wenyuan.Concept, error) {
	var out []*wenyuan.Concept
	cursor := ""
	for {
		recs, next, err := s.Store.FindAuthorities(ctx, wenyuan.KindConcept, wenyuan.AuthorityFilter{Scheme: wenyuan.SchemeClassification, Cursor: cursor, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			out = append(out, r.(*wenyuan.Concept))
		}
		if cursor = next; cursor == "" {
			return out, nil
		}
	}
}

func (s *Server) adminEmail() string {
	if s.AdminEmail != "" {
		return s.AdminEmail
	}
	return "admin@wenyuan.invalid"
}

var domainRE = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+$`)

// repositoryID is the namespace of the OAI identifiers: the host of the
// configured public URL when it is a domain name, else a name that says
// it is not one — never the host a request names, so that identifiers do
// not change with the name a harvester uses.
func repositoryID(base string) string {
	if u, err := url.Parse(base); err == nil && domainRE.MatchString(u.Hostname()) {
		return strings.ToLower(u.Hostname())
	}
	return "wenyuan.local"
}
