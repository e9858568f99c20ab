package web

import (
	"net/http"

	"wenyuan"
)

// The console's forms for authorities: people and groups, places, periods
// and concepts. Like the object form, each input is named by its field's
// JSON path.

// authoritySpec is how an authority form's fields become JSON.
var authoritySpec = formSpec{
	Numbers: map[string]bool{"born": true, "died": true, "start": true, "end": true, "latitude": true, "longitude": true, "version": true},
	Choices: map[string]bool{"lang": true, "type": true},
	Skip:    map[string]bool{"csrf_token": true},
}

// authorityPickers are the links of each authority kind to another.
var authorityPickers = map[wenyuan.Kind]map[string]picker{
	wenyuan.KindPlace:   {"parent": {wenyuan.KindPlace, ""}},
	wenyuan.KindPeriod:  {"parent": {wenyuan.KindPeriod, ""}},
	wenyuan.KindConcept: {"broader": {wenyuan.KindConcept, ""}},
	wenyuan.KindAgent:   {},
}

// authorityFormView is the form that creates or edits an authority.
type authorityFormView struct {
	frame
	formState
	Kind      wenyuan.Kind
	Plural    string
	ID        string
	Heading   string
	Action    string
	Version   int
	Saved     bool
	Langs     []option
	NameTypes []option
	Types     []option // agent, place or period types; concept schemes
	Names     map[string]string
}

// authorityKind is the authority kind a console path names, or not found.
func authorityKind(plural string) (wenyuan.Kind, error) {
	kind := pluralKinds[plural]
	if _, ok := authorityPickers[kind]; !ok {
		return "", wenyuan.Errorf(wenyuan.ENOTFOUND, "no authority records called %s", plural)
	}
	return kind, nil
}

func (s *Server) handleAuthorityNew(plural string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := signedIn(r); err != nil {
			return err
		}
		kind, err := authorityKind(plural)
		if err != nil {
			return err
		}
		if err := s.mayWriteKind(r, kind); err != nil {
			return err
		}
		rec := wenyuan.NewRecord(kind)
		names := wenyuan.Names{{Lang: wenyuan.LangHans}, {Lang: wenyuan.LangEn}}
		switch a := rec.(type) {
		case *wenyuan.Agent:
			a.Names, a.Type = names, "person"
		case *wenyuan.Place:
			a.Names = names
		case *wenyuan.Period:
			a.Names = names
		case *wenyuan.Concept:
			a.Names = names
		}
		return s.renderAuthorityForm(w, r, rec, nil, nil, false)
	}
}

func (s *Server) handleAuthorityEdit(plural string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := signedIn(r); err != nil {
			return err
		}
		kind, err := authorityKind(plural)
		if err != nil {
			return err
		}
		raw, err := s.visible(r, kind, r.PathValue("id"))
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
		return s.renderAuthorityForm(w, r, rec, nil, nil, r.URL.Query().Get("saved") != "")
	}
}

// handleAuthoritySave creates (no id in the path) or updates an authority
// from its form; a form with errors is shown again with nothing written.
func (s *Server) handleAuthoritySave(plural string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := signedIn(r); err != nil {
			return err
		}
		kind, err := authorityKind(plural)
		if err != nil {
			return err
		}
		id := r.PathValue("id")
		if err := s.mayWriteKind(r, kind); err != nil {
			return err
		}
		if id != "" {
			raw, err := s.visible(r, kind, id)
			if err != nil {
				return err
			}
			if err := s.mayWrite(r, targetOfRaw(raw), id); err != nil {
				return err
			}
		}
		rec := wenyuan.NewRecord(kind)
		errs, rawVals, err := s.saveForm(w, r, rec, id, authoritySpec, authorityPickers[kind])
		if err != nil {
			return err
		}
		if errs == nil {
			http.Redirect(w, r, "/console/"+plural+"/"+rec.RecordID()+"/edit?saved=1", http.StatusSeeOther)
			return nil
		}
		w.WriteHeader(http.StatusBadRequest)
		return s.renderAuthorityForm(w, r, rec, errs, rawVals, false)
	}
}

func (s *Server) renderAuthorityForm(w http.ResponseWriter, r *http.Request, rec wenyuan.Record, errs []wenyuan.FieldError, raw map[string]string, saved bool) error {
	f := s.newFrame(r, "")
	f.NoIndex = true
	st, err := newFormState(rec, errorsIn(f.Lang, errs), raw)
	if err != nil {
		return err
	}
	kind := rec.RecordKind()
	v := authorityFormView{frame: f, formState: st, Kind: kind, Plural: kindPaths[kind], ID: rec.RecordID(), Version: rec.RecordMeta().Version, Saved: saved, Names: map[string]string{}}
	if v.ID == "" {
		v.Heading, v.Action = f.T("form.new")+" · "+f.T("kind."+string(kind)), "/console/"+v.Plural+"/new"
	} else {
		v.Heading, v.Action = f.In(wenyuan.AuthorityNames(rec)), "/console/"+v.Plural+"/"+v.ID+"/edit"
		if v.Heading == "" {
			v.Heading = v.ID
		}
	}
	f.Title = v.Heading
	v.Langs = langOptions(st)
	for _, t := range []string{"", "preferred", "alternate", "courtesy", "studio", "wade-giles"} {
		v.NameTypes = append(v.NameTypes, option{t, f.Term("name.type", t)})
	}
	var types []string
	prefix := ""
	switch kind {
	case wenyuan.KindAgent:
		types, prefix = []string{"person", "group"}, "agent.type"
	case wenyuan.KindPlace:
		types, prefix = []string{"", "nation", "province", "city", "site", "kiln"}, "place.type"
	case wenyuan.KindPeriod:
		types, prefix = []string{"", "period", "dynasty", "reign", "era"}, "period.type"
	case wenyuan.KindConcept:
		types, prefix = []string{wenyuan.SchemeClassification, wenyuan.SchemeMaterial, wenyuan.SchemeTechnique, "object-name", "role"}, "scheme"
	}
	for _, t := range types {
		v.Types = append(v.Types, option{t, f.Term(prefix, t)})
	}
	// What the record has that the lists lack stays choosable.
	v.Types = withValues(v.Types, st, "agent_type", "place_type", "period_type", "scheme")
	v.NameTypes = withValues(v.NameTypes, st, "names[].type")
	v.Langs = withValues(append(v.Langs, option{"", "—"}), st, "names[].lang", "biography[].lang", "note[].lang")
	n := s.namer(r)
	for _, l := range wenyuan.Links(rec) {
		if name := f.In(n.of(l.Kind, l.ID)); name != "" {
			v.Names[l.ID] = name
		}
	}
	v.frame = f
	return render(w, "authorityform.html", v)
}

// langOptions are the languages a form offers: Wenyuan's four, and any
// other the record already uses.
func langOptions(st formState) []option {
	out := []option{{wenyuan.LangHans, "简体中文"}, {wenyuan.LangHant, "繁體中文"}, {wenyuan.LangEn, "English"}, {wenyuan.LangPinyin, "Hànyǔ Pīnyīn"}}
	seen := map[string]bool{}
	for _, l := range out {
		seen[l.Value] = true
	}
	for k, val := range st.flat {
		if len(k) > 5 && k[len(k)-5:] == ".lang" && val != "" && !seen[val] {
			seen[val] = true
			out = append(out, option{val, val})
		}
	}
	return out
}
