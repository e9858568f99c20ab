package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"wenyuan"
)

// wtx is one write transaction. Statements are prepared once per
// transaction; lookups that a bulk import repeats are cached.
type wtx struct {
	ctx     context.Context
	tx      *sql.Tx
	now     int64
	actor   string
	address string
	stmts   map[string]*sql.Stmt
	// exists caches live records known to exist (kind + "\x00" + id).
	exists map[string]bool
	// names caches ResolveName results.
	names map[string]string
	// batch defers the check of links between objects to the end of the
	// transaction, so that a bulk load may name a parent before it.
	batch    bool
	deferred []deferredLink
	// accessions maps institution → accession number → object id for the
	// institutions a batch has touched, so that an import does not look
	// each row up.
	accessions map[string]map[string]string
	// queued are rows of versions, audit and links waiting to be inserted
	// many at a time; flush writes them.
	queued map[string]*queue
	// touched are the records written, to drop from the cache at commit.
	touched []cacheKey
	rev     int64 // the last change-feed revision given out
}

// queue holds rows for one multi-row INSERT.
type queue struct {
	head string // INSERT … INTO table (cols) VALUES
	cols int
	args []any
}

// queueRows is how many rows go into one INSERT.
const queueRows = 128

type deferredLink struct {
	from wenyuan.Record
	link wenyuan.Link
}

func (db *DB) begin(ctx context.Context) (*wtx, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, translate(err)
	}
	return &wtx{
		ctx: ctx, tx: tx, now: db.Now().UnixNano(), actor: wenyuan.ActorFrom(ctx), address: wenyuan.AddressFrom(ctx),
		stmts: map[string]*sql.Stmt{}, exists: map[string]bool{}, names: map[string]string{},
		accessions: map[string]map[string]string{}, queued: map[string]*queue{},
	}, nil
}

// nextRev returns the change-feed revision for the next record written.
// SQLite has one writer at a time, so revisions are in commit order.
func (w *wtx) nextRev() (int64, error) {
	if w.rev == 0 {
		if err := w.tx.QueryRowContext(w.ctx, `SELECT coalesce(max(rev), 0) FROM records`).Scan(&w.rev); err != nil {
			return 0, translate(err)
		}
	}
	w.rev++
	return w.rev, nil
}

func (w *wtx) close() {
	for _, s := range w.stmts {
		s.Close()
	}
}

func (w *wtx) stmt(q string) (*sql.Stmt, error) {
	if s, ok := w.stmts[q]; ok {
		return s, nil
	}
	s, err := w.tx.PrepareContext(w.ctx, q)
	if err != nil {
		return nil, fmt.Errorf("prepare %q: %w", q, err)
	}
	w.stmts[q] = s
	return s, nil
}

func (w *wtx) exec(q string, args ...any) error {
	s, err := w.stmt(q)
	if err != nil {
		return err
	}
	_, err = s.ExecContext(w.ctx, args...)
	return translate(err)
}

// insert queues a row for a multi-row INSERT with head, such as
// "INSERT INTO audit (at, actor) VALUES", flushing when the queue is full.
func (w *wtx) insert(head string, args ...any) error {
	q := w.queued[head]
	if q == nil {
		q = &queue{head: head, cols: len(args)}
		w.queued[head] = q
	}
	q.args = append(q.args, args...)
	if len(q.args) >= queueRows*q.cols {
		return w.flushQueue(q)
	}
	return nil
}

func (w *wtx) flushQueue(q *queue) error {
	n := len(q.args) / q.cols
	if n == 0 {
		return nil
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", q.cols), ",") + ")"
	stmt := q.head + " " + strings.TrimSuffix(strings.Repeat(row+",", n), ",")
	err := w.exec(stmt, q.args...)
	q.args = q.args[:0]
	return err
}

// flush inserts every queued row; reads and changes of those tables come
// after it.
func (w *wtx) flush() error {
	for _, q := range w.queued {
		if err := w.flushQueue(q); err != nil {
			return err
		}
	}
	return nil
}

