package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"wenyuan"
)

// CreateUser stores a new user with a password hash.
func (db *DB) CreateUser(ctx context.Context, u *wenyuan.User, passwordHash string) error {
	if u.ID == "" {
		u.ID = wenyuan.NewID()
	}
	if err := u.Validate(); err != nil {
		return err
	}
	return db.within(ctx, func(w *wtx) error {
		if ok, err := w.isLive(wenyuan.KindInstitution, u.Institution); err != nil {
			return err
		} else if !ok {
			return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "invalid user", Fields: []wenyuan.FieldError{{Field: "institution", Message: "no institution " + u.Institution}}}
		}
		u.CreatedAt = fromNanos(w.now)
		err := w.exec(`INSERT INTO users (id, username, name, institution, roles, disabled, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			u.ID, u.Username, u.Name, u.Institution, wenyuan.JoinRoles(u.Roles), u.Disabled, passwordHash, w.now)
		if wenyuan.ErrorCode(err) == wenyuan.ECONFLICT {
			return &wenyuan.Error{Code: wenyuan.ECONFLICT, Message: "user name taken", Fields: []wenyuan.FieldError{{Field: "username", Message: "is already in use"}}}
		}
		if err != nil {
			return err
		}
		return w.event(&wenyuan.AuditEntry{Action: "user.create", Institution: u.Institution, Detail: u.Username + " " + wenyuan.JoinRoles(u.Roles)})
	})
}

// UpdateUser changes a user's name, roles and disabled flag.
func (db *DB) UpdateUser(ctx context.Context, u *wenyuan.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return db.within(ctx, func(w *wtx) error {
		res, err := w.tx.ExecContext(w.ctx, `UPDATE users SET name = ?, roles = ?, disabled = ? WHERE id = ?`, u.Name, wenyuan.JoinRoles(u.Roles), u.Disabled, u.ID)
		if err != nil {
			return translate(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return wenyuan.Errorf(wenyuan.ENOTFOUND, "no user %s", u.ID)
		}
		if u.Disabled {
			if err := w.exec(`DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
				return err
			}
			if err := w.exec(`UPDATE tokens SET revoked = 1 WHERE user_id = ?`, u.ID); err != nil {
				return err
			}
		}
		detail := u.Username + " " + wenyuan.JoinRoles(u.Roles)
		if u.Disabled {
			detail += " disabled"
		}
		return w.event(&wenyuan.AuditEntry{Action: "user.update", Institution: u.Institution, Detail: detail})
	})
}

