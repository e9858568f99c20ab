package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"wenyuan"
	"wenyuan/auth"
	"wenyuan/iiif"
	"wenyuan/search"
	"wenyuan/sqlite"
	"wenyuan/web"
)

// MustServer starts the real server over a fresh SQLite store.
func MustServer(tb testing.TB) (*httptest.Server, *sqlite.DB) {
	tb.Helper()
	db, err := sqlite.Open(filepath.Join(tb.TempDir(), "wenyuan.db"))
	if err != nil {
		tb.Fatal(err)
	}
	s := web.NewServer(db, nil)
	s.Images = iiif.NewService(&iiif.Files{Dir: filepath.Join(tb.TempDir(), "images")}, 32<<20)
	s.Search = search.NewEngine(db, nil)
	if err := s.Search.Rebuild(context.Background()); err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go s.Search.Run(ctx)
	srv := httptest.NewServer(s)
	tb.Cleanup(func() { cancel(); srv.Close(); db.Close() })
	return srv, db
}

// catchUp brings the search index of srv up to date with its store.
func catchUp(tb testing.TB, srv *httptest.Server) {
	tb.Helper()
	if err := srv.Config.Handler.(*web.Server).Search.CatchUp(context.Background()); err != nil {
		tb.Fatal(err)
	}
}

// mustUser makes a user of inst (and inst, if new) with roles and returns
// the header of a write token of theirs, for do.
func mustUser(t testing.TB, db *sqlite.DB, inst string, roles ...wenyuan.Role) []string {
	t.Helper()
	ctx := context.Background()
	if _, err := db.FindRecord(ctx, wenyuan.KindInstitution, inst); err != nil {
		if err := db.CreateRecord(ctx, &wenyuan.Institution{ID: inst, Names: wenyuan.Names{{Lang: "en", Value: inst}}}); err != nil {
			t.Fatal(err)
		}
	}
	u := &wenyuan.User{Username: inst + "-" + string(roles[0]) + "-" + wenyuan.NewID(), Institution: inst, Roles: roles}
	if err := db.CreateUser(ctx, u, "unused"); err != nil {
		t.Fatal(err)
	}
	_, tok := mustToken(t, db, u.ID, wenyuan.ScopeWrite, "")
	return []string{"Authorization", "Bearer " + tok}
}

// mustToken makes an API token of a user, good for an hour, and returns
// its id and the token.
func mustToken(t testing.TB, db *sqlite.DB, userID string, scope wenyuan.TokenScope, inst string) (id, tok string) {
	t.Helper()
	id = wenyuan.NewID()
	tok = auth.NewToken(id)
	_, secret, _ := auth.ParseToken(tok)
	if err := db.CreateToken(context.Background(), &wenyuan.Token{ID: id, UserID: userID, Name: "test", Scope: scope, Institution: inst, ExpiresAt: time.Now().Add(time.Hour)}, auth.Hash(secret)); err != nil {
		t.Fatal(err)
	}
	return id, tok
}

type response struct {
	status int
	header http.Header
	body   []byte
	url    string // the path answered, after redirects
}

func (r response) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

func do(t testing.TB, srv *httptest.Server, method, path string, body any, headers ...string) response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, b, res.Request.URL.RequestURI()}
}

func mustStatus(t *testing.T, what string, r response, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("%s: status %d, want %d; body %s", what, r.status, want, r.body)
	}
}

