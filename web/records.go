package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"wenyuan"
)

// List is one page of records.
type List struct {
	Items []wenyuan.Record `json:"items"`
	Next  string           `json:"next,omitempty"` // cursor of the next page
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.Store.FindInstitutions(r.Context()); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write([]byte("ok\n"))
	return err
}

func (s *Server) handleList(kind wenyuan.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		q := r.URL.Query()
		if err := knownParams(q, kind); err != nil {
			return err
		}
		n, err := queryLimit(r)
		if err != nil {
			return err
		}
		var page List
		switch kind {
		case wenyuan.KindInstitution:
			insts, err := s.Store.FindInstitutions(r.Context())
			if err != nil {
				return err
			}
			for _, i := range insts {
				page.Items = append(page.Items, i)
			}
		case wenyuan.KindObject:
			scope := wenyuan.ReadScopeOf(wenyuan.PrincipalFrom(r.Context()))
			f := wenyuan.ObjectFilter{Institution: q.Get("institution"), Classification: q.Get("classification"), Period: q.Get("period"), Cursor: q.Get("cursor"), Limit: n, Scope: &scope}
			if f.From, err = queryInt(r, "from"); err != nil {
				return err
			}
			if f.To, err = queryInt(r, "to"); err != nil {
				return err
			}
			objs, next, err := s.Store.FindObjects(r.Context(), f)
			if err != nil {
				return err
			}
			for _, o := range objs {
				page.Items = append(page.Items, o)
			}
			page.Next = next
		default:
			f := wenyuan.AuthorityFilter{Name: q.Get("name"), Parent: q.Get("parent"), Scheme: q.Get("scheme"), Cursor: q.Get("cursor"), Limit: n}
			recs, next, err := s.Store.FindAuthorities(r.Context(), kind, f)
			if err != nil {
				return err
			}
			page.Items, page.Next = recs, next
		}
		if page.Items == nil {
			page.Items = []wenyuan.Record{}
		}
		if page.Next != "" {
			u := *r.URL
			q := u.Query()
			q.Set("cursor", page.Next)
			u.RawQuery = q.Encode()
			w.Header().Set("Link", fmt.Sprintf("<%s>; rel=\"next\"", u.RequestURI()))
		}
		return writeJSON(w, http.StatusOK, page)
	}
}

// listParams names the query parameters each list accepts; any other is an
// error rather than silently ignored (a misspelt filter would otherwise
// return everything).
var listParams = map[wenyuan.Kind][]string{
	wenyuan.KindObject:      {"institution", "classification", "period", "from", "to", "cursor", "limit"},
	wenyuan.KindInstitution: {},
	"audit":                 {"actor", "action", "kind", "record_id", "since", "until", "cursor", "limit"},
}

func knownParams(q map[string][]string, kind wenyuan.Kind) error {
	allowed, ok := listParams[kind]
	if !ok {
		allowed = []string{"name", "parent", "scheme", "cursor", "limit"}
	}
	for k, vs := range q {
		if len(vs) > 1 {
			return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "repeated query parameter",
				Fields: []wenyuan.FieldError{{Field: k, Message: "is given more than once"}}}
		}
	}
	for k := range q {
		found := false
		for _, a := range allowed {
			if k == a {
				found = true
			}
		}
		if !found {
			return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "unknown query parameter",
				Fields: []wenyuan.FieldError{{Field: k, Message: "is not a filter of this list; known: " + strings.Join(allowed, ", ")}}}
		}
	}
	return nil
}

// queryLimit reads ?limit=, 1 to 1000; 0 when absent.
func queryLimit(r *http.Request) (int, error) {
	limit, err := queryInt(r, "limit")
	if err != nil {
		return 0, err
	}
	if limit == nil {
		return 0, nil
	}
	if *limit < 1 || *limit > 1000 {
		return 0, &wenyuan.Error{Code: wenyuan.EINVALID, Message: "invalid query parameter", Fields: []wenyuan.FieldError{{Field: "limit", Message: "must be between 1 and 1000"}}}
	}
	return *limit, nil
}

func etag(m *wenyuan.Meta) string { return `"` + strconv.Itoa(m.Version) + `"` }

