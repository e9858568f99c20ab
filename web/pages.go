package web

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"wenyuan"
)

//go:embed openapi.json
var openapiJSON []byte

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pages are the page templates by file name, each parsed once with the
// layout and the partials it uses.
var pages = mustPages()

func mustPages() map[string]*template.Template {
	base := template.Must(template.New("layout").ParseFS(templateFS, "templates/layout.html", "templates/partials.html"))
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, name := range names {
		file := path.Base(name)
		if file == "layout.html" || file == "partials.html" {
			continue
		}
		out[file] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, name))
	}
	return out
}

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