// within runs fn in a write transaction, committing if it returns nil.
func (db *DB) within(ctx context.Context, fn func(w *wtx) error) error {
	if db.write == nil {
		return wenyuan.Errorf(wenyuan.EINVALID, "a snapshot of the store is read-only")
	}
	w, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer w.close()
	if err := fn(w); err != nil {
		w.tx.Rollback()
		return err
	}
	if err := w.flush(); err != nil {
		w.tx.Rollback()
		return err
	}
	if err := ctx.Err(); err != nil {
		w.tx.Rollback()
		return err
	}
	// Drop before and after the commit: a reader between the two could
	// otherwise cache the old version again.
	db.cache.drop(w.touched)
	err = translate(w.tx.Commit())
	db.cache.drop(w.touched)
	return err
}

// row is a record's stored row.
type row struct {
	seq       int64
	version   int
	deleted   bool
	doc       []byte
	created   int64
	createdBy string
	updated   int64
	instit    string
	accesion  string
}

func (w *wtx) load(kind wenyuan.Kind, id string) (*row, error) {
	if err := w.flush(); err != nil {
		return nil, err
	}
	s, err := w.stmt(`SELECT seq, version, deleted, doc, created_at, created_by, updated_at, coalesce(institution, ''), coalesce(accession, '') FROM records WHERE kind = ? AND id = ?`)
	if err != nil {
		return nil, err
	}
	var r row
	err = s.QueryRowContext(w.ctx, string(kind), id).Scan(&r.seq, &r.version, &r.deleted, &r.doc, &r.created, &r.createdBy, &r.updated, &r.instit, &r.accesion)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, translate(err)
	}
	return &r, nil
}

// encode returns r's stored JSON form: its content without Meta.
func encode(r wenyuan.Record) ([]byte, error) {
	m := r.RecordMeta()
	saved := *m
	*m = wenyuan.Meta{}
	b, err := json.Marshal(r)
	*m = saved
	return b, err
}

// columns are the indexed columns of a record row.
type columns struct {
	institution, accession, parent, scheme, visibility sql.NullString
	earliest, latest                                   sql.NullInt64
}