// targetOfRaw is the policy's view of a stored record.
func targetOfRaw(r *wenyuan.RawRecord) wenyuan.Target {
	switch r.Kind {
	case wenyuan.KindObject, wenyuan.KindImage:
		return wenyuan.Target{Kind: r.Kind, Institution: r.Institution, Visibility: r.Visibility}
	case wenyuan.KindInstitution:
		return wenyuan.Target{Kind: r.Kind, Institution: r.ID, Visibility: wenyuan.VisibilityPublic}
	}
	return wenyuan.Target{Kind: r.Kind, Visibility: wenyuan.VisibilityPublic}
}

// visible returns the live record of kind and id if the request's
// principal may read it; one it may not read is not found.
func (s *Server) visible(r *http.Request, kind wenyuan.Kind, id string) (*wenyuan.RawRecord, error) {
	rec, err := s.Store.FindRawRecord(r.Context(), kind, id)
	if err != nil {
		return nil, err
	}
	if t := targetOfRaw(rec); !wenyuan.Can(wenyuan.PrincipalFrom(r.Context()), wenyuan.ActionRead, t) {
		return nil, s.notVisible(r.Context(), r, t, id)
	}
	if kind == wenyuan.KindImage {
		im, err := s.decodedImage(rec)
		if err != nil {
			return nil, err
		}
		if _, err := s.objectVisible(r, kind, id, im.Object); err != nil {
			return nil, err
		}
	}
	return rec, nil
}

// visibleLinks refuses links to objects the principal cannot read, with
// the same answer as for objects that do not exist.
func (s *Server) visibleLinks(r *http.Request, rec wenyuan.Record) error {
	p := wenyuan.PrincipalFrom(r.Context())
	for _, l := range wenyuan.Links(rec) {
		if l.Kind != wenyuan.KindObject {
			continue
		}
		o, err := s.Store.FindRawRecord(r.Context(), l.Kind, l.ID)
		if err != nil && wenyuan.ErrorCode(err) != wenyuan.ENOTFOUND {
			return err
		}
		if o == nil || !wenyuan.Can(p, wenyuan.ActionRead, targetOfRaw(o)) {
			return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "invalid " + string(rec.RecordKind()), Fields: []wenyuan.FieldError{{Field: l.Rel, Message: fmt.Sprintf("no object with id %q", l.ID)}}}
		}
	}
	return nil
}

// mayWrite answers a write of a record with target t: nil, or the denial.
func (s *Server) mayWrite(r *http.Request, t wenyuan.Target, id string) error {
	if wenyuan.Can(wenyuan.PrincipalFrom(r.Context()), wenyuan.ActionWrite, t) {
		return nil
	}
	return s.deny(r.Context(), r, "write", t, id)
}

func (s *Server) handleShow(kind wenyuan.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		rec, err := s.visible(r, kind, r.PathValue("id"))
		if err != nil {
			return err
		}
		w.Header().Set("ETag", etag(&rec.Meta))
		if inm := r.Header.Get("If-None-Match"); inm != "" && inm == etag(&rec.Meta) {
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		return rec.WriteJSON(w)
	}
}

// mayWriteKind refuses, before reading a body, a principal who may write
// no record of kind at all.
func (s *Server) mayWriteKind(r *http.Request, kind wenyuan.Kind) error {
	p := wenyuan.PrincipalFrom(r.Context())
	inst := p.Institution
	if p.ScopeInstitution != "" {
		inst = p.ScopeInstitution
	}
	return s.mayWrite(r, wenyuan.Target{Kind: kind, Institution: inst, Visibility: wenyuan.VisibilityPublic}, "")
}

func (s *Server) handleCreate(res resource) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.mayWriteKind(r, res.Kind); err != nil {
			return err
		}
		rec := wenyuan.NewRecord(res.Kind)
		if err := s.decodeJSON(w, r, rec); err != nil {
			return err
		}
		if err := s.createRecord(r, rec); err != nil {
			return err
		}
		w.Header().Set("Location", "/api/v1/"+res.Plural+"/"+rec.RecordID())
		w.Header().Set("ETag", etag(rec.RecordMeta()))
		return writeJSON(w, http.StatusCreated, rec)
	}
}

