package web

import (
	"context"
	"fmt"
	"mime"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"wenyuan"
	"wenyuan/auth"
)

// Session cookie and lifetime.
const (
	sessionCookie   = "wenyuan_session"
	sessionLifetime = 12 * time.Hour
	csrfHeader      = "X-CSRF-Token"
)

// Sign-in throttling: after maxFailures failed sign-ins for one user name
// within failureWindow, that name is locked for lockFor; one address may
// try at most perAddress sign-ins a minute.
const (
	maxFailures   = 5
	failureWindow = 15 * time.Minute
	lockFor       = 15 * time.Minute
	perAddress    = 20
)

// guard keeps the sign-in throttling state and when each token's use was
// last written to the audit log.
type guard struct {
	mu        sync.Mutex
	failures  map[string][]time.Time // user name → recent failures
	locked    map[string]time.Time   // user name → locked until
	attempts  map[string][]time.Time // address → sign-ins in the last minute
	tokenSeen map[string]time.Time
}

func newGuard() *guard {
	return &guard{failures: map[string][]time.Time{}, locked: map[string]time.Time{}, attempts: map[string][]time.Time{}, tokenSeen: map[string]time.Time{}}
}

func recent(ts []time.Time, now time.Time, d time.Duration) []time.Time {
	out := ts[:0]
	for _, t := range ts {
		if now.Sub(t) < d {
			out = append(out, t)
		}
	}
	return out
}

// allow reports whether a sign-in for name from addr may be tried now, and
// if not, for how long to wait.
func (g *guard) allow(name, addr string, now time.Time) (bool, time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if until, ok := g.locked[name]; ok && now.Before(until) {
		return false, until.Sub(now)
	}
	g.attempts[addr] = append(recent(g.attempts[addr], now, time.Minute), now)
	if len(g.attempts[addr]) > perAddress {
		return false, time.Minute
	}
	// Every attempt counts as a failure until it succeeds, so that
	// attempts sent all at once cannot slip past the count while their
	// passwords are being checked.
	g.failures[name] = append(recent(g.failures[name], now, failureWindow), now)
	if len(g.failures[name]) > maxFailures {
		g.locked[name] = now.Add(lockFor)
		delete(g.failures, name)
		return false, lockFor
	}
	return true, 0
}

// failed reports whether a failed sign-in has locked the name.
func (g *guard) failed(name string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.failures[name]) >= maxFailures {
		g.locked[name] = now.Add(lockFor)
		delete(g.failures, name)
		return true
	}
	return false
}

func (g *guard) succeeded(name string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.failures, name)
}

// tokenUse reports whether a token's use should be audited now: at most
// once an hour per token.
func (g *guard) tokenUse(id string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if last, ok := g.tokenSeen[id]; ok && now.Sub(last) < time.Hour {
		return false
	}
	g.tokenSeen[id] = now
	return true
}

// clientAddress is the request's client IP address.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// authenticate finds who makes r: a bearer token, a session cookie, or
// nobody. A bad token is an error (the client meant to sign in); a bad or
// expired cookie is just anonymous. It returns the session too, for the
// CSRF check.
func (s *Server) authenticate(r *http.Request) (*wenyuan.Principal, *wenyuan.Session, error) {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			return nil, nil, wenyuan.Errorf(wenyuan.EUNAUTHORIZED, "the Authorization header must be Bearer <token>")
		}
		p, err := s.tokenPrincipal(ctx, strings.TrimSpace(tok))
		if err != nil {
			s.audit(ctx, r, &wenyuan.AuditEntry{Action: "token.use", Outcome: "failed", Detail: wenyuan.ErrorMessage(err)})
			return nil, nil, err
		}
		if s.guard.tokenUse(p.TokenID, s.now()) {
			s.Store.TouchToken(ctx, p.TokenID, s.now())
			s.audit(wenyuan.WithPrincipal(ctx, p), r, &wenyuan.AuditEntry{Action: "token.use", Detail: p.TokenID})
		}
		return p, nil, nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return wenyuan.Anonymous, nil, nil
	}
	sess, err := s.Store.FindSession(ctx, auth.Hash(c.Value))
	if err != nil {
		return wenyuan.Anonymous, nil, nil
	}
	u, err := s.Store.FindUserByID(ctx, sess.UserID)
	if err != nil || u.Disabled {
		return wenyuan.Anonymous, nil, nil
	}
	return u.Principal(), sess, nil
}

