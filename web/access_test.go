package web_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"wenyuan"
	"wenyuan/iiif"
	"wenyuan/sqlite"
	"wenyuan/web"
)

// who is a principal of the matrix: a user of "own" or "other" with roles,
// holding a token of a scope (narrowed to an institution or not), or the
// public.
type who struct {
	name      string
	inst      string
	roles     []wenyuan.Role
	scope     wenyuan.TokenScope
	scopeInst string
	header    []string
}

func (p who) signedIn() bool { return p.inst != "" }

func (p who) has(r wenyuan.Role) bool { return slices.Contains(p.roles, r) }

// The oracle: the rules of the access issue, written out again here,
// independently of wenyuan.Can.
func (p who) mayRead(inst string, vis wenyuan.Visibility) bool {
	switch vis {
	case wenyuan.VisibilityPublic:
		return true
	case wenyuan.VisibilityConsortium:
		return p.signedIn()
	}
	return p.signedIn() && p.inst == inst
}

func (p who) writes(inst string) bool {
	return p.scope == wenyuan.ScopeWrite && (p.scopeInst == "" || inst == "" || p.scopeInst == inst)
}

func (p who) mayWriteObject(inst string) bool {
	return p.signedIn() && p.writes(inst) && p.inst == inst && (p.has(wenyuan.RoleAdmin) || p.has(wenyuan.RoleCataloguer))
}

func (p who) mayWriteAuthority() bool {
	return p.signedIn() && p.writes("") && (p.has(wenyuan.RoleAdmin) || p.has(wenyuan.RoleCataloguer))
}

func (p who) mayManage(inst string) bool {
	return p.signedIn() && p.writes(inst) && p.inst == inst && p.has(wenyuan.RoleAdmin)
}

type matrix struct {
	t       *testing.T
	srv     *httptest.Server
	db      *sqlite.DB
	objects map[string]map[wenyuan.Visibility]string                        // inst → visibility → id
	images  map[string]map[wenyuan.Visibility]map[wenyuan.Visibility]string // inst → object's visibility → image's → id
	master  iiif.Ingested
	users   map[string]string // who.name → user id
	// material is a concept every object names, for the pages that list
	// an authority's objects.
	material string
	// job is an import own-cataloguer started, with a rejected row.
	job    string
	people []who
}

func (m *matrix) user(p *who) {
	ctx := context.Background()
	if !p.signedIn() {
		return
	}
	u := &wenyuan.User{Username: p.name, Institution: p.inst, Roles: p.roles}
	if err := m.db.CreateUser(ctx, u, "unused"); err != nil {
		m.t.Fatal(err)
	}
	m.users[p.name] = u.ID
	_, tok := mustToken(m.t, m.db, u.ID, p.scope, p.scopeInst)
	p.header = []string{"Authorization", "Bearer " + tok}
}

// object makes an object as the system, with two versions.
func (m *matrix) object(inst string, vis wenyuan.Visibility) string {
	ctx := wenyuan.WithActor(context.Background(), "setup")
	o := &wenyuan.Object{Institution: inst, AccessionNumber: wenyuan.NewID(), Titles: wenyuan.Text{{Lang: "en", Value: string(vis) + " object of " + inst}}, Visibility: vis}
	if err := m.db.CreateRecord(ctx, o); err != nil {
		m.t.Fatal(err)
	}
	o.Medium, o.Materials, o.Version = "ink", []string{m.material}, 0
	if err := m.db.UpdateRecord(ctx, o); err != nil {
		m.t.Fatal(err)
	}
	return o.ID
}

func (m *matrix) concept() string {
	c := &wenyuan.Concept{Scheme: "material", Names: wenyuan.Names{{Lang: "en", Value: "c" + wenyuan.NewID()}}}
	if err := m.db.CreateRecord(context.Background(), c); err != nil {
		m.t.Fatal(err)
	}
	return c.ID
}

