package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"wenyuan"
)

var _ wenyuan.HarvestService = (*DB)(nil)

// An object is in a harvest if it is public, or was public in one of its
// versions (then it is a tombstone when it is not now), or changed after
// the harvest's mark (then its state at the mark decides, in Go).
const everPublic = `(r.visibility = 'public' AND r.deleted = 0)
	OR EXISTS (SELECT 1 FROM versions v WHERE v.kind = 'object' AND v.id = r.id AND json_extract(coalesce(v.doc, r.doc), '$.visibility') = 'public')`

// MarkHarvest takes the mark a new harvest reads at. It takes it holding
// the write lock, so that no write is under way: a write is stamped when
// it begins and seen when it commits, and one that began before the mark
// and committed after it would be neither in this harvest (its state then
// was the old one) nor in the next (its stamp is before this one's mark).
// A harvest that begins during a long import waits for it.
func (db *DB) MarkHarvest(ctx context.Context) (wenyuan.HarvestMark, error) {
	var m wenyuan.HarvestMark
	if db.write == nil { // a snapshot: nothing writes in it
		m.At = db.Now().UTC()
		err := db.queryRow(ctx, `SELECT coalesce(max(seq), 0), coalesce(max(rev), 0) FROM records`).Scan(&m.Seq, &m.Rev)
		return m, translate(err)
	}
	err := db.within(ctx, func(w *wtx) error {
		m.At = db.Now().UTC()
		return translate(w.tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0), coalesce(max(rev), 0) FROM records`).Scan(&m.Seq, &m.Rev))
	})
	return m, err
}

// harvestWhere is the WHERE clause of f, and its arguments. The sets are
// checked here on live public objects; a tombstone's sets are those of
// its last public content, checked in Go (inHarvest), as are objects
// changed since the mark.
func harvestWhere(f wenyuan.HarvestFilter) (string, []any) {
	var dates []string
	var dateArgs []any
	if f.From != nil {
		dates = append(dates, `r.updated_at >= ?`)
		dateArgs = append(dateArgs, nanos(f.From.Truncate(time.Second)))
	}
	if f.Until != nil {
		dates = append(dates, `r.updated_at < ?`)
		dateArgs = append(dateArgs, nanos(f.Until.Truncate(time.Second).Add(time.Second)))
	}
	live := []string{`r.visibility = 'public' AND r.deleted = 0`}
	var liveArgs []any
	if f.Institution != "" {
		live = append(live, `r.institution = ?`)
		liveArgs = append(liveArgs, f.Institution)
	}
	if f.Classification != "" {
		live = append(live, `EXISTS (SELECT 1 FROM json_each(r.doc, '$.classification') c WHERE c.value = ?)`)
		liveArgs = append(liveArgs, f.Classification)
	}
	gone := []string{`NOT (r.visibility = 'public' AND r.deleted = 0)`,
		`EXISTS (SELECT 1 FROM versions v WHERE v.kind = 'object' AND v.id = r.id AND json_extract(coalesce(v.doc, r.doc), '$.visibility') = 'public')`}
	where := `r.kind = 'object' AND r.seq > ? AND r.seq <= ? AND (r.rev > ? OR ((` + strings.Join(append(live, dates...), " AND ") + `) OR (` + strings.Join(append(gone, dates...), " AND ") + `)))`
	args := []any{f.After, f.Mark.Seq, f.Mark.Rev}
	args = append(append(append(args, liveArgs...), dateArgs...), dateArgs...)
	return where, args
}

// nanos is t in Unix nanoseconds, held to what an int64 holds (years
// 1678 to 2262): a harvester may ask from year 1 until year 9999.
func nanos(t time.Time) int64 {
	switch {
	case t.Before(time.Unix(0, math.MinInt64)):
		return math.MinInt64
	case t.After(time.Unix(0, math.MaxInt64)):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// Harvest returns the next page of f in the order objects were created.
func (db *DB) Harvest(ctx context.Context, f wenyuan.HarvestFilter) ([]wenyuan.HarvestItem, int64, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	if f.Limit > 1000 {
		f.Limit = 1000
	}
	where, args := harvestWhere(f)
	rows, err := db.query(ctx, `SELECT r.seq, r.id, r.rev, r.deleted, coalesce(r.visibility, ''), r.updated_at, r.doc FROM records r WHERE `+where+` ORDER BY r.seq LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, 0, translate(err)
	}
	type cand struct {
		seq, rev, updated int64
		id, vis           string
		deleted           bool
		doc               []byte
	}
	var cands []cand
	for rows.Next() {
		var c cand
		if err := rows.Scan(&c.seq, &c.id, &c.rev, &c.deleted, &c.vis, &c.updated, &c.doc); err != nil {
			rows.Close()
			return nil, 0, translate(err)
		}
		cands = append(cands, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, translate(err)
	}
	next := f.After
	var out []wenyuan.HarvestItem
	for _, c := range cands {
		next = c.seq
		var it *wenyuan.HarvestItem
		if c.rev <= f.Mark.Rev {
			it, err = db.itemNow(ctx, c.seq, c.id, c.deleted, c.vis, c.updated, c.doc)
			if it != nil && it.Deleted && !inHarvest(it, f) {
				it = nil // a tombstone is in the sets of its last public content
			}
		} else {
			it, err = db.itemAt(ctx, c.seq, c.id, f.Mark.At, c.deleted || c.vis != string(wenyuan.VisibilityPublic))
			if it != nil && !inHarvest(it, f) {
				it = nil
			}
		}
		if err != nil {
			return nil, 0, err
		}
		if it != nil {
			out = append(out, *it)
		}
	}
	if len(cands) == 0 {
		next = 0
	}
	return out, next, nil
}

// inHarvest checks the filter on an item read at the mark (the query
// checked the object as it is now).
func inHarvest(it *wenyuan.HarvestItem, f wenyuan.HarvestFilter) bool {
	o := it.Object
	if f.Institution != "" && (o == nil || o.Institution != f.Institution) {
		return false
	}
	if f.Classification != "" {
		if o == nil || !slices.Contains(o.Classification, f.Classification) {
			return false
		}
	}
	if f.From != nil && it.Datestamp.Before(f.From.Truncate(time.Second)) {
		return false
	}
	if f.Until != nil && it.Datestamp.After(f.Until.Truncate(time.Second)) {
		return false
	}
	return true
}

// itemNow is an object as it is now; nil if it was never public.
func (db *DB) itemNow(ctx context.Context, seq int64, id string, deleted bool, vis string, updated int64, doc []byte) (*wenyuan.HarvestItem, error) {
	it := &wenyuan.HarvestItem{Pos: seq, ID: id, Datestamp: fromNanos(updated).Truncate(time.Second)}
	o, err := decodeObject(id, doc)
	if err != nil {
		return nil, err
	}
	it.Object = o
	if !deleted && vis == string(wenyuan.VisibilityPublic) {
		return it, nil
	}
	// A tombstone, if it was ever public (the query checked): its last
	// public content gives its sets.
	last, err := db.lastPublic(ctx, id)
	if err != nil || last == nil {
		return nil, err
	}
	it.Deleted, it.Object = true, last
	return it, nil
}

// itemAt is an object as it was at time at, for a harvest marked then;
// withdrawnNow says it is not public now, which makes it a tombstone
// whatever it was: what was withdrawn is not given out again.
func (db *DB) itemAt(ctx context.Context, seq int64, id string, at time.Time, withdrawnNow bool) (*wenyuan.HarvestItem, error) {
	vs, err := db.versions(ctx, wenyuan.KindObject, id, 0)
	if err != nil {
		return nil, err
	}
	var then *wenyuan.Version
	for _, v := range vs {
		if !v.At.After(at) {
			then = v
		}
	}
	if then == nil {
		return nil, nil // created after the mark
	}
	o, err := decodeObject(id, then.Record)
	if err != nil {
		return nil, err
	}
	it := &wenyuan.HarvestItem{Pos: seq, ID: id, Datestamp: then.At.Truncate(time.Second), Object: o}
	if then.Action != wenyuan.ActionDelete && o.Visibility == wenyuan.VisibilityPublic {
		// Public at the mark: as it was then, or a tombstone (with its
		// sets then) if it has been withdrawn since.
		it.Deleted = withdrawnNow
		return it, nil
	}
	// Not public at the mark: a tombstone only if it was public before.
	for i := len(vs) - 1; i >= 0; i-- {
		if vs[i].At.After(at) {
			continue
		}
		prev, err := decodeObject(id, vs[i].Record)
		if err != nil {
			return nil, err
		}
		if prev.Visibility == wenyuan.VisibilityPublic && vs[i].Action != wenyuan.ActionDelete {
			it.Deleted, it.Object = true, prev
			return it, nil
		}
	}
	return nil, nil
}

// lastPublic is the latest public content of an object; nil if it never
// had any.
func (db *DB) lastPublic(ctx context.Context, id string) (*wenyuan.Object, error) {
	vs, err := db.versions(ctx, wenyuan.KindObject, id, 0)
	if err != nil {
		return nil, err
	}
	for i := len(vs) - 1; i >= 0; i-- {
		o, err := decodeObject(id, vs[i].Record)
		if err != nil {
			return nil, err
		}
		if o.Visibility == wenyuan.VisibilityPublic {
			return o, nil
		}
	}
	return nil, nil
}

func decodeObject(id string, doc []byte) (*wenyuan.Object, error) {
	var o wenyuan.Object
	if err := json.Unmarshal(doc, &o); err != nil {
		return nil, fmt.Errorf("decode object %s: %w", id, err)
	}
	o.ID = id
	return &o, nil
}

// CountHarvest counts what f selects, objects changed since the mark as
// they are now.
func (db *DB) CountHarvest(ctx context.Context, f wenyuan.HarvestFilter) (int, error) {
	f.After = 0
	where, args := harvestWhere(f)
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM records r WHERE `+where, args...).Scan(&n)
	return n, translate(err)
}

// HarvestObject returns an object as a harvester sees it now.
func (db *DB) HarvestObject(ctx context.Context, id string) (*wenyuan.HarvestItem, error) {
	notFound := func() error { return wenyuan.Errorf(wenyuan.ENOTFOUND, "no public object with id %q", id) }
	if !wenyuan.IsValidID(id) {
		return nil, notFound()
	}
	// A public object, the usual answer, comes from the record cache.
	if raw, err := db.FindRawRecord(ctx, wenyuan.KindObject, id); err == nil && raw.Visibility == wenyuan.VisibilityPublic {
		o, err := decodeObject(id, raw.Doc)
		if err != nil {
			return nil, err
		}
		return &wenyuan.HarvestItem{ID: id, Datestamp: raw.Meta.UpdatedAt.UTC().Truncate(time.Second), Object: o}, nil
	}
	var seq, updated int64
	var deleted bool
	var vis string
	var doc []byte
	err := db.queryRow(ctx, `SELECT r.seq, r.deleted, coalesce(r.visibility, ''), r.updated_at, r.doc FROM records r WHERE r.kind = 'object' AND r.id = ?`, id).Scan(&seq, &deleted, &vis, &updated, &doc)
	if err == sql.ErrNoRows {
		return nil, notFound()
	}
	if err != nil {
		return nil, translate(err)
	}
	it, err := db.itemNow(ctx, seq, id, deleted, vis, updated, doc)
	if err != nil {
		return nil, err
	}
	if it == nil {
		return nil, notFound()
	}
	return it, nil
}

// EarliestDatestamp is the oldest datestamp of an object ever public.
func (db *DB) EarliestDatestamp(ctx context.Context) (time.Time, error) {
	var n sql.NullInt64
	err := db.queryRow(ctx, `SELECT min(r.updated_at) FROM records r WHERE r.kind = 'object' AND (`+everPublic+`)`).Scan(&n)
	if err != nil {
		return time.Time{}, translate(err)
	}
	if !n.Valid {
		return db.Now().UTC().Truncate(time.Second), nil
	}
	return fromNanos(n.Int64).Truncate(time.Second), nil
}