func (s *Server) tokenPrincipal(ctx context.Context, tok string) (*wenyuan.Principal, error) {
	bad := wenyuan.Errorf(wenyuan.EUNAUTHORIZED, "the API token is not valid: unknown, revoked or expired")
	id, secret, err := auth.ParseToken(tok)
	if err != nil {
		return nil, bad
	}
	t, hash, err := s.Store.FindToken(ctx, id)
	if err != nil {
		auth.Equal(hash, auth.Hash(secret)) // as long as a real check
		return nil, bad
	}
	if !auth.Equal(hash, auth.Hash(secret)) || t.Revoked || !t.ExpiresAt.After(s.now()) {
		return nil, bad
	}
	u, err := s.Store.FindUserByID(ctx, t.UserID)
	if err != nil || u.Disabled {
		return nil, bad
	}
	p := u.Principal()
	p.TokenID, p.Scope, p.ScopeInstitution = t.ID, t.Scope, t.Institution
	return p, nil
}

// checkCSRF refuses a state-changing request that rides on a session
// cookie without proving it comes from Wenyuan's own pages: the API's
// callers echo the session's CSRF token in a header; the console's forms
// send it as the csrf_token field. Either way a request another site
// sends is refused.
func checkCSRF(r *http.Request, sess *wenyuan.Session) error {
	switch r.Method {
	case "GET", "HEAD", "OPTIONS":
		return nil
	}
	if r.URL.Path == "/signin" {
		// The sign-in form needs no session, but another site must not
		// sign a browser into its own account (login CSRF).
		return sameSite(r)
	}
	if sess == nil {
		return nil // no cookie: nothing ambient to ride on
	}
	if o := r.Header.Get("Origin"); o != "" && o != "http://"+r.Host && o != "https://"+r.Host {
		return wenyuan.Errorf(wenyuan.EFORBIDDEN, "request from another site (Origin %s) refused", o)
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return wenyuan.Errorf(wenyuan.EFORBIDDEN, "request from another site (Sec-Fetch-Site %s) refused", site)
	}
	if h := r.Header.Get(csrfHeader); h != "" || strings.HasPrefix(r.URL.Path, "/api/") {
		if !auth.Equal(h, sess.CSRF) {
			return wenyuan.Errorf(wenyuan.EFORBIDDEN, "missing or wrong %s header: send the csrf_token that GET /api/v1/session gives", csrfHeader)
		}
		return nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/x-www-form-urlencoded":
		r.Body = http.MaxBytesReader(nil, r.Body, 1<<20)
		if err := r.ParseForm(); err != nil {
			return wenyuan.Errorf(wenyuan.EINVALID, "the form could not be read: %s", err)
		}
		if !auth.Equal(r.PostForm.Get("csrf_token"), sess.CSRF) {
			return wenyuan.Errorf(wenyuan.EFORBIDDEN, "the form is stale or not from this site: reload the page and send it again")
		}
		return nil
	case "multipart/form-data":
		// A file upload is streamed, so its token cannot be read first:
		// the browser's own word that it comes from this site must do.
		if r.Header.Get("Origin") == "" && r.Header.Get("Sec-Fetch-Site") != "same-origin" {
			return wenyuan.Errorf(wenyuan.EFORBIDDEN, "an upload without an Origin header from this site is refused")
		}
		return nil
	}
	return wenyuan.Errorf(wenyuan.EFORBIDDEN, "missing %s header or csrf_token field", csrfHeader)
}

// sameSite refuses a request a browser says comes from another site.
func sameSite(r *http.Request) error {
	if o := r.Header.Get("Origin"); o != "" && o != "http://"+r.Host && o != "https://"+r.Host {
		return wenyuan.Errorf(wenyuan.EFORBIDDEN, "request from another site (Origin %s) refused", o)
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return wenyuan.Errorf(wenyuan.EFORBIDDEN, "request from another site (Sec-Fetch-Site %s) refused", site)
	}
	return nil
}

// deny answers a request the policy refused: 401 for the public (sign in
// first), 403 for a user; either way the denial is audited.
func (s *Server) deny(ctx context.Context, r *http.Request, what string, t wenyuan.Target, id string) error {
	p := wenyuan.PrincipalFrom(ctx)
	inst := t.Institution
	if inst == "" {
		inst = p.Institution
	}
	s.audit(ctx, r, &wenyuan.AuditEntry{Action: what, Outcome: "denied", Kind: t.Kind, RecordID: id, Institution: inst, Detail: r.Method + " " + r.URL.Path})
	if !p.IsSignedIn() {
		return wenyuan.Errorf(wenyuan.EUNAUTHORIZED, "sign in first")
	}
	return wenyuan.Errorf(wenyuan.EFORBIDDEN, "%s may not %s this %s", p.Username, what, t.Kind)
}

