package linkedart

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"wenyuan"
)

// Unmapped is a part of a Linked Art document that ReadObject could not
// keep in a wenyuan.Object: a reference to a record outside Base, a
// statement or identifier of a kind Wenyuan has no field for, a property it
// does not read.
type Unmapped struct {
	Path   string // JSON path of the part: "made_of[1]"
	ID     string // its URI, if it has one
	Label  string // its _label or content, if any
	Reason string
}

// ReadObject reads a Linked Art HumanMadeObject: one this package wrote,
// or one in the common patterns of other Linked Art publishers. References
// to records under Base (Base+"/concepts/"+id and so on) become Wenyuan
// ids. A maker outside Base keeps its _label as the maker's name; anything
// else the object cannot hold is returned as Unmapped, in document order.
//
// Malformed JSON, a value of the wrong JSON type, or a document without
// what Wenyuan requires (a Name, an accession number) is an EINVALID
// *wenyuan.Error whose field names the JSON path, as in
// "identified_by[2].content". The object is not normalized or validated:
// call its Normalize and Validate as for any record.
func (c *Context) ReadObject(data []byte) (*wenyuan.Object, []Unmapped, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, nil, wenyuan.Errorf(wenyuan.EINVALID, "invalid Linked Art object: not JSON: %v (at byte %d)", err, se.Offset)
		}
		return nil, nil, wenyuan.Errorf(wenyuan.EINVALID, "invalid Linked Art object: not JSON: %v", err)
	}
	if _, err := dec.Token(); err == nil {
		return nil, nil, wenyuan.Errorf(wenyuan.EINVALID, "invalid Linked Art object: more data after the JSON object (at byte %d)", dec.InputOffset())
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, nil, pathError("", "want a JSON object, got %s", jsonType(v))
	}
	r := &reader{c: c, o: &wenyuan.Object{}}
	if err := r.object(jnode{m: m}); err != nil {
		return nil, nil, err
	}
	return r.o, r.unmapped, nil
}

// pathError returns the EINVALID error of ReadObject for the value at path.
func pathError(path, format string, args ...any) error {
	if path == "" {
		path = "(document)"
	}
	return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "invalid Linked Art object",
		Fields: []wenyuan.FieldError{{Field: path, Message: fmt.Sprintf(format, args...)}}}
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number, float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// jnode is a JSON object of the document and its path.
type jnode struct {
	m    map[string]any
	path string
}

func (n jnode) at(key string) string {
	if n.path == "" {
		return key
	}
	return n.path + "." + key
}

// str returns the string at key, "" if absent or null.
func (n jnode) str(key string) (string, error) {
	switch v := n.m[key].(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	default:
		return "", pathError(n.at(key), "want a string, got %s", jsonType(v))
	}
}

// content returns the content of a Name, Identifier or statement, which
// must be there.
func (n jnode) content() (string, error) {
	s, err := n.str("content")
	if err == nil && strings.TrimSpace(s) == "" {
		err = pathError(n.at("content"), "missing or empty")
	}
	return s, err
}

// list returns the objects at key: the items of an array, or a single
// object, which some publishers write for one value.
func (n jnode) list(key string) ([]jnode, error) {
	switch v := n.m[key].(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return []jnode{{m: v, path: n.at(key)}}, nil
	case []any:
		out := make([]jnode, 0, len(v))
		for i, item := range v {
			p := n.at(key) + "[" + strconv.Itoa(i) + "]"
			m, ok := item.(map[string]any)
			if !ok {
				return nil, pathError(p, "want a JSON object, got %s", jsonType(item))
			}
			out = append(out, jnode{m: m, path: p})
		}
		return out, nil
	default:
		return nil, pathError(n.at(key), "want an array of objects, got %s", jsonType(v))
	}
}

// num returns the number at key and whether there is one.
func (n jnode) num(key string) (float64, bool, error) {
	switch v := n.m[key].(type) {
	case nil:
		return 0, false, nil
	case json.Number:
		f, err := v.Float64()
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return 0, false, pathError(n.at(key), "%s is not a number Wenyuan can keep", v)
		}
		return f, true, nil
	default:
		return 0, false, pathError(n.at(key), "want a number, got %s", jsonType(v))
	}
}

