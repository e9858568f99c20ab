package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"wenyuan"
)

// The pages are in Simplified Chinese and in English. Their words are in
// message catalogues, one JSON file per language under messages/; a test
// checks that both have every key the templates and handlers use.

// Languages of the pages, the first the default.
var pageLangs = []string{wenyuan.LangHans, wenyuan.LangEn}

// langCookie remembers the language a visitor chose.
const langCookie = "wenyuan_lang"

//go:embed messages/*.json
var messageFS embed.FS

// catalogs holds each language's messages by key. Like the templates, it
// is read once from the binary and never changes.
var catalogs = mustCatalogs()

func mustCatalogs() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, lang := range pageLangs {
		b, err := messageFS.ReadFile("messages/" + lang + ".json")
		if err != nil {
			panic(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Errorf("messages/%s.json: %w", lang, err))
		}
		out[lang] = m
	}
	return out
}

// pageLang is the language to answer r in: the visitor's choice (the
// cookie), else the first Chinese or English language their browser
// asks for, else Chinese.
func pageLang(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil {
		for _, l := range pageLangs {
			if c.Value == l {
				return l
			}
		}
	}
	type pref struct {
		lang string
		q    float64
	}
	var prefs []pref
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		tag = strings.ToLower(tag)
		switch {
		case tag == "zh" || strings.HasPrefix(tag, "zh-"):
			prefs = append(prefs, pref{wenyuan.LangHans, q})
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			prefs = append(prefs, pref{wenyuan.LangEn, q})
		}
	}
	sort.SliceStable(prefs, func(i, j int) bool { return prefs[i].q > prefs[j].q })
	if len(prefs) > 0 && prefs[0].q > 0 {
		return prefs[0].lang
	}
	return wenyuan.LangHans
}

// handleLang sets the page language and goes back to the page the visitor
// was on: GET /lang/en?next=/objects/x. It is a link, so it works without
// JavaScript.
func (s *Server) handleLang(w http.ResponseWriter, r *http.Request) error {
	lang := r.PathValue("lang")
	if _, ok := catalogs[lang]; !ok {
		return wenyuan.Errorf(wenyuan.ENOTFOUND, "no pages in %q; there are zh-Hans and en", lang)
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true})
	http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
	return nil
}

// localPath returns next if it is a path on this site, else "/": a link
// must not send the visitor elsewhere.
func localPath(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

// frame is what every page shows around its content, and the words and
// language it is written in. Each page's view embeds it.
type frame struct {
	Lang     string // the page's language
	Title    string
	Path     string // this page's path and query, for the language switch
	User     *wenyuan.Principal
	CSRF     string // for the console's forms
	NoIndex  bool   // console pages: kept out of search engines
	messages map[string]string
}

// newFrame starts the frame of a page for r.
func (s *Server) newFrame(r *http.Request, title string) frame {
	lang := pageLang(r)
	f := frame{Lang: lang, Title: title, Path: r.URL.RequestURI(), messages: catalogs[lang]}
	if p := wenyuan.PrincipalFrom(r.Context()); p.IsSignedIn() {
		f.User = p
	}
	if sess := sessionFrom(r.Context()); sess != nil {
		f.CSRF = sess.CSRF
	}
	return f
}

// T returns the message key in the page's language, formatted with args
// when given. A missing key shows itself, and the catalogue test fails.
func (f frame) T(key string, args ...any) string {
	m, ok := f.messages[key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(m, args...)
	}
	return m
}

// Term translates a value of a controlled list (an inscription type, a
// visibility): the message prefix.value if there is one, else the value as
// it is.
func (f frame) Term(prefix, value string) string {
	if value == "" {
		return ""
	}
	if m, ok := f.messages[prefix+"."+value]; ok {
		return m
	}
	return value
}

// In returns text or names in the page's language, falling back to the
// other languages the record has.
func (f frame) In(v any) string {
	if p := f.Pick(v); p != nil {
		return p.Value
	}
	return ""
}

// Pick is In with the language of what it found, for a lang attribute.
func (f frame) Pick(v any) *wenyuan.LangString {
	switch t := v.(type) {
	case wenyuan.Text:
		return t.Pick(f.Lang)
	case wenyuan.Names:
		ls := make(wenyuan.Text, len(t))
		for i, n := range t {
			ls[i] = wenyuan.LangString{Lang: n.Lang, Value: n.Value}
		}
		if p := ls.Pick(f.Lang); p != nil {
			return p
		}
	}
	return nil
}

// Other is the page's other language, for the switch.
func (f frame) Other() string {
	if f.Lang == wenyuan.LangEn {
		return wenyuan.LangHans
	}
	return wenyuan.LangEn
}

// Switch is the link that shows this page in the other language.
func (f frame) Switch() string {
	return "/lang/" + f.Other() + "?next=" + url.QueryEscape(f.Path)
}

// IsEn reports whether the page is in English.
func (f frame) IsEn() bool { return f.Lang == wenyuan.LangEn }

// Year writes a year for people in the page's language: negative years
// are BCE.
func (f frame) Year(y int) string {
	if y < 0 {
		return f.T("year.bce", -y)
	}
	return strconv.Itoa(y)
}

// Time writes a time for people, in the server's zone.
func (f frame) Time(t time.Time) string {
	return t.Local().Format("2006-01-02 15:04")
}
