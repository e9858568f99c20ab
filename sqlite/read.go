package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"wenyuan"
)

func fromNanos(n int64) time.Time { return time.Unix(0, n).UTC() }

// decode turns a stored row into a record.
func decode(kind wenyuan.Kind, doc []byte, version int, created, updated int64) (wenyuan.Record, error) {
	raw := wenyuan.RawRecord{Kind: kind, Doc: doc, Meta: wenyuan.Meta{Version: version, CreatedAt: fromNanos(created), UpdatedAt: fromNanos(updated)}}
	r, err := raw.Decode()
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", kind, err)
	}
	return r, nil
}

const recordCols = `kind, doc, version, created_at, updated_at, seq`

func scanRecords(rows *sql.Rows) ([]wenyuan.Record, []int64, error) {
	defer rows.Close()
	var out []wenyuan.Record
	var seqs []int64
	for rows.Next() {
		var kind string
		var doc []byte
		var version int
		var created, updated, seq int64
		if err := rows.Scan(&kind, &doc, &version, &created, &updated, &seq); err != nil {
			return nil, nil, err
		}
		r, err := decode(wenyuan.Kind(kind), doc, version, created, updated)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, r)
		seqs = append(seqs, seq)
	}
	return out, seqs, rows.Err()
}

// FindRecord returns the live record of kind with id.
func (db *DB) FindRecord(ctx context.Context, kind wenyuan.Kind, id string) (wenyuan.Record, error) {
	raw, err := db.FindRawRecord(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	return raw.Decode()
}

// FindRawRecord returns the live record of kind with id as stored, from
// the cache when it can.
func (db *DB) FindRawRecord(ctx context.Context, kind wenyuan.Kind, id string) (*wenyuan.RawRecord, error) {
	if !kind.IsValid() {
		return nil, wenyuan.Errorf(wenyuan.EINVALID, "unknown kind %q", kind)
	}
	if !wenyuan.IsValidID(id) {
		return nil, wenyuan.Errorf(wenyuan.ENOTFOUND, "no %s with id %q", kind, id)
	}
	var gen uint64
	var r *wenyuan.RawRecord
	if db.snap == nil { // the cache holds the present, not the snapshot's moment
		if r, gen = db.cache.get(kind, id); r != nil {
			return r, nil
		}
	}
	rows, err := db.query(ctx, `SELECT version, created_at, updated_at, coalesce(institution, ''), coalesce(visibility, ''), doc FROM records WHERE kind = ? AND id = ? AND deleted = 0`, string(kind), id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, translate(err)
		}
		return nil, wenyuan.Errorf(wenyuan.ENOTFOUND, "no %s with id %q", kind, id)
	}
	r = &wenyuan.RawRecord{Kind: kind, ID: id}
	var created, updated int64
	var vis string
	var doc []byte
	if err := rows.Scan(&r.Meta.Version, &created, &updated, &r.Institution, &vis, &doc); err != nil {
		return nil, err
	}
	r.Meta.CreatedAt, r.Meta.UpdatedAt, r.Visibility, r.Doc = fromNanos(created), fromNanos(updated), wenyuan.Visibility(vis), doc
	if db.snap == nil {
		db.cache.put(r, gen)
	}
	return r, nil
}

// FindObjectByAccession returns the live object with this accession number.
func (db *DB) FindObjectByAccession(ctx context.Context, institution, accession string) (*wenyuan.Object, error) {
	rows, err := db.query(ctx, `SELECT `+recordCols+` FROM records WHERE institution = ? AND accession = ? AND kind = 'object' AND deleted = 0`, institution, accession)
	if err != nil {
		return nil, translate(err)
	}
	recs, _, err := scanRecords(rows)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, wenyuan.Errorf(wenyuan.ENOTFOUND, "no object %q in %s", accession, institution)
	}
	return recs[0].(*wenyuan.Object), nil
}

// FindObjectIDByAccession finds an object by its accession number now or
// in its history; of several that had it, the one that had it last.
func (db *DB) FindObjectIDByAccession(ctx context.Context, institution, accession string) (string, error) {
	var id string
	err := db.queryRow(ctx, `SELECT id FROM records WHERE institution = ? AND accession = ? AND kind = 'object' AND deleted = 0`, institution, accession).Scan(&id)
	if err == nil {
		return id, nil
	}
	if err != sql.ErrNoRows {
		return "", translate(err)
	}
	err = db.queryRow(ctx, `SELECT r.id FROM records r JOIN versions v ON v.kind = 'object' AND v.id = r.id
		WHERE r.kind = 'object' AND r.institution = ? AND json_extract(coalesce(v.doc, r.doc), '$.accession_number') = ?
		ORDER BY v.at DESC LIMIT 1`, institution, accession).Scan(&id)
	if err == sql.ErrNoRows {
		return "", wenyuan.Errorf(wenyuan.ENOTFOUND, "no object of %s has or had the accession number %q", institution, accession)
	}
	return id, translate(err)
}