// createRecord stores a new record if the request's principal may write
// it. The API and the console both create through it.
func (s *Server) createRecord(r *http.Request, rec wenyuan.Record) error {
	*rec.RecordMeta() = wenyuan.Meta{}
	rec.Normalize()
	if err := s.mayWrite(r, wenyuan.TargetOf(rec), rec.RecordID()); err != nil {
		return err
	}
	if rec.RecordKind() == wenyuan.KindObject && rec.RecordID() != "" {
		// Ids of objects are Wenyuan's to give: a chosen one would let
		// anyone test whether a hidden record has it.
		return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "invalid object", Fields: []wenyuan.FieldError{{Field: "id", Message: "is given by Wenyuan; leave it out"}}}
	}
	if err := s.visibleLinks(r, rec); err != nil {
		return err
	}
	return s.Store.CreateRecord(r.Context(), rec)
}

func (s *Server) handleUpdate(kind wenyuan.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id := r.PathValue("id")
		if err := s.mayWriteKind(r, kind); err != nil {
			return err
		}
		rec := wenyuan.NewRecord(kind)
		if err := s.decodeJSON(w, r, rec); err != nil {
			return err
		}
		version := rec.RecordMeta().Version
		if im := r.Header.Get("If-Match"); im != "" {
			v, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(im, "W/"), `"`))
			if err != nil {
				return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "invalid If-Match header", Fields: []wenyuan.FieldError{{Field: "If-Match", Message: "must be an ETag this server gave out"}}}
			}
			version = v
		}
		if err := s.updateRecord(r, kind, id, rec, version); err != nil {
			return err
		}
		w.Header().Set("ETag", etag(rec.RecordMeta()))
		return writeJSON(w, http.StatusOK, rec)
	}
}

// updateRecord replaces record id with rec if the request's principal may
// write both what it is and what it becomes; version, if not 0, is the
// version the writer started from (a later one is a conflict). The API
// and the console both update through it.
func (s *Server) updateRecord(r *http.Request, kind wenyuan.Kind, id string, rec wenyuan.Record, version int) error {
	if rec.RecordID() != "" && rec.RecordID() != id {
		return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "the id of a record cannot change",
			Fields: []wenyuan.FieldError{{Field: "id", Message: fmt.Sprintf("is %q but the URL names %q", rec.RecordID(), id)}}}
	}
	rec.SetRecordID(id)
	old, err := s.visible(r, kind, id)
	if err != nil {
		return err
	}
	// Leaving visibility out is no way to publish.
	switch o := rec.(type) {
	case *wenyuan.Object:
		if o.Visibility == "" {
			o.Visibility = old.Visibility
		}
	case *wenyuan.Image:
		if o.Visibility == "" {
			o.Visibility = old.Visibility
		}
	}
	rec.Normalize()
	if err := s.mayWrite(r, targetOfRaw(old), id); err != nil {
		return err
	}
	if err := s.mayWrite(r, wenyuan.TargetOf(rec), id); err != nil {
		return err // moving a record to another institution needs both
	}
	if err := s.visibleLinks(r, rec); err != nil {
		return err
	}
	*rec.RecordMeta() = wenyuan.Meta{Version: version}
	return s.Store.UpdateRecord(r.Context(), rec)
}