func str(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

func columnsOf(r wenyuan.Record) columns {
	var c columns
	switch r := r.(type) {
	case *wenyuan.Object:
		c.institution, c.accession, c.parent = str(r.Institution), str(r.AccessionNumber), str(r.PartOf)
		c.visibility = str(string(r.Visibility))
		if d := r.Date; d != nil {
			e, l := d.Earliest, d.Latest
			if e == nil {
				e = l
			}
			if l == nil {
				l = e
			}
			if e != nil {
				c.earliest = sql.NullInt64{Int64: int64(*e), Valid: true}
				c.latest = sql.NullInt64{Int64: int64(*l), Valid: true}
			}
		}
	case *wenyuan.Place:
		c.parent = str(r.Parent)
	case *wenyuan.Period:
		c.parent = str(r.Parent)
		c.earliest = sql.NullInt64{Int64: int64(r.Start), Valid: true}
		c.latest = sql.NullInt64{Int64: int64(r.End), Valid: true}
	case *wenyuan.Concept:
		c.parent, c.scheme = str(r.Broader), str(r.Scheme)
	case *wenyuan.Image:
		c.institution, c.parent = str(r.Institution), str(r.Object)
		c.visibility = str(string(r.Visibility))
	}
	return c
}

// prepare normalizes and validates r and checks the rules that need the
// store: links point at live records, accession numbers are unique.
func (w *wtx) prepare(r wenyuan.Record) error {
	r.Normalize()
	if err := r.Validate(); err != nil {
		return err
	}
	var v wenyuan.Validator
	var later []deferredLink
	for _, l := range wenyuan.Links(r) {
		if l.Kind == r.RecordKind() && l.ID == r.RecordID() {
			continue
		}
		ok, err := w.isLive(l.Kind, l.ID)
		if err != nil {
			return err
		}
		if !ok && w.batch && l.Kind != wenyuan.KindInstitution {
			// A bulk load may name a record before the line that makes it.
			later = append(later, deferredLink{r, l})
		} else if !ok {
			v.Addf(fieldOfLink(r, l), "no %s with id %q", l.Kind, l.ID)
		}
		if ok && isParentLink(r, l) {
			cycle, err := w.cycle(r.RecordKind(), r.RecordID(), l.ID)
			if err != nil {
				return err
			}
			if cycle {
				v.Addf(fieldOfLink(r, l), "%s %s is below %s %s already: the hierarchy would go round in a circle", l.Kind, l.ID, r.RecordKind(), r.RecordID())
			}
		}
	}
	if o, ok := r.(*wenyuan.Object); ok {
		id, err := w.objectID(o.Institution, o.AccessionNumber)
		if err != nil && wenyuan.ErrorCode(err) != wenyuan.ENOTFOUND {
			return err
		}
		if id != "" && id != o.ID {
			return &wenyuan.Error{Code: wenyuan.ECONFLICT, Message: "accession number already in use",
				Fields: []wenyuan.FieldError{{Field: "accession_number", Message: fmt.Sprintf("%q is already used by object %s of %s", o.AccessionNumber, id, o.Institution)}}}
		}
	}
	if im, ok := r.(*wenyuan.Image); ok {
		if err := w.checkImage(im, &v); err != nil {
			return err
		}
	}
	if err := v.Err(string(r.RecordKind())); err != nil {
		return err
	}
	w.deferred = append(w.deferred, later...)
	return nil
}

// checkImage adds a problem to v if im is not of its object's institution
// or, for an update, changes what its file is.
func (w *wtx) checkImage(im *wenyuan.Image, v *wenyuan.Validator) error {
	obj, err := w.load(wenyuan.KindObject, im.Object)
	if err != nil {
		return err
	}
	if (obj == nil || obj.deleted) && w.batch {
		// A bulk load may name other records before the line that makes
		// them, but not an image's object: its institution is checked
		// here. Exports write images after objects.
		v.Addf("object", "no object with id %q before this image", im.Object)
	}
	if obj != nil && !obj.deleted && obj.instit != im.Institution {
		v.Addf("institution", "is %q but object %s belongs to %q", im.Institution, im.Object, obj.instit)
	}
	if im.ID == "" {
		return nil
	}
	old, err := w.load(wenyuan.KindImage, im.ID)
	if err != nil || old == nil {
		return err
	}
	var prev wenyuan.Image
	if err := json.Unmarshal(old.doc, &prev); err != nil {
		return fmt.Errorf("decode image %s: %w", im.ID, err)
	}
	return im.CheckUpdate(&prev)
}

// isParentLink reports whether l puts r below another record of its kind.
func isParentLink(r wenyuan.Record, l wenyuan.Link) bool {
	return l.Kind == r.RecordKind() && (l.Rel == "parent" || l.Rel == "broader" || l.Rel == "part_of")
}

// cycle reports whether id is at or above parent in kind's hierarchy, so
// that putting id below parent would close a loop.
func (w *wtx) cycle(kind wenyuan.Kind, id, parent string) (bool, error) {
	if err := w.flush(); err != nil {
		return false, err
	}
	s, err := w.stmt(`SELECT coalesce(parent, '') FROM records WHERE kind = ? AND id = ?`)
	if err != nil {
		return false, err
	}
	for n := 0; parent != "" && n < 1000; n++ {
		if parent == id {
			return true, nil
		}
		var up string
		if err := s.QueryRowContext(w.ctx, string(kind), parent).Scan(&up); errors.Is(err, sql.ErrNoRows) {
			return false, nil
		} else if err != nil {
			return false, translate(err)
		}
		parent = up
	}
	return parent != "", nil
}

func fieldOfLink(r wenyuan.Record, l wenyuan.Link) string {
	switch l.Rel {
	case "institution", "part_of":
		return l.Rel
	case "maker":
		return "makers"
	case "period":
		return "date.periods"
	case "place":
		return "production_places"
	case "material":
		return "materials"
	case "technique":
		return "techniques"
	case "inscription_author":
		return "inscriptions"
	}
	return l.Rel
}

func (w *wtx) isLive(kind wenyuan.Kind, id string) (bool, error) {
	key := string(kind) + "\x00" + id
	if w.exists[key] {
		return true, nil
	}
	if err := w.flush(); err != nil {
		return false, err
	}
	s, err := w.stmt(`SELECT count(*) FROM records WHERE kind = ? AND id = ? AND deleted = 0`)
	if err != nil {
		return false, err
	}
	var n int
	if err := s.QueryRowContext(w.ctx, string(kind), id).Scan(&n); err != nil {
		return false, translate(err)
	}
	if n > 0 {
		w.exists[key] = true
	}
	return n > 0, nil
}

func (w *wtx) objectID(institution, accession string) (string, error) {
	if w.batch {
		accs, err := w.accessionsOf(institution)
		if err != nil {
			return "", err
		}
		if id, ok := accs[accession]; ok {
			return id, nil
		}
		return "", wenyuan.Errorf(wenyuan.ENOTFOUND, "no object %q in %s", accession, institution)
	}
	if err := w.flush(); err != nil {
		return "", err
	}
	s, err := w.stmt(`SELECT id FROM records WHERE institution = ? AND accession = ? AND kind = 'object' AND deleted = 0`)
	if err != nil {
		return "", err
	}
	var id string
	err = s.QueryRowContext(w.ctx, institution, accession).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", wenyuan.Errorf(wenyuan.ENOTFOUND, "no object %q in %s", accession, institution)
	}
	return id, translate(err)
}