func limitOf(n int) int {
	if n <= 0 {
		return 50
	}
	return min(n, 1000)
}

func parseCursor(c string) (int64, error) {
	if c == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(c, 36, 64)
	if err != nil || n < 0 {
		return 0, &wenyuan.Error{Code: wenyuan.EINVALID, Message: "invalid cursor", Fields: []wenyuan.FieldError{{Field: "cursor", Message: "is not a cursor this server gave out"}}}
	}
	return n, nil
}

// page runs a list query that selects recordCols ordered by seq with
// limit+1 rows and returns the page and the next cursor.
func (db *DB) page(ctx context.Context, q string, args []any, limit int) ([]wenyuan.Record, string, error) {
	rows, err := db.query(ctx, q, append(args, limit+1)...)
	if err != nil {
		return nil, "", translate(err)
	}
	recs, seqs, err := scanRecords(rows)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(recs) > limit {
		recs = recs[:limit]
		next = strconv.FormatInt(seqs[limit-1], 36)
	}
	return recs, next, nil
}

// FindObjects returns a page of live objects.
func (db *DB) FindObjects(ctx context.Context, f wenyuan.ObjectFilter) ([]*wenyuan.Object, string, error) {
	after, err := parseCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	var where strings.Builder
	args := []any{after}
	// Pages are read in the order of seq and stop at the limit, so filters
	// that keep most rows cost little. The unary + keeps SQLite from
	// choosing an index on kind and then sorting every object by seq; an
	// institution has its own index in seq order.
	if f.Institution != "" {
		where.WriteString(`institution = ? AND kind = 'object' AND deleted = 0 AND seq > ?`)
		args = []any{f.Institution, after}
	} else {
		where.WriteString(`+kind = 'object' AND +deleted = 0 AND seq > ?`)
	}
	if f.Classification != "" {
		where.WriteString(` AND id IN (SELECT src_id FROM links WHERE dst_kind = 'concept' AND dst_id = ? AND rel = 'classification' AND src_kind = 'object')`)
		args = append(args, f.Classification)
	}
	if f.Period != "" {
		where.WriteString(` AND id IN (SELECT src_id FROM links WHERE dst_kind = 'period' AND rel = 'period' AND src_kind = 'object' AND dst_id IN (
			WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT r.id FROM records r JOIN sub ON r.kind = 'period' AND r.parent = sub.id AND r.deleted = 0)
			SELECT id FROM sub))`)
		args = append(args, f.Period)
	}
	if f.From != nil {
		where.WriteString(` AND latest >= ?`)
		args = append(args, *f.From)
	}
	if f.To != nil {
		where.WriteString(` AND earliest <= ?`)
		args = append(args, *f.To)
	}
	if sc := f.Scope; sc != nil {
		vs := sc.Visibilities()
		where.WriteString(` AND (visibility IN (` + strings.Repeat("?,", len(vs)-1) + `?)`)
		for _, v := range vs {
			args = append(args, string(v))
		}
		if sc.Institution != "" {
			where.WriteString(` OR institution = ?`)
			args = append(args, sc.Institution)
		}
		where.WriteString(`)`)
	}
	limit := limitOf(f.Limit)
	recs, next, err := db.page(ctx, `SELECT `+recordCols+` FROM records WHERE `+where.String()+` ORDER BY seq LIMIT ?`, args, limit)
	if err != nil {
		return nil, "", err
	}
	out := make([]*wenyuan.Object, len(recs))
	for i, r := range recs {
		out[i] = r.(*wenyuan.Object)
	}
	return out, next, nil
}

// FindImages returns the live images of an object in the order they were
// added.
func (db *DB) FindImages(ctx context.Context, object string) ([]*wenyuan.Image, error) {
	rows, err := db.query(ctx, `SELECT `+recordCols+` FROM records WHERE kind = 'image' AND parent = ? AND deleted = 0 ORDER BY seq`, object)
	if err != nil {
		return nil, translate(err)
	}
	recs, _, err := scanRecords(rows)
	if err != nil {
		return nil, err
	}
	out := make([]*wenyuan.Image, len(recs))
	for i, r := range recs {
		out[i] = r.(*wenyuan.Image)
	}
	return out, nil
}