// notVisible answers a read of a record the principal may not see exactly
// as if it did not exist, so that ids of internal records leak nothing.
func (s *Server) notVisible(ctx context.Context, r *http.Request, t wenyuan.Target, id string) error {
	s.audit(ctx, r, &wenyuan.AuditEntry{Action: "read", Outcome: "denied", Kind: t.Kind, RecordID: id, Institution: t.Institution, Detail: r.Method + " " + r.URL.Path})
	return wenyuan.Errorf(wenyuan.ENOTFOUND, "no %s with id %q", t.Kind, id)
}

func (s *Server) audit(ctx context.Context, r *http.Request, e *wenyuan.AuditEntry) {
	if e.Address == "" {
		e.Address = clientAddress(r)
	}
	if err := s.Store.Audit(ctx, e); err != nil {
		s.Logger.Error("audit", "action", e.Action, "err", err)
	}
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// SignIn is the body of POST /api/v1/session.
type SignIn struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// SessionInfo is who is signed in, and the token that state-changing
// requests must send in the X-CSRF-Token header.
type SessionInfo struct {
	User      *wenyuan.User `json:"user"`
	CSRFToken string        `json:"csrf_token"`
	ExpiresAt time.Time     `json:"expires_at"`
}

func (s *Server) handleSignIn(w http.ResponseWriter, r *http.Request) error {
	var in SignIn
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	u, sess, err := s.signIn(w, r, in.Username, in.Password)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, SessionInfo{User: u, CSRFToken: sess.CSRF, ExpiresAt: sess.ExpiresAt})
}

// signIn checks a user name and password, with throttling and an audit
// entry either way, and on success starts a session and sets its cookie.
// The API and the sign-in page both sign in through it.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, username, password string) (*wenyuan.User, *wenyuan.Session, error) {
	ctx := r.Context()
	name := strings.ToLower(strings.TrimSpace(username))
	now := s.now()
	if ok, wait := s.guard.allow(name, clientAddress(r), now); !ok {
		s.audit(ctx, r, &wenyuan.AuditEntry{Actor: name, Action: "signin", Outcome: "denied", Detail: "locked out or rate-limited"})
		w.Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())+1))
		return nil, nil, wenyuan.Errorf("too_many_requests", "too many sign-in attempts; try again in %s", wait.Round(time.Second))
	}
	u, hash, err := s.Store.FindUserByUsername(ctx, name)
	if err != nil && wenyuan.ErrorCode(err) != wenyuan.ENOTFOUND {
		return nil, nil, err
	}
	if u == nil {
		auth.DummyCheck(password)
	}
	if u == nil || !auth.CheckPassword(hash, password) || u.Disabled {
		locked := s.guard.failed(name, now)
		detail := "wrong user name or password"
		if locked {
			detail += "; locked for " + lockFor.String()
		}
		inst := ""
		if u != nil {
			inst = u.Institution // their admins see attempts on their accounts
		}
		s.audit(ctx, r, &wenyuan.AuditEntry{Actor: name, Action: "signin", Outcome: "failed", Institution: inst, Detail: detail})
		return nil, nil, wenyuan.Errorf(wenyuan.EUNAUTHORIZED, "wrong user name or password")
	}
	s.guard.succeeded(name)
	secret := auth.NewSecret()
	sess := &wenyuan.Session{UserID: u.ID, CSRF: auth.NewSecret(), ExpiresAt: now.Add(sessionLifetime)}
	if err := s.Store.CreateSession(ctx, auth.Hash(secret), sess); err != nil {
		return nil, nil, err
	}
	s.audit(wenyuan.WithPrincipal(ctx, u.Principal()), r, &wenyuan.AuditEntry{Action: "signin", Institution: u.Institution})
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", Expires: sess.ExpiresAt, MaxAge: int(sessionLifetime.Seconds()),
		Secure: s.secureCookie(r), HttpOnly: true, SameSite: http.SameSiteStrictMode})
	return u, sess, nil
}