// TestOpenAPICoversRoutes fails when a registered route is missing from
// the published OpenAPI document, or the document lists a route that is
// not served.
func TestOpenAPICoversRoutes(t *testing.T) {
	srv, db := MustServer(t)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	do(t, srv, "GET", "/api/v1/openapi.json", nil).json(t, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q, want 3.x", doc.OpenAPI)
	}
	served := map[string]bool{}
	for _, rt := range web.NewServer(db, nil).Routes() {
		method, pattern, _ := strings.Cut(rt, " ")
		path := strings.TrimSuffix(pattern, "{$}")
		served[strings.ToLower(method)+" "+path] = true
		ops, ok := doc.Paths[path]
		if !ok {
			t.Errorf("route %s: path %s is not in openapi.json", rt, path)
			continue
		}
		if _, ok := ops[strings.ToLower(method)]; !ok {
			t.Errorf("route %s: method %s of %s is not in openapi.json", rt, method, path)
		}
	}
	for path, ops := range doc.Paths {
		for m := range ops {
			if m == "parameters" {
				continue
			}
			if !served[m+" "+path] {
				t.Errorf("openapi.json lists %s %s, which the server does not serve", strings.ToUpper(m), path)
			}
		}
	}
}

func TestHealthAndHome(t *testing.T) {
	srv, _ := MustServer(t)
	r := do(t, srv, "GET", "/healthz", nil)
	mustStatus(t, "GET /healthz", r, 200)
	r = do(t, srv, "GET", "/", nil)
	mustStatus(t, "GET /", r, 200)
	if !strings.Contains(r.header.Get("Content-Type"), "text/html") || r.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("GET / headers %v", r.header)
	}
	mustStatus(t, "GET /nosuch", do(t, srv, "GET", "/nosuch", nil), 404)
}

func TestObjectLifecycle(t *testing.T) {
	srv, db := MustServer(t)
	cat := mustUser(t, db, "palace-museum", wenyuan.RoleCataloguer)
	admin := mustUser(t, db, "palace-museum", wenyuan.RoleAdmin)

	obj := map[string]any{
		"institution": "palace-museum", "accession_number": "故-瓷-0001",
		"titles": []map[string]string{{"lang": "zh-Hans", "value": "青花缠枝莲纹碗"}, {"lang": "en", "value": "Bowl with lotus scrolls"}},
		"date":   map[string]any{"display": "明宣德", "earliest": 1426, "latest": 1435, "periods": []string{"ming-xuande"}},
	}
	r := do(t, srv, "POST", "/api/v1/objects", obj, cat...)
	mustStatus(t, "POST object", r, 201)
	var created wenyuan.Object
	r.json(t, &created)
	if created.ID == "" || created.Version != 1 || r.header.Get("Location") != "/api/v1/objects/"+created.ID {
		t.Fatalf("created %+v, Location %q", created, r.header.Get("Location"))
	}
	path := "/api/v1/objects/" + created.ID

	r = do(t, srv, "GET", path, nil)
	mustStatus(t, "GET object", r, 200)
	if r.header.Get("ETag") != `"1"` {
		t.Errorf("ETag %q, want \"1\"", r.header.Get("ETag"))
	}
	mustStatus(t, "GET If-None-Match", do(t, srv, "GET", path, nil, "If-None-Match", `"1"`), 304)

	obj["medium"] = "porcelain with underglaze blue"
	obj["version"] = 1
	r = do(t, srv, "PUT", path, obj, cat...)
	mustStatus(t, "PUT object", r, 200)
	obj["medium"] = "stale edit"
	r = do(t, srv, "PUT", path, obj, cat...)
	mustStatus(t, "PUT stale version", r, 409)
	delete(obj, "version")
	mustStatus(t, "PUT stale If-Match", do(t, srv, "PUT", path, obj, append([]string{"If-Match", `"1"`}, cat...)...), 409)

	var diff web.DiffResult
	r = do(t, srv, "GET", path+"/diff", nil)
	mustStatus(t, "GET diff", r, 200)
	r.json(t, &diff)
	if diff.From != 1 || diff.To != 2 || len(diff.Changes) != 1 || diff.Changes[0].Field != "medium" {
		t.Errorf("diff = %+v, want medium added from 1 to 2", diff)
	}

	mustStatus(t, "DELETE object", do(t, srv, "DELETE", path, nil, cat...), 204)
	mustStatus(t, "GET deleted", do(t, srv, "GET", path, nil), 404)
	var vl struct {
		Versions []web.VersionInfo `json:"versions"`
	}
	r = do(t, srv, "GET", path+"/versions", nil, cat...)
	mustStatus(t, "GET versions of deleted", r, 200)
	r.json(t, &vl)
	if len(vl.Versions) != 3 || vl.Versions[2].Action != "delete" || !strings.HasPrefix(vl.Versions[0].Actor, "palace-museum-cataloguer-") {
		t.Fatalf("versions = %+v", vl.Versions)
	}
	var v1 wenyuan.Version
	r = do(t, srv, "GET", path+"/versions/1", nil, cat...)
	mustStatus(t, "GET version 1", r, 200)
	r.json(t, &v1)
	if !strings.Contains(string(v1.Record), "青花缠枝莲纹碗") {
		t.Errorf("version 1 record %s", v1.Record)
	}
	r = do(t, srv, "POST", path+"/revert", map[string]int{"version": 2}, cat...)
	mustStatus(t, "POST revert", r, 200)
	var back wenyuan.Object
	r.json(t, &back)
	if back.Version != 4 || back.Medium != "porcelain with underglaze blue" {
		t.Errorf("reverted = version %d medium %q", back.Version, back.Medium)
	}
	mustStatus(t, "GET after revert", do(t, srv, "GET", path, nil), 200)

	var audit struct {
		Items []wenyuan.AuditEntry `json:"items"`
	}
	do(t, srv, "GET", "/api/v1/audit?record_id="+created.ID, nil, admin...).json(t, &audit)
	if len(audit.Items) != 4 || audit.Items[0].Action != "revert" {
		t.Errorf("audit = %+v, want 4 entries, newest revert", audit.Items)
	}
}

