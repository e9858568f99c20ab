package web_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"wenyuan"
	"wenyuan/auth"
	"wenyuan/sample"
	"wenyuan/sqlite"
	"wenyuan/web"
)

// portal is a server with the sample collection, one imaged object of the
// palace museum (a mural in a cave, named so that a search finds it
// alone) and a cataloguer there who signs in with a password.
type portal struct {
	srv      *httptest.Server
	db       *sqlite.DB
	log      *requestLog
	object   string
	user     string
	password string
}

func newPortal(t *testing.T) *portal {
	t.Helper()
	srv, db := MustServer(t)
	ctx := context.Background()
	if err := sample.Load(ctx, db, func(string) {}); err != nil {
		t.Fatal(err)
	}
	p := &portal{srv: srv, db: db, log: &requestLog{}, user: "registrar", password: "a long enough password"}
	ws := srv.Config.Handler.(*web.Server)
	srv.Config.Handler = p.log.wrap(ws)
	hash, err := auth.HashPassword(p.password)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUser(ctx, &wenyuan.User{Username: p.user, Institution: "palace-museum", Roles: []wenyuan.Role{wenyuan.RoleCataloguer}}, hash); err != nil {
		t.Fatal(err)
	}
	hdr := mustUser(t, db, "palace-museum", wenyuan.RoleCataloguer)
	r := do(t, srv, "POST", "/api/v1/objects", map[string]any{"institution": "palace-museum", "accession_number": "故-壁-0220", "object_name": "壁画",
		"titles":      []map[string]string{{"lang": "zh-Hans", "value": "维摩诘经变壁画摹本"}, {"lang": "en", "value": "Copy of the Vimalakirti mural"}},
		"description": []map[string]string{{"lang": "zh-Hans", "value": "莫高窟第二二〇窟东壁维摩诘经变的摹本。"}, {"lang": "en", "value": "A copy of the Vimalakirti sutra mural on the east wall of Mogao Cave 220."}},
		"date":        map[string]any{"display": "唐贞观十六年", "earliest": 642, "latest": 642},
	}, hdr...)
	mustStatus(t, "create", r, 201)
	var o wenyuan.Object
	r.json(t, &o)
	p.object = o.ID
	body, ct := multipartUpload(t, `{"caption":[{"lang":"zh-Hans","value":"全图"},{"lang":"en","value":"The whole copy"}]}`, "mural.png", quadrants(t, 2048, 1536))
	mustStatus(t, "upload", do(t, srv, "POST", "/api/v1/objects/"+o.ID+"/images", body, append(hdr, "Content-Type", ct)...), 201)
	if err := ws.Search.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	return p
}

func run(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, name, b)
}