func (s *Server) handleSession(w http.ResponseWriter, r *http.Request) error {
	p := wenyuan.PrincipalFrom(r.Context())
	sess := sessionFrom(r.Context())
	if !p.IsSignedIn() || sess == nil {
		return wenyuan.Errorf(wenyuan.EUNAUTHORIZED, "not signed in")
	}
	u, err := s.Store.FindUserByID(r.Context(), p.UserID)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, SessionInfo{User: u, CSRFToken: sess.CSRF, ExpiresAt: sess.ExpiresAt})
}

func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request) error {
	if err := s.signOut(w, r); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// signOut ends the request's session, if any, and clears its cookie.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.Store.DeleteSession(r.Context(), auth.Hash(c.Value)); err != nil {
			return err
		}
		s.audit(r.Context(), r, &wenyuan.AuditEntry{Action: "signout"})
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, Secure: s.secureCookie(r), HttpOnly: true, SameSite: http.SameSiteStrictMode})
	return nil
}

// secureCookie reports whether the session cookie is marked Secure: always,
// but for plain HTTP to a host other than this machine, where a browser
// would drop a Secure cookie and nobody could sign in (a registrar trying
// Wenyuan over a local network). Behind TLS, or with an https public URL,
// it is Secure.
func (s *Server) secureCookie(r *http.Request) bool {
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") || strings.HasPrefix(s.PublicURL, "https://") {
		return true
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

type sessionKey struct{}

func sessionFrom(ctx context.Context) *wenyuan.Session {
	s, _ := ctx.Value(sessionKey{}).(*wenyuan.Session)
	return s
}

// NewTokenRequest is the body of POST /api/v1/tokens.
type NewTokenRequest struct {
	Name          string             `json:"name"`
	Scope         wenyuan.TokenScope `json:"scope"`
	Institution   string             `json:"institution,omitempty"`
	ExpiresInDays int                `json:"expires_in_days,omitempty"`
}

// NewTokenResponse carries the token's secret, shown this once.
type NewTokenResponse struct {
	Token  string         `json:"token"`
	Detail *wenyuan.Token `json:"detail"`
}

func (s *Server) handleCreateToken(w http.ResponseWriter, r *http.Request) error {
	p := wenyuan.PrincipalFrom(r.Context())
	if !p.IsSignedIn() {
		return s.deny(r.Context(), r, "create a token", wenyuan.Target{}, "")
	}
	if p.TokenID != "" {
		return wenyuan.Errorf(wenyuan.EFORBIDDEN, "a token cannot make tokens; sign in to make one")
	}
	var in NewTokenRequest
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	var v wenyuan.Validator
	if strings.TrimSpace(in.Name) == "" || len(in.Name) > 100 {
		v.Add("name", "is required: what the token is for (at most 100 characters)")
	}
	if in.Scope != wenyuan.ScopeRead && in.Scope != wenyuan.ScopeWrite {
		v.Addf("scope", "%q is not read or write", in.Scope)
	}
	if in.Institution != "" && in.Institution != p.Institution {
		v.Add("institution", "a token can only be narrowed to your own institution")
	}
	if in.ExpiresInDays == 0 {
		in.ExpiresInDays = 90
	}
	if in.ExpiresInDays < 1 || in.ExpiresInDays > 366 {
		v.Add("expires_in_days", "must be between 1 and 366")
	}
	if err := v.Err("token"); err != nil {
		return err
	}
	id := wenyuan.NewID()
	tok := auth.NewToken(id)
	_, secret, _ := auth.ParseToken(tok)
	t := &wenyuan.Token{ID: id, UserID: p.UserID, Name: strings.TrimSpace(in.Name), Scope: in.Scope, Institution: in.Institution, ExpiresAt: s.now().Add(time.Duration(in.ExpiresInDays) * 24 * time.Hour)}
	if err := s.Store.CreateToken(r.Context(), t, auth.Hash(secret)); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusCreated, NewTokenResponse{Token: tok, Detail: t})
}

func (s *Server) handleListTokens(w http.ResponseWriter, r *http.Request) error {
	p := wenyuan.PrincipalFrom(r.Context())
	if !p.IsSignedIn() {
		return s.deny(r.Context(), r, "list tokens", wenyuan.Target{}, "")
	}
	ts, err := s.Store.FindTokens(r.Context(), p.UserID)
	if err != nil {
		return err
	}
	if ts == nil {
		ts = []*wenyuan.Token{}
	}
	return writeJSON(w, http.StatusOK, struct {
		Items []*wenyuan.Token `json:"items"`
	}{ts})
}

