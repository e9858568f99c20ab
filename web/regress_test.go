package web_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"wenyuan"
	"wenyuan/auth"
	"wenyuan/web"
)

// TestAccessRegressions holds the holes a security review found, closed.
func TestAccessRegressions(t *testing.T) {
	srv, db := MustServer(t)
	ctx := context.Background()
	cat := mustUser(t, db, "own", wenyuan.RoleCataloguer)
	admin := mustUser(t, db, "own", wenyuan.RoleAdmin)
	otherCat := mustUser(t, db, "other", wenyuan.RoleCataloguer)
	d := func(method, path string, body any, headers ...string) response {
		return do(t, srv, method, path, body, headers...)
	}
	obj := map[string]any{"institution": "own", "accession_number": "1", "visibility": "public", "titles": []map[string]string{{"lang": "en", "value": "x"}}}
	r := d("POST", "/api/v1/objects", obj, cat...)
	var o wenyuan.Object
	r.json(t, &o)

	t.Run("withdrawn record takes its history", func(t *testing.T) {
		obj["visibility"], obj["version"] = "internal", 1
		mustStatus(t, "withdraw", d("PUT", "/api/v1/objects/"+o.ID, obj, cat...), 200)
		for _, path := range []string{"/versions", "/versions/1", "/diff?from=1&to=1"} {
			if r := d("GET", "/api/v1/objects/"+o.ID+path, nil); r.status != 404 {
				t.Errorf("anonymous GET %s of a withdrawn record = %d, want 404", path, r.status)
			}
		}
	})
	t.Run("PUT without visibility keeps it", func(t *testing.T) {
		b := map[string]any{"institution": "own", "accession_number": "1", "titles": []map[string]string{{"lang": "en", "value": "y"}}}
		mustStatus(t, "PUT", d("PUT", "/api/v1/objects/"+o.ID, b, cat...), 200)
		if r := d("GET", "/api/v1/objects/"+o.ID, nil); r.status != 404 {
			t.Errorf("after a PUT without visibility the internal record is public: %d", r.status)
		}
	})
	t.Run("no probing of hidden ids", func(t *testing.T) {
		b := map[string]any{"id": o.ID, "institution": "other", "accession_number": "9", "titles": []map[string]string{{"lang": "en", "value": "x"}}}
		if r := d("POST", "/api/v1/objects", b, otherCat...); r.status != 400 {
			t.Errorf("POST with a chosen id = %d, want 400", r.status)
		}
		delete(b, "id")
		b["part_of"] = o.ID
		r := d("POST", "/api/v1/objects", b, otherCat...)
		r2 := d("POST", "/api/v1/objects", map[string]any{"institution": "other", "accession_number": "10", "part_of": "nosuchid00000", "titles": []map[string]string{{"lang": "en", "value": "x"}}}, otherCat...)
		if r.status != 400 || r2.status != 400 || strings.Replace(string(r.body), o.ID, "X", 1) != strings.Replace(string(r2.body), "nosuchid00000", "X", 1) {
			t.Errorf("part_of a hidden object = %d %s; of a missing one = %d %s: want the same 400", r.status, r.body, r2.status, r2.body)
		}
	})
	t.Run("responses are private", func(t *testing.T) {
		r := d("GET", "/api/v1/objects/"+o.ID, nil, cat...)
		if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "private") || !strings.Contains(r.header.Get("Vary"), "Authorization") {
			t.Errorf("Cache-Control %q Vary %q", cc, r.header.Get("Vary"))
		}
	})
	t.Run("sign-in needs a JSON content type", func(t *testing.T) {
		if r := d("POST", "/api/v1/session", `{"username":"a","password":"b"}`, "Content-Type", ""); r.status != 400 {
			t.Errorf("sign-in without Content-Type = %d, want 400", r.status)
		}
	})
	t.Run("failed writes are audited", func(t *testing.T) {
		d("DELETE", "/api/v1/institutions/own", nil, admin...) // refused: it has objects
		es, _, _ := db.FindAudit(ctx, wenyuan.AuditFilter{Institution: "own", Action: "delete"})
		found := false
		for _, e := range es {
			found = found || (e.Outcome == "failed" && strings.Contains(e.Detail, "/api/v1/institutions/own"))
		}
		if !found {
			t.Errorf("refused delete not in the audit log: %+v", es)
		}
	})

	// Tokens: a read token revokes nothing; a new password revokes them all.
	hash, _ := auth.HashPassword("a long enough password")
	u := &wenyuan.User{Username: "scripter", Institution: "own", Roles: []wenyuan.Role{wenyuan.RoleCataloguer}}
	db.CreateUser(ctx, u, hash)
	wid, wtok := mustToken(t, db, u.ID, wenyuan.ScopeWrite, "")
	_, rtok := mustToken(t, db, u.ID, wenyuan.ScopeRead, "")
	if r := d("DELETE", "/api/v1/tokens/"+wid, nil, "Authorization", "Bearer "+rtok); r.status != 401 && r.status != 403 {
		t.Errorf("read token revoking = %d, want denied", r.status)
	}
	hash2, _ := auth.HashPassword("another long password")
	if err := db.SetPasswordHash(ctx, u.ID, hash2); err != nil {
		t.Fatal(err)
	}
	if r := d("GET", "/api/v1/tokens", nil, "Authorization", "Bearer "+wtok); r.status != 401 {
		t.Errorf("token after a password reset = %d, want 401", r.status)
	}
}

// TestLockoutRace sends wrong passwords all at once: no more than the
// allowed number are checked before the name locks.
func TestLockoutRace(t *testing.T) {
	srv, db := MustServer(t)
	ctx := context.Background()
	db.CreateRecord(ctx, &wenyuan.Institution{ID: "own", Names: wenyuan.Names{{Lang: "en", Value: "Own"}}})
	hash, _ := auth.HashPassword("the right password")
	db.CreateUser(ctx, &wenyuan.User{Username: "target", Institution: "own", Roles: []wenyuan.Role{wenyuan.RoleStudent}}, hash)
	var mu sync.Mutex
	checked := 0
	var wg sync.WaitGroup
	for i := range 18 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := do(t, srv, "POST", "/api/v1/session", map[string]string{"username": "target", "password": "wrong guess " + string(rune('a'+i))})
			if r.status == 401 {
				mu.Lock()
				checked++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if checked > 5 {
		t.Errorf("%d passwords were checked before the lock, want at most 5", checked)
	}
	_ = web.SessionInfo{}
}
