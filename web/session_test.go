package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"wenyuan"
	"wenyuan/auth"
	"wenyuan/web"
)

// signIn signs in through the API and returns the session cookie's header
// value and the CSRF token.
func signIn(t *testing.T, srvURL string, do func(method, path string, body any, headers ...string) response, user, password string) (cookie, csrf string, r response) {
	t.Helper()
	r = do("POST", "/api/v1/session", map[string]string{"username": user, "password": password})
	if r.status != 200 {
		return "", "", r
	}
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "wenyuan_session" {
			if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteStrictMode {
				t.Errorf("session cookie %+v: want HttpOnly, Secure, SameSite=Strict", c)
			}
			cookie = c.Name + "=" + c.Value
		}
	}
	var info web.SessionInfo
	r.json(t, &info)
	return cookie, info.CSRFToken, r
}

func TestSessions(t *testing.T) {
	srv, db := MustServer(t)
	ctx := context.Background()
	db.CreateRecord(ctx, &wenyuan.Institution{ID: "own", Names: wenyuan.Names{{Lang: "en", Value: "Own"}}})
	hash, _ := auth.HashPassword("a long enough password")
	u := &wenyuan.User{Username: "reg", Institution: "own", Roles: []wenyuan.Role{wenyuan.RoleCataloguer}}
	if err := db.CreateUser(ctx, u, hash); err != nil {
		t.Fatal(err)
	}
	d := func(method, path string, body any, headers ...string) response {
		return do(t, srv, method, path, body, headers...)
	}
	obj := map[string]any{"institution": "own", "accession_number": "1", "titles": []map[string]string{{"lang": "en", "value": "x"}}}

	cookie, csrf, r := signIn(t, srv.URL, d, "reg", "a long enough password")
	if r.status != 200 || cookie == "" || csrf == "" {
		t.Fatalf("sign-in = %d %s", r.status, r.body)
	}
	if r := d("GET", "/api/v1/session", nil, "Cookie", cookie); r.status != 200 {
		t.Fatalf("GET session = %d", r.status)
	}
	// A write riding on the cookie alone is forged: refused.
	if r := d("POST", "/api/v1/objects", obj, "Cookie", cookie); r.status != 403 {
		t.Errorf("write without CSRF token = %d, want 403", r.status)
	}
	if r := d("POST", "/api/v1/objects", obj, "Cookie", cookie, "X-CSRF-Token", "wrong"); r.status != 403 {
		t.Errorf("write with a wrong CSRF token = %d, want 403", r.status)
	}
	if r := d("POST", "/api/v1/objects", obj, "Cookie", cookie, "X-CSRF-Token", csrf, "Origin", "http://evil.example"); r.status != 403 {
		t.Errorf("write from another origin = %d, want 403", r.status)
	}
	if r := d("POST", "/api/v1/objects", obj, "Cookie", cookie, "X-CSRF-Token", csrf); r.status != 201 {
		t.Fatalf("write with CSRF token = %d %s", r.status, r.body)
	}
	// Signing out ends the session on the server: the old cookie is dead.
	if r := d("DELETE", "/api/v1/session", nil, "Cookie", cookie, "X-CSRF-Token", csrf); r.status != 204 {
		t.Fatalf("sign out = %d", r.status)
	}
	if r := d("GET", "/api/v1/session", nil, "Cookie", cookie); r.status != 401 {
		t.Errorf("GET session after sign-out = %d, want 401", r.status)
	}
	// Sessions expire.
	cookie, _, _ = signIn(t, srv.URL, d, "reg", "a long enough password")
	db.Now = func() time.Time { return time.Now().Add(13 * time.Hour) }
	if r := d("GET", "/api/v1/session", nil, "Cookie", cookie); r.status != 401 {
		t.Errorf("GET session 13 h later = %d, want 401", r.status)
	}
	db.Now = time.Now
	// A disabled user's sessions end, and they cannot sign in.
	cookie, _, _ = signIn(t, srv.URL, d, "reg", "a long enough password")
	u.Disabled = true
	if err := db.UpdateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if r := d("GET", "/api/v1/session", nil, "Cookie", cookie); r.status != 401 {
		t.Errorf("GET session of a disabled user = %d, want 401", r.status)
	}
	if _, _, r := signIn(t, srv.URL, d, "reg", "a long enough password"); r.status != 401 {
		t.Errorf("disabled user's sign-in = %d, want 401", r.status)
	}
	// The audit log has the sign-ins, the failure and the forged write.
	es, _, _ := db.FindAudit(ctx, wenyuan.AuditFilter{Institution: "own", Limit: 1000})
	var actions []string
	for _, e := range es {
		actions = append(actions, e.Action+":"+e.Outcome)
	}
	for _, want := range []string{"signin:ok", "signin:failed", "csrf:denied", "signout:ok", "create:ok"} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("audit lacks %s: %v", want, actions)
		}
	}
}