// outcome checks one request: allowed means any answer but a denial (a
// validation error or a conflict is the policy letting it through); denied
// means 401, 403 or 404.
func (m *matrix) outcome(p who, method, path string, body any, allowed bool, headers ...string) {
	m.t.Helper()
	r := do(m.t, m.srv, method, path, body, append(slices.Clone(p.header), headers...)...)
	denied := r.status == 401 || r.status == 403 || r.status == 404
	if r.status >= 500 {
		m.t.Errorf("%s: %s %s = %d: %s", p.name, method, path, r.status, r.body)
	} else if allowed && denied {
		m.t.Errorf("%s: %s %s = %d, want allowed: %.200s", p.name, method, path, r.status, r.body)
	} else if !allowed && !denied {
		m.t.Errorf("%s: %s %s = %d, want denied: %.200s", p.name, method, path, r.status, r.body)
	}
}

// formType is the header of a form's body.
var formType = []string{"Content-Type", "application/x-www-form-urlencoded"}

var visibilities = []wenyuan.Visibility{wenyuan.VisibilityPublic, wenyuan.VisibilityConsortium, wenyuan.VisibilityInternal}

var authorityPlurals = map[string]wenyuan.Kind{"agents": wenyuan.KindAgent, "places": wenyuan.KindPlace, "periods": wenyuan.KindPeriod, "concepts": wenyuan.KindConcept}

// TestAccessMatrix walks every route the server registers × each role ×
// each visibility × own and other institution, and checks each answer
// against the rules; lists must hold exactly what may be read. A route
// the matrix does not know fails the test, so a new route cannot be
// forgotten.
func TestAccessMatrix(t *testing.T) {
	srv, db := MustServer(t)
	m := &matrix{t: t, srv: srv, db: db, objects: map[string]map[wenyuan.Visibility]string{}, users: map[string]string{}}
	ctx := context.Background()
	m.material = m.concept()
	for _, inst := range []string{"own", "other"} {
		if err := db.CreateRecord(ctx, &wenyuan.Institution{ID: inst, Names: wenyuan.Names{{Lang: "en", Value: inst}}}); err != nil {
			t.Fatal(err)
		}
		m.objects[inst] = map[wenyuan.Visibility]string{}
		for _, v := range visibilities {
			m.objects[inst][v] = m.object(inst, v)
		}
	}
	people := []who{{name: "anonymous"}}
	for _, r := range wenyuan.Roles {
		people = append(people, who{name: "own-" + string(r), inst: "own", roles: []wenyuan.Role{r}, scope: wenyuan.ScopeWrite})
	}
	people = append(people,
		who{name: "other-admin", inst: "other", roles: []wenyuan.Role{wenyuan.RoleAdmin}, scope: wenyuan.ScopeWrite},
		who{name: "other-cataloguer", inst: "other", roles: []wenyuan.Role{wenyuan.RoleCataloguer}, scope: wenyuan.ScopeWrite},
		who{name: "own-cataloguer-read-token", inst: "own", roles: []wenyuan.Role{wenyuan.RoleCataloguer}, scope: wenyuan.ScopeRead},
		who{name: "own-admin-token-for-other", inst: "own", roles: []wenyuan.Role{wenyuan.RoleAdmin, wenyuan.RoleCataloguer}, scope: wenyuan.ScopeWrite, scopeInst: "other"},
	)
	for i := range people {
		m.user(&people[i])
	}
	m.people = people
	m.setupImages()
	victim := who{name: "victim", inst: "other", roles: []wenyuan.Role{wenyuan.RoleStudent}, scope: wenyuan.ScopeRead}
	m.user(&victim)

	s := web.NewServer(db, nil)
	for _, p := range people {
		for _, route := range s.Routes() {
			method, pattern, _ := strings.Cut(route, " ")
			if !m.check(p, method, pattern) {
				t.Fatalf("route %s has no case in the access matrix: add one", route)
			}
		}
	}
}