// accessionsOf loads an institution's accession numbers once per batch.
func (w *wtx) accessionsOf(institution string) (map[string]string, error) {
	if accs, ok := w.accessions[institution]; ok {
		return accs, nil
	}
	if err := w.flush(); err != nil {
		return nil, err
	}
	rows, err := w.tx.QueryContext(w.ctx, `SELECT accession, id FROM records WHERE institution = ? AND kind = 'object' AND deleted = 0`, institution)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	accs := map[string]string{}
	for rows.Next() {
		var acc, id string
		if err := rows.Scan(&acc, &id); err != nil {
			return nil, err
		}
		accs[acc] = id
	}
	w.accessions[institution] = accs
	return accs, rows.Err()
}

// noteAccession keeps the batch's accession cache true after a write.
func (w *wtx) noteAccession(oldInst, oldAcc string, o *wenyuan.Object) {
	if !w.batch {
		return
	}
	if accs, ok := w.accessions[oldInst]; ok && oldAcc != "" && accs[oldAcc] == o.ID {
		delete(accs, oldAcc)
	}
	if o != nil {
		if accs, ok := w.accessions[o.Institution]; ok {
			accs[o.AccessionNumber] = o.ID
		}
	}
}

// checkDeferred verifies the links whose check the batch put off.
func (w *wtx) checkDeferred() error {
	for _, d := range w.deferred {
		ok, err := w.isLive(d.link.Kind, d.link.ID)
		if err != nil {
			return err
		}
		if !ok {
			return &wenyuan.LinkError{Kind: d.from.RecordKind(), ID: d.from.RecordID(), Field: fieldOfLink(d.from, d.link), Target: d.link}
		}
	}
	return nil
}

// create stores a new record and its first version.
func (w *wtx) create(r wenyuan.Record, action string) error {
	fresh := false
	if r.RecordID() == "" && r.RecordKind() != wenyuan.KindInstitution {
		r.SetRecordID(wenyuan.NewID())
		fresh = true
	}
	if err := w.prepare(r); err != nil {
		return err
	}
	var old *row
	if !fresh { // a new id from NewID is unused
		var err error
		if old, err = w.load(r.RecordKind(), r.RecordID()); err != nil {
			return err
		}
	}
	if old != nil {
		msg := fmt.Sprintf("a %s with id %q already exists", r.RecordKind(), r.RecordID())
		if old.deleted {
			msg = fmt.Sprintf("a deleted %s had id %q; ids are never reused (revert it to restore it)", r.RecordKind(), r.RecordID())
		}
		return &wenyuan.Error{Code: wenyuan.ECONFLICT, Message: msg, Fields: []wenyuan.FieldError{{Field: "id", Message: msg}}}
	}
	doc, err := encode(r)
	if err != nil {
		return err
	}
	c := columnsOf(r)
	rev, err := w.nextRev()
	if err != nil {
		return err
	}
	if err := w.insert(`INSERT INTO records (kind, id, version, institution, accession, parent, scheme, earliest, latest, visibility, created_at, created_by, updated_at, doc, rev) VALUES`,
		string(r.RecordKind()), r.RecordID(), 1, c.institution, c.accession, c.parent, c.scheme, c.earliest, c.latest, c.visibility, w.now, w.actor, w.now, doc, rev); err != nil {
		return err
	}
	*r.RecordMeta() = wenyuan.Meta{Version: 1, CreatedAt: fromNanos(w.now), UpdatedAt: fromNanos(w.now)}
	w.exists[string(r.RecordKind())+"\x00"+r.RecordID()] = true
	if o, ok := r.(*wenyuan.Object); ok {
		w.noteAccession("", "", o)
	}
	if err := w.index(r, nil); err != nil {
		return err
	}
	return w.audit(r.RecordKind(), r.RecordID(), 1, action, ownerOf(r))
}

