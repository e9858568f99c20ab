-- Users, their sessions and API tokens. Secrets are kept only as hashes.
CREATE TABLE users (
	id            TEXT    PRIMARY KEY,
	username      TEXT    NOT NULL UNIQUE,
	name          TEXT    NOT NULL DEFAULT '',
	institution   TEXT    NOT NULL,
	roles         TEXT    NOT NULL, -- comma-separated (wenyuan.JoinRoles)
	disabled      INTEGER NOT NULL DEFAULT 0,
	password_hash TEXT    NOT NULL,
	created_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
	id_hash    TEXT    PRIMARY KEY, -- SHA-256 of the cookie's secret
	user_id    TEXT    NOT NULL,
	csrf       TEXT    NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE tokens (
	id           TEXT    PRIMARY KEY,
	user_id      TEXT    NOT NULL,
	name         TEXT    NOT NULL,
	scope        TEXT    NOT NULL,
	institution  TEXT    NOT NULL DEFAULT '',
	secret_hash  TEXT    NOT NULL, -- SHA-256 of the secret
	expires_at   INTEGER NOT NULL,
	revoked      INTEGER NOT NULL DEFAULT 0,
	created_at   INTEGER NOT NULL,
	last_used_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tokens_user ON tokens (user_id);