func (s *Server) handleDelete(kind wenyuan.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		old, err := s.visible(r, kind, r.PathValue("id"))
		if err != nil {
			return err
		}
		if err := s.mayWrite(r, targetOfRaw(old), old.ID); err != nil {
			return err
		}
		if err := s.Store.DeleteRecord(r.Context(), kind, r.PathValue("id")); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

// VersionInfo describes a version without its content.
type VersionInfo struct {
	Version int       `json:"version"`
	Action  string    `json:"action"`
	Actor   string    `json:"actor"`
	At      time.Time `json:"at"`
}

// readableVersions returns the versions of a record that the request's
// principal may read: each version is judged by its own content, so that
// what a record said while it was internal stays internal. None readable
// is not found.
func (s *Server) readableVersions(r *http.Request, kind wenyuan.Kind, id string) ([]*wenyuan.Version, error) {
	vs, err := s.Store.FindVersions(r.Context(), kind, id)
	if err != nil {
		return nil, err
	}
	p := wenyuan.PrincipalFrom(r.Context())
	targets := make([]wenyuan.Target, len(vs))
	for i, v := range vs {
		rec := wenyuan.NewRecord(kind)
		if err := json.Unmarshal(v.Record, rec); err != nil {
			return nil, err
		}
		targets[i] = wenyuan.TargetOf(rec)
	}
	// The record as it is now (or was when deleted) decides first: a record
	// withdrawn from view takes its history with it.
	now := targets[len(targets)-1]
	if !wenyuan.Can(p, wenyuan.ActionRead, now) {
		return nil, s.notVisible(r.Context(), r, now, id)
	}
	if kind == wenyuan.KindImage {
		var last wenyuan.Image
		if err := json.Unmarshal(vs[len(vs)-1].Record, &last); err != nil {
			return nil, err
		}
		if _, err := s.objectVisible(r, kind, id, last.Object); err != nil {
			return nil, err
		}
	}
	// Who made each change is for the owner institution's users.
	insider := p.IsSignedIn() && (now.Institution == "" || now.Institution == p.Institution)
	var out []*wenyuan.Version
	for i, v := range vs {
		if !wenyuan.Can(p, wenyuan.ActionRead, targets[i]) {
			continue
		}
		if !insider {
			c := *v
			c.Actor = ""
			v = &c
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, s.notVisible(r.Context(), r, now, id)
	}
	return out, nil
}

func (s *Server) handleVersions(kind wenyuan.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		vs, err := s.readableVersions(r, kind, r.PathValue("id"))
		if err != nil {
			return err
		}
		out := struct {
			Kind     wenyuan.Kind  `json:"kind"`
			ID       string        `json:"id"`
			Versions []VersionInfo `json:"versions"`
		}{Kind: kind, ID: r.PathValue("id")}
		for _, v := range vs {
			out.Versions = append(out.Versions, VersionInfo{v.Version, v.Action, v.Actor, v.At})
		}
		return writeJSON(w, http.StatusOK, out)
	}
}

func pathVersion(r *http.Request, name, raw string) (int, error) {
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return 0, &wenyuan.Error{Code: wenyuan.EINVALID, Message: "invalid version", Fields: []wenyuan.FieldError{{Field: name, Message: fmt.Sprintf("%q is not a version number (1, 2, …)", raw)}}}
	}
	return n, nil
}

func (s *Server) handleVersion(kind wenyuan.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		n, err := pathVersion(r, "version", r.PathValue("version"))
		if err != nil {
			return err
		}
		vs, err := s.readableVersions(r, kind, r.PathValue("id"))
		if err != nil {
			return err
		}
		for _, v := range vs {
			if v.Version == n {
				return writeJSON(w, http.StatusOK, v)
			}
		}
		return wenyuan.Errorf(wenyuan.ENOTFOUND, "no version %d of %s %s", n, kind, r.PathValue("id"))
	}
}

// DiffResult is the field-level difference between two versions.
type DiffResult struct {
	Kind    wenyuan.Kind     `json:"kind"`
	ID      string           `json:"id"`
	From    int              `json:"from"`
	To      int              `json:"to"`
	Changes []wenyuan.Change `json:"changes"`
}

func (s *Server) handleDiff(kind wenyuan.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id := r.PathValue("id")
		readable, err := s.readableVersions(r, kind, id)
		if err != nil {
			return err
		}
		latest := readable[len(readable)-1].Version
		vs := make([]*wenyuan.Version, latest)
		for _, v := range readable {
			vs[v.Version-1] = v
		}
		to, from := len(vs), len(vs)-1
		q := r.URL.Query()
		if v := q.Get("to"); v != "" {
			if to, err = pathVersion(r, "to", v); err != nil {
				return err
			}
			from = to - 1
		}
		if v := q.Get("from"); v != "" {
			if from, err = pathVersion(r, "from", v); err != nil {
				return err
			}
		}
		for _, p := range []struct {
			name string
			n    int
		}{{"from", from}, {"to", to}} {
			if p.n > len(vs) || (p.n < 1 && !(p.name == "from" && p.n == 0)) {
				return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "invalid version", Fields: []wenyuan.FieldError{{Field: p.name, Message: fmt.Sprintf("%s %s has versions 1 to %d", kind, id, len(vs))}}}
			}
		}
		if vs[to-1] == nil || (from > 0 && vs[from-1] == nil) {
			return wenyuan.Errorf(wenyuan.ENOTFOUND, "no such versions of %s %s", kind, id)
		}
		var a json.RawMessage
		if from > 0 {
			a = vs[from-1].Record
		}
		changes, err := wenyuan.Diff(a, vs[to-1].Record)
		if err != nil {
			return err
		}
		if changes == nil {
			changes = []wenyuan.Change{}
		}
		return writeJSON(w, http.StatusOK, DiffResult{Kind: kind, ID: id, From: from, To: to, Changes: changes})
	}
}