// ownerOf is the institution whose audit log a write of r goes to.
func ownerOf(r wenyuan.Record) string {
	return wenyuan.TargetOf(r).Institution
}

// update replaces a live (or, for a revert, deleted) record. It returns
// false when the content is unchanged and nothing was written.
func (w *wtx) update(r wenyuan.Record, action string, expect int) (bool, error) {
	kind, id := r.RecordKind(), r.RecordID()
	old, err := w.load(kind, id)
	if err != nil {
		return false, err
	}
	if old == nil || (old.deleted && action != wenyuan.ActionRevert) {
		return false, wenyuan.Errorf(wenyuan.ENOTFOUND, "no %s with id %q", kind, id)
	}
	if expect != 0 && expect != old.version {
		return false, &wenyuan.Error{Code: wenyuan.ECONFLICT, Message: fmt.Sprintf("%s %s was changed by someone else: you edited version %d, the current one is %d", kind, id, expect, old.version),
			Fields: []wenyuan.FieldError{{Field: "version", Message: fmt.Sprintf("is %d, current is %d", expect, old.version)}}}
	}
	if err := w.prepare(r); err != nil {
		return false, err
	}
	doc, err := encode(r)
	if err != nil {
		return false, err
	}
	if !old.deleted && bytes.Equal(doc, old.doc) {
		*r.RecordMeta() = wenyuan.Meta{Version: old.version, CreatedAt: fromNanos(old.created), UpdatedAt: fromNanos(old.updated)}
		return false, nil
	}
	c := columnsOf(r)
	v := old.version + 1
	if err := w.flush(); err != nil {
		return false, err
	}
	if err := w.keep(kind, id, old); err != nil {
		return false, err
	}
	rev, err := w.nextRev()
	if err != nil {
		return false, err
	}
	if err := w.exec(`UPDATE records SET version = ?, deleted = 0, institution = ?, accession = ?, parent = ?, scheme = ?, earliest = ?, latest = ?, visibility = ?, updated_at = ?, doc = ?, rev = ? WHERE seq = ?`,
		v, c.institution, c.accession, c.parent, c.scheme, c.earliest, c.latest, c.visibility, w.now, doc, rev, old.seq); err != nil {
		return false, err
	}
	*r.RecordMeta() = wenyuan.Meta{Version: v, CreatedAt: fromNanos(old.created), UpdatedAt: fromNanos(w.now)}
	w.exists[string(kind)+"\x00"+id] = true
	if o, ok := r.(*wenyuan.Object); ok {
		w.noteAccession(old.instit, old.accesion, o)
	}
	if err := w.index(r, old.doc); err != nil {
		return false, err
	}
	return true, w.record(kind, id, v, action, ownerOf(r))
}

// remove deletes a live record unless live records point at it.
func (w *wtx) remove(kind wenyuan.Kind, id string) error {
	old, err := w.load(kind, id)
	if err != nil {
		return err
	}
	if old == nil || old.deleted {
		return wenyuan.Errorf(wenyuan.ENOTFOUND, "no %s with id %q", kind, id)
	}
	if err := w.flush(); err != nil {
		return err
	}
	refs, err := w.referrers(kind, id)
	if err != nil {
		return err
	}
	if len(refs) > 0 {
		// Name the kinds only: the records may be ones the user cannot see.
		return wenyuan.Errorf(wenyuan.ECONFLICT, "%s %s is still used by %s; change those first", kind, id, describeRefs(refs))
	}
	v := old.version + 1
	w.touched = append(w.touched, cacheKey{kind, id})
	rev, err := w.nextRev()
	if err != nil {
		return err
	}
	if err := w.exec(`UPDATE records SET version = ?, deleted = 1, updated_at = ?, rev = ? WHERE seq = ?`, v, w.now, rev, old.seq); err != nil {
		return err
	}
	delete(w.exists, string(kind)+"\x00"+id)
	if kind == wenyuan.KindObject {
		if accs, ok := w.accessions[old.instit]; ok && accs[old.accesion] == id {
			delete(accs, old.accesion)
		}
	}
	for k, nid := range w.names {
		if nid == id && strings.HasPrefix(k, string(kind)+"\x00") {
			delete(w.names, k)
		}
	}
	if err := w.unlink(kind, id, old.doc); err != nil {
		return err
	}
	if err := w.exec(`DELETE FROM names WHERE kind = ? AND id = ?`, string(kind), id); err != nil {
		return err
	}
	owner := old.instit
	if kind == wenyuan.KindInstitution {
		owner = id
	}
	return w.record(kind, id, v, wenyuan.ActionDelete, owner)
}