func (s *Server) handleRevokeToken(w http.ResponseWriter, r *http.Request) error {
	p := wenyuan.PrincipalFrom(r.Context())
	if p.TokenID != "" && p.Scope != wenyuan.ScopeWrite {
		return s.deny(r.Context(), r, "revoke tokens", wenyuan.Target{}, "")
	}
	id := r.PathValue("id")
	t, _, err := s.Store.FindToken(r.Context(), id)
	if err != nil {
		return wenyuan.Errorf(wenyuan.ENOTFOUND, "no token %s", id)
	}
	if t.UserID != p.UserID {
		owner, err := s.Store.FindUserByID(r.Context(), t.UserID)
		if err != nil || !wenyuan.Can(p, wenyuan.ActionManage, wenyuan.Target{Institution: owner.Institution}) {
			if !p.IsSignedIn() {
				return s.deny(r.Context(), r, "revoke tokens", wenyuan.Target{}, "")
			}
			return wenyuan.Errorf(wenyuan.ENOTFOUND, "no token %s", id)
		}
	}
	if err := s.Store.RevokeToken(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// NewUser is the body of POST /api/v1/users.
type NewUser struct {
	Username string         `json:"username"`
	Name     string         `json:"name,omitempty"`
	Roles    []wenyuan.Role `json:"roles"`
	Password string         `json:"password"`
}

func (s *Server) handleListUsers(w http.ResponseWriter, r *http.Request) error {
	p := wenyuan.PrincipalFrom(r.Context())
	if !wenyuan.Can(p, wenyuan.ActionManage, wenyuan.Target{Institution: p.Institution}) {
		return s.deny(r.Context(), r, "manage users", wenyuan.Target{Institution: p.Institution}, "")
	}
	us, err := s.Store.FindUsers(r.Context(), p.Institution)
	if err != nil {
		return err
	}
	if us == nil {
		us = []*wenyuan.User{}
	}
	return writeJSON(w, http.StatusOK, struct {
		Items []*wenyuan.User `json:"items"`
	}{us})
}

func (s *Server) handleCreateUser(w http.ResponseWriter, r *http.Request) error {
	p := wenyuan.PrincipalFrom(r.Context())
	if !wenyuan.Can(p, wenyuan.ActionManage, wenyuan.Target{Institution: p.Institution}) {
		return s.deny(r.Context(), r, "manage users", wenyuan.Target{Institution: p.Institution}, "")
	}
	var in NewUser
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	u := &wenyuan.User{Username: strings.ToLower(strings.TrimSpace(in.Username)), Name: in.Name, Institution: p.Institution, Roles: in.Roles}
	if err := u.Validate(); err != nil {
		return err
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "invalid user", Fields: []wenyuan.FieldError{{Field: "password", Message: err.Error()}}}
	}
	if err := s.Store.CreateUser(r.Context(), u, hash); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, u)
}

// UserUpdate is the body of PUT /api/v1/users/{id}; a field left out
// keeps its value.
type UserUpdate struct {
	Name     *string        `json:"name,omitempty"`
	Roles    []wenyuan.Role `json:"roles,omitempty"`
	Disabled *bool          `json:"disabled,omitempty"`
	Password string         `json:"password,omitempty"`
}

func (s *Server) handleUpdateUser(w http.ResponseWriter, r *http.Request) error {
	p := wenyuan.PrincipalFrom(r.Context())
	u, err := s.Store.FindUserByID(r.Context(), r.PathValue("id"))
	if err != nil {
		if !p.IsSignedIn() {
			return s.deny(r.Context(), r, "manage users", wenyuan.Target{}, "")
		}
		return err
	}
	if !wenyuan.Can(p, wenyuan.ActionManage, wenyuan.Target{Institution: u.Institution}) {
		return s.deny(r.Context(), r, "manage users", wenyuan.Target{Institution: u.Institution}, "")
	}
	var in UserUpdate
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.Name != nil {
		u.Name = *in.Name
	}
	if in.Roles != nil {
		u.Roles = in.Roles
	}
	if in.Disabled != nil {
		u.Disabled = *in.Disabled
	}
	if err := s.Store.UpdateUser(r.Context(), u); err != nil {
		return err
	}
	if in.Password != "" {
		hash, err := auth.HashPassword(in.Password)
		if err != nil {
			return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "invalid user", Fields: []wenyuan.FieldError{{Field: "password", Message: err.Error()}}}
		}
		if err := s.Store.SetPasswordHash(r.Context(), u.ID, hash); err != nil {
			return err
		}
	}
	return writeJSON(w, http.StatusOK, u)
}
