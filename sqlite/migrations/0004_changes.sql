-- The change feed that derived data (the search index) follows: every
-- write of a record gives it the next rev, so "records with rev > n" is
-- everything changed since n, each record once, in the order of its last
-- change. Deleted records keep their row, so deletions are in it too.
ALTER TABLE records ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
UPDATE records SET rev = seq;
CREATE INDEX records_rev ON records (rev);

-- Facts about this store. store_id tells an index built from this store
-- from one built from another (or from a copy restored over it).
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('store_id', lower(hex(randomblob(16))));