func TestLockout(t *testing.T) {
	srv, db := MustServer(t)
	ctx := context.Background()
	db.CreateRecord(ctx, &wenyuan.Institution{ID: "own", Names: wenyuan.Names{{Lang: "en", Value: "Own"}}})
	hash, _ := auth.HashPassword("the right password")
	for _, name := range []string{"victim", "bystander"} {
		if err := db.CreateUser(ctx, &wenyuan.User{Username: name, Institution: "own", Roles: []wenyuan.Role{wenyuan.RoleStudent}}, hash); err != nil {
			t.Fatal(err)
		}
	}
	d := func(method, path string, body any, headers ...string) response {
		return do(t, srv, method, path, body, headers...)
	}
	for i := range 5 {
		if _, _, r := signIn(t, srv.URL, d, "victim", "guess "+string(rune('a'+i))+" wrong!"); r.status != 401 {
			t.Fatalf("wrong password %d = %d", i, r.status)
		}
	}
	_, _, r := signIn(t, srv.URL, d, "victim", "the right password")
	if r.status != 429 || r.header.Get("Retry-After") == "" {
		t.Errorf("right password while locked = %d (Retry-After %q), want 429", r.status, r.header.Get("Retry-After"))
	}
	if _, _, r := signIn(t, srv.URL, d, "bystander", "the right password"); r.status != 200 {
		t.Errorf("another user while one is locked = %d, want 200", r.status)
	}
}

func TestTokens(t *testing.T) {
	srv, db := MustServer(t)
	ctx := context.Background()
	db.CreateRecord(ctx, &wenyuan.Institution{ID: "own", Names: wenyuan.Names{{Lang: "en", Value: "Own"}}})
	hash, _ := auth.HashPassword("a long enough password")
	if err := db.CreateUser(ctx, &wenyuan.User{Username: "reg", Institution: "own", Roles: []wenyuan.Role{wenyuan.RoleCataloguer}}, hash); err != nil {
		t.Fatal(err)
	}
	d := func(method, path string, body any, headers ...string) response {
		return do(t, srv, method, path, body, headers...)
	}
	cookie, csrf, _ := signIn(t, srv.URL, d, "reg", "a long enough password")
	mk := func(scope string, days int) string {
		r := d("POST", "/api/v1/tokens", map[string]any{"name": "script", "scope": scope, "expires_in_days": days}, "Cookie", cookie, "X-CSRF-Token", csrf)
		if r.status != 201 {
			t.Fatalf("make token = %d %s", r.status, r.body)
		}
		var out web.NewTokenResponse
		r.json(t, &out)
		return out.Token
	}
	write, read := mk("write", 30), mk("read", 30)
	obj := func(acc string) map[string]any {
		return map[string]any{"institution": "own", "accession_number": acc, "visibility": "internal", "titles": []map[string]string{{"lang": "en", "value": "x"}}}
	}
	if r := d("POST", "/api/v1/objects", obj("1"), "Authorization", "Bearer "+write); r.status != 201 {
		t.Errorf("write token writes = %d", r.status)
	}
	if r := d("POST", "/api/v1/objects", obj("2"), "Authorization", "Bearer "+read); r.status != 403 {
		t.Errorf("read token writes = %d, want 403", r.status)
	}
	var page struct {
		Items []wenyuan.Object `json:"items"`
	}
	d("GET", "/api/v1/objects", nil, "Authorization", "Bearer "+read).json(t, &page)
	if len(page.Items) != 1 {
		t.Errorf("read token sees %d internal objects of its institution, want 1", len(page.Items))
	}
	// The list never shows a secret, and a revoked token is dead.
	r := d("GET", "/api/v1/tokens", nil, "Cookie", cookie)
	if strings.Contains(string(r.body), strings.SplitN(write, "_", 3)[2]) {
		t.Error("token list shows a secret")
	}
	id := strings.Split(write, "_")[1]
	if r := d("DELETE", "/api/v1/tokens/"+id, nil, "Cookie", cookie, "X-CSRF-Token", csrf); r.status != 204 {
		t.Fatalf("revoke = %d", r.status)
	}
	if r := d("GET", "/api/v1/objects", nil, "Authorization", "Bearer "+write); r.status != 401 {
		t.Errorf("revoked token = %d, want 401", r.status)
	}
	for _, bad := range []string{"Bearer wy_nosuch_" + strings.Repeat("a", 43), "Bearer " + read + "x", "Basic abc", "Bearer "} {
		if r := d("GET", "/api/v1/objects", nil, "Authorization", bad); r.status != 401 {
			t.Errorf("Authorization %q = %d, want 401", bad, r.status)
		}
	}
	// Tokens expire.
	short := mk("read", 1)
	s := web.NewServer(db, nil)
	s.Now = func() time.Time { return time.Now().Add(48 * time.Hour) }
	req, _ := http.NewRequest("GET", "/api/v1/objects", nil)
	req.Header.Set("Authorization", "Bearer "+short)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 401 {
		t.Errorf("expired token = %d, want 401", rec.Code)
	}
}
