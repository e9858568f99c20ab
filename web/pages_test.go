package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"wenyuan"
	"wenyuan/auth"
	"wenyuan/web"
)

// controlsWithoutLabel returns the form controls of a page that have no
// label: no <label for>, no enclosing <label>, no aria-label.
func (p page) controlsWithoutLabel() []string {
	labelled := map[string]bool{}
	p.walk(func(tag string, a map[string]string) {
		if tag == "label" && a["for"] != "" {
			labelled[a["for"]] = true
		}
	})
	var out []string
	var walk func(n *html.Node, inLabel bool)
	walk = func(n *html.Node, inLabel bool) {
		if n.Type == html.ElementNode {
			a := map[string]string{}
			for _, x := range n.Attr {
				a[x.Key] = x.Val
			}
			switch n.Data {
			case "label":
				inLabel = true
			case "input", "select", "textarea":
				switch a["type"] {
				case "hidden", "submit", "button":
				default:
					if !inLabel && !labelled[a["id"]] && a["aria-label"] == "" {
						out = append(out, n.Data+" "+a["name"])
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLabel)
		}
	}
	walk(p.root, false)
	return out
}

// TestEveryPage renders every page the server has, with the sample
// collection, in both languages, as an admin: each answers 200 in its
// language, with a title, one h1 and a label on every control. A page
// route without a case here fails the test.
func TestEveryPage(t *testing.T) {
	p := newPortal(t)
	ctx := context.Background()
	hash, _ := auth.HashPassword("a long enough password")
	if err := p.db.CreateUser(ctx, &wenyuan.User{Username: "boss", Institution: "palace-museum", Roles: []wenyuan.Role{wenyuan.RoleAdmin, wenyuan.RoleCataloguer}}, hash); err != nil {
		t.Fatal(err)
	}
	c := &formClient{t: t, srv: p.srv}
	mustStatus(t, "sign in", c.do("POST", "/signin", url.Values{"username": {"boss"}, "password": {"a long enough password"}}), 303)
	first := func(plural string) string {
		var list struct{ Items []struct{ ID string } }
		do(t, p.srv, "GET", "/api/v1/"+plural+"?limit=1", nil).json(t, &list)
		if len(list.Items) == 0 {
			t.Fatalf("no %s in the sample", plural)
		}
		return list.Items[0].ID
	}
	ids := map[string]string{"agents": first("agents"), "places": first("places"), "periods": "ming", "concepts": "cls-painting"}
	paths := map[string]string{
		"/{$}": "/", "/search": "/search?q=" + url.QueryEscape("青花"), "/objects/{id}": "/objects/" + p.object,
		"/institutions": "/institutions", "/institutions/{id}": "/institutions/palace-museum",
		"/signin": "/signin", "/console": "/console", "/console/objects/new": "/console/objects/new",
		"/console/objects/{id}/edit": "/console/objects/" + p.object + "/edit", "/console/{kind}/{id}/history": "/console/objects/" + p.object + "/history",
		"/console/audit": "/console/audit", "/console/import": "/console/import",
	}
	for plural, id := range ids {
		paths["/"+plural+"/{id}"] = "/" + plural + "/" + id
		paths["/console/"+plural+"/new"] = "/console/" + plural + "/new"
		paths["/console/"+plural+"/{id}/edit"] = "/console/" + plural + "/" + id + "/edit"
	}
	notPages := []string{"/api/", "/iiif/", "/oai", "/static/", "/healthz", "/lang/", "/console/imports/", "/objects/by-accession/"}
	for _, route := range web.NewServer(p.db, nil).Routes() {
		method, pattern, _ := strings.Cut(route, " ")
		skip := method != "GET"
		for _, prefix := range notPages {
			skip = skip || strings.HasPrefix(pattern, prefix)
		}
		if skip {
			continue
		}
		path, ok := paths[pattern]
		if !ok {
			t.Errorf("page %s has no case in TestEveryPage: add one", pattern)
			continue
		}
		for _, lang := range []string{"zh-Hans", "en"} {
			t.Run(lang+pattern, func(t *testing.T) {
				saved := c.cookie
				c.cookie += "; wenyuan_lang=" + lang
				r := c.do("GET", path, nil)
				c.cookie = saved
				mustStatus(t, "GET "+path, r, 200)
				pg := parsePage(t, r.body)
				var htmlLang string
				pg.walk(func(tag string, a map[string]string) {
					if tag == "html" {
						htmlLang = a["lang"]
					}
				})
				if htmlLang != lang {
					t.Errorf("GET %s in %s: <html lang=%q>", path, lang, htmlLang)
				}
				if h1 := pg.all("h1", ""); len(h1) != 1 || h1[0] == "" {
					t.Errorf("GET %s: h1 %q, want one", path, h1)
				}
				if title := pg.all("title", ""); len(title) != 1 || title[0] == "" {
					t.Errorf("GET %s: title %q", path, title)
				}
				if bad := pg.controlsWithoutLabel(); len(bad) > 0 {
					t.Errorf("GET %s: controls without a label: %q", path, bad)
				}
			})
		}
	}
}