// authority makes an authority record of kind as the system.
func (m *matrix) authority(kind wenyuan.Kind) string {
	rec := wenyuan.NewRecord(kind)
	switch a := rec.(type) {
	case *wenyuan.Agent:
		a.Type, a.Names = "person", wenyuan.Names{{Lang: "en", Value: "a"}}
	case *wenyuan.Place:
		a.Names = wenyuan.Names{{Lang: "en", Value: "p"}}
	case *wenyuan.Period:
		a.Names, a.Start, a.End = wenyuan.Names{{Lang: "en", Value: "p"}}, 1, 2
	case *wenyuan.Concept:
		return m.concept()
	}
	if err := m.db.CreateRecord(context.Background(), rec); err != nil {
		m.t.Fatal(err)
	}
	return rec.RecordID()
}

// listsReadable checks that the page at path links only to objects (of
// inst, or of any institution if "", naming the matrix's material if
// material) that p may read, and to as many as fit on its page.
func (m *matrix) listsReadable(p who, path, inst string, material bool) {
	m.t.Helper()
	r := do(m.t, m.srv, "GET", path, nil, p.header...)
	if r.status != 200 {
		m.t.Fatalf("%s: GET %s = %d", p.name, path, r.status)
	}
	got := map[string]bool{}
	for _, href := range parsePage(m.t, r.body).links("/objects/") {
		got[strings.TrimPrefix(href, "/objects/")] = true
	}
	want := map[string]bool{}
	cursor := ""
	for {
		objs, next, err := m.db.FindObjects(context.Background(), wenyuan.ObjectFilter{Institution: inst, Cursor: cursor, Limit: 1000})
		if err != nil {
			m.t.Fatal(err)
		}
		for _, o := range objs {
			if p.mayRead(o.Institution, o.Visibility) && (!material || slices.Contains(o.Materials, m.material)) {
				want[o.ID] = true
			}
		}
		if cursor = next; cursor == "" {
			break
		}
	}
	for id := range got {
		if !want[id] {
			m.t.Errorf("%s: %s lists object %s, which it may not read", p.name, path, id)
		}
	}
	if len(got) != min(len(want), 24) {
		m.t.Errorf("%s: %s lists %d objects, want %d of %d", p.name, path, len(got), min(len(want), 24), len(want))
	}
}