// SetPasswordHash replaces a user's password and ends their sessions.
func (db *DB) SetPasswordHash(ctx context.Context, userID, hash string) error {
	return db.within(ctx, func(w *wtx) error {
		res, err := w.tx.ExecContext(w.ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID)
		if err != nil {
			return translate(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return wenyuan.Errorf(wenyuan.ENOTFOUND, "no user %s", userID)
		}
		if err := w.exec(`DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
			return err
		}
		// A new password is often a response to a leak: the old keys go too.
		if err := w.exec(`UPDATE tokens SET revoked = 1 WHERE user_id = ?`, userID); err != nil {
			return err
		}
		return w.event(&wenyuan.AuditEntry{Action: "user.password", Detail: userID})
	})
}

const userCols = `id, username, name, institution, roles, disabled, created_at, password_hash`

func scanUser(row interface{ Scan(...any) error }) (*wenyuan.User, string, error) {
	var u wenyuan.User
	var roles, hash string
	var created int64
	err := row.Scan(&u.ID, &u.Username, &u.Name, &u.Institution, &roles, &u.Disabled, &created, &hash)
	if err != nil {
		return nil, "", err
	}
	u.Roles, u.CreatedAt = wenyuan.SplitRoles(roles), fromNanos(created)
	return &u, hash, nil
}

// FindUserByID returns a user.
func (db *DB) FindUserByID(ctx context.Context, id string) (*wenyuan.User, error) {
	u, _, err := scanUser(db.queryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, wenyuan.Errorf(wenyuan.ENOTFOUND, "no user %s", id)
	}
	return u, translate(err)
}

// FindUserByUsername returns a user and their password hash.
func (db *DB) FindUserByUsername(ctx context.Context, username string) (*wenyuan.User, string, error) {
	u, hash, err := scanUser(db.queryRow(ctx, `SELECT `+userCols+` FROM users WHERE username = ?`, username))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", wenyuan.Errorf(wenyuan.ENOTFOUND, "no user %q", username)
	}
	return u, hash, translate(err)
}

// FindUsers lists the users of an institution, or all if institution is "".
func (db *DB) FindUsers(ctx context.Context, institution string) ([]*wenyuan.User, error) {
	rows, err := db.query(ctx, `SELECT `+userCols+` FROM users WHERE ? = '' OR institution = ? ORDER BY username`, institution, institution)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []*wenyuan.User
	for rows.Next() {
		u, _, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CreateSession stores a session under the hash of its secret.
func (db *DB) CreateSession(ctx context.Context, idHash string, s *wenyuan.Session) error {
	return db.within(ctx, func(w *wtx) error {
		// Expired sessions go as new ones come.
		if err := w.exec(`DELETE FROM sessions WHERE expires_at < ?`, w.now); err != nil {
			return err
		}
		return w.exec(`INSERT INTO sessions (id_hash, user_id, csrf, expires_at) VALUES (?, ?, ?, ?)`, idHash, s.UserID, s.CSRF, s.ExpiresAt.UnixNano())
	})
}

// FindSession returns a live session by the hash of its secret.
func (db *DB) FindSession(ctx context.Context, idHash string) (*wenyuan.Session, error) {
	var s wenyuan.Session
	var exp int64
	err := db.queryRow(ctx, `SELECT user_id, csrf, expires_at FROM sessions WHERE id_hash = ?`, idHash).Scan(&s.UserID, &s.CSRF, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, wenyuan.Errorf(wenyuan.EUNAUTHORIZED, "no such session")
	} else if err != nil {
		return nil, translate(err)
	}
	s.ExpiresAt = fromNanos(exp)
	if !s.ExpiresAt.After(db.Now()) {
		return nil, wenyuan.Errorf(wenyuan.EUNAUTHORIZED, "the session has expired; sign in again")
	}
	return &s, nil
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, idHash string) error {
	return db.within(ctx, func(w *wtx) error { return w.exec(`DELETE FROM sessions WHERE id_hash = ?`, idHash) })
}

// DeleteUserSessions ends every session of a user.
func (db *DB) DeleteUserSessions(ctx context.Context, userID string) error {
	return db.within(ctx, func(w *wtx) error { return w.exec(`DELETE FROM sessions WHERE user_id = ?`, userID) })
}

// CreateToken stores a token under the hash of its secret.
func (db *DB) CreateToken(ctx context.Context, t *wenyuan.Token, secretHash string) error {
	return db.within(ctx, func(w *wtx) error {
		t.CreatedAt = fromNanos(w.now)
		if err := w.exec(`INSERT INTO tokens (id, user_id, name, scope, institution, secret_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			t.ID, t.UserID, t.Name, string(t.Scope), t.Institution, secretHash, t.ExpiresAt.UnixNano(), w.now); err != nil {
			return err
		}
		return w.event(&wenyuan.AuditEntry{Action: "token.create", Detail: t.ID + " " + string(t.Scope) + " " + t.Institution})
	})
}

const tokenCols = `id, user_id, name, scope, institution, expires_at, revoked, created_at, last_used_at, secret_hash`

func scanToken(row interface{ Scan(...any) error }) (*wenyuan.Token, string, error) {
	var t wenyuan.Token
	var scope, hash string
	var exp, created, used int64
	if err := row.Scan(&t.ID, &t.UserID, &t.Name, &scope, &t.Institution, &exp, &t.Revoked, &created, &used, &hash); err != nil {
		return nil, "", err
	}
	t.Scope, t.ExpiresAt, t.CreatedAt = wenyuan.TokenScope(scope), fromNanos(exp), fromNanos(created)
	if used != 0 {
		t.LastUsedAt = fromNanos(used)
	}
	return &t, hash, nil
}

// FindToken returns a token and its secret's hash.
func (db *DB) FindToken(ctx context.Context, id string) (*wenyuan.Token, string, error) {
	t, hash, err := scanToken(db.queryRow(ctx, `SELECT `+tokenCols+` FROM tokens WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", wenyuan.Errorf(wenyuan.EUNAUTHORIZED, "no such token")
	}
	return t, hash, translate(err)
}

// FindTokens lists a user's tokens.
func (db *DB) FindTokens(ctx context.Context, userID string) ([]*wenyuan.Token, error) {
	rows, err := db.query(ctx, `SELECT `+tokenCols+` FROM tokens WHERE user_id = ? ORDER BY created_at`, userID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []*wenyuan.Token
	for rows.Next() {
		t, _, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes a token for good.
func (db *DB) RevokeToken(ctx context.Context, id string) error {
	return db.within(ctx, func(w *wtx) error {
		res, err := w.tx.ExecContext(w.ctx, `UPDATE tokens SET revoked = 1 WHERE id = ?`, id)
		if err != nil {
			return translate(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return wenyuan.Errorf(wenyuan.ENOTFOUND, "no token %s", id)
		}
		return w.event(&wenyuan.AuditEntry{Action: "token.revoke", Detail: id})
	})
}

// TouchToken records a token's use.
func (db *DB) TouchToken(ctx context.Context, id string, at time.Time) error {
	return db.within(ctx, func(w *wtx) error {
		return w.exec(`UPDATE tokens SET last_used_at = ? WHERE id = ?`, at.UnixNano(), id)
	})
}

// Audit records an event that is not a record write.
func (db *DB) Audit(ctx context.Context, e *wenyuan.AuditEntry) error {
	return db.within(ctx, func(w *wtx) error { return w.event(e) })
}

// event appends e to the audit log, filling in time, actor and address
// from the transaction where e leaves them empty.
func (w *wtx) event(e *wenyuan.AuditEntry) error {
	at := w.now
	if !e.At.IsZero() {
		at = e.At.UnixNano()
	}
	actor, addr, outcome := e.Actor, e.Address, e.Outcome
	if actor == "" {
		actor = w.actor
	}
	if addr == "" {
		addr = w.address
	}
	if outcome == "" {
		outcome = "ok"
	}
	if e.Institution == "" {
		e.Institution = wenyuan.PrincipalFrom(w.ctx).Institution
	}
	return w.exec(`INSERT INTO audit (at, actor, institution, address, action, kind, record_id, version, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		at, actor, e.Institution, addr, e.Action, string(e.Kind), e.RecordID, e.Version, outcome, e.Detail)
}
