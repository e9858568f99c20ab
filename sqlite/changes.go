package sqlite

import (
	"context"

	"wenyuan"
)

var _ wenyuan.ChangeFeed = (*DB)(nil)

// Changes returns the records written after rev, in order of revision.
func (db *DB) Changes(ctx context.Context, after int64, limit int) ([]wenyuan.Written, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, err := db.query(ctx, `SELECT rev, kind, id, deleted, version, created_at, updated_at, coalesce(institution, ''), coalesce(visibility, ''), doc FROM records WHERE rev > ? ORDER BY rev LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []wenyuan.Written
	for rows.Next() {
		var c wenyuan.Written
		var kind, vis string
		var created, updated int64
		var doc []byte
		if err := rows.Scan(&c.Rev, &kind, &c.Record.ID, &c.Deleted, &c.Record.Meta.Version, &created, &updated, &c.Record.Institution, &vis, &doc); err != nil {
			return nil, translate(err)
		}
		c.Record.Kind = wenyuan.Kind(kind)
		if !c.Deleted {
			c.Record.Meta.CreatedAt, c.Record.Meta.UpdatedAt = fromNanos(created), fromNanos(updated)
			c.Record.Visibility = wenyuan.Visibility(vis)
			c.Record.Doc = doc
		}
		out = append(out, c)
	}
	return out, translate(rows.Err())
}

// StoreID returns the id the store was given when it was created.
func (db *DB) StoreID(ctx context.Context) (string, error) {
	var id string
	if err := db.queryRow(ctx, `SELECT value FROM meta WHERE key = 'store_id'`).Scan(&id); err != nil {
		return "", translate(err)
	}
	return id, nil
}

// LastRev returns the revision of the latest write.
func (db *DB) LastRev(ctx context.Context) (int64, error) {
	var rev int64
	if err := db.queryRow(ctx, `SELECT coalesce(max(rev), 0) FROM records`).Scan(&rev); err != nil {
		return 0, translate(err)
	}
	return rev, nil
}