// check runs the cases of one route for one principal; false if the
// route is unknown.
func (m *matrix) check(p who, method, pattern string) bool {
	seg := strings.Split(strings.TrimPrefix(pattern, "/api/v1/"), "/")
	switch pattern {
	case "/healthz", "/{$}", "/api/v1/openapi.json", "/static/{file}":
		path := strings.NewReplacer("{$}", "", "{file}", "site.css").Replace(pattern)
		m.outcome(p, method, path, nil, true)
		return true
	case "/static/vendor/{file...}":
		// Served to everyone once ./run has built the viewer in; to no
		// one before.
		_, err := os.Stat("static/vendor/openseadragon/openseadragon.min.js")
		m.outcome(p, method, "/static/vendor/openseadragon/openseadragon.min.js", nil, err == nil)
		return true
	case "/objects/{id}":
		// The page of an object answers as its record does.
		for inst, byVis := range m.objects {
			for vis, id := range byVis {
				m.outcome(p, method, "/objects/"+id, nil, p.mayRead(inst, vis))
			}
		}
		return true
	case "/api/v1/audit":
		m.outcome(p, method, pattern, nil, p.mayManage(p.inst))
		return true
	case "/signin":
		if method == "GET" {
			m.outcome(p, method, pattern, nil, true)
		} else {
			r := do(m.t, m.srv, "POST", pattern, "username=nobody&password=wrong+password", append(slices.Clone(p.header), formType...)...)
			if r.status != 401 && r.status != 429 { // 429 once the address is rate-limited
				m.t.Errorf("%s: the sign-in form with a wrong password = %d", p.name, r.status)
			}
		}
		return true
	case "/signout":
		m.outcome(p, method, pattern, "csrf_token=", true, formType...)
		return true
	case "/console":
		m.outcome(p, method, pattern, nil, p.signedIn())
		return true
	case "/console/audit":
		m.outcome(p, method, pattern, nil, p.mayManage(p.inst))
		return true
	case "/console/objects/new":
		inst := p.inst
		if p.scopeInst != "" {
			inst = p.scopeInst
		}
		// A form without an accession number: 400 when the principal may
		// write here, a denial when not.
		m.outcome(p, method, pattern, "institution="+inst+"&titles%5B0%5D.value=x", p.mayWriteObject(inst), formType...)
		return true
	case "/console/objects/{id}/images":
		// No file: 400 when the principal may add images, a denial when not.
		body, ct := importForm(m.t, map[string]string{"caption": "x"}, "", "")
		for inst, byVis := range m.objects {
			for vis, id := range byVis {
				m.outcome(p, method, "/console/objects/"+id+"/images", body, p.mayRead(inst, vis) && p.mayWriteObject(inst), "Content-Type", ct)
			}
		}
		return true
	case "/console/objects/{id}/edit", "/console/{kind}/{id}/history", "/console/{kind}/{id}/revert":
		for inst, byVis := range m.objects {
			for vis, id := range byVis {
				path := strings.NewReplacer("{kind}", "objects", "{id}", id).Replace(pattern)
				switch {
				case strings.HasSuffix(pattern, "/history"):
					m.outcome(p, method, path, nil, p.signedIn() && p.mayRead(inst, vis))
				case strings.HasSuffix(pattern, "/revert"):
					m.outcome(p, method, path, "version=1", p.mayRead(inst, vis) && p.mayWriteObject(inst), formType...)
				default:
					m.outcome(p, method, path, "institution="+inst+"&accession_number=", p.mayRead(inst, vis) && p.mayWriteObject(inst), formType...)
				}
			}
		}
		return true
	case "/console/agents/new", "/console/places/new", "/console/periods/new", "/console/concepts/new":
		// A form without a name: 400 when the principal may write
		// authorities, a denial when not.
		m.outcome(p, method, pattern, "names%5B0%5D.lang=en", p.mayWriteAuthority(), formType...)
		return true
	case "/console/agents/{id}/edit", "/console/places/{id}/edit", "/console/periods/{id}/edit", "/console/concepts/{id}/edit":
		kind := authorityPlurals[strings.Split(pattern, "/")[2]]
		id := m.authority(kind)
		m.outcome(p, method, strings.Replace(pattern, "{id}", id, 1), "names%5B0%5D.lang=en", p.mayWriteAuthority(), formType...)
		return true
	case "/console/import":
		inst := p.inst
		if p.scopeInst != "" {
			inst = p.scopeInst
		}
		if method == "GET" {
			m.outcome(p, method, pattern, nil, p.mayWriteObject(inst))
		} else {
			// No file: 400 when the principal may import, a denial when not.
			body, ct := importForm(m.t, map[string]string{"mapping": importMapping}, "", "")
			m.outcome(p, method, pattern, body, p.mayWriteObject(inst), "Content-Type", ct)
		}
		return true
	case "/console/imports/{id}", "/console/imports/{id}/rejects":
		// An import is its starter's alone.
		if m.job == "" {
			var starter who
			for _, q := range m.people {
				if q.name == "own-cataloguer" {
					starter = q
				}
			}
			body, ct := importForm(m.t, map[string]string{"mapping": importMapping}, "c.csv", importCSV)
			r := do(m.t, m.srv, "POST", "/console/import", body, append(slices.Clone(starter.header), "Content-Type", ct)...)
			m.job = r.url
			waitImport(m.t, m.srv, m.job, starter.header...)
		}
		m.outcome(p, method, strings.Replace(pattern, "/console/imports/{id}", m.job, 1), nil, p.name == "own-cataloguer")
		return true
	case "/objects/by-accession/{institution}/{accession...}":
		// It redirects to what the principal may read, and only that.
		for inst, byVis := range m.objects {
			for vis, id := range byVis {
				rec, err := m.db.FindRecord(context.Background(), wenyuan.KindObject, id)
				if err != nil {
					m.t.Fatal(err)
				}
				acc := rec.(*wenyuan.Object).AccessionNumber
				m.outcome(p, method, "/objects/by-accession/"+inst+"/"+url.PathEscape(acc), nil, p.mayRead(inst, vis))
			}
		}
		return true
	case "/oai":
		// Harvesters see only public records, whoever asks: every
		// identifier listed is of a public object (or a tombstone).
		q := "verb=ListIdentifiers&metadataPrefix=oai_dc"
		var r response
		if method == "GET" {
			r = do(m.t, m.srv, "GET", "/oai?"+q, nil, p.header...)
		} else {
			r = do(m.t, m.srv, "POST", "/oai", q, append(slices.Clone(p.header), formType...)...)
		}
		if r.status != 200 {
			m.t.Fatalf("%s: %s /oai = %d", p.name, method, r.status)
		}
		for inst, byVis := range m.objects {
			for vis, id := range byVis {
				if listed := strings.Contains(string(r.body), ":"+id+"<"); listed != (vis == wenyuan.VisibilityPublic) {
					m.t.Errorf("%s: OAI-PMH lists %s object %s of %s: %v", p.name, vis, id, inst, listed)
				}
			}
		}
		return true
	case "/lang/{lang}":
		m.outcome(p, method, "/lang/en?next=/search", nil, true)
		return true
	case "/institutions":
		m.outcome(p, method, pattern, nil, true)
		return true
	case "/institutions/{id}":
		// An institution's page lists exactly its objects the principal
		// may read.
		for inst := range m.objects {
			m.listsReadable(p, "/institutions/"+inst, inst, false)
		}
		return true
	case "/concepts/{id}":
		// An authority's page lists exactly the objects naming it that
		// the principal may read (every object names this material).
		catchUp(m.t, m.srv)
		m.listsReadable(p, "/concepts/"+m.material, "", true)
		return true
	case "/agents/{id}", "/places/{id}", "/periods/{id}":
		kind := authorityPlurals[strings.Split(pattern, "/")[1]]
		m.outcome(p, method, strings.Replace(pattern, "{id}", m.authority(kind), 1), nil, true)
		return true
	case "/api/v1/search":
		m.checkSearch(p)
		return true
	case "/api/v1/suggest":
		m.outcome(p, method, pattern+"?q=c", nil, true)
		return true
	case "/search":
		// The page lists what the search finds: only what the principal
		// may read, as many as the API counts.
		catchUp(m.t, m.srv)
		r := do(m.t, m.srv, "GET", "/search?q=", nil, p.header...)
		if r.status != 200 {
			m.t.Fatalf("%s: GET /search = %d", p.name, r.status)
		}
		var api web.SearchPage
		do(m.t, m.srv, "GET", "/api/v1/search?q=&limit=0", nil, p.header...).json(m.t, &api)
		pg := parsePage(m.t, r.body)
		if got := pg.all("strong", ""); len(got) != 1 || got[0] != strconv.Itoa(api.Total) {
			m.t.Errorf("%s: the search page counts %q, the API %d", p.name, got, api.Total)
		}
		for _, href := range pg.links("/objects/") {
			var o wenyuan.Object
			do(m.t, m.srv, "GET", "/api/v1"+href, nil, p.header...).json(m.t, &o)
			if !p.mayRead(o.Institution, o.Visibility) {
				m.t.Errorf("%s: the search page lists %s object %s of %s", p.name, o.Visibility, o.ID, o.Institution)
			}
		}
		return true
	case "/api/v1/session":
		switch method {
		case "POST":
			r := do(m.t, m.srv, "POST", pattern, `{"username":"nobody","password":"wrong password"}`, p.header...)
			if r.status != 401 && r.status != 429 { // 429 once the name is locked out
				m.t.Errorf("%s: sign-in with a wrong password = %d", p.name, r.status)
			}
		case "GET":
			m.outcome(p, method, pattern, nil, false) // tokens have no session
		case "DELETE":
			m.outcome(p, method, pattern, nil, true)
		}
		return true
	case "/api/v1/tokens":
		if method == "GET" {
			m.outcome(p, method, pattern, nil, p.signedIn())
		} else {
			m.outcome(p, method, pattern, map[string]any{"name": "x", "scope": "read"}, false) // a token cannot make tokens
		}
		return true
	case "/api/v1/tokens/{id}":
		// Revoking another user's token is the business of their admins.
		other := m.users["victim"]
		id := wenyuan.NewID()
		m.db.CreateToken(context.Background(), &wenyuan.Token{ID: id, UserID: other, Name: "victim", Scope: wenyuan.ScopeRead, ExpiresAt: time.Now().Add(time.Hour)}, "x")
		m.outcome(p, method, "/api/v1/tokens/"+id, nil, p.mayManage("other"))
		return true
	case "/api/v1/users":
		var body any
		if method == "POST" {
			body = map[string]any{"username": "new-" + strings.ToLower(wenyuan.NewID()), "roles": []string{"student"}, "password": "a long enough password"}
		}
		m.outcome(p, method, pattern, body, p.mayManage(p.inst))
		return true
	case "/api/v1/users/{id}":
		for _, target := range []string{"own-student", "other-cataloguer"} {
			inst := strings.SplitN(target, "-", 2)[0]
			roles := []string{"student"}
			if inst == "other" {
				roles = []string{"cataloguer"}
			}
			m.outcome(p, method, "/api/v1/users/"+m.users[target], map[string]any{"roles": roles}, p.mayManage(inst))
		}
		return true
	}
	if strings.HasPrefix(pattern, "/iiif/") {
		return m.checkIIIF(p, method, pattern)
	}
	if len(seg) == 0 {
		return false
	}
	plural := seg[0]
	rest := strings.Join(seg[1:], "/")
	switch {
	case plural == "objects" && rest == "{id}/images":
		return m.checkObjectImages(p, method)
	case plural == "objects":
		return m.checkObjects(p, method, rest)
	case plural == "images":
		return m.checkImages(p, method, rest)
	case plural == "institutions":
		return m.checkInstitutions(p, method, rest)
	case authorityPlurals[plural] != "":
		return m.checkAuthorities(p, method, plural, rest)
	}
	return false
}