// ref is a reference read from the document.
type ref struct {
	ID, Type, Label, Path string
}

// refs returns the references at key.
func (n jnode) refs(key string) ([]ref, error) {
	items, err := n.list(key)
	if err != nil {
		return nil, err
	}
	out := make([]ref, len(items))
	for i, it := range items {
		if out[i], err = it.ref(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (n jnode) ref() (ref, error) {
	r := ref{Path: n.path}
	var err error
	if r.ID, err = n.str("id"); err != nil {
		return r, err
	}
	if r.Type, err = n.str("type"); err != nil {
		return r, err
	}
	r.Label, err = n.str("_label")
	return r, err
}

// classes returns the ids of the classifications of n.
func (n jnode) classes() ([]string, error) {
	rs, err := n.refs("classified_as")
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out, nil
}

type reader struct {
	c        *Context
	o        *wenyuan.Object
	unmapped []Unmapped
	assigner string // the institution that assigned the accession number
}

func (r *reader) skip(path, id, label, reason string) {
	r.unmapped = append(r.unmapped, Unmapped{Path: path, ID: id, Label: label, Reason: reason})
}

func (r *reader) skipRef(x ref, reason string) { r.skip(x.Path, x.ID, x.Label, reason) }

// readProps are the properties of a HumanMadeObject that ReadObject reads.
var readProps = []string{"@context", "id", "type", "_label", "identified_by", "classified_as",
	"referred_to_by", "dimension", "made_of", "part_of", "current_owner", "current_location",
	"produced_by", "attributed_by", "modified_by"}

func (r *reader) object(n jnode) error {
	typ, err := n.str("type")
	if err != nil {
		return err
	}
	if typ != "HumanMadeObject" {
		return pathError("type", "want \"HumanMadeObject\", got %q", typ)
	}
	id, err := n.str("id")
	if err != nil {
		return err
	}
	if oid, ok := r.c.ParseURI(wenyuan.KindObject, id); ok {
		r.o.ID = oid
	} else if id != "" {
		r.skip("id", id, "", "not a Wenyuan object URI under "+r.c.base())
	}
	var others []string
	for k := range n.m {
		if !slices.Contains(readProps, k) {
			others = append(others, k)
		}
	}
	sort.Strings(others)
	for _, k := range others {
		r.skip(k, "", "", "property Wenyuan does not read")
	}
	for _, step := range []func(jnode) error{r.identifiers, r.classifications, r.dimensions, r.statements,
		r.materials, r.partOf, r.owners, r.location, r.production, r.related, r.authors} {
		if err := step(n); err != nil {
			return err
		}
	}
	if len(r.o.Titles) == 0 {
		return pathError("identified_by", "no Name: Wenyuan needs at least one title")
	}
	if r.o.AccessionNumber == "" {
		return pathError("identified_by", "no Identifier classified as an Accession Number (%s)", aatAccessionNumber.ID)
	}
	if r.o.Institution == "" {
		r.o.Institution = r.assigner
	}
	return nil
}

func (r *reader) identifiers(n jnode) error {
	items, err := n.list("identified_by")
	if err != nil {
		return err
	}
	for _, it := range items {
		typ, err := it.str("type")
		if err != nil {
			return err
		}
		switch typ {
		case "Name":
			content, err := it.content()
			if err != nil {
				return err
			}
			lang, err := r.language(it)
			if err != nil {
				return err
			}
			r.o.Titles = append(r.o.Titles, wenyuan.LangString{Lang: lang, Value: content})
		case "Identifier":
			content, err := it.content()
			if err != nil {
				return err
			}
			classes, err := it.classes()
			if err != nil {
				return err
			}
			switch {
			case !slices.Contains(classes, aatAccessionNumber.ID):
				r.skip(it.path, "", content, "identifier that is not an accession number")
			case r.o.AccessionNumber != "":
				r.skip(it.path, "", content, "a second accession number")
			default:
				r.o.AccessionNumber = content
				if err := r.assignedBy(it); err != nil {
					return err
				}
			}
		default:
			return pathError(it.at("type"), "want \"Name\" or \"Identifier\", got %q", typ)
		}
	}
	return nil
}

// assignedBy notes the Wenyuan institution that assigned an accession
// number, the object's institution if it names no current owner.
func (r *reader) assignedBy(id jnode) error {
	aas, err := id.list("assigned_by")
	if err != nil {
		return err
	}
	for _, aa := range aas {
		agents, err := aa.refs("carried_out_by")
		if err != nil {
			return err
		}
		for _, a := range agents {
			if inst, ok := r.c.ParseURI(wenyuan.KindInstitution, a.ID); ok && r.assigner == "" {
				r.assigner = inst
			}
		}
	}
	return nil
}

// language returns the BCP 47 tag of the first language of n: a tag in
// its notation or _label that belongs to the referenced language, or the
// language's local term, or the tag of its AAT language.
func (r *reader) language(n jnode) (string, error) {
	langs, err := n.list("language")
	if err != nil || len(langs) == 0 {
		return "", err
	}
	for _, extra := range langs[1:] {
		x, err := extra.ref()
		if err != nil {
			return "", err
		}
		r.skipRef(x, "a second language")
	}
	l := langs[0]
	x, err := l.ref()
	if err != nil {
		return "", err
	}
	if w, ok := r.c.termWord(vocabLanguage, x.ID); ok {
		return w, nil
	}
	var candidates []string
	if notes, ok := l.m["notation"].([]any); ok {
		for _, s := range notes {
			if s, ok := s.(string); ok {
				candidates = append(candidates, s)
			}
		}
	}
	candidates = append(candidates, x.Label)
	for _, tag := range candidates {
		p := primarySubtag(tag)
		if len(p) < 2 || len(p) > 3 || !wenyuan.IsWellFormedLangTag(tag) {
			continue
		}
		if t, ok := aatLanguages[p]; !strings.HasPrefix(x.ID, aat) || ok && t.ID == x.ID {
			return tag, nil
		}
	}
	if code := aatLanguageCode(x.ID); code != "" {
		return code, nil
	}
	r.skipRef(x, "language without a BCP 47 tag")
	return "", nil
}

// aatLanguageCode returns the shortest tag whose AAT language is id.
func aatLanguageCode(id string) string {
	best := ""
	for code, t := range aatLanguages {
		if t.ID == id && (best == "" || len(code) < len(best) || len(code) == len(best) && code < best) {
			best = code
		}
	}
	return best
}

func (r *reader) classifications(n jnode) error {
	rs, err := n.refs("classified_as")
	if err != nil {
		return err
	}
	for _, x := range rs {
		if id, ok := r.c.ParseURI(wenyuan.KindConcept, x.ID); ok {
			r.o.Classification = append(r.o.Classification, id)
		} else if w, ok := r.c.termWord(vocabObjectName, x.ID); ok && r.o.ObjectName == "" {
			r.o.ObjectName = w
		} else if w, ok := r.c.termWord(vocabObjectType, x.ID); ok {
			r.o.Type = w
		} else {
			r.skipRef(x, "classification outside Wenyuan's concepts")
		}
	}
	return nil
}

// statement is an embedded LinguisticObject read from the document.
type statement struct {
	jnode
	content, lang string
	classes       []string
}

func (r *reader) statement(n jnode) (statement, error) {
	st := statement{jnode: n}
	var err error
	if st.content, err = n.content(); err != nil {
		return st, err
	}
	if st.lang, err = r.language(n); err != nil {
		return st, err
	}
	st.classes, err = n.classes()
	return st, err
}

func (st statement) is(ids ...string) bool {
	for _, id := range ids {
		if slices.Contains(st.classes, id) {
			return true
		}
	}
	return false
}

// inscriptionIDs are the classifications that make a statement an
// inscription.
var inscriptionIDs = []string{aatInscriptionStmt.ID, aatInscriptions.ID, aatSignature.ID, aatMarkingsStmt.ID, aatMarks.ID}

func (r *reader) statements(n jnode) error {
	items, err := n.list("referred_to_by")
	if err != nil {
		return err
	}
	for _, it := range items {
		if _, has := it.m["content"]; !has {
			x, err := it.ref()
			if err != nil {
				return err
			}
			if x.ID != "" {
				r.skipRef(x, "reference to a text")
				continue
			}
		}
		st, err := r.statement(it)
		if err != nil {
			return err
		}
		o := r.o
		switch {
		case st.is(inscriptionIDs...):
			in, err := r.inscription(st)
			if err != nil {
				return err
			}
			o.Inscriptions = append(o.Inscriptions, in)
		case st.is(aatDescription.ID, aatOldDescription):
			o.Description = append(o.Description, wenyuan.LangString{Lang: st.lang, Value: st.content})
		case st.is(aatProvenance.ID, aatProvenanceActivity):
			o.Provenance = append(o.Provenance, wenyuan.LangString{Lang: st.lang, Value: st.content})
		case st.is(aatCreditLine.ID, aatAcknowledgments.ID) && o.CreditLine == "":
			o.CreditLine = st.content
		case st.is(aatRights.ID) && o.Rights == "":
			o.Rights = st.content
		case st.is(aatMaterials.ID) && o.Medium == "":
			o.Medium = st.content
		case st.is(aatDimensions.ID):
			o.Dimensions = append(o.Dimensions, wenyuan.Dimension{Display: st.content})
		default:
			r.skip(st.path, "", st.content, "statement of a kind Wenyuan does not keep")
		}
	}
	return nil
}

func (r *reader) inscription(st statement) (wenyuan.Inscription, error) {
	in := wenyuan.Inscription{Lang: st.lang}
	for _, id := range st.classes {
		if w, ok := r.c.termWord(vocabInscription, id); ok {
			in.Type = w
		}
	}
	if in.Type == "" {
		switch {
		case st.is(aatSignature.ID):
			in.Type = "signature"
		case st.is(aatMarks.ID, aatMarkingsStmt.ID):
			in.Type = "mark"
		case st.is(aatInscriptions.ID):
			in.Type = "inscription"
		}
	}
	translation, position := r.c.termURI(vocabNote, "translation"), r.c.termURI(vocabNote, "position")
	if st.is(translation) {
		in.Translation = st.content
	} else {
		in.Text = st.content
	}
	notes, err := st.list("referred_to_by")
	if err != nil {
		return in, err
	}
	for _, n := range notes {
		note, err := r.statement(n)
		if err != nil {
			return in, err
		}
		switch {
		case note.is(translation) && in.Translation == "":
			in.Translation = note.content
		case note.is(position) && in.Position == "":
			in.Position = note.content
		default:
			r.skip(note.path, "", note.content, "statement about an inscription of a kind Wenyuan does not keep")
		}
	}
	return in, nil
}

func (r *reader) dimensions(n jnode) error {
	items, err := n.list("dimension")
	if err != nil {
		return err
	}
	for _, it := range items {
		v, ok, err := it.num("value")
		if err != nil {
			return err
		}
		if !ok {
			return pathError(it.at("value"), "missing: a Dimension needs a value")
		}
		d := wenyuan.Dimension{Value: &v}
		units, err := it.list("unit")
		if err != nil {
			return err
		}
		if len(units) == 0 {
			return pathError(it.at("unit"), "missing: a Dimension needs a unit")
		}
		u, err := units[0].ref()
		if err != nil {
			return err
		}
		if d.Unit = r.word(u, aatUnits, vocabUnit); d.Unit == "" {
			return pathError(u.Path, "a unit with neither a known id nor a _label")
		}
		classes, err := it.refs("classified_as")
		if err != nil {
			return err
		}
		for _, x := range classes {
			if w, ok := wordFor(aatDimensionTypes, x.ID); ok && d.Type == "" {
				d.Type = w
			} else if w, ok := r.c.termWord(vocabDimension, x.ID); ok && d.Type == "" {
				d.Type = w
			} else {
				r.skipRef(x, "classification of a dimension Wenyuan does not keep")
			}
		}
		if d.Display, err = firstNameContent(it); err != nil {
			return err
		}
		r.o.Dimensions = append(r.o.Dimensions, d)
	}
	return nil
}

// word returns the word of a reference in table or vocab, or else its
// _label.
func (r *reader) word(x ref, table map[string]term, vocab string) string {
	if w, ok := wordFor(table, x.ID); ok {
		return w
	}
	if w, ok := r.c.termWord(vocab, x.ID); ok {
		return w
	}
	return x.Label
}

// firstNameContent returns the content of the first Name of n.
func firstNameContent(n jnode) (string, error) {
	names, err := n.list("identified_by")
	if err != nil {
		return "", err
	}
	for _, nm := range names {
		if typ, _ := nm.str("type"); typ == "Name" {
			return nm.content()
		}
	}
	return "", nil
}

// ids appends the Wenyuan ids of the references at key to *dst and reports
// the others.
func (r *reader) ids(n jnode, key string, kind wenyuan.Kind, dst *[]string) error {
	rs, err := n.refs(key)
	if err != nil {
		return err
	}
	for _, x := range rs {
		if id, ok := r.c.ParseURI(kind, x.ID); ok {
			*dst = append(*dst, id)
		} else {
			r.skipRef(x, fmt.Sprintf("reference outside Wenyuan's %ss", kind))
		}
	}
	return nil
}

func (r *reader) materials(n jnode) error {
	return r.ids(n, "made_of", wenyuan.KindConcept, &r.o.Materials)
}

func (r *reader) partOf(n jnode) error {
	return r.first(n, "part_of", wenyuan.KindObject, &r.o.PartOf, "more than one whole")
}

func (r *reader) owners(n jnode) error {
	return r.first(n, "current_owner", wenyuan.KindInstitution, &r.o.Institution, "more than one owner")
}

// first reads the references of key into dst where Wenyuan keeps one:
// the first, the others reported as what they are.
func (r *reader) first(n jnode, key string, kind wenyuan.Kind, dst *string, what string) error {
	var ids []string
	if err := r.ids(n, key, kind, &ids); err != nil {
		return err
	}
	if len(ids) > 0 {
		*dst = ids[0]
	}
	if len(ids) > 1 {
		r.skip(key, "", strings.Join(ids[1:], " "), what+": Wenyuan keeps the first")
	}
	return nil
}

func (r *reader) location(n jnode) error {
	places, err := n.refs("current_location")
	if err != nil || len(places) == 0 {
		return err
	}
	x := places[0]
	if loc, ok := r.c.parseLocation(x.ID); ok {
		r.o.CurrentLocation = loc
	} else if x.Label != "" {
		r.o.CurrentLocation = x.Label
	} else {
		r.skipRef(x, "location without a label")
	}
	return nil
}

// parseLocation returns the text of a location URI that Object wrote.
func (c *Context) parseLocation(uri string) (string, bool) {
	rest, ok := strings.CutPrefix(uri, c.base()+"/")
	if !ok {
		return "", false
	}
	if inst, loc, ok := strings.Cut(rest, "/locations/"); ok {
		if _, ok := c.ParseURI(wenyuan.KindInstitution, c.base()+"/"+inst); !ok {
			return "", false
		}
		rest = loc
	} else if rest, ok = strings.CutPrefix(rest, "locations/"); !ok {
		return "", false
	}
	loc, err := url.PathUnescape(rest)
	return loc, err == nil && loc != ""
}

func (r *reader) production(n jnode) error {
	prods, err := n.list("produced_by")
	if err != nil {
		return err
	}
	for _, p := range prods {
		if err := r.dating(p); err != nil {
			return err
		}
		if err := r.ids(p, "took_place_at", wenyuan.KindPlace, &r.o.Places); err != nil {
			return err
		}
		if err := r.ids(p, "technique", wenyuan.KindConcept, &r.o.Techniques); err != nil {
			return err
		}
		// Publishers who do not partition the production name the
		// makers on the production itself.
		agents, err := p.refs("carried_out_by")
		if err != nil {
			return err
		}
		for _, x := range agents {
			r.maker(x, "", "", "")
		}
		parts, err := p.list("part")
		if err != nil {
			return err
		}
		for _, part := range parts {
			if err := r.ids(part, "technique", wenyuan.KindConcept, &r.o.Techniques); err != nil {
				return err
			}
			if err := r.makers(part, ""); err != nil {
				return err
			}
		}
		if err := r.qualifiedMakers(p); err != nil {
			return err
		}
		influences, err := p.refs("influenced_by")
		if err != nil {
			return err
		}
		for _, x := range influences {
			if x.Type == "Person" || x.Type == "Group" {
				r.maker(x, "", "", "after")
			} else {
				r.skipRef(x, "influence Wenyuan does not keep")
			}
		}
	}
	return nil
}

func (r *reader) dating(p jnode) error {
	var periods []string
	if err := r.ids(p, "during", wenyuan.KindPeriod, &periods); err != nil {
		return err
	}
	spans, err := p.list("timespan")
	if err != nil {
		return err
	}
	d := &wenyuan.Dating{Periods: periods}
	for _, ts := range spans[:min(len(spans), 1)] {
		if d.Display, err = firstNameContent(ts); err != nil {
			return err
		}
		for _, key := range []string{"begin_of_the_begin", "end_of_the_begin"} {
			s, err := ts.str(key)
			if err != nil {
				return err
			}
			if s != "" && d.Earliest == nil {
				y, err := ParseYear(s)
				if err != nil {
					return pathError(ts.at(key), "%v", err)
				}
				d.Earliest = &y
			}
		}
		for _, key := range []string{"end_of_the_end", "begin_of_the_end"} {
			s, err := ts.str(key)
			if err != nil {
				return err
			}
			if s != "" && d.Latest == nil {
				y, err := endYear(s)
				if err != nil {
					return pathError(ts.at(key), "%v", err)
				}
				d.Latest = &y
			}
		}
		for _, y := range []*int{d.Earliest, d.Latest} {
			if y != nil && (*y < wenyuan.MinYear || *y > wenyuan.MaxYear) {
				return pathError(ts.path, "year %d is outside %d to %d", *y, wenyuan.MinYear, wenyuan.MaxYear)
			}
		}
	}
	if d.Display == "" && d.Earliest == nil && d.Latest == nil && len(d.Periods) == 0 {
		return nil
	}
	if r.o.Date != nil {
		r.skip(p.at("timespan"), "", d.Display, "a second production date: Wenyuan keeps the first")
		return nil
	}
	r.o.Date = d
	return nil
}

// makers reads the makers of one production or part of one: each agent
// carrying it out, with the role it is classified as and the maker's name
// from a Production Statement; just the name when no agent is given.
func (r *reader) makers(part jnode, qualifier string) error {
	agents, err := part.refs("carried_out_by")
	if err != nil {
		return err
	}
	role := ""
	roles, err := part.refs("classified_as")
	if err != nil {
		return err
	}
	for _, x := range roles {
		if w := r.word(x, aatRoles, vocabRole); w != "" && role == "" {
			role = w
		} else {
			r.skipRef(x, "classification of a maker Wenyuan does not keep")
		}
	}
	name := ""
	stmts, err := part.list("referred_to_by")
	if err != nil {
		return err
	}
	for _, it := range stmts {
		st, err := r.statement(it)
		if err != nil {
			return err
		}
		if st.is(aatProduction.ID) && name == "" {
			name = st.content
		} else {
			r.skip(st.path, "", st.content, "statement about a maker Wenyuan does not keep")
		}
	}
	if len(agents) == 0 && name != "" {
		r.o.Makers = append(r.o.Makers, wenyuan.Maker{Name: name, Role: role, Qualifier: qualifier})
	}
	for _, x := range agents {
		r.maker(x, name, role, qualifier)
	}
	return nil
}

// maker adds the maker a reference to an agent names.
func (r *reader) maker(x ref, name, role, qualifier string) {
	m := wenyuan.Maker{Name: name, Role: role, Qualifier: qualifier}
	if id, ok := r.c.ParseURI(wenyuan.KindAgent, x.ID); ok {
		m.Agent = id
	} else if m.Name == "" {
		if x.Label == "" {
			r.skipRef(x, "maker outside Wenyuan's agents without a _label")
			return
		}
		m.Name = x.Label
	}
	r.o.Makers = append(r.o.Makers, m)
}

// qualifiedMakers reads the attribute assignments of a production: each
// assigns parts (or agents) with a qualifier such as "attributed to".
func (r *reader) qualifiedMakers(p jnode) error {
	aas, err := p.list("attributed_by")
	if err != nil {
		return err
	}
	for _, aa := range aas {
		qs, err := aa.refs("classified_as")
		if err != nil {
			return err
		}
		qualifier := ""
		for _, x := range qs {
			if w := r.word(x, aatQualifiers, vocabQualifier); w != "" && qualifier == "" {
				qualifier = w
			}
		}
		if qualifier == "" {
			qualifier, _ = aa.str("_label")
		}
		if qualifier == "" {
			qualifier = "attributed to"
		}
		assigned, err := aa.list("assigned")
		if err != nil {
			return err
		}
		for _, a := range assigned {
			typ, err := a.str("type")
			if err != nil {
				return err
			}
			switch typ {
			case "Production":
				if err := r.makers(a, qualifier); err != nil {
					return err
				}
			case "Person", "Group":
				x, err := a.ref()
				if err != nil {
					return err
				}
				r.maker(x, "", "", qualifier)
			default:
				x, _ := a.ref()
				r.skipRef(x, "assignment to a production Wenyuan does not keep")
			}
		}
	}
	return nil
}

// related reads the objects related to this one by attribute assignments.
func (r *reader) related(n jnode) error {
	aas, err := n.list("attributed_by")
	if err != nil {
		return err
	}
	for _, aa := range aas {
		classes, err := aa.classes()
		if err != nil {
			return err
		}
		relation := ""
		for _, id := range classes {
			if w, ok := r.c.termWord(vocabRelation, id); ok {
				relation = w
			}
		}
		objs, err := aa.refs("assigned")
		if err != nil {
			return err
		}
		for _, x := range objs {
			if id, ok := r.c.ParseURI(wenyuan.KindObject, x.ID); ok {
				r.o.Related = append(r.o.Related, wenyuan.Relation{Object: id, Relation: relation})
			} else {
				r.skipRef(x, "related entity outside Wenyuan's objects")
			}
		}
	}
	return nil
}

// authors reads the Modifications that inscribed the object: each gives
// the author of the inscriptions it refers to.
func (r *reader) authors(n jnode) error {
	mods, err := n.list("modified_by")
	if err != nil {
		return err
	}
	inscribing := r.c.termURI(vocabActivity, "inscribing")
	for _, m := range mods {
		classes, err := m.classes()
		if err != nil {
			return err
		}
		if !slices.Contains(classes, inscribing) {
			x, _ := m.ref()
			r.skipRef(x, "modification Wenyuan does not keep")
			continue
		}
		agents, err := m.refs("carried_out_by")
		if err != nil {
			return err
		}
		author := ""
		for _, x := range agents {
			if id, ok := r.c.ParseURI(wenyuan.KindAgent, x.ID); ok && author == "" {
				author = id
			} else {
				r.skipRef(x, "inscriber outside Wenyuan's agents")
			}
		}
		stmts, err := m.list("referred_to_by")
		if err != nil {
			return err
		}
		for _, it := range stmts {
			st, err := r.statement(it)
			if err != nil {
				return err
			}
			in, err := r.inscription(st)
			if err != nil {
				return err
			}
			r.addAuthor(in, author)
		}
	}
	return nil
}

// addAuthor sets the author of the inscription in, which the object's own
// statements already list if this package wrote the document.
func (r *reader) addAuthor(in wenyuan.Inscription, author string) {
	for i, have := range r.o.Inscriptions {
		if have.Author == "" && have == in {
			r.o.Inscriptions[i].Author = author
			return
		}
	}
	in.Author = author
	r.o.Inscriptions = append(r.o.Inscriptions, in)
}
