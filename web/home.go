package web

import (
	"embed"
	"html/template"
	"net/http"
	"strings"

	"wenyuan"
)

//go:embed openapi.json
var openapiJSON []byte

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

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

func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	base, ext, _ := strings.Cut(name, ".")
	types := map[string]string{"css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8"}
	b, err := staticFS.ReadFile("static/" + name)
	if err != nil || !wenyuan.IsValidID(base) || types[ext] == "" {
		return wenyuan.Errorf(wenyuan.ENOTFOUND, "no file %s", name)
	}
	w.Header().Set("Content-Type", types[ext])
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Del("Vary")
	_, err = w.Write(b)
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
	scope := wenyuan.ReadScopeOf(wenyuan.PrincipalFrom(r.Context()))
	objs, _, err := s.Store.FindObjects(r.Context(), wenyuan.ObjectFilter{Limit: 30, Scope: &scope})
	if err != nil {
		return err
	}
	return render(w, "home.html", homeView{insts, objs})
}
