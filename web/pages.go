package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
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
	base := template.Must(template.New("layout").Funcs(template.FuncMap{"dict": dict}).ParseFS(templateFS, "templates/layout.html", "templates/partials.html"))
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

// dict makes the argument of a partial template from name, value pairs.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: %d arguments, want name, value pairs", len(kv))
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: argument %d is not a name", i)
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// errorView is the page of an error, for people (programs get problem
// documents).
type errorView struct {
	frame
	Heading, Message string
}

// wantsPage reports whether an error should be answered with a page: the
// console's paths always, the portal's when a browser asks.
func wantsPage(r *http.Request) bool {
	p := r.URL.Path
	for _, prefix := range []string{"/api/", "/iiif/", "/static/", "/healthz", "/lang/"} {
		if strings.HasPrefix(p, prefix) {
			return false
		}
	}
	if strings.HasPrefix(p, "/console") || p == "/signin" || p == "/signout" {
		return true
	}
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

// errorPage answers err with a page: the sign-in form when the visitor
// must sign in first, else the error's message.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, err error) {
	f := s.newFrame(r, "")
	f.NoIndex = true
	var buf bytes.Buffer
	var rerr error
	if status == http.StatusUnauthorized {
		f.Title = f.T("signin.title")
		next := r.URL.RequestURI()
		if r.Method != "GET" {
			next = "/console"
		}
		rerr = renderTo(&buf, "signin.html", signinView{frame: f, Next: next})
	} else {
		msg := wenyuan.ErrorMessage(err)
		if status >= 500 {
			msg = f.T("error.internal")
		}
		f.Title = f.T("error.title") + " " + strconv.Itoa(status)
		rerr = renderTo(&buf, "error.html", errorView{frame: f, Heading: f.T("error.status." + strconv.Itoa(status)), Message: msg})
	}
	if rerr != nil {
		s.Logger.Error("error page", "err", rerr)
		http.Error(w, http.StatusText(status), status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
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
	return s.writeAsset(w, r, "static/"+name, types[ext], b, "3600")
}