// FindImagedObjects returns the objects of institution with an image that
// scope may read and that scope may read themselves.
func (db *DB) FindImagedObjects(ctx context.Context, institution string, scope wenyuan.ReadScope) ([]*wenyuan.Object, error) {
	vis := func(args []any) (string, []any) {
		vs := scope.Visibilities()
		q := `(visibility IN (` + strings.Repeat("?,", len(vs)-1) + `?)`
		for _, v := range vs {
			args = append(args, string(v))
		}
		if scope.Institution != "" {
			q += ` OR institution = ?`
			args = append(args, scope.Institution)
		}
		return q + `)`, args
	}
	imgVis, args := vis([]any{institution, institution})
	objVis, args := vis(args)
	rows, err := db.query(ctx, `SELECT `+recordCols+` FROM records WHERE institution = ? AND kind = 'object' AND deleted = 0
		AND id IN (SELECT parent FROM records WHERE institution = ? AND kind = 'image' AND deleted = 0 AND `+imgVis+`)
		AND `+objVis+` ORDER BY seq`, args...)
	if err != nil {
		return nil, translate(err)
	}
	recs, _, err := scanRecords(rows)
	if err != nil {
		return nil, err
	}
	out := make([]*wenyuan.Object, len(recs))
	for i, r := range recs {
		out[i] = r.(*wenyuan.Object)
	}
	return out, nil
}

// FindInstitutions returns every live institution, by id.
func (db *DB) FindInstitutions(ctx context.Context) ([]*wenyuan.Institution, error) {
	rows, err := db.query(ctx, `SELECT `+recordCols+` FROM records WHERE kind = 'institution' AND deleted = 0 ORDER BY id`)
	if err != nil {
		return nil, translate(err)
	}
	recs, _, err := scanRecords(rows)
	if err != nil {
		return nil, err
	}
	out := make([]*wenyuan.Institution, len(recs))
	for i, r := range recs {
		out[i] = r.(*wenyuan.Institution)
	}
	return out, nil
}

// FindAuthorities returns a page of live authority records of kind.
func (db *DB) FindAuthorities(ctx context.Context, kind wenyuan.Kind, f wenyuan.AuthorityFilter) ([]wenyuan.Record, string, error) {
	switch kind {
	case wenyuan.KindAgent, wenyuan.KindPlace, wenyuan.KindPeriod, wenyuan.KindConcept:
	default:
		return nil, "", wenyuan.Errorf(wenyuan.EINVALID, "%q is not an authority kind", kind)
	}
	after, err := parseCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	q := `SELECT ` + recordCols + ` FROM records WHERE +kind = ? AND +deleted = 0 AND seq > ?`
	args := []any{string(kind), after}
	if f.Parent != "" {
		q += ` AND parent = ?`
		args = append(args, f.Parent)
	}
	if f.Scheme != "" {
		q += ` AND scheme = ?`
		args = append(args, f.Scheme)
	}
	if n := wenyuan.NormName(f.Name); n != "" {
		q += ` AND id IN (SELECT id FROM names WHERE kind = ? AND instr(norm, ?) > 0)`
		args = append(args, string(kind), n)
	}
	return db.page(ctx, q+` ORDER BY seq LIMIT ?`, args, limitOf(f.Limit))
}

// FindVersions lists every version of a record, oldest first.
func (db *DB) FindVersions(ctx context.Context, kind wenyuan.Kind, id string) ([]*wenyuan.Version, error) {
	return db.versions(ctx, kind, id, 0)
}

// FindVersion returns one version of a record.
func (db *DB) FindVersion(ctx context.Context, kind wenyuan.Kind, id string, version int) (*wenyuan.Version, error) {
	if version <= 0 {
		return nil, wenyuan.Errorf(wenyuan.ENOTFOUND, "no version %d of %s %s", version, kind, id)
	}
	vs, err := db.versions(ctx, kind, id, version)
	if err != nil {
		if wenyuan.ErrorCode(err) == wenyuan.ENOTFOUND {
			return nil, wenyuan.Errorf(wenyuan.ENOTFOUND, "no version %d of %s %s", version, kind, id)
		}
		return nil, err
	}
	return vs[0], nil
}