// TestBrowserSearchToViewer: in Chinese, search from the home page,
// narrow by a facet, open the object and see its image load in the
// viewer; then switch to English and find the same page in English, and
// the choice remembered on the next page.
func TestBrowserSearchToViewer(t *testing.T) {
	ctx := browser(t)
	p := newPortal(t)
	run(t, ctx, "home in Chinese",
		chromedp.Navigate(p.srv.URL+"/lang/zh-Hans?next=/"),
		chromedp.WaitVisible(chromedp.CSS("#q")))
	if lang := eval[string](t, ctx, `document.documentElement.lang`); lang != "zh-Hans" {
		t.Fatalf("the home page is in %q after choosing Chinese", lang)
	}
	shot(t, ctx, "portal-home.png")
	run(t, ctx, "search",
		chromedp.SendKeys(chromedp.CSS("#q"), "维摩诘"),
		chromedp.Submit(chromedp.CSS("#q")),
		chromedp.WaitVisible(chromedp.CSS("#total")))
	// Narrow by institution: the facet link of the palace museum.
	run(t, ctx, "facet",
		chromedp.Click(chromedp.CSS(`.facets a[href*="institution=palace-museum"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.facets a.active`)))
	if got := eval[string](t, ctx, `document.querySelector(".facets a.active").textContent`); got != "故宫博物院" {
		t.Errorf("the chosen facet reads %q, want 故宫博物院", got)
	}
	shot(t, ctx, "portal-search.png")
	run(t, ctx, "open the hit",
		chromedp.Click(chromedp.CSS(`.hits a[href="/objects/`+p.object+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(".viewer canvas")))
	waitFor(t, "the viewer's tiles", func() bool { return len(p.log.tiles()) >= 1 })
	waitFor(t, "the viewer to finish loading", func() bool {
		ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!(window.wenyuanViewers && wenyuanViewers[0].world.getItemAt(0) && wenyuanViewers[0].world.getItemAt(0).getFullyLoaded())`))
		return ok
	})
	if h1 := eval[string](t, ctx, `document.querySelector("h1").textContent`); h1 != "维摩诘经变壁画摹本" {
		t.Errorf("h1 = %q", h1)
	}
	shot(t, ctx, "portal-object.png")
	// What the page weighs before its images: the HTML, styles and
	// scripts (the viewer and its buttons included), as transferred.
	weight := eval[float64](t, ctx, `performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource")).filter(e => !e.name.includes("/iiif/")).reduce((n, e) => n + e.encodedBodySize, 0)`)
	t.Logf("the object page weighs %.0f bytes before its images", weight)
	if weight <= 0 || weight >= 200_000 {
		t.Errorf("the object page weighs %.0f bytes before its images, want under 200 KB", weight)
	}

	// The switch shows the same page in English, and English stays.
	run(t, ctx, "switch to English",
		chromedp.Click(chromedp.CSS("#lang-switch")),
		chromedp.WaitVisible(chromedp.CSS(".viewer canvas")))
	loc := eval[string](t, ctx, `location.pathname`)
	if loc != "/objects/"+p.object {
		t.Errorf("the switch went to %s, want the same page", loc)
	}
	if h1 := eval[string](t, ctx, `document.querySelector("h1").textContent`); h1 != "Copy of the Vimalakirti mural" {
		t.Errorf("English h1 = %q", h1)
	}
	if dt := eval[string](t, ctx, `document.querySelector(".fields dt").textContent`); dt != "Accession number" {
		t.Errorf("English first label = %q", dt)
	}
	shot(t, ctx, "portal-object-en.png")
	run(t, ctx, "home in English", chromedp.Navigate(p.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#q")))
	if lang := eval[string](t, ctx, `document.documentElement.lang`); lang != "en" {
		t.Errorf("the next page is in %q, want the English chosen", lang)
	}
}

// TestBrowserConsoleEdit: sign in, edit an object in the console (add a
// title row, pick a classification by typing its name), see the change in the
// history as a field-level diff, and revert it with one click.
func TestBrowserConsoleEdit(t *testing.T) {
	ctx := browser(t)
	p := newPortal(t)
	p.signIn(t, ctx)
	shot(t, ctx, "console-home.png")
	run(t, ctx, "open the editor",
		chromedp.Navigate(p.srv.URL+"/objects/"+p.object),
		chromedp.Click(chromedp.CSS("#edit-link")),
		chromedp.WaitVisible(chromedp.CSS("#object-form")))
	// Add a title row in place and fill it; type a material's name.
	n0 := eval[int](t, ctx, `document.querySelectorAll('[data-group="titles"] > [data-row]').length`)
	run(t, ctx, "add a title",
		chromedp.Click(chromedp.CSS(`[data-group="titles"] > button.add`)))
	n1 := eval[int](t, ctx, `document.querySelectorAll('[data-group="titles"] > [data-row]').length`)
	if n1 != n0+1 {
		t.Fatalf("title rows %d → %d after Add", n0, n1)
	}
	name := eval[string](t, ctx, `document.querySelector('[data-group="titles"] > [data-row]:last-of-type input').name`)
	run(t, ctx, "fill the form",
		chromedp.SendKeys(chromedp.CSS(`[name="`+name+`"]`), "維摩詰經變"),
		chromedp.SetValue(chromedp.CSS(`[name="`+strings.Replace(name, ".value", ".lang", 1)+`"]`), "zh-Hant"),
		chromedp.SendKeys(chromedp.CSS(`[name="classification[0]"]`), "绘"))
	// The picker offers the classifications whose names hold what was typed.
	waitFor(t, "the picker's suggestions", func() bool {
		ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("dl-classification[0]").options.length > 0 && document.getElementById("dl-classification[0]").options[0].value === "cls-painting"`))
		return ok
	})
	run(t, ctx, "finish the name", chromedp.SendKeys(chromedp.CSS(`[name="classification[0]"]`), "画"))
	shot(t, ctx, "console-edit.png")
	run(t, ctx, "save", chromedp.Click(chromedp.CSS("#save")), chromedp.WaitVisible(chromedp.CSS("#saved, #form-errors")))
	if errs := eval[string](t, ctx, `(document.getElementById("form-errors")||{}).textContent||""`); errs != "" {
		t.Fatalf("the form was refused: %s", errs)
	}
	var o wenyuan.Object
	do(t, p.srv, "GET", "/api/v1/objects/"+p.object, nil).json(t, &o)
	if o.Titles.In(wenyuan.LangHant) != "維摩詰經變" || len(o.Classification) != 1 || o.Classification[0] != "cls-painting" {
		t.Fatalf("after saving, titles %v, classification %v", o.Titles, o.Classification)
	}

	// The history shows the change; one click goes back.
	run(t, ctx, "history",
		chromedp.Click(chromedp.CSS(`a[href="/console/objects/`+p.object+`/history"]`)),
		chromedp.WaitVisible(chromedp.CSS(".diff")))
	if ins := eval[string](t, ctx, `Array.from(document.querySelectorAll("#v2 ins")).map(e => e.textContent).join("|")`); !strings.Contains(ins, "維摩詰經變") {
		t.Errorf("version 2's changes %q lack the new title", ins)
	}
	shot(t, ctx, "console-history.png")
	run(t, ctx, "revert",
		chromedp.Click(chromedp.CSS(`#v1 button.revert`)),
		chromedp.WaitVisible(chromedp.CSS("#reverted")))
	o = wenyuan.Object{}
	do(t, p.srv, "GET", "/api/v1/objects/"+p.object, nil).json(t, &o)
	if o.Titles.In(wenyuan.LangHant) == "維摩詰經變" || len(o.Classification) != 0 || o.Version != 3 {
		t.Errorf("after reverting to version 1: titles %v, classification %v, version %d", o.Titles, o.Classification, o.Version)
	}

	// An image uploaded from the edit page, its progress shown.
	png := filepath.Join(t.TempDir(), "detail.png")
	if err := os.WriteFile(png, quadrants(t, 1200, 900), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "upload",
		chromedp.Navigate(p.srv.URL+"/console/objects/"+p.object+"/edit"),
		chromedp.WaitVisible(chromedp.CSS("#upload")),
		chromedp.SetUploadFiles(chromedp.CSS("#upload-file"), []string{png}),
		chromedp.SendKeys(chromedp.CSS("#upload-caption"), "局部"),
		chromedp.Click(chromedp.CSS("#upload-button")))
	waitFor(t, "the upload", func() bool {
		n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('section[aria-labelledby="imgs"] ul.objects li').length`))
		return n == 2
	})
	var imgs web.ImageList
	do(t, p.srv, "GET", "/api/v1/objects/"+p.object+"/images", nil).json(t, &imgs)
	if len(imgs.Items) != 2 || imgs.Items[1].Caption.In(wenyuan.LangHans) != "局部" || imgs.Items[1].Width != 1200 {
		t.Errorf("after the upload the object's images are %+v", imgs.Items)
	}
}

// signIn signs the portal's cataloguer in, in Chinese.
func (p *portal) signIn(t *testing.T, ctx context.Context) {
	t.Helper()
	run(t, ctx, "sign in",
		chromedp.Navigate(p.srv.URL+"/lang/zh-Hans?next="+url.QueryEscape("/signin?next=/console")),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), p.user),
		chromedp.SendKeys(chromedp.CSS("#password"), p.password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("#new-object")))
}

// TestBrowserImport: a cataloguer imports a spreadsheet from the browser;
// the bad row is reported by row and column with nothing imported, the
// rejects file is offered; with "import the good rows" the rest go in.
func TestBrowserImport(t *testing.T) {
	ctx := browser(t)
	p := newPortal(t)
	dir := t.TempDir()
	csvPath, mapPath := filepath.Join(dir, "新藏品.csv"), filepath.Join(dir, "mapping.yaml")
	if err := os.WriteFile(csvPath, []byte(importCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mapPath, []byte(importMapping), 0o644); err != nil {
		t.Fatal(err)
	}
	p.signIn(t, ctx)
	run(t, ctx, "the import form",
		chromedp.Click(chromedp.CSS(`a[href="/console/import"]`)),
		chromedp.WaitVisible(chromedp.CSS("#import-form")),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{csvPath}),
		chromedp.SetUploadFiles(chromedp.CSS("#mapping"), []string{mapPath}))
	shot(t, ctx, "console-import.png")
	run(t, ctx, "import",
		chromedp.Click(chromedp.CSS("#import-button")),
		chromedp.WaitVisible(chromedp.CSS("#import-result")))
	if rej := eval[string](t, ctx, `Array.from(document.querySelectorAll("#rejects td")).map(e => e.textContent).join("|")`); !strings.HasPrefix(rej, "3|公开级别|") {
		t.Errorf("the rejected rows read %q, want row 3, column 公开级别", rej)
	}
	if href := eval[string](t, ctx, `document.getElementById("rejects-link").getAttribute("href")`); !strings.HasSuffix(href, "/rejects") {
		t.Errorf("rejects link %q", href)
	}
	shot(t, ctx, "console-import-rejects.png")
	imported := func() (n int) {
		for _, acc := range []string{"导-0001", "导-0002", "导-0003"} {
			if _, err := p.db.FindObjectByAccession(context.Background(), "palace-museum", acc); err == nil {
				n++
			}
		}
		return n
	}
	if n := imported(); n != 0 {
		t.Fatalf("a file with a rejected row imported %d objects", n)
	}
	run(t, ctx, "import the good rows",
		chromedp.Click(chromedp.CSS(`a[href="/console/import"]`)),
		chromedp.WaitVisible(chromedp.CSS("#import-form")),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{csvPath}),
		chromedp.SetUploadFiles(chromedp.CSS("#mapping"), []string{mapPath}),
		chromedp.Click(chromedp.CSS(`input[name="partial"]`)),
		chromedp.Click(chromedp.CSS("#import-button")),
		chromedp.WaitVisible(chromedp.CSS("#import-result.notice")))
	if n := imported(); n != 2 {
		t.Errorf("importing the good rows imported %d objects, want 2", n)
	}
}