// describeRefs says "3 objects" or "an object and a place" of referrers.
func describeRefs(refs []string) string {
	counts := map[string]int{}
	var kinds []string
	more := false
	for _, r := range refs {
		if r == "…" {
			more = true
			continue
		}
		k, _, _ := strings.Cut(r, " ")
		if counts[k] == 0 {
			kinds = append(kinds, k)
		}
		counts[k]++
	}
	var parts []string
	for _, k := range kinds {
		if counts[k] == 1 && !more {
			parts = append(parts, "a record of kind "+k)
		} else {
			parts = append(parts, fmt.Sprintf("%d or more records of kind %s", counts[k], k))
		}
	}
	return strings.Join(parts, " and ")
}

// referrers names up to five live records that point at a record.
func (w *wtx) referrers(kind wenyuan.Kind, id string) ([]string, error) {
	q := `SELECT DISTINCT src_kind, src_id FROM links WHERE dst_kind = ? AND dst_id = ? AND NOT (src_kind = dst_kind AND src_id = dst_id) LIMIT 6`
	args := []any{string(kind), id}
	if kind == wenyuan.KindInstitution {
		q, args = `SELECT 'object', id FROM records WHERE institution = ? AND kind = 'object' AND deleted = 0 LIMIT 6`, []any{id}
	}
	s, err := w.stmt(q)
	if err != nil {
		return nil, err
	}
	rows, err := s.QueryContext(w.ctx, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k, i string
		if err := rows.Scan(&k, &i); err != nil {
			return nil, err
		}
		if len(out) == 5 {
			out = append(out, "…")
			break
		}
		out = append(out, k+" "+i)
	}
	return out, rows.Err()
}

// unlink deletes the links a record's stored doc makes.
func (w *wtx) unlink(kind wenyuan.Kind, id string, doc []byte) error {
	old := wenyuan.NewRecord(kind)
	if err := json.Unmarshal(doc, old); err != nil {
		return fmt.Errorf("decode %s %s: %w", kind, id, err)
	}
	for _, l := range wenyuan.Links(old) {
		if l.Rel == "institution" {
			continue
		}
		if err := w.exec(`DELETE FROM links WHERE dst_kind = ? AND dst_id = ? AND rel = ? AND src_kind = ? AND src_id = ?`, string(l.Kind), l.ID, l.Rel, string(kind), id); err != nil {
			return err
		}
	}
	return nil
}

// index rewrites r's links and names; old is its previous doc, if any.
func (w *wtx) index(r wenyuan.Record, old []byte) error {
	replace := old != nil
	kind, id := string(r.RecordKind()), r.RecordID()
	if old != nil {
		if err := w.unlink(r.RecordKind(), id, old); err != nil {
			return err
		}
	}
	for _, l := range wenyuan.Links(r) {
		if l.Rel == "institution" {
			continue // records.institution says it
		}
		if err := w.insert(`INSERT OR IGNORE INTO links (dst_kind, dst_id, rel, src_kind, src_id) VALUES`, string(l.Kind), l.ID, l.Rel, kind, id); err != nil {
			return err
		}
	}
	if r.RecordKind() == wenyuan.KindObject {
		return nil
	}
	if replace {
		if err := w.exec(`DELETE FROM names WHERE kind = ? AND id = ?`, kind, id); err != nil {
			return err
		}
		for k, nid := range w.names {
			if nid == id && strings.HasPrefix(k, kind+"\x00") {
				delete(w.names, k)
			}
		}
	}
	scheme := ""
	if c, ok := r.(*wenyuan.Concept); ok {
		scheme = c.Scheme
	}
	seen := map[string]bool{}
	for _, n := range wenyuan.RecordNames(r) {
		norm := wenyuan.NormName(n)
		if norm == "" || seen[norm] {
			continue
		}
		seen[norm] = true
		if err := w.exec(`INSERT INTO names (kind, scheme, norm, id) VALUES (?, ?, ?, ?)`, kind, scheme, norm, id); err != nil {
			return err
		}
	}
	return nil
}

