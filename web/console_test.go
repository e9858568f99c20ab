package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"wenyuan"
	"wenyuan/auth"
)

// formClient posts forms to a server as a browser would, with a session
// cookie, without following redirects.
type formClient struct {
	t      *testing.T
	srv    *httptest.Server
	cookie string
	csrf   string
}

func (c *formClient) do(method, path string, form url.Values) response {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.srv.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", c.srv.URL)
	}
	if c.cookie != "" {
		req.Header.Set("Cookie", c.cookie)
	}
	client := *c.srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := client.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	for _, ck := range res.Cookies() {
		if ck.Name == "wenyuan_session" {
			c.cookie = ck.Name + "=" + ck.Value
		}
	}
	return response{res.StatusCode, res.Header, b, res.Request.URL.RequestURI()}
}

// post sends form with the session's CSRF token.
func (c *formClient) post(path string, form url.Values) response {
	c.t.Helper()
	form.Set("csrf_token", c.csrf)
	return c.do("POST", path, form)
}

// inputValue returns the value of the input named name.
func (p page) inputValue(name string) (string, bool) {
	var val string
	found := false
	p.walk(func(tag string, attrs map[string]string) {
		if (tag == "input" || tag == "textarea") && attrs["name"] == name {
			val, found = attrs["value"], true
		}
	})
	return val, found
}

