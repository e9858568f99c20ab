package web

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"

	"wenyuan"
)

//go:embed openapi.json
var openapiJSON []byte

//go:embed templates/*.html
var templateFS embed.FS

var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"in": func(t any, lang string) string {
		switch t := t.(type) {
		case wenyuan.Text:
			return t.In(lang)
		case wenyuan.Names:
			return t.In(lang)
		}
		return ""
	},
}).ParseFS(templateFS, "templates/*.html"))

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	_, err := w.Write(openapiJSON)
	return err
}

// homeView is what the home page shows.
type homeView struct {
	Institutions []*wenyuan.Institution
	Objects      []*wenyuan.Object
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	insts, err := s.Store.FindInstitutions(r.Context())
	if err != nil {
		return err
	}
	objs, _, err := s.Store.FindObjects(r.Context(), wenyuan.ObjectFilter{Limit: 30, Visibilities: []wenyuan.Visibility{wenyuan.VisibilityPublic}})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, "home.html", homeView{insts, objs}); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
	_, err = w.Write(buf.Bytes())
	return err
}
