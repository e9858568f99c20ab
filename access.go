package wenyuan

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Role is what a user may do in their institution.
type Role string

// The roles. A request without a user is anonymous: the public.
const (
	RoleAdmin       Role = "admin"       // manages users, institution records and the audit log
	RoleCataloguer  Role = "cataloguer"  // creates and edits the institution's records and shared authorities
	RoleConservator Role = "conservator" // condition, treatment and monitoring (later issues)
	RoleCurator     Role = "curator"     // exhibitions and loans (later issues)
	RoleResearcher  Role = "researcher"
	RoleStudent     Role = "student"
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleCataloguer, RoleConservator, RoleCurator, RoleResearcher, RoleStudent}

// IsValid reports whether r is one of Roles.
func (r Role) IsValid() bool { return slices.Contains(Roles, r) }

// JoinRoles writes roles as "admin,cataloguer".
func JoinRoles(rs []Role) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return strings.Join(out, ",")
}

// SplitRoles reads what JoinRoles writes; it does not check the roles.
func SplitRoles(s string) []Role {
	var out []Role
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, Role(f))
		}
	}
	return out
}

// Principal is who makes a request: a signed-in user, a user's API token,
// or nobody (the public). The zero value is anonymous.
type Principal struct {
	UserID      string
	Username    string
	Institution string
	Roles       []Role
	// TokenID is set when the request came with an API token; Scope and
	// ScopeInstitution then narrow what the user's roles allow.
	TokenID          string
	Scope            TokenScope
	ScopeInstitution string
}

// Anonymous is the public.
var Anonymous = &Principal{}

// IsSignedIn reports whether p is a user (or a user's token).
func (p *Principal) IsSignedIn() bool { return p != nil && p.UserID != "" }

// Has reports whether p holds role.
func (p *Principal) Has(role Role) bool { return p != nil && slices.Contains(p.Roles, role) }

// Name is how p appears in the audit log.
func (p *Principal) Name() string {
	switch {
	case !p.IsSignedIn():
		return "anonymous"
	case p.TokenID != "":
		return p.Username + " (token " + p.TokenID + ")"
	}
	return p.Username
}

type principalKey struct{}

// WithPrincipal returns a context for requests made by p; writes in it are
// recorded as p's.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return WithActor(context.WithValue(ctx, principalKey{}, p), p.Name())
}

// PrincipalFrom returns the principal in ctx, or Anonymous.
func PrincipalFrom(ctx context.Context) *Principal {
	if p, ok := ctx.Value(principalKey{}).(*Principal); ok && p != nil {
		return p
	}
	return Anonymous
}

// Action is what a principal wants to do with a record.
type Action string

// The actions the policy decides.
const (
	ActionRead   Action = "read"
	ActionWrite  Action = "write"  // create, update, delete, revert
	ActionManage Action = "manage" // users and the audit log of an institution
)

// Target is what the policy needs to know of a record: its kind, owner
// and visibility. Authorities and institutions have no owner and are
// public.
type Target struct {
	Kind        Kind
	Institution string
	Visibility  Visibility
}

// TargetOf returns the policy's view of r.
func TargetOf(r Record) Target {
	switch r := r.(type) {
	case *Object:
		return Target{Kind: KindObject, Institution: r.Institution, Visibility: r.Visibility}
	case *Image:
		return Target{Kind: KindImage, Institution: r.Institution, Visibility: r.Visibility}
	case *Institution:
		return Target{Kind: KindInstitution, Institution: r.ID, Visibility: VisibilityPublic}
	}
	return Target{Kind: r.RecordKind(), Visibility: VisibilityPublic}
}

// Can is the one policy: it decides every read and write of every record by
// role × the principal's institution × the record's institution × the
// record's visibility. Every read path (records, lists, history, and every
// output derived from records) and every write goes through it, or, for
// lists, through ReadScopeOf, which says the same in a form a query can use.
//
//   - Public records are read by everyone; consortium records by any
//     signed-in partner user; internal records only by users of the owner
//     institution.
//   - Objects and their images are written by the owner institution's admins and
//     cataloguers. Shared authorities (agents, places, periods, concepts)
//     are written by any institution's admins and cataloguers. An
//     institution's own record is written by its admins.
//   - An institution's users and audit log are managed by its admins.
//   - A token reads as its user does; it writes only with the write scope,
//     and only its institution's records if it names one.
func Can(p *Principal, a Action, t Target) bool {
	if p == nil {
		p = Anonymous
	}
	switch a {
	case ActionRead:
		return ReadScopeOf(p).Allows(t)
	case ActionManage:
		return p.IsSignedIn() && p.Has(RoleAdmin) && p.Institution == t.Institution && tokenAllows(p, true, t.Institution)
	case ActionWrite:
		if !p.IsSignedIn() || !tokenAllows(p, true, t.Institution) {
			return false
		}
		switch t.Kind {
		case KindObject, KindImage:
			return p.Institution == t.Institution && (p.Has(RoleAdmin) || p.Has(RoleCataloguer))
		case KindInstitution:
			return p.Institution == t.Institution && p.Has(RoleAdmin)
		case KindAgent, KindPlace, KindPeriod, KindConcept:
			return p.Has(RoleAdmin) || p.Has(RoleCataloguer)
		}
	}
	return false
}