func (db *DB) versions(ctx context.Context, kind wenyuan.Kind, id string, version int) ([]*wenyuan.Version, error) {
	if !kind.IsValid() || !wenyuan.IsValidID(id) {
		return nil, wenyuan.Errorf(wenyuan.ENOTFOUND, "no %s with id %q", kind, id)
	}
	// Version 1 of a record that never changed has no row; it is the
	// record as created.
	q := `SELECT v.version, v.action, v.actor, v.at, coalesce(v.doc, r.doc) FROM versions v JOIN records r ON r.kind = v.kind AND r.id = v.id WHERE v.kind = ?1 AND v.id = ?2 AND (?3 = 0 OR v.version = ?3)
		UNION ALL
		SELECT 1, 'create', r.created_by, r.created_at, r.doc FROM records r WHERE r.kind = ?1 AND r.id = ?2 AND ?3 IN (0, 1)
			AND NOT EXISTS (SELECT 1 FROM versions v WHERE v.kind = r.kind AND v.id = r.id AND v.version = 1)
		ORDER BY 1`
	rows, err := db.query(ctx, q, string(kind), id, version)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []*wenyuan.Version
	for rows.Next() {
		v := &wenyuan.Version{Kind: kind, ID: id}
		var at int64
		var doc []byte
		if err := rows.Scan(&v.Version, &v.Action, &v.Actor, &at, &doc); err != nil {
			return nil, err
		}
		v.At = fromNanos(at)
		v.Record = json.RawMessage(doc)
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, wenyuan.Errorf(wenyuan.ENOTFOUND, "no %s with id %q", kind, id)
	}
	return out, nil
}

