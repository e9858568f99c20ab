package web_test

import (
	"net/url"
	"strings"
	"testing"
	"wenyuan/internal/testenv"

	"golang.org/x/net/html"

	"wenyuan"
)

// attrs returns attribute key of every element with tag.
func (p page) attrs(tag, key string) []string {
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag {
			for _, a := range n.Attr {
				if a.Key == key {
					out = append(out, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(p.root)
	return out
}

// TestObjectPage: the object's stable URL is a page with its record in
// both languages, its images in the viewer and a citation; the viewer's
// script is served from the binary.
func TestObjectPage(t *testing.T) {
	srv, db := MustServer(t)
	hdr := mustUser(t, db, "museum", wenyuan.RoleCataloguer)
	r := do(t, srv, "POST", "/api/v1/objects", map[string]any{"institution": "museum", "accession_number": "故-瓷-0042",
		"titles":      []map[string]string{{"lang": "zh-Hans", "value": "青花缠枝莲纹梅瓶"}, {"lang": "en", "value": "Meiping vase with lotus scrolls"}},
		"medium":      "瓷",
		"date":        map[string]any{"display": "明永乐", "earliest": 1403, "latest": 1424},
		"description": []map[string]string{{"lang": "zh-Hans", "value": "器形挺拔。"}, {"lang": "en", "value": "A tall vase."}},
	}, hdr...)
	mustStatus(t, "create", r, 201)
	var o wenyuan.Object
	r.json(t, &o)

	r = do(t, srv, "GET", "/objects/"+o.ID, nil)
	mustStatus(t, "page without images", r, 200)
	pg := parsePage(t, r.body)
	if h1 := pg.all("h1", ""); len(h1) != 1 || h1[0] != "青花缠枝莲纹梅瓶" {
		t.Errorf("h1 = %q", h1)
	}
	body := strings.Join(pg.all("dd", ""), "|")
	for _, want := range []string{"故-瓷-0042", "明永乐", "1403–1424", "器形挺拔。", "瓷"} {
		if !strings.Contains(body, want) {
			t.Errorf("the record's fields %q lack %q", body, want)
		}
	}
	if labels := strings.Join(pg.all("dt", ""), "|"); !strings.Contains(labels, "藏品编号") {
		t.Errorf("the Chinese page's labels are %q", labels)
	}
	// The same page in English: the record's English text and labels,
	// the other title beside.
	en := parsePage(t, do(t, srv, "GET", "/objects/"+o.ID, nil, "Cookie", "wenyuan_lang=en").body)
	if h1 := en.all("h1", ""); len(h1) != 1 || h1[0] != "Meiping vase with lotus scrolls" {
		t.Errorf("English h1 = %q", h1)
	}
	if dd := strings.Join(en.all("dd", ""), "|"); !strings.Contains(dd, "A tall vase.") || strings.Contains(dd, "器形挺拔") {
		t.Errorf("the English page's fields are %q", dd)
	}
	if labels := strings.Join(en.all("dt", ""), "|"); !strings.Contains(labels, "Accession number") || strings.Contains(labels, "藏品编号") {
		t.Errorf("the English page's labels are %q", labels)
	}
	if sub := en.all("p", "subtitle"); len(sub) != 1 || sub[0] != "青花缠枝莲纹梅瓶" {
		t.Errorf("the English page's other titles are %q", sub)
	}
	if cite := strings.Join(pg.all("section", "cite"), ""); !strings.Contains(cite, srv.URL+"/objects/"+o.ID) {
		t.Errorf("citation %q lacks the stable URL", cite)
	}
	if len(pg.attrs("script", "src")) != 0 || len(pg.all("div", "viewer")) != 0 {
		t.Errorf("a page without images loads the viewer")
	}

	body2, ct := multipartUpload(t, `{"caption":[{"lang":"zh-Hans","value":"正面"}]}`, "front.png", quadrants(t, 800, 600))
	mustStatus(t, "upload", do(t, srv, "POST", "/api/v1/objects/"+o.ID+"/images", body2, append(hdr, "Content-Type", ct)...), 201)
	r = do(t, srv, "GET", "/objects/"+o.ID, nil)
	pg = parsePage(t, r.body)
	infos := pg.attrs("div", "data-info")
	if len(infos) != 1 || !strings.HasPrefix(infos[0], "/iiif/3/") || !strings.HasSuffix(infos[0], "/info.json") {
		t.Fatalf("viewer data-info = %q, want one info.json", infos)
	}
	if r := do(t, srv, "GET", infos[0], nil); r.status != 200 {
		t.Errorf("the viewer's info.json = %d", r.status)
	}
	if figs := pg.all("figcaption", ""); len(figs) != 1 || !strings.Contains(figs[0], "正面") || !strings.Contains(figs[0], "800 × 600") {
		t.Errorf("figcaption = %q", figs)
	}
	if links := pg.links("/iiif/manifests/"); len(links) != 2 { // beside the images and in the citation
		t.Errorf("manifest links = %q", links)
	}
	scripts := pg.attrs("script", "src")
	if len(scripts) != 2 || scripts[0] != "/static/vendor/openseadragon/openseadragon.min.js" || scripts[1] != "/static/viewer.js" {
		t.Fatalf("scripts = %q", scripts)
	}
	testenv.File(t, "static/vendor/openseadragon/openseadragon.min.js", "the viewer is not built into this binary: ./run builds it from web/viewer's npm lock file (run ./run test)")
	for _, path := range append(scripts, "/static/vendor/openseadragon/images/zoomin_rest.png") {
		if r := do(t, srv, "GET", path, nil); r.status != 200 || len(r.body) < 100 {
			t.Errorf("GET %s = %d, %d bytes", path, r.status, len(r.body))
		}
	}
	for _, path := range []string{"/static/vendor/../home.go", "/static/vendor/openseadragon/nope.js", "/static/vendor/openseadragon/openseadragon.min.js.map"} {
		if r := do(t, srv, "GET", path, nil); r.status != 404 {
			t.Errorf("GET %s = %d, want 404", path, r.status)
		}
	}
}

// TestObjectByAccession: an accession number, also one corrected since,
// leads to the object's one stable URL.
func TestObjectByAccession(t *testing.T) {
	srv, db := MustServer(t)
	hdr := mustUser(t, db, "museum", wenyuan.RoleCataloguer)
	r := do(t, srv, "POST", "/api/v1/objects", map[string]any{"institution": "museum", "accession_number": "故-瓷 42/a",
		"titles": []map[string]string{{"lang": "zh-Hans", "value": "梅瓶"}}}, hdr...)
	var o wenyuan.Object
	r.json(t, &o)
	o.AccessionNumber = "故-瓷-0042"
	mustStatus(t, "correct the number", do(t, srv, "PUT", "/api/v1/objects/"+o.ID, o, hdr...), 200)
	for _, acc := range []string{"故-瓷-0042", "故-瓷 42/a"} {
		r := do(t, srv, "GET", "/objects/by-accession/museum/"+url.PathEscape(acc), nil)
		if r.status != 200 || r.url != "/objects/"+o.ID {
			t.Errorf("/objects/by-accession/museum/%s led to %s (%d), want /objects/%s", acc, r.url, r.status, o.ID)
		}
	}
	if r := do(t, srv, "GET", "/objects/by-accession/museum/nosuch", nil); r.status != 404 {
		t.Errorf("an unknown number = %d", r.status)
	}
}