func (s *Server) handleRevert(kind wenyuan.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var body struct {
			Version int `json:"version"`
		}
		if err := s.decodeJSON(w, r, &body); err != nil {
			return err
		}
		rec, err := s.revertRecord(r, kind, r.PathValue("id"), body.Version)
		if err != nil {
			return err
		}
		w.Header().Set("ETag", etag(rec.RecordMeta()))
		return writeJSON(w, http.StatusOK, rec)
	}
}

// revertRecord makes version the record's content again, as a new version,
// if the request's principal may write both what the record is now and
// what it goes back to.
func (s *Server) revertRecord(r *http.Request, kind wenyuan.Kind, id string, version int) (wenyuan.Record, error) {
	if version < 1 {
		return nil, &wenyuan.Error{Code: wenyuan.EINVALID, Message: "invalid revert", Fields: []wenyuan.FieldError{{Field: "version", Message: "is required: the version number to go back to"}}}
	}
	vs, err := s.readableVersions(r, kind, id)
	if err != nil {
		return nil, err
	}
	var to *wenyuan.Version
	for _, v := range vs {
		if v.Version == version {
			to = v
		}
	}
	if to == nil {
		return nil, wenyuan.Errorf(wenyuan.ENOTFOUND, "no version %d of %s %s", version, kind, id)
	}
	for _, v := range []*wenyuan.Version{vs[len(vs)-1], to} {
		rec := wenyuan.NewRecord(kind)
		if err := json.Unmarshal(v.Record, rec); err != nil {
			return nil, err
		}
		if err := s.mayWrite(r, wenyuan.TargetOf(rec), id); err != nil {
			return nil, err
		}
	}
	return s.Store.RevertRecord(r.Context(), kind, id, version)
}

func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := knownParams(q, "audit"); err != nil {
		return err
	}
	p := wenyuan.PrincipalFrom(r.Context())
	if !wenyuan.Can(p, wenyuan.ActionManage, wenyuan.Target{Institution: p.Institution}) {
		return s.deny(r.Context(), r, "read the audit log", wenyuan.Target{Institution: p.Institution}, "")
	}
	// An admin reads the entries of their own institution.
	f := wenyuan.AuditFilter{Institution: p.Institution, Actor: q.Get("actor"), Action: q.Get("action"), Kind: wenyuan.Kind(q.Get("kind")), RecordID: q.Get("record_id"), Cursor: q.Get("cursor")}
	for _, p := range []struct {
		name string
		dst  **time.Time
	}{{"since", &f.Since}, {"until", &f.Until}} {
		if v := q.Get(p.name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "invalid query parameter", Fields: []wenyuan.FieldError{{Field: p.name, Message: fmt.Sprintf("%q is not an RFC 3339 time such as 2026-11-29T08:00:00Z", v)}}}
			}
			*p.dst = &t
		}
	}
	var err error
	if f.Limit, err = queryLimit(r); err != nil {
		return err
	}
	es, next, err := s.Store.FindAudit(r.Context(), f)
	if err != nil {
		return err
	}
	if es == nil {
		es = []*wenyuan.AuditEntry{}
	}
	return writeJSON(w, http.StatusOK, struct {
		Items []*wenyuan.AuditEntry `json:"items"`
		Next  string                `json:"next,omitempty"`
	}{es, next})
}