// FindAudit returns a page of audit entries, newest first.
func (db *DB) FindAudit(ctx context.Context, f wenyuan.AuditFilter) ([]*wenyuan.AuditEntry, string, error) {
	before, err := parseCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	q := `SELECT seq, at, actor, institution, address, action, kind, record_id, version, outcome, detail FROM audit WHERE 1 = 1`
	var args []any
	if before > 0 {
		q += ` AND seq < ?`
		args = append(args, before)
	}
	if f.Institution != "" {
		// An institution's log includes what concerns no institution in
		// particular: failed sign-ins of unknown names, unknown tokens.
		q += ` AND institution IN (?, '')`
		args = append(args, f.Institution)
	}
	for _, c := range []struct{ col, v string }{{"actor", f.Actor}, {"action", f.Action}, {"kind", string(f.Kind)}, {"record_id", f.RecordID}} {
		if c.v != "" {
			q += ` AND ` + c.col + ` = ?`
			args = append(args, c.v)
		}
	}
	if f.Since != nil {
		q += ` AND at >= ?`
		args = append(args, f.Since.UnixNano())
	}
	if f.Until != nil {
		q += ` AND at <= ?`
		args = append(args, f.Until.UnixNano())
	}
	limit := limitOf(f.Limit)
	rows, err := db.query(ctx, q+` ORDER BY seq DESC LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, "", translate(err)
	}
	defer rows.Close()
	var out []*wenyuan.AuditEntry
	for rows.Next() {
		e := &wenyuan.AuditEntry{}
		var at int64
		var kind string
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Institution, &e.Address, &e.Action, &kind, &e.RecordID, &e.Version, &e.Outcome, &e.Detail); err != nil {
			return nil, "", err
		}
		e.At, e.Kind = fromNanos(at), wenyuan.Kind(kind)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = strconv.FormatInt(out[limit-1].Seq, 36)
	}
	return out, next, nil
}

// Batch runs fn in one write transaction.
func (db *DB) Batch(ctx context.Context, fn func(wenyuan.Batch) error) error {
	return db.within(ctx, func(w *wtx) error {
		w.batch = true
		if err := fn(batch{w}); err != nil {
			return err
		}
		return w.checkDeferred()
	})
}

type batch struct{ w *wtx }

func (b batch) PutObject(o *wenyuan.Object) (string, error) {
	if err := b.w.ctx.Err(); err != nil {
		return "", err
	}
	o.Normalize()
	id, err := b.w.objectID(o.Institution, o.AccessionNumber)
	if err != nil && wenyuan.ErrorCode(err) != wenyuan.ENOTFOUND {
		return "", err
	}
	if id == "" && o.ID != "" {
		// A known id under another accession number, or deleted: the
		// record comes back as it is now written.
		old, err := b.w.load(wenyuan.KindObject, o.ID)
		if err != nil {
			return "", err
		}
		if old != nil {
			action := wenyuan.ActionUpdate
			if old.deleted {
				action = wenyuan.ActionRevert
			}
			changed, err := b.w.update(o, action, 0)
			if err != nil || !changed {
				return "", err
			}
			return action, nil
		}
	}
	if id == "" {
		return wenyuan.ActionCreate, b.w.create(o, wenyuan.ActionCreate)
	}
	if o.ID != "" && o.ID != id {
		return "", &wenyuan.Error{Code: wenyuan.ECONFLICT, Message: "accession number already in use",
			Fields: []wenyuan.FieldError{{Field: "accession_number", Message: fmt.Sprintf("%q belongs to object %s, not %s", o.AccessionNumber, id, o.ID)}}}
	}
	o.ID = id
	changed, err := b.w.update(o, wenyuan.ActionUpdate, 0)
	if err != nil || !changed {
		return "", err
	}
	return wenyuan.ActionUpdate, nil
}

func (b batch) PutRecord(r wenyuan.Record) (string, error) {
	if o, ok := r.(*wenyuan.Object); ok {
		return b.PutObject(o)
	}
	if err := b.w.ctx.Err(); err != nil {
		return "", err
	}
	if r.RecordID() == "" {
		return wenyuan.ActionCreate, b.w.create(r, wenyuan.ActionCreate)
	}
	old, err := b.w.load(r.RecordKind(), r.RecordID())
	if err != nil {
		return "", err
	}
	if old == nil {
		return wenyuan.ActionCreate, b.w.create(r, wenyuan.ActionCreate)
	}
	action := wenyuan.ActionUpdate
	if old.deleted {
		action = wenyuan.ActionRevert
	}
	changed, err := b.w.update(r, action, 0)
	if err != nil || !changed {
		return "", err
	}
	return action, nil
}

func (b batch) ResolveName(kind wenyuan.Kind, scheme, lang, name string, create bool) (string, error) {
	w := b.w
	norm := wenyuan.NormName(name)
	if norm == "" {
		return "", wenyuan.Errorf(wenyuan.EINVALID, "empty name")
	}
	key := string(kind) + "\x00" + scheme + "\x00" + norm
	if id, ok := w.names[key]; ok {
		return id, nil
	}
	s, err := w.stmt(`SELECT id FROM names WHERE kind = ? AND scheme = ? AND norm = ? ORDER BY id LIMIT 1`)
	if err != nil {
		return "", err
	}
	var id string
	err = s.QueryRowContext(w.ctx, string(kind), scheme, norm).Scan(&id)
	if err == nil {
		w.names[key] = id
		return id, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return "", translate(err)
	}
	if !create {
		return "", wenyuan.Errorf(wenyuan.ENOTFOUND, "no %s named %q", kind, name)
	}
	names := wenyuan.Names{{Lang: lang, Value: strings.TrimSpace(name)}}
	var r wenyuan.Record
	switch kind {
	case wenyuan.KindAgent:
		r = &wenyuan.Agent{Names: names}
	case wenyuan.KindPlace:
		r = &wenyuan.Place{Names: names}
	case wenyuan.KindConcept:
		r = &wenyuan.Concept{Scheme: scheme, Names: names}
	default:
		return "", wenyuan.Errorf(wenyuan.EINVALID, "cannot create a %s from a name alone", kind)
	}
	if err := w.create(r, wenyuan.ActionCreate); err != nil {
		return "", err
	}
	w.names[key] = r.RecordID()
	return r.RecordID(), nil
}

func (b batch) ObjectID(institution, accession string) (string, error) {
	return b.w.objectID(institution, accession)
}

func (b batch) Exists(kind wenyuan.Kind, id string) (bool, error) { return b.w.isLive(kind, id) }

func (b batch) Try(fn func() error) error {
	w := b.w
	if err := w.flush(); err != nil {
		return err
	}
	mark := len(w.deferred)
	if _, err := w.tx.ExecContext(w.ctx, `SAVEPOINT row`); err != nil {
		return translate(err)
	}
	if err := fn(); err != nil {
		if _, rerr := w.tx.ExecContext(w.ctx, `ROLLBACK TO row`); rerr != nil {
			return translate(rerr)
		}
		if _, rerr := w.tx.ExecContext(w.ctx, `RELEASE row`); rerr != nil {
			return translate(rerr)
		}
		// What fn queued or cached is gone with its writes.
		w.deferred = w.deferred[:mark]
		for _, q := range w.queued {
			q.args = q.args[:0]
		}
		w.exists, w.names, w.accessions = map[string]bool{}, map[string]string{}, map[string]map[string]string{}
		return err
	}
	_, err := w.tx.ExecContext(w.ctx, `RELEASE row`)
	return translate(err)
}