// TestConsoleObjectFlow: sign in with the form, create an object with a
// form that has mistakes (each shown beside its field, nothing saved),
// then without; edit it, meet a conflict, read the history and revert.
func TestConsoleObjectFlow(t *testing.T) {
	srv, db := MustServer(t)
	ctx := context.Background()
	db.CreateRecord(ctx, &wenyuan.Institution{ID: "own", Names: wenyuan.Names{{Lang: "zh-Hans", Value: "本馆"}, {Lang: "en", Value: "Own"}}})
	qinghua := &wenyuan.Concept{Scheme: "material", Names: wenyuan.Names{{Lang: "zh-Hans", Value: "青花"}, {Lang: "en", Value: "blue-and-white"}}}
	if err := db.CreateRecord(ctx, qinghua); err != nil {
		t.Fatal(err)
	}
	hash, _ := auth.HashPassword("a long enough password")
	if err := db.CreateUser(ctx, &wenyuan.User{Username: "reg", Institution: "own", Roles: []wenyuan.Role{wenyuan.RoleCataloguer}}, hash); err != nil {
		t.Fatal(err)
	}
	c := &formClient{t: t, srv: srv}

	// Signed out, the console is the sign-in form.
	r := c.do("GET", "/console", nil)
	if r.status != 401 || len(parsePage(t, r.body).attrs("input", "name")) < 2 {
		t.Fatalf("GET /console signed out = %d, want 401 with the sign-in form", r.status)
	}
	// Another site cannot sign a browser in (login CSRF).
	evil, _ := http.NewRequest("POST", srv.URL+"/signin", strings.NewReader("username=reg&password=a+long+enough+password"))
	evil.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	evil.Header.Set("Origin", "https://evil.example")
	if res, err := srv.Client().Do(evil); err != nil || res.StatusCode != 403 {
		t.Errorf("a sign-in posted from another site = %v %v, want 403", res.StatusCode, err)
	}
	r = c.do("POST", "/signin", url.Values{"username": {"reg"}, "password": {"wrong"}, "next": {"/console"}})
	if r.status != 401 || len(parsePage(t, r.body).all("p", "alert")) != 1 {
		t.Errorf("a wrong password = %d, want 401 and the form with its error", r.status)
	}
	r = c.do("POST", "/signin", url.Values{"username": {"reg"}, "password": {"a long enough password"}, "next": {"https://evil.example/"}})
	if r.status != 303 || r.header.Get("Location") != "/" || c.cookie == "" {
		t.Fatalf("sign-in = %d to %q, want 303 to / (not another site)", r.status, r.header.Get("Location"))
	}
	r = c.do("GET", "/console", nil)
	mustStatus(t, "GET /console", r, 200)
	csrf, ok := parsePage(t, r.body).inputValue("csrf_token")
	if !ok || csrf == "" {
		t.Fatal("the console's sign-out form has no csrf_token")
	}
	c.csrf = csrf

	// A form with mistakes: nothing is saved, each error is beside its
	// field and what was typed is kept.
	r = c.post("/console/objects/new", url.Values{
		"institution": {"own"}, "accession_number": {"M-1"}, "visibility": {"public"},
		"titles[0].lang": {"zh-Hans"}, "titles[0].value": {"青花梅瓶"}, "titles[1].lang": {"en"}, "titles[1].value": {""},
		"date.earliest": {"c. 1400"}, "materials[0]": {"no such material"},
	})
	mustStatus(t, "a form with mistakes", r, 400)
	pg := parsePage(t, r.body)
	errs := map[string]string{}
	pg.walk(func(tag string, a map[string]string) {
		if tag == "span" && strings.HasPrefix(a["id"], "e-") {
			errs[strings.TrimPrefix(a["id"], "e-")] = "shown"
		}
	})
	for _, f := range []string{"date.earliest", "materials[0]"} {
		if errs[f] == "" {
			t.Errorf("no error beside %s; errors beside %v", f, errs)
		}
	}
	if v, _ := pg.inputValue("date.earliest"); v != "c. 1400" {
		t.Errorf("date.earliest shows %q, want what was typed", v)
	}
	if v, _ := pg.inputValue("titles[0].value"); v != "青花梅瓶" {
		t.Errorf("titles[0].value shows %q", v)
	}
	if objs, _, _ := db.FindObjects(ctx, wenyuan.ObjectFilter{}); len(objs) != 0 {
		t.Fatalf("a form with mistakes saved %d objects", len(objs))
	}
	// Without the CSRF token the form is refused.
	r = c.do("POST", "/console/objects/new", url.Values{"institution": {"own"}, "accession_number": {"M-1"}})
	mustStatus(t, "a form without its token", r, 403)

	// Corrected: the material is found by its name, the years are numbers.
	r = c.post("/console/objects/new", url.Values{
		"institution": {"own"}, "accession_number": {"M-1"}, "visibility": {"public"},
		"titles[0].lang": {"zh-Hans"}, "titles[0].value": {"青花梅瓶"}, "titles[1].lang": {"en"}, "titles[1].value": {""},
		"date.display": {"明永乐"}, "date.earliest": {"1403"}, "date.latest": {"1424"}, "materials[0]": {"青花"},
		"makers[0].name": {"景德镇御器厂"}, "makers[0].qualifier": {""},
	})
	if r.status != 303 || !strings.HasSuffix(r.header.Get("Location"), "/edit?saved=1") {
		t.Fatalf("the corrected form = %d to %q: %s", r.status, r.header.Get("Location"), r.body)
	}
	id := strings.Split(r.header.Get("Location"), "/")[3]
	rec, err := db.FindRecord(ctx, wenyuan.KindObject, id)
	if err != nil {
		t.Fatal(err)
	}
	o := rec.(*wenyuan.Object)
	if len(o.Materials) != 1 || o.Materials[0] != qinghua.ID || o.Date == nil || *o.Date.Earliest != 1403 || len(o.Titles) != 1 || len(o.Makers) != 1 {
		t.Errorf("the saved object is %+v", o)
	}
	edit := r.header.Get("Location")
	// The console lists it first among the institution's latest records.
	if links := parsePage(t, c.do("GET", "/console", nil).body).links("/objects/"); len(links) == 0 || links[0] != "/objects/"+id {
		t.Errorf("the console's latest records are %q, want /objects/%s first", links, id)
	}
	r = c.do("GET", edit, nil)
	mustStatus(t, "the edit page", r, 200)
	pg = parsePage(t, r.body)
	if v, _ := pg.inputValue("version"); v != "1" {
		t.Errorf("the edit form's version is %q, want 1", v)
	}
	if len(pg.all("p", "notice")) != 1 {
		t.Errorf("the edit page after saving says nothing")
	}

	// Edit the title; then an edit from the same old version conflicts.
	form := url.Values{"version": {"1"}, "institution": {"own"}, "accession_number": {"M-1"}, "visibility": {"public"},
		"titles[0].lang": {"zh-Hans"}, "titles[0].value": {"青花缠枝莲纹梅瓶"}, "materials[0]": {qinghua.ID}}
	r = c.post("/console/objects/"+id+"/edit", form)
	mustStatus(t, "edit", r, 303)
	form.Set("titles[0].value", "another title")
	r = c.post("/console/objects/"+id+"/edit", form)
	mustStatus(t, "an edit from a stale version", r, 400)
	if len(parsePage(t, r.body).all("div", "alert")) != 1 {
		t.Errorf("the conflict is not shown on the form")
	}

	// History: two versions, the title's change, a button back to 1.
	r = c.do("GET", "/console/objects/"+id+"/history", nil)
	mustStatus(t, "history", r, 200)
	pg = parsePage(t, r.body)
	if got := pg.all("ins", ""); !strings.Contains(strings.Join(got, "|"), "青花缠枝莲纹梅瓶") {
		t.Errorf("the history's changes %q lack the new title", got)
	}
	if got := pg.all("button", "revert"); len(got) != 1 {
		t.Errorf("revert buttons %q, want one (to version 1)", got)
	}
	r = c.post("/console/objects/"+id+"/revert", url.Values{"version": {"1"}})
	mustStatus(t, "revert", r, 303)
	rec, _ = db.FindRecord(ctx, wenyuan.KindObject, id)
	if o := rec.(*wenyuan.Object); o.Titles[0].Value != "青花梅瓶" || o.Version != 3 {
		t.Errorf("after reverting to 1: title %q, version %d", o.Titles[0].Value, o.Version)
	}

	// Signing out with the form ends the session.
	r = c.post("/signout", url.Values{})
	mustStatus(t, "sign out", r, 303)
	if r := c.do("GET", "/console", nil); r.status != 401 {
		t.Errorf("the console after signing out = %d, want 401", r.status)
	}
}