// checkSearch: a search finds exactly the fixed objects the principal may
// read, with a query and without, and its facet counts count no others.
func (m *matrix) checkSearch(p who) {
	catchUp(m.t, m.srv)
	for _, q := range []string{"", "object", "internal"} {
		var page web.SearchPage
		r := do(m.t, m.srv, "GET", "/api/v1/search?limit=1000&facets=100&q="+q, nil, p.header...)
		if r.status != 200 {
			m.t.Fatalf("%s: search %q = %d: %s", p.name, q, r.status, r.body)
		}
		r.json(m.t, &page)
		got := map[string]bool{}
		for _, h := range page.Hits {
			got[h.ID] = true
		}
		want := map[string]int{} // readable objects of each institution among the hits
		for inst, byVis := range m.objects {
			for vis, id := range byVis {
				matches := q == "" || q == "object" || q == string(vis)
				if got[id] != (matches && p.mayRead(inst, vis)) {
					m.t.Errorf("%s: search %q finds %s object of %s: %v, want %v", p.name, q, vis, inst, got[id], matches && p.mayRead(inst, vis))
				}
			}
		}
		for _, h := range page.Hits {
			var o wenyuan.Object
			do(m.t, m.srv, "GET", "/api/v1/objects/"+h.ID, nil, p.header...).json(m.t, &o)
			if !p.mayRead(o.Institution, o.Visibility) {
				m.t.Errorf("%s: search %q finds %s object %s of %s", p.name, q, o.Visibility, o.ID, o.Institution)
			}
			want[o.Institution]++
		}
		if page.Total != len(page.Hits) {
			m.t.Errorf("%s: search %q total = %d, hits = %d", p.name, q, page.Total, len(page.Hits))
		}
		for _, f := range page.Facets["institution"] {
			if f.Count != want[f.Value] {
				m.t.Errorf("%s: search %q facet institution=%s counts %d, want %d", p.name, q, f.Value, f.Count, want[f.Value])
			}
		}
		if _, ok := page.Facets["visibility"]; ok != p.signedIn() {
			m.t.Errorf("%s: search %q has a visibility facet: %v, want %v", p.name, q, ok, p.signedIn())
		}
	}
}