// keep writes a record's current doc into the versions that share it,
// before the record's content changes: version 1 gets its row if it has
// none (then the record never changed, so its doc is version 1's).
func (w *wtx) keep(kind wenyuan.Kind, id string, old *row) error {
	if err := w.exec(`INSERT OR IGNORE INTO versions (kind, id, version, action, actor, at, doc) VALUES (?, ?, 1, 'create', ?, ?, ?)`,
		string(kind), id, old.createdBy, old.created, old.doc); err != nil {
		return err
	}
	w.touched = append(w.touched, cacheKey{kind, id})
	return w.exec(`UPDATE versions SET doc = ? WHERE kind = ? AND id = ? AND doc IS NULL`, old.doc, string(kind), id)
}

// record appends a version, whose content is the record's current doc, and
// its audit entry.
func (w *wtx) record(kind wenyuan.Kind, id string, version int, action, institution string) error {
	if err := w.insert(`INSERT INTO versions (kind, id, version, action, actor, at) VALUES`,
		string(kind), id, version, action, w.actor, w.now); err != nil {
		return err
	}
	return w.audit(kind, id, version, action, institution)
}

// audit appends an audit entry for a write.
func (w *wtx) audit(kind wenyuan.Kind, id string, version int, action, institution string) error {
	return w.insert(`INSERT INTO audit (at, actor, institution, address, action, kind, record_id, version, outcome) VALUES`,
		w.now, w.actor, institution, w.address, action, string(kind), id, version, "ok")
}

// CreateRecord stores a new record.
func (db *DB) CreateRecord(ctx context.Context, r wenyuan.Record) error {
	return db.within(ctx, func(w *wtx) error { return w.create(r, wenyuan.ActionCreate) })
}

// UpdateRecord replaces a record's content.
func (db *DB) UpdateRecord(ctx context.Context, r wenyuan.Record) error {
	if !wenyuan.IsValidID(r.RecordID()) {
		return wenyuan.Errorf(wenyuan.ENOTFOUND, "no %s with id %q", r.RecordKind(), r.RecordID())
	}
	return db.within(ctx, func(w *wtx) error {
		_, err := w.update(r, wenyuan.ActionUpdate, r.RecordMeta().Version)
		return err
	})
}

// DeleteRecord deletes a record, keeping its history.
func (db *DB) DeleteRecord(ctx context.Context, kind wenyuan.Kind, id string) error {
	if !wenyuan.IsValidID(id) {
		return wenyuan.Errorf(wenyuan.ENOTFOUND, "no %s with id %q", kind, id)
	}
	return db.within(ctx, func(w *wtx) error { return w.remove(kind, id) })
}

// RevertRecord writes an earlier version's content as a new version.
func (db *DB) RevertRecord(ctx context.Context, kind wenyuan.Kind, id string, version int) (wenyuan.Record, error) {
	v, err := db.FindVersion(ctx, kind, id, version)
	if err != nil {
		return nil, err
	}
	if v.Action == wenyuan.ActionDelete {
		return nil, wenyuan.Errorf(wenyuan.EINVALID, "version %d of %s %s is its deletion; revert to the version before it", version, kind, id)
	}
	r := wenyuan.NewRecord(kind)
	if err := json.Unmarshal(v.Record, r); err != nil {
		return nil, fmt.Errorf("decode version %d of %s %s: %w", version, kind, id, err)
	}
	err = db.within(ctx, func(w *wtx) error {
		changed, err := w.update(r, wenyuan.ActionRevert, 0)
		if err == nil && !changed {
			return wenyuan.Errorf(wenyuan.EINVALID, "%s %s already has the content of version %d", kind, id, version)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}