// walk calls fn with every element's tag and attributes.
func (p page) walk(fn func(tag string, attrs map[string]string)) {
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.ElementNode {
			a := map[string]string{}
			for _, x := range n.Attr {
				a[x.Key] = x.Val
			}
			if n.Data == "textarea" {
				a["value"] = text(n)
			}
			fn(n.Data, a)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(p.root)
}

// TestConsoleAuthorityForm: a reign is created under its dynasty, the
// dynasty picked by its name; a reign that ends before it starts is
// refused beside its field; the form edits what it created.
func TestConsoleAuthorityForm(t *testing.T) {
	srv, db := MustServer(t)
	ctx := context.Background()
	if _, err := db.FindRecord(ctx, wenyuan.KindPeriod, "ming"); err != nil { // the periods every store starts with
		t.Fatal(err)
	}
	hash, _ := auth.HashPassword("a long enough password")
	db.CreateRecord(ctx, &wenyuan.Institution{ID: "own", Names: wenyuan.Names{{Lang: "en", Value: "Own"}}})
	if err := db.CreateUser(ctx, &wenyuan.User{Username: "reg", Institution: "own", Roles: []wenyuan.Role{wenyuan.RoleCataloguer}}, hash); err != nil {
		t.Fatal(err)
	}
	c := &formClient{t: t, srv: srv}
	mustStatus(t, "sign in", c.do("POST", "/signin", url.Values{"username": {"reg"}, "password": {"a long enough password"}}), 303)
	r := c.do("GET", "/console/periods/new", nil)
	mustStatus(t, "the form", r, 200)
	c.csrf, _ = parsePage(t, r.body).inputValue("csrf_token")

	form := url.Values{"names[0].lang": {"zh-Hans"}, "names[0].value": {"永乐"}, "names[1].lang": {"en"}, "names[1].value": {"Yongle"},
		"period_type": {"reign"}, "parent": {"明"}, "start": {"1424"}, "end": {"1403"}}
	r = c.post("/console/periods/new", form)
	mustStatus(t, "a reign ending before it starts", r, 400)
	pg := parsePage(t, r.body)
	var beside []string
	pg.walk(func(tag string, a map[string]string) {
		if tag == "span" && strings.HasPrefix(a["id"], "e-") {
			beside = append(beside, a["id"])
		}
	})
	if len(beside) != 1 || beside[0] != "e-start" {
		t.Errorf("errors beside %v, want e-start", beside)
	}
	form.Set("start", "1403")
	form.Set("end", "1424")
	r = c.post("/console/periods/new", form)
	mustStatus(t, "the corrected reign", r, 303)
	id := strings.Split(r.header.Get("Location"), "/")[3]
	rec, err := db.FindRecord(ctx, wenyuan.KindPeriod, id)
	if err != nil {
		t.Fatal(err)
	}
	if p := rec.(*wenyuan.Period); p.Parent != "ming" || p.Start != 1403 || len(p.Names) != 2 {
		t.Errorf("the saved reign is %+v", p)
	}
	r = c.do("GET", r.header.Get("Location"), nil)
	mustStatus(t, "its edit form", r, 200)
	if v, _ := parsePage(t, r.body).inputValue("parent"); v != "ming" {
		t.Errorf("the edit form's parent is %q", v)
	}
	form.Set("version", "1")
	form.Set("names[1].value", "Yongle reign")
	mustStatus(t, "edit", c.post("/console/periods/"+id+"/edit", form), 303)
	rec, _ = db.FindRecord(ctx, wenyuan.KindPeriod, id)
	if p := rec.(*wenyuan.Period); p.Names.In("en") != "Yongle reign" || p.Version != 2 {
		t.Errorf("after editing: %+v", p)
	}
	// Its public page links to the form for who may edit it.
	r = c.do("GET", "/periods/"+id, nil)
	if links := parsePage(t, r.body).links("/console/periods/" + id + "/edit"); len(links) != 1 {
		t.Errorf("the period's page has edit links %q", links)
	}
}

// TestConsoleUploadForm: without JavaScript, the edit page's upload form
// adds an image and comes back to the page; without its token it is
// refused and nothing is stored.
func TestConsoleUploadForm(t *testing.T) {
	srv, db := MustServer(t)
	ctx := context.Background()
	hdr := mustUser(t, db, "own", wenyuan.RoleCataloguer)
	hash, _ := auth.HashPassword("a long enough password")
	if err := db.CreateUser(ctx, &wenyuan.User{Username: "reg", Institution: "own", Roles: []wenyuan.Role{wenyuan.RoleCataloguer}}, hash); err != nil {
		t.Fatal(err)
	}
	r := do(t, srv, "POST", "/api/v1/objects", map[string]any{"institution": "own", "accession_number": "1", "titles": []map[string]string{{"lang": "zh-Hans", "value": "瓶"}}}, hdr...)
	var o wenyuan.Object
	r.json(t, &o)
	c := &formClient{t: t, srv: srv}
	mustStatus(t, "sign in", c.do("POST", "/signin", url.Values{"username": {"reg"}, "password": {"a long enough password"}}), 303)
	r = c.do("GET", "/console/objects/"+o.ID+"/edit", nil)
	c.csrf, _ = parsePage(t, r.body).inputValue("csrf_token")
	send := func(token string) response {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		mw.WriteField("csrf_token", token)
		mw.WriteField("caption", "正面")
		mw.WriteField("visibility", "public")
		fw, _ := mw.CreateFormFile("file", "front.png")
		fw.Write(quadrants(t, 300, 200))
		mw.Close()
		req, _ := http.NewRequest("POST", srv.URL+"/console/objects/"+o.ID+"/images", &b)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Origin", srv.URL)
		req.Header.Set("Cookie", c.cookie)
		client := *srv.Client()
		client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return response{res.StatusCode, res.Header, body, ""}
	}
	if r := send("wrong"); r.status != 403 {
		t.Errorf("an upload with a wrong token = %d, want 403", r.status)
	}
	if imgs, _ := db.FindImages(ctx, o.ID); len(imgs) != 0 {
		t.Fatalf("a refused upload stored %d images", len(imgs))
	}
	r = send(c.csrf)
	if r.status != 303 || !strings.HasPrefix(r.header.Get("Location"), "/console/objects/"+o.ID+"/edit") {
		t.Fatalf("upload = %d to %q: %s", r.status, r.header.Get("Location"), r.body)
	}
	imgs, _ := db.FindImages(ctx, o.ID)
	if len(imgs) != 1 || imgs[0].Caption.In("zh-Hans") != "正面" || imgs[0].Width != 300 {
		t.Errorf("after the upload the object has %+v", imgs)
	}
}

// formOf returns what a browser sends for the form with id: each input's
// value, each textarea's text, each select's selected option (else its
// first), as a browser does.
func (p page) formOf(id string) url.Values {
	out := url.Values{}
	var walk func(n *html.Node, in bool)
	attr := func(n *html.Node, k string) (string, bool) {
		for _, a := range n.Attr {
			if a.Key == k {
				return a.Val, true
			}
		}
		return "", false
	}
	walk = func(n *html.Node, in bool) {
		if n.Type == html.ElementNode {
			if n.Data == "form" {
				v, _ := attr(n, "id")
				in = v == id
			}
			name, named := attr(n, "name")
			if in && named {
				switch n.Data {
				case "input":
					if t, _ := attr(n, "type"); t != "file" && t != "submit" && t != "checkbox" {
						v, _ := attr(n, "value")
						out.Add(name, v)
					}
				case "textarea":
					out.Add(name, text(n))
				case "select":
					first, seen := "", false
					for c := n.FirstChild; c != nil; c = c.NextSibling {
						if c.Type != html.ElementNode || c.Data != "option" {
							continue
						}
						v, _ := attr(c, "value")
						if !seen {
							first, seen = v, true
						}
						if _, sel := attr(c, "selected"); sel {
							first = v
						}
					}
					out.Add(name, first)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, in)
		}
	}
	walk(p.root, false)
	return out
}

// TestConsoleSaveUnchanged: a record written through the API with values
// the form's lists lack (a unit, a qualifier, an inscription type, an
// inscription without a language, its author) saved unchanged in the
// console stays exactly as it was.
func TestConsoleSaveUnchanged(t *testing.T) {
	srv, db := MustServer(t)
	ctx := context.Background()
	hdr := mustUser(t, db, "own", wenyuan.RoleCataloguer)
	a := &wenyuan.Agent{Type: "person", Names: wenyuan.Names{{Lang: "zh-Hans", Value: "王羲之"}}}
	db.CreateRecord(ctx, a)
	body := map[string]any{"institution": "own", "accession_number": "U-1", "object_name": "帖", "medium": "纸本",
		"titles":       []map[string]string{{"lang": "zh-Hans", "value": "快雪时晴帖"}, {"lang": "ja", "value": "快雪時晴帖"}},
		"makers":       []map[string]string{{"agent": a.ID, "qualifier": "circle of", "role": "calligrapher"}},
		"date":         map[string]any{"display": "东晋", "earliest": 317, "latest": 420, "periods": []string{"eastern-jin"}},
		"dimensions":   []map[string]any{{"type": "thickness", "value": 0.2, "unit": "in"}, {"display": "纵 23 厘米"}},
		"inscriptions": []map[string]string{{"type": "label", "text": "快雪时晴", "author": a.ID}, {"type": "seal", "text": "乾隆御览之宝", "lang": "zh-Hant", "position": "右上"}},
		"description":  []map[string]string{{"lang": "zh-Hans", "value": "行书四行。"}},
		"credit_line":  "旧藏", "rights": "CC0", "current_location": "库房 3",
	}
	r := do(t, srv, "POST", "/api/v1/objects", body, hdr...)
	mustStatus(t, "create", r, 201)
	var before wenyuan.Object
	r.json(t, &before)
	hash, _ := auth.HashPassword("a long enough password")
	db.CreateUser(ctx, &wenyuan.User{Username: "reg", Institution: "own", Roles: []wenyuan.Role{wenyuan.RoleCataloguer}}, hash)
	c := &formClient{t: t, srv: srv}
	mustStatus(t, "sign in", c.do("POST", "/signin", url.Values{"username": {"reg"}, "password": {"a long enough password"}}), 303)
	r = c.do("GET", "/console/objects/"+before.ID+"/edit", nil)
	mustStatus(t, "edit page", r, 200)
	form := parsePage(t, r.body).formOf("object-form")
	r = c.do("POST", "/console/objects/"+before.ID+"/edit", form)
	if r.status != 303 {
		t.Fatalf("saving unchanged = %d: %v", r.status, parsePage(t, r.body).all("div", "alert"))
	}
	var after wenyuan.Object
	do(t, srv, "GET", "/api/v1/objects/"+before.ID, nil, hdr...).json(t, &after)
	before.Meta, after.Meta = wenyuan.Meta{}, wenyuan.Meta{}
	if d := cmp.Diff(before, after); d != "" {
		t.Errorf("saving the form unchanged changed the record (-before +after):\n%s", d)
	}
}