func TestAuthorities(t *testing.T) {
	srv, db := MustServer(t)
	cat := mustUser(t, db, "u", wenyuan.RoleCataloguer)
	for _, tt := range []struct {
		plural string
		body   map[string]any
	}{
		{"agents", map[string]any{"names": []map[string]string{{"lang": "zh-Hans", "value": "王羲之"}, {"lang": "en", "value": "Wang Xizhi"}}, "born": 303, "died": 361}},
		{"places", map[string]any{"names": []map[string]string{{"lang": "zh-Hans", "value": "景德镇"}}, "latitude": 29.3, "longitude": 117.2}},
		{"concepts", map[string]any{"scheme": "material", "names": []map[string]string{{"lang": "zh-Hans", "value": "绢"}, {"lang": "en", "value": "silk"}}}},
		{"periods", map[string]any{"id": "test-era", "names": []map[string]string{{"lang": "en", "value": "Test era"}}, "start": -206, "end": 9, "parent": "han"}},
	} {
		t.Run(tt.plural, func(t *testing.T) {
			r := do(t, srv, "POST", "/api/v1/"+tt.plural, tt.body, cat...)
			mustStatus(t, "POST", r, 201)
			var got struct {
				ID string `json:"id"`
			}
			r.json(t, &got)
			mustStatus(t, "GET", do(t, srv, "GET", "/api/v1/"+tt.plural+"/"+got.ID, nil), 200)
			var page struct {
				Items []json.RawMessage `json:"items"`
			}
			do(t, srv, "GET", "/api/v1/"+tt.plural+"?limit=1000", nil).json(t, &page)
			found := false
			for _, it := range page.Items {
				found = found || strings.Contains(string(it), `"id":"`+got.ID+`"`) || strings.Contains(string(it), `"id": "`+got.ID+`"`)
			}
			if !found {
				t.Errorf("list of %s lacks %s", tt.plural, got.ID)
			}
		})
	}
	var periods struct {
		Items []wenyuan.Period `json:"items"`
	}
	do(t, srv, "GET", "/api/v1/periods?parent=qing&limit=100", nil).json(t, &periods)
	if len(periods.Items) < 10 {
		t.Errorf("reigns of the Qing: %d, want at least 10", len(periods.Items))
	}
	var named struct {
		Items []wenyuan.Period `json:"items"`
	}
	do(t, srv, "GET", "/api/v1/periods?name=乾隆", nil).json(t, &named)
	if len(named.Items) == 0 || named.Items[0].ID != "qing-qianlong" {
		t.Errorf("periods named 乾隆 = %+v", named.Items)
	}
}