func (m *matrix) checkObjects(p who, method, rest string) bool {
	body := func(inst string, vis wenyuan.Visibility) map[string]any {
		return map[string]any{"institution": inst, "accession_number": wenyuan.NewID(), "visibility": vis, "titles": []map[string]string{{"lang": "en", "value": "x"}}}
	}
	switch method + " " + rest {
	case "GET ":
		var page struct {
			Items []wenyuan.Object `json:"items"`
		}
		r := do(m.t, m.srv, "GET", "/api/v1/objects?limit=1000", nil, p.header...)
		r.json(m.t, &page)
		var got []string
		for _, o := range page.Items {
			got = append(got, o.ID)
		}
		// Objects made by earlier cases of the matrix are in the list too;
		// the fixed ones must be there exactly as the rules say.
		for inst, byVis := range m.objects {
			for vis, id := range byVis {
				if slices.Contains(got, id) != p.mayRead(inst, vis) {
					m.t.Errorf("%s: GET /api/v1/objects lists %s object of %s: %v, want %v", p.name, vis, inst, slices.Contains(got, id), p.mayRead(inst, vis))
				}
			}
		}
		for _, o := range page.Items {
			if !p.mayRead(o.Institution, o.Visibility) {
				m.t.Errorf("%s: GET /api/v1/objects lists %s object %s of %s", p.name, o.Visibility, o.ID, o.Institution)
			}
		}
		return true
	case "POST ":
		for _, inst := range []string{"own", "other"} {
			m.outcome(p, "POST", "/api/v1/objects", body(inst, wenyuan.VisibilityInternal), p.mayWriteObject(inst))
		}
		return true
	}
	for _, inst := range []string{"own", "other"} {
		for _, vis := range visibilities {
			id := m.objects[inst][vis]
			read := p.mayRead(inst, vis)
			write := read && p.mayWriteObject(inst)
			base := "/api/v1/objects/" + id
			switch method + " " + rest {
			case "GET {id}":
				m.outcome(p, method, base, nil, read)
			case "PUT {id}":
				b := body(inst, vis)
				m.outcome(p, method, base, b, write)
				// Giving one's record away to another institution takes
				// write rights in both.
				if write {
					b["institution"] = map[string]string{"own": "other", "other": "own"}[inst]
					m.outcome(p, method, base, b, p.mayWriteObject(b["institution"].(string)))
				}
			case "DELETE {id}":
				fresh := m.object(inst, vis)
				m.outcome(p, method, "/api/v1/objects/"+fresh, nil, write)
			case "GET {id}/versions", "GET {id}/diff":
				m.outcome(p, method, base+"/"+strings.TrimPrefix(rest, "{id}/"), nil, read)
			case "GET {id}/versions/{version}":
				m.outcome(p, method, base+"/versions/1", nil, read)
			case "POST {id}/revert":
				m.outcome(p, method, base+"/revert", map[string]int{"version": 1}, write)
			default:
				return false
			}
		}
	}
	return true
}