func tokenAllows(p *Principal, write bool, institution string) bool {
	if p.TokenID == "" {
		return true
	}
	if write && p.Scope != ScopeWrite {
		return false
	}
	return !write || p.ScopeInstitution == "" || institution == "" || p.ScopeInstitution == institution
}

// ReadScope is what a principal may read, as a filter a store applies
// inside its queries, so that pages stay full and counts stay true.
type ReadScope struct {
	Consortium  bool   // consortium records of every institution
	Institution string // internal records of this institution too
}

// ReadScopeOf returns what p may read.
func ReadScopeOf(p *Principal) ReadScope {
	if !p.IsSignedIn() {
		return ReadScope{}
	}
	return ReadScope{Consortium: true, Institution: p.Institution}
}

// Allows reports whether the scope lets t be read.
func (s ReadScope) Allows(t Target) bool {
	switch t.Visibility {
	case VisibilityPublic, "":
		return true
	case VisibilityConsortium:
		return s.Consortium || (s.Institution != "" && s.Institution == t.Institution)
	case VisibilityInternal:
		return s.Institution != "" && s.Institution == t.Institution
	}
	return false
}

// Visibilities lists the visibilities the scope reads in every institution;
// internal records of Institution come on top.
func (s ReadScope) Visibilities() []Visibility {
	if s.Consortium {
		return []Visibility{VisibilityPublic, VisibilityConsortium}
	}
	return []Visibility{VisibilityPublic}
}

// TokenScope is what an API token may do.
type TokenScope string

// The token scopes.
const (
	ScopeRead  TokenScope = "read"
	ScopeWrite TokenScope = "write"
)

// User is a person who signs in. Users belong to one institution.
type User struct {
	ID          string    `json:"id"`
	Username    string    `json:"username"`
	Name        string    `json:"name,omitempty"`
	Institution string    `json:"institution"`
	Roles       []Role    `json:"roles"`
	Disabled    bool      `json:"disabled"`
	CreatedAt   time.Time `json:"created_at,omitzero"`
}

// Principal returns the principal of u signed in.
func (u *User) Principal() *Principal {
	return &Principal{UserID: u.ID, Username: u.Username, Institution: u.Institution, Roles: u.Roles}
}

// Validate checks the user's fields.
func (u *User) Validate() error {
	var v Validator
	if !IsValidUsername(u.Username) {
		v.Addf("username", "%q is not a user name: 2 to 64 lower-case letters, digits, '.', '_' or '-'", u.Username)
	}
	if !IsValidID(u.Institution) {
		v.Add("institution", "is required")
	}
	if len(u.Roles) == 0 {
		v.Add("roles", "at least one role is required")
	}
	for i, r := range u.Roles {
		if !r.IsValid() {
			v.Addf("roles["+strconv.Itoa(i)+"]", "%q is not a role (admin, cataloguer, conservator, curator, researcher, student)", r)
		}
	}
	return v.Err("user")
}

// IsValidUsername reports whether s may be a user name.
func IsValidUsername(s string) bool {
	return len(s) >= 2 && IsValidID(s)
}

// Token is an API token: created by a user, scoped, expiring, revocable.
// Its secret is shown once, when it is made, and stored only as a hash.
type Token struct {
	ID          string     `json:"id"`
	UserID      string     `json:"user_id"`
	Name        string     `json:"name"`
	Scope       TokenScope `json:"scope"`
	Institution string     `json:"institution,omitempty"` // only this institution's records, if set
	ExpiresAt   time.Time  `json:"expires_at"`
	Revoked     bool       `json:"revoked"`
	CreatedAt   time.Time  `json:"created_at"`
	LastUsedAt  time.Time  `json:"last_used_at,omitzero"`
}

// Session is a signed-in browser session.
type Session struct {
	UserID    string
	CSRF      string // the token a state-changing request must echo
	ExpiresAt time.Time
}

// AccessService keeps users, sessions and tokens. Secrets reach it only as
// hashes.
type AccessService interface {
	CreateUser(ctx context.Context, u *User, passwordHash string) error
	UpdateUser(ctx context.Context, u *User) error
	SetPasswordHash(ctx context.Context, userID, passwordHash string) error
	FindUserByID(ctx context.Context, id string) (*User, error)
	// FindUserByUsername returns the user and their password hash.
	FindUserByUsername(ctx context.Context, username string) (*User, string, error)
	FindUsers(ctx context.Context, institution string) ([]*User, error)

	CreateSession(ctx context.Context, idHash string, s *Session) error
	FindSession(ctx context.Context, idHash string) (*Session, error)
	DeleteSession(ctx context.Context, idHash string) error
	// DeleteUserSessions ends every session of a user (disabled, new password).
	DeleteUserSessions(ctx context.Context, userID string) error

	CreateToken(ctx context.Context, t *Token, secretHash string) error
	// FindToken returns a token and its secret's hash.
	FindToken(ctx context.Context, id string) (*Token, string, error)
	FindTokens(ctx context.Context, userID string) ([]*Token, error)
	RevokeToken(ctx context.Context, id string) error
	TouchToken(ctx context.Context, id string, at time.Time) error

	// Audit records an event that is not a record write: a sign-in, a
	// failed sign-in, a denial, a token's use.
	Audit(ctx context.Context, e *AuditEntry) error
}