// TestBadInput sends what a careless or hostile client sends: every answer
// is a 4xx problem document naming what is wrong, never a 500.
func TestBadInput(t *testing.T) {
	srv, db := MustServer(t)
	cat := mustUser(t, db, "u", wenyuan.RoleCataloguer, wenyuan.RoleAdmin)
	big := `{"institution":"u","accession_number":"1","titles":[{"lang":"en","value":"` + strings.Repeat("x", 2<<20) + `"}]}`
	tests := []struct {
		name, method, path string
		body               any
		headers            []string
		status             int
		field              string
	}{
		{"malformed JSON", "POST", "/api/v1/objects", `{"institution": "u",`, nil, 400, ""},
		{"not JSON", "POST", "/api/v1/objects", `<xml/>`, nil, 400, ""},
		{"empty body", "POST", "/api/v1/objects", ``, nil, 400, ""},
		{"two values", "POST", "/api/v1/objects", `{} {}`, nil, 400, ""},
		{"unknown field", "POST", "/api/v1/objects", `{"institution":"u","accession_number":"1","titles":[{"lang":"en","value":"x"}],"colour":"blue"}`, nil, 400, "colour"},
		{"wrong type", "POST", "/api/v1/objects", `{"institution":"u","accession_number":1}`, nil, 400, "accession_number"},
		{"validation", "POST", "/api/v1/objects", `{"institution":"u","accession_number":"1","titles":[{"lang":"zh_CN","value":"x"}]}`, nil, 400, "titles[0].lang"},
		{"link to missing", "POST", "/api/v1/objects", `{"institution":"u","accession_number":"1","titles":[{"lang":"en","value":"x"}],"classification":["nosuch"]}`, nil, 400, "classification"},
		{"oversize body", "POST", "/api/v1/objects", big, nil, 413, ""},
		{"wrong content type", "POST", "/api/v1/objects", `{}`, []string{"Content-Type", "text/plain"}, 400, ""},
		{"bad limit", "GET", "/api/v1/objects?limit=abc", nil, nil, 400, "limit"},
		{"limit too big", "GET", "/api/v1/objects?limit=100000", nil, nil, 400, "limit"},
		{"bad year", "GET", "/api/v1/objects?from=tang", nil, nil, 400, "from"},
		{"unknown filter", "GET", "/api/v1/objects?institutoin=u", nil, nil, 400, "institutoin"},
		{"bad cursor", "GET", "/api/v1/objects?cursor=%00%01", nil, nil, 400, "cursor"},
		{"path escape", "GET", "/api/v1/objects/..%2F..%2Fetc%2Fpasswd", nil, nil, 404, ""},
		{"upper-case id", "GET", "/api/v1/objects/ABC", nil, nil, 404, ""},
		{"bad version", "GET", "/api/v1/periods/qing/versions/zero", nil, nil, 400, "version"},
		{"missing version", "GET", "/api/v1/periods/qing/versions/7", nil, nil, 404, ""},
		{"bad diff", "GET", "/api/v1/periods/qing/diff?from=9", nil, nil, 400, "from"},
		{"revert without version", "POST", "/api/v1/periods/qing/revert", `{}`, nil, 400, "version"},
		{"id change", "PUT", "/api/v1/periods/qing", `{"id":"ming","names":[{"lang":"en","value":"x"}],"start":1,"end":2}`, nil, 400, "id"},
		{"delete in use", "DELETE", "/api/v1/periods/qing", nil, nil, 409, ""},
		{"bad audit time", "GET", "/api/v1/audit?since=yesterday", nil, nil, 400, "since"},
		{"method not allowed", "PATCH", "/api/v1/objects", nil, nil, 405, ""},
		{"no such route", "GET", "/api/v2/objects", nil, nil, 404, ""},
		{"unknown audit filter", "GET", "/api/v1/audit?user=x", nil, nil, 400, "user"},
		{"audit limit", "GET", "/api/v1/audit?limit=0", nil, nil, 400, "limit"},
		{"repeated filter", "GET", "/api/v1/objects?institution=u&institution=v", nil, nil, 400, "institution"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, srv, tt.method, tt.path, tt.body, append(append([]string{}, cat...), tt.headers...)...)
			if r.status != tt.status {
				t.Fatalf("%s %s: status %d, want %d; body %.300s", tt.method, tt.path, r.status, tt.status, r.body)
			}
			if tt.status == 405 && r.header.Get("Allow") == "" {
				t.Errorf("405 without Allow")
			}
			if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("Content-Type %q, want application/problem+json; body %.200s", ct, r.body)
			}
			var p web.Problem
			r.json(t, &p)
			if p.Status != tt.status || p.Code == "" || p.Detail == "" {
				t.Errorf("problem = %+v", p)
			}
			if tt.field != "" {
				found := false
				for _, f := range p.Errors {
					found = found || f.Field == tt.field
				}
				if !found {
					t.Errorf("problem errors %+v, want one for %q", p.Errors, tt.field)
				}
			}
		})
	}
}