func (m *matrix) checkAuthorities(p who, method, plural, rest string) bool {
	id := "qing"
	body := map[string]any{"names": []map[string]string{{"lang": "en", "value": "n" + wenyuan.NewID()}}, "scheme": "material", "start": 1, "end": 2}
	switch plural {
	case "concepts":
		delete(body, "start")
		delete(body, "end")
		id = m.concept()
	case "agents", "places":
		delete(body, "scheme")
		delete(body, "start")
		delete(body, "end")
		var rec wenyuan.Record = &wenyuan.Agent{Names: wenyuan.Names{{Lang: "en", Value: "a" + wenyuan.NewID()}}}
		if plural == "places" {
			rec = &wenyuan.Place{Names: wenyuan.Names{{Lang: "en", Value: "p" + wenyuan.NewID()}}}
		}
		if err := m.db.CreateRecord(context.Background(), rec); err != nil {
			m.t.Fatal(err)
		}
		id = rec.RecordID()
	case "periods":
		delete(body, "scheme")
		if method == "DELETE" {
			pr := &wenyuan.Period{Names: wenyuan.Names{{Lang: "en", Value: "p" + wenyuan.NewID()}}, Start: 1, End: 2}
			m.db.CreateRecord(context.Background(), pr)
			id = pr.ID
		}
	}
	base := "/api/v1/" + plural
	switch method + " " + rest {
	case "GET ":
		m.outcome(p, method, base, nil, true)
	case "POST ":
		m.outcome(p, method, base, body, p.mayWriteAuthority())
	case "GET {id}", "GET {id}/versions", "GET {id}/diff":
		m.outcome(p, method, base+"/"+strings.ReplaceAll(rest, "{id}", id), nil, true)
	case "GET {id}/versions/{version}":
		m.outcome(p, method, base+"/"+id+"/versions/1", nil, true)
	case "PUT {id}":
		m.outcome(p, method, base+"/"+id, body, p.mayWriteAuthority())
	case "DELETE {id}":
		m.outcome(p, method, base+"/"+id, nil, p.mayWriteAuthority())
	case "POST {id}/revert":
		m.outcome(p, method, base+"/"+id+"/revert", map[string]int{"version": 1}, p.mayWriteAuthority())
	default:
		return false
	}
	return true
}

