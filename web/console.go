package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"wenyuan"
)

// The staff console: signed-in users create and edit records in forms,
// read a record's history with its field-level changes and revert it, and
// admins read the audit log. Every write goes through the same checks as
// the API's (createRecord, updateRecord, revertRecord).

// signinView is the sign-in page.
type signinView struct {
	frame
	Next, Username, Error string
}

func (s *Server) handleSignInPage(w http.ResponseWriter, r *http.Request) error {
	f := s.newFrame(r, "")
	f.Title, f.NoIndex = f.T("signin.title"), true
	return render(w, "signin.html", signinView{frame: f, Next: localPath(r.URL.Query().Get("next"))})
}

func (s *Server) handleSignInForm(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	next := localPath(r.PostForm.Get("next"))
	if next == "/signin" || strings.HasPrefix(next, "/signin?") {
		next = "/console"
	}
	_, _, err := s.signIn(w, r, r.PostForm.Get("username"), r.PostForm.Get("password"))
	if err != nil {
		code := wenyuan.ErrorCode(err)
		if code != wenyuan.EUNAUTHORIZED && code != "too_many_requests" {
			return err
		}
		f := s.newFrame(r, "")
		f.Title, f.NoIndex = f.T("signin.title"), true
		v := signinView{frame: f, Next: next, Username: r.PostForm.Get("username"), Error: f.T("signin.wrong")}
		status := http.StatusUnauthorized
		if code == "too_many_requests" {
			v.Error, status = wenyuan.ErrorMessage(err), http.StatusTooManyRequests
		}
		w.WriteHeader(status)
		return render(w, "signin.html", v)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (s *Server) handleSignOutForm(w http.ResponseWriter, r *http.Request) error {
	if err := s.signOut(w, r); err != nil {
		return err
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// parseSmallForm reads a urlencoded form of at most 1 MiB (checkCSRF has
// usually read it already).
func parseSmallForm(w http.ResponseWriter, r *http.Request) error {
	if r.PostForm != nil {
		return nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return wenyuan.Errorf(wenyuan.EINVALID, "the form could not be read: %s", err)
	}
	return nil
}

// signedIn returns the request's principal, or the error that shows the
// sign-in page.
func signedIn(r *http.Request) (*wenyuan.Principal, error) {
	p := wenyuan.PrincipalFrom(r.Context())
	if !p.IsSignedIn() {
		return nil, wenyuan.Errorf(wenyuan.EUNAUTHORIZED, "sign in first")
	}
	return p, nil
}

// consoleView is the console's first page: what the user can do, and the
// latest records of their institution.
type consoleView struct {
	frame
	Institution string
	CanWrite    bool
	CanManage   bool
	// CanWriteAuthorities: the authorities are shared by all partners.
	CanWriteAuthorities bool
	Objects             []objectCard
}

func (s *Server) handleConsole(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	f := s.newFrame(r, "")
	f.Title, f.NoIndex = f.T("console.title"), true
	n := s.namer(r)
	v := consoleView{frame: f, Institution: f.In(n.of(wenyuan.KindInstitution, p.Institution)),
		CanWrite:            wenyuan.Can(p, wenyuan.ActionWrite, wenyuan.Target{Kind: wenyuan.KindObject, Institution: p.Institution, Visibility: wenyuan.VisibilityInternal}),
		CanManage:           wenyuan.Can(p, wenyuan.ActionManage, wenyuan.Target{Institution: p.Institution}),
		CanWriteAuthorities: wenyuan.Can(p, wenyuan.ActionWrite, wenyuan.Target{Kind: wenyuan.KindConcept, Visibility: wenyuan.VisibilityPublic})}
	// The institution's objects written last, newest first, from the
	// audit log (the store lists objects in the order they were made).
	entries, _, err := s.Store.FindAudit(r.Context(), wenyuan.AuditFilter{Institution: p.Institution, Kind: wenyuan.KindObject, Limit: 200})
	if err != nil {
		return err
	}
	var objs []*wenyuan.Object
	seen := map[string]bool{}
	for _, e := range entries {
		if len(objs) == 20 {
			break
		}
		if e.RecordID == "" || seen[e.RecordID] || (e.Outcome != "" && e.Outcome != "ok") {
			continue
		}
		seen[e.RecordID] = true
		o, err := s.readableObject(r, e.RecordID)
		if wenyuan.ErrorCode(err) == wenyuan.ENOTFOUND {
			continue // deleted since, or not the user's to read
		}
		if err != nil {
			return err
		}
		objs = append(objs, o)
	}
	if v.Objects, err = s.cards(r, f, n, objs); err != nil {
		return err
	}
	return render(w, "console.html", v)
}

// option is one choice of a select.
type option struct{ Value, Label string }

// objectFormView is the form that creates or edits an object.
type objectFormView struct {
	frame
	formState
	ID           string // "" for a new object
	Heading      string
	Action       string
	Version      int
	Saved        bool
	Institutions []option
	Langs        []option
	Types        []option
	Visibilities []option
	Qualifiers   []option
	Inscriptions []option
	Dimensions   []option
	Units        []option
	Names        map[string]string // linked id → its name, beside the picker
	Images       []imageView
}

// objectSpec is how the object form's fields become JSON.
var objectSpec = formSpec{
	Numbers: map[string]bool{"date.earliest": true, "date.latest": true, "dimensions[].value": true, "version": true},
	Choices: map[string]bool{"lang": true, "type": true, "unit": true, "qualifier": true, "relation": true},
	Skip:    map[string]bool{"csrf_token": true},
}

// picker is what a name typed into a linking field is looked up in: an
// authority kind, and for concepts a scheme.
type picker struct {
	kind   wenyuan.Kind
	scheme string
}

// objectPickers are the object form's fields that link to authorities.
var objectPickers = map[string]picker{
	"classification[]":      {wenyuan.KindConcept, wenyuan.SchemeClassification},
	"materials[]":           {wenyuan.KindConcept, wenyuan.SchemeMaterial},
	"techniques[]":          {wenyuan.KindConcept, wenyuan.SchemeTechnique},
	"production_places[]":   {wenyuan.KindPlace, ""},
	"date.periods[]":        {wenyuan.KindPeriod, ""},
	"makers[].agent":        {wenyuan.KindAgent, ""},
	"inscriptions[].author": {wenyuan.KindAgent, ""},
}

// resolvePickers replaces the names typed into picker fields with the ids
// of the authorities they name; a name that names none, or several, is an
// error beside its field. An id is kept as it is.
func (s *Server) resolvePickers(r *http.Request, tree map[string]any, pickers map[string]picker, errs *[]wenyuan.FieldError) {
	walkLeaves(tree, "", func(path, value string) string {
		pk, ok := pickers[genericPath(path)]
		if !ok || value == "" {
			return value
		}
		if wenyuan.IsValidID(value) {
			if _, err := s.Store.FindRecord(r.Context(), pk.kind, value); err == nil {
				return value
			}
		}
		recs, _, err := s.Store.FindAuthorities(r.Context(), pk.kind, wenyuan.AuthorityFilter{Name: value, Scheme: pk.scheme, Limit: 50})
		if err != nil {
			s.Logger.Error("picker lookup", "field", path, "err", err)
			*errs = append(*errs, wenyuan.FieldError{Field: path, Message: "the lookup failed; try again"})
			return value
		}
		var exact []string
		for _, rec := range recs {
			for _, n := range wenyuan.AuthorityNames(rec) {
				if strings.EqualFold(n.Value, value) {
					exact = append(exact, rec.RecordID())
					break
				}
			}
		}
		switch len(exact) {
		case 1:
			return exact[0]
		case 0:
			msg := "no " + string(pk.kind) + " is named " + strconv.Quote(value) + ": pick one from the list, or create it first"
			if pk.scheme != "" {
				msg = "no " + pk.scheme + " term is named " + strconv.Quote(value) + ": pick one from the list, or create it first"
			}
			*errs = append(*errs, wenyuan.FieldError{Field: path, Message: msg})
		default:
			*errs = append(*errs, wenyuan.FieldError{Field: path, Message: strconv.Quote(value) + " names " + strconv.Itoa(len(exact)) + " records (" + strings.Join(exact, ", ") + "): pick one from the list"})
		}
		return value
	})
}

func (s *Server) handleObjectNew(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	if err := s.mayWriteKind(r, wenyuan.KindObject); err != nil {
		return err
	}
	o := &wenyuan.Object{Institution: p.Institution, Visibility: wenyuan.VisibilityInternal,
		Titles: wenyuan.Text{{Lang: wenyuan.LangHans}, {Lang: wenyuan.LangEn}}}
	return s.renderObjectForm(w, r, o, nil, nil, false)
}

func (s *Server) handleObjectEdit(w http.ResponseWriter, r *http.Request) error {
	if _, err := signedIn(r); err != nil {
		return err
	}
	raw, err := s.visible(r, wenyuan.KindObject, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.mayWrite(r, targetOfRaw(raw), raw.ID); err != nil {
		return err
	}
	rec, err := raw.Decode()
	if err != nil {
		return err
	}
	return s.renderObjectForm(w, r, rec.(*wenyuan.Object), nil, nil, r.URL.Query().Get("saved") != "")
}

// handleObjectSave creates (no id in the path) or updates an object from
// its form. A form with errors is shown again, as sent, with each error
// beside its field and nothing written.
func (s *Server) handleObjectSave(w http.ResponseWriter, r *http.Request) error {
	if _, err := signedIn(r); err != nil {
		return err
	}
	id := r.PathValue("id")
	// Who may not write here learns nothing from the form's errors.
	if id == "" {
		if err := s.mayWriteKind(r, wenyuan.KindObject); err != nil {
			return err
		}
	} else {
		raw, err := s.visible(r, wenyuan.KindObject, id)
		if err != nil {
			return err
		}
		if err := s.mayWrite(r, targetOfRaw(raw), id); err != nil {
			return err
		}
	}
	o := &wenyuan.Object{}
	errs, raw, err := s.saveForm(w, r, o, id, objectSpec, objectPickers)
	if err != nil {
		return err
	}
	if errs == nil {
		http.Redirect(w, r, "/console/objects/"+o.ID+"/edit?saved=1", http.StatusSeeOther)
		return nil
	}
	w.WriteHeader(http.StatusBadRequest)
	return s.renderObjectForm(w, r, o, errs, raw, false)
}

// saveForm reads a record's form (its fields named by JSON path) into rec
// and creates it (id "") or updates record id through the API's checks.
// When nothing is saved it returns the form's errors, and the values
// typed that could not be kept, with rec holding what was sent; err is a
// failure that is not the form's.
func (s *Server) saveForm(w http.ResponseWriter, r *http.Request, rec wenyuan.Record, id string, spec formSpec, pickers map[string]picker) (errs []wenyuan.FieldError, raw map[string]string, err error) {
	if err := parseSmallForm(w, r); err != nil {
		return nil, nil, err
	}
	tree, errs, raw := formJSON(r.PostForm, spec)
	version := 0
	if v, ok := tree["version"].(int); ok {
		version = v
	}
	delete(tree, "version")
	if id != "" {
		delete(tree, "id") // the id is the path's
	}
	s.resolvePickers(r, tree, pickers, &errs)
	b, err := json.Marshal(tree)
	if err != nil {
		return nil, nil, err
	}
	if err := json.Unmarshal(b, rec); err != nil {
		errs = append(errs, decodeErrors(err)...)
	}
	if len(errs) == 0 {
		if id == "" {
			err = s.createRecord(r, rec)
		} else {
			err = s.updateRecord(r, rec.RecordKind(), id, rec, version)
		}
		switch wenyuan.ErrorCode(err) {
		case "":
			return nil, nil, nil
		case wenyuan.EINVALID, wenyuan.ECONFLICT:
			if errs = wenyuan.ErrorFields(err); len(errs) == 0 {
				errs = []wenyuan.FieldError{{Field: "form", Message: wenyuan.ErrorMessage(err)}}
			}
		default:
			return nil, nil, err
		}
	}
	if id != "" {
		rec.SetRecordID(id)
	}
	rec.RecordMeta().Version = version
	return errs, raw, nil
}

func (s *Server) renderObjectForm(w http.ResponseWriter, r *http.Request, o *wenyuan.Object, errs []wenyuan.FieldError, raw map[string]string, saved bool) error {
	p := wenyuan.PrincipalFrom(r.Context())
	f := s.newFrame(r, "")
	f.NoIndex = true
	st, err := newFormState(o, errorsIn(f.Lang, errs), raw)
	if err != nil {
		return err
	}
	v := objectFormView{frame: f, formState: st, ID: o.ID, Version: o.Version, Saved: saved, Names: map[string]string{}}
	if o.ID == "" {
		v.Heading, v.Action = f.T("form.object.new"), "/console/objects/new"
	} else {
		v.Heading, v.Action = f.In(o.Titles), "/console/objects/"+o.ID+"/edit"
		if v.Heading == "" {
			v.Heading = o.AccessionNumber
		}
	}
	f.Title = v.Heading
	n := s.namer(r)
	insts, err := s.Store.FindInstitutions(r.Context())
	if err != nil {
		return err
	}
	for _, in := range insts {
		if in.ID == o.Institution || wenyuan.Can(p, wenyuan.ActionWrite, wenyuan.Target{Kind: wenyuan.KindObject, Institution: in.ID, Visibility: wenyuan.VisibilityInternal}) {
			v.Institutions = append(v.Institutions, option{in.ID, f.In(in.Names)})
		}
	}
	v.Langs = langOptions(st)
	for _, t := range []string{wenyuan.ObjectTangible, wenyuan.ObjectSite, wenyuan.ObjectFeature, wenyuan.ObjectIntangible} {
		v.Types = append(v.Types, option{t, f.Term("object_type", t)})
	}
	for _, vis := range []wenyuan.Visibility{wenyuan.VisibilityPublic, wenyuan.VisibilityConsortium, wenyuan.VisibilityInternal} {
		v.Visibilities = append(v.Visibilities, option{string(vis), f.Term("visibility", string(vis))})
	}
	v.Qualifiers = []option{{"", ""}, {"attributed to", f.T("qualifier.attributed")}, {"workshop of", f.T("qualifier.workshop")}, {"follower of", f.T("qualifier.follower")}, {"after", f.T("qualifier.after")}}
	v.Inscriptions = []option{{"", ""}}
	for _, t := range []string{"inscription", "seal", "colophon", "mark", "signature"} {
		v.Inscriptions = append(v.Inscriptions, option{t, f.Term("inscription", t)})
	}
	v.Dimensions = []option{{"", ""}}
	for _, t := range []string{"height", "width", "diameter", "length", "depth", "weight"} {
		v.Dimensions = append(v.Dimensions, option{t, f.Term("dimension", t)})
	}
	v.Units = []option{{"", ""}, {"cm", "cm"}, {"mm", "mm"}, {"m", "m"}, {"kg", "kg"}, {"g", "g"}}
	// What the record has that the lists lack stays choosable: a form
	// saved unchanged changes nothing.
	v.Types = withValues(v.Types, st, "object_type")
	v.Visibilities = withValues(v.Visibilities, st, "visibility")
	v.Qualifiers = withValues(v.Qualifiers, st, "makers[].qualifier")
	v.Inscriptions = withValues(v.Inscriptions, st, "inscriptions[].type")
	v.Dimensions = withValues(v.Dimensions, st, "dimensions[].type")
	v.Units = withValues(v.Units, st, "dimensions[].unit")
	v.Langs = withValues(append(v.Langs, option{"", "—"}), st, "titles[].lang", "inscriptions[].lang", "description[].lang", "provenance[].lang")
	for _, l := range wenyuan.Links(o) {
		if l.Kind != wenyuan.KindObject && l.Kind != wenyuan.KindInstitution {
			if name := f.In(n.of(l.Kind, l.ID)); name != "" {
				v.Names[l.ID] = name
			}
		}
	}
	if o.ID != "" {
		imgs, err := s.readableImages(r, o.ID)
		if err != nil {
			return err
		}
		for _, im := range imgs {
			iv := imageView{ID: im.ID, Info: "/iiif/3/" + im.ID + "/info.json", Thumb: "/iiif/3/" + im.ID + "/square/160,/0/default.jpg", Width: im.Width, Height: im.Height}
			if c := f.Pick(im.Caption); c != nil {
				iv.Caption = c.Value
			}
			v.Images = append(v.Images, iv)
		}
	}
	v.frame = f
	return render(w, "objectform.html", v)
}

// Selected reports whether the field at path has value, for a select.
func (v objectFormView) Selected(path, value string) bool { return v.V(path) == value }

// historyView is a record's history: each version, who made it and when
// (for the owner's users), what changed, and a button to go back to it.
type historyView struct {
	frame
	Kind     wenyuan.Kind
	Plural   string
	ID       string
	Heading  string
	Page     string // the record's public page, if it has one
	Versions []versionView
	CanWrite bool
	Reverted int
}

type versionView struct {
	Version int
	Action  string
	Actor   string
	At      string
	Changes []changeView
	Current bool
}

type changeView struct {
	Field    string // its path
	Label    string // its name in the page's language
	Old, New string
}

// pluralKinds maps the console's paths to record kinds.
var pluralKinds = map[string]wenyuan.Kind{"objects": wenyuan.KindObject, "agents": wenyuan.KindAgent, "places": wenyuan.KindPlace, "periods": wenyuan.KindPeriod, "concepts": wenyuan.KindConcept, "institutions": wenyuan.KindInstitution, "images": wenyuan.KindImage}

func (s *Server) handleHistoryPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := signedIn(r); err != nil {
		return err
	}
	plural := r.PathValue("kind")
	kind, ok := pluralKinds[plural]
	if !ok {
		return wenyuan.Errorf(wenyuan.ENOTFOUND, "no records called %s", plural)
	}
	id := r.PathValue("id")
	vs, err := s.readableVersions(r, kind, id)
	if err != nil {
		return err
	}
	f := s.newFrame(r, "")
	f.NoIndex = true
	v := historyView{Kind: kind, Plural: plural, ID: id}
	if n, err := strconv.Atoi(r.URL.Query().Get("reverted")); err == nil {
		v.Reverted = n
	}
	last := wenyuan.NewRecord(kind)
	if err := json.Unmarshal(vs[len(vs)-1].Record, last); err != nil {
		return err
	}
	v.CanWrite = wenyuan.Can(wenyuan.PrincipalFrom(r.Context()), wenyuan.ActionWrite, wenyuan.TargetOf(last)) && vs[len(vs)-1].Action != "delete"
	switch rec := last.(type) {
	case *wenyuan.Object:
		v.Heading = f.In(rec.Titles)
		v.Page = "/objects/" + id
	case *wenyuan.Image:
		v.Heading = id
	default:
		v.Heading = f.In(wenyuan.AuthorityNames(last))
		if kindPaths[kind] != "" {
			v.Page = "/" + kindPaths[kind] + "/" + id
		}
	}
	if v.Heading == "" {
		v.Heading = id
	}
	f.Title = f.T("history.title") + " · " + v.Heading
	for i, ver := range vs {
		// A record's first version (or the first the reader may see) is
		// shown field by field, as if from nothing.
		prev := json.RawMessage("{}")
		if i > 0 && vs[i-1].Version == ver.Version-1 {
			prev = vs[i-1].Record
		}
		changes, err := wenyuan.Diff(prev, ver.Record)
		if err != nil {
			return err
		}
		vv := versionView{Version: ver.Version, Action: f.Term("action", ver.Action), Actor: ver.Actor, At: f.Time(ver.At), Current: i == len(vs)-1}
		for _, c := range changes {
			if c.Field == "version" || c.Field == "updated_at" || c.Field == "created_at" {
				continue
			}
			top, _, _ := strings.Cut(c.Field, ".")
			top, _, _ = strings.Cut(top, "[")
			vv.Changes = append(vv.Changes, changeView{Field: c.Field, Label: f.Term("field", top), Old: changeText(c.Old), New: changeText(c.New)})
		}
		v.Versions = append(v.Versions, vv)
	}
	// Newest first.
	sort.Slice(v.Versions, func(i, j int) bool { return v.Versions[i].Version > v.Versions[j].Version })
	v.frame = f
	return render(w, "history.html", v)
}

// changeText writes a changed value for people: text as it is, text in
// a language as "text (lang)", lists joined, fields as "name: value".
func changeText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			parts = append(parts, changeText(e))
		}
		return strings.Join(parts, " · ")
	case map[string]any:
		if val, ok := x["value"].(string); ok && len(x) <= 3 {
			if lang, ok := x["lang"].(string); ok {
				return val + " (" + lang + ")"
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, k+": "+changeText(x[k]))
		}
		return strings.Join(parts, "; ")
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func (s *Server) handleRevertForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := signedIn(r); err != nil {
		return err
	}
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	plural := r.PathValue("kind")
	kind, ok := pluralKinds[plural]
	if !ok {
		return wenyuan.Errorf(wenyuan.ENOTFOUND, "no records called %s", plural)
	}
	version, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil {
		return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "invalid revert", Fields: []wenyuan.FieldError{{Field: "version", Message: "is not a version number"}}}
	}
	id := r.PathValue("id")
	if _, err := s.revertRecord(r, kind, id, version); err != nil {
		return err
	}
	http.Redirect(w, r, "/console/"+plural+"/"+id+"/history?reverted="+strconv.Itoa(version), http.StatusSeeOther)
	return nil
}

// auditView is a page of the audit log.
type auditView struct {
	frame
	Entries []*wenyuan.AuditEntry
	Next    string
	Action  string
	Actor   string
}

func (s *Server) handleAuditPage(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	if !wenyuan.Can(p, wenyuan.ActionManage, wenyuan.Target{Institution: p.Institution}) {
		return s.deny(r.Context(), r, "read the audit log", wenyuan.Target{Institution: p.Institution}, "")
	}
	q := r.URL.Query()
	filter := wenyuan.AuditFilter{Institution: p.Institution, Actor: q.Get("actor"), Action: q.Get("action"), Cursor: q.Get("cursor"), Limit: 100}
	entries, next, err := s.Store.FindAudit(r.Context(), filter)
	if err != nil {
		return err
	}
	f := s.newFrame(r, "")
	f.Title, f.NoIndex = f.T("audit.title"), true
	v := auditView{frame: f, Entries: entries, Action: filter.Action, Actor: filter.Actor}
	if next != "" {
		u := url.Values{"cursor": {next}}
		if filter.Action != "" {
			u.Set("action", filter.Action)
		}
		if filter.Actor != "" {
			u.Set("actor", filter.Actor)
		}
		v.Next = "/console/audit?" + u.Encode()
	}
	return render(w, "audit.html", v)
}

// Plural is the console's path for records of kind.
func (v auditView) Plural(kind wenyuan.Kind) string {
	for p, k := range pluralKinds {
		if k == kind {
			return p
		}
	}
	return string(kind)
}

// decodeErrors turns a form's JSON that does not decode into the record
// (a year with a fraction) into errors beside the fields named.
func decodeErrors(err error) []wenyuan.FieldError {
	e := jsonError(err)
	if fe := wenyuan.ErrorFields(e); len(fe) > 0 {
		return fe
	}
	return []wenyuan.FieldError{{Field: "form", Message: wenyuan.ErrorMessage(e)}}
}