func TestObjectListFilters(t *testing.T) {
	srv, db := MustServer(t)
	cat := mustUser(t, db, "u", wenyuan.RoleCataloguer)
	for i, d := range []struct {
		e, l   int
		period string
	}{{618, 907, "tang"}, {1736, 1795, "qing-qianlong"}, {-475, -221, "warring-states"}} {
		obj := map[string]any{"institution": "u", "accession_number": string(rune('a' + i)), "titles": []map[string]string{{"lang": "en", "value": "x"}},
			"date": map[string]any{"earliest": d.e, "latest": d.l, "periods": []string{d.period}}}
		mustStatus(t, "POST object", do(t, srv, "POST", "/api/v1/objects", obj, cat...), 201)
	}
	for _, tt := range []struct {
		query string
		want  int
	}{
		{"", 3}, {"?period=qing", 1}, {"?from=-300&to=700", 2}, {"?to=-1", 1}, {"?institution=u&from=1700", 1}, {"?institution=nosuch", 0},
	} {
		var page struct {
			Items []wenyuan.Object `json:"items"`
		}
		r := do(t, srv, "GET", "/api/v1/objects"+tt.query, nil)
		mustStatus(t, tt.query, r, 200)
		r.json(t, &page)
		if len(page.Items) != tt.want {
			t.Errorf("GET /api/v1/objects%s = %d items, want %d", tt.query, len(page.Items), tt.want)
		}
	}
	r := do(t, srv, "GET", "/api/v1/objects?limit=2", nil)
	var page struct {
		Items []wenyuan.Object `json:"items"`
		Next  string           `json:"next"`
	}
	r.json(t, &page)
	if len(page.Items) != 2 || page.Next == "" || !strings.Contains(r.header.Get("Link"), "cursor="+page.Next) {
		t.Fatalf("first page %d items next %q Link %q", len(page.Items), page.Next, r.header.Get("Link"))
	}
	cursor := page.Next
	page.Items, page.Next = nil, ""
	do(t, srv, "GET", "/api/v1/objects?limit=2&cursor="+cursor, nil).json(t, &page)
	if len(page.Items) != 1 || page.Next != "" {
		t.Errorf("second page %d items next %q, want 1 and none", len(page.Items), page.Next)
	}
}