func (m *matrix) checkInstitutions(p who, method, rest string) bool {
	for _, inst := range []string{"own", "other"} {
		base := "/api/v1/institutions/" + inst
		body := map[string]any{"names": []map[string]string{{"lang": "en", "value": inst + " renamed"}}}
		switch method + " " + rest {
		case "GET ", "GET {id}", "GET {id}/versions", "GET {id}/diff":
			path := "/api/v1/institutions"
			if rest != "" {
				path = base + strings.TrimPrefix(rest, "{id}")
			}
			m.outcome(p, method, path, nil, true)
		case "GET {id}/versions/{version}":
			m.outcome(p, method, base+"/versions/1", nil, true)
		case "POST ":
			// Institutions join the consortium through the command line.
			m.outcome(p, method, "/api/v1/institutions", map[string]any{"id": "new-" + inst, "names": body["names"]}, false)
		case "PUT {id}":
			m.outcome(p, method, base, body, p.mayManage(inst))
		case "DELETE {id}":
			m.outcome(p, method, base, nil, p.mayManage(inst)) // allowed ones meet a conflict: it has objects
		case "POST {id}/revert":
			m.outcome(p, method, base+"/revert", map[string]int{"version": 1}, p.mayManage(inst))
		default:
			return false
		}
	}
	return true
}
