package web_test

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"wenyuan"
	"wenyuan/web"
)

// FuzzRequest sends arbitrary paths, query strings, headers and bodies to
// the server, anonymous and as a cataloguer: no answer is a 500 and none
// panics.
func FuzzRequest(f *testing.F) {
	for _, seed := range []struct{ method, target, auth, body string }{
		{"GET", "/api/v1/objects?limit=abc&from=tang", "", ""},
		{"GET", "/api/v1/objects?cursor=%00%01&period=qing", "", ""},
		{"POST", "/api/v1/objects", "cat", `{"institution":"u","accession_number":"1","titles":[{"lang":"en","value":"x"}]}`},
		{"PUT", "/api/v1/periods/qing", "cat", `{"names":[{"lang":"zh_CN","value":""}],"start":0}`},
		{"GET", "/api/v1/objects/..%2F..%2Fetc", "", ""},
		{"POST", "/api/v1/session", "", `{"username":"x","password":"y"}`},
		{"GET", "/api/v1/audit?since=2026-01-01T00:00:00Z&limit=0", "cat", ""},
		{"DELETE", "/api/v1/tokens/wy_", "Bearer wy_abc_def", ""},
		{"GET", "/api/v1/periods/qing/diff?from=-1&to=99999999999999999999", "", ""},
	} {
		f.Add(seed.method, seed.target, seed.auth, seed.body)
	}
	srv, db := MustServer(f)
	srv.Close()
	cat := mustUser(f, db, "u", wenyuan.RoleCataloguer, wenyuan.RoleAdmin)
	s := web.NewServer(db, nil)
	f.Fuzz(func(t *testing.T, method, target, authz, body string) {
		if !strings.HasPrefix(target, "/") || strings.ContainsAny(target, " \r\n\t#") || len(target) > 2000 {
			return
		}
		if _, err := url.ParseRequestURI(target); err != nil {
			return // net/http refuses such a request line before any handler
		}
		switch method {
		case "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD":
		default:
			return
		}
		req := httptest.NewRequest(method, "http://wenyuan.test"+target, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		switch {
		case authz == "cat":
			req.Header.Set(cat[0], cat[1])
		case authz != "" && !strings.ContainsAny(authz, "\r\n"):
			req.Header.Set("Authorization", authz)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s (%q) = %d: %s", method, target, body, rec.Code, rec.Body.String())
		}
	})
}
