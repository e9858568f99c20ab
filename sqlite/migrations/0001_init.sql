-- Every record of every kind, current version only. Deleted records keep
-- their row (deleted = 1) so that ids are never reused and history stays
-- reachable; their links and names are removed.
CREATE TABLE records (
	seq         INTEGER PRIMARY KEY,
	kind        TEXT    NOT NULL,
	id          TEXT    NOT NULL,
	version     INTEGER NOT NULL,
	deleted     INTEGER NOT NULL DEFAULT 0,
	institution TEXT,    -- objects: owner
	accession   TEXT,    -- objects: accession number
	parent      TEXT,    -- places, periods: parent; concepts: broader; objects: part_of
	scheme      TEXT,    -- concepts: vocabulary
	earliest    INTEGER, -- objects: production date; periods: start
	latest      INTEGER, -- objects: production date; periods: end
	visibility  TEXT,
	created_at  INTEGER NOT NULL, -- unix nanoseconds
	created_by  TEXT    NOT NULL DEFAULT '',
	updated_at  INTEGER NOT NULL,
	doc         TEXT    NOT NULL  -- the record as JSON, without version and times
);
CREATE UNIQUE INDEX records_kind_id ON records (kind, id);
CREATE UNIQUE INDEX records_accession ON records (institution, accession) WHERE kind = 'object' AND deleted = 0;
CREATE INDEX records_parent ON records (kind, parent) WHERE parent IS NOT NULL;
CREATE INDEX records_institution ON records (institution, seq) WHERE kind = 'object' AND deleted = 0;

-- References between live records, by field: what points at a record (to
-- refuse its deletion, to filter objects by a linked authority). A record's
-- own links are read from its doc. Objects' institutions are in records.
CREATE TABLE links (
	dst_kind TEXT NOT NULL,
	dst_id   TEXT NOT NULL,
	rel      TEXT NOT NULL,
	src_kind TEXT NOT NULL,
	src_id   TEXT NOT NULL,
	PRIMARY KEY (dst_kind, dst_id, rel, src_kind, src_id)
) WITHOUT ROWID;

-- Names of live authority records, folded (wenyuan.NormName), for lookup.
CREATE TABLE names (
	kind   TEXT NOT NULL,
	scheme TEXT NOT NULL DEFAULT '',
	norm   TEXT NOT NULL,
	id     TEXT NOT NULL
);
CREATE INDEX names_lookup ON names (kind, scheme, norm);
CREATE INDEX names_id ON names (kind, id);

-- Every version of every record, including deletions. doc is NULL while
-- a version's content is the record's current doc; it is filled in when
-- the record changes. Version 1 of a record that has never changed has no
-- row: records.created_at and created_by say who made it when, and its doc
-- is the record's. So a bulk import writes each new record once.
CREATE TABLE versions (
	kind    TEXT    NOT NULL,
	id      TEXT    NOT NULL,
	version INTEGER NOT NULL,
	action  TEXT    NOT NULL,
	actor   TEXT    NOT NULL,
	at      INTEGER NOT NULL,
	doc     TEXT,
	PRIMARY KEY (kind, id, version)
) WITHOUT ROWID;

CREATE TABLE audit (
	seq         INTEGER PRIMARY KEY,
	at          INTEGER NOT NULL,
	actor       TEXT    NOT NULL,
	institution TEXT    NOT NULL DEFAULT '', -- whose entry it is: the record's owner, or the actor's
	address     TEXT    NOT NULL DEFAULT '',
	action      TEXT    NOT NULL,
	kind      TEXT    NOT NULL DEFAULT '',
	record_id TEXT    NOT NULL DEFAULT '',
	version   INTEGER NOT NULL DEFAULT 0,
	outcome   TEXT    NOT NULL DEFAULT 'ok',
	detail    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_record ON audit (kind, record_id);
CREATE INDEX audit_actor ON audit (actor, seq);
CREATE INDEX audit_institution ON audit (institution, seq);
