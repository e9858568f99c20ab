package wenyuan

import (
	"context"
	"strconv"
	"strings"
)

// Institution is a partner of the consortium; it owns object records. Its
// id is a stable slug such as "palace-museum".
type Institution struct {
	ID       string `json:"id"`
	Names    Names  `json:"names"`
	Homepage string `json:"homepage,omitempty"`
	Meta
}

// Name is one name of an authority: in a language, of a type. Chinese
// artists have courtesy (字) and studio (号) names beside their given name.
type Name struct {
	Lang  string `json:"lang"`
	Value string `json:"value"`
	Type  string `json:"type,omitempty"` // "preferred" (default for the first), "alternate", "courtesy", "studio", "wade-giles"
}

// Names is a list of names; the first of each language is preferred.
type Names []Name

// In returns the preferred name in lang, with the fallbacks of Text.In.
func (ns Names) In(lang string) string {
	t := make(Text, len(ns))
	for i, n := range ns {
		t[i] = LangString{Lang: n.Lang, Value: n.Value}
	}
	return t.In(lang)
}

func (ns Names) normalize() Names {
	out := ns[:0]
	for _, n := range ns {
		n.Lang = strings.TrimSpace(n.Lang)
		n.Value = strings.TrimSpace(n.Value)
		n.Type = strings.TrimSpace(n.Type)
		if n.Value == "" && n.Lang == "" {
			continue
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (ns Names) validate(v *Validator) {
	if len(ns) == 0 {
		v.Add("names", "at least one name is required")
	}
	for i, n := range ns {
		f := "names[" + strconv.Itoa(i) + "]"
		if !IsWellFormedLangTag(n.Lang) {
			v.Addf(f+".lang", "%q is not a well-formed BCP 47 language tag (use e.g. zh-Hans, zh-Hant, en, zh-Latn-pinyin)", n.Lang)
		}
		if n.Value == "" {
			v.Add(f+".value", "must not be empty")
		}
	}
}

// Agent is a person or a group (a workshop, a kiln, a dynasty's court).
type Agent struct {
	ID          string   `json:"id"`
	Type        string   `json:"agent_type"` // "person" or "group"
	Names       Names    `json:"names"`
	Born        *int     `json:"born,omitempty"`
	Died        *int     `json:"died,omitempty"`
	Biography   Text     `json:"biography,omitempty"`
	ExternalIDs []string `json:"external_ids,omitempty"` // ULAN, Wikidata, VIAF URIs
	Meta
}

// Place is a place, in a hierarchy (a county in a province in a nation).
type Place struct {
	ID          string   `json:"id"`
	Names       Names    `json:"names"`
	Parent      string   `json:"parent,omitempty"`
	Type        string   `json:"place_type,omitempty"` // "nation", "province", "city", "site", "kiln"
	Latitude    *float64 `json:"latitude,omitempty"`
	Longitude   *float64 `json:"longitude,omitempty"`
	ExternalIDs []string `json:"external_ids,omitempty"` // TGN, GeoNames, Wikidata URIs
	Meta
}

// Period is a span of history with a name: a dynasty, a reign era, an era
// name (年号), a prehistoric culture. Parent makes a tree: dynasty → reign.
type Period struct {
	ID          string   `json:"id"`
	Names       Names    `json:"names"`
	Parent      string   `json:"parent,omitempty"`
	Type        string   `json:"period_type,omitempty"` // "period", "dynasty", "reign", "era"
	Start       int      `json:"start"`
	End         int      `json:"end"`
	ExternalIDs []string `json:"external_ids,omitempty"`
	Meta
}

// Concept is a term of a controlled vocabulary: a classification, a
// material, a technique, a role.
type Concept struct {
	ID          string   `json:"id"`
	Scheme      string   `json:"scheme"` // "classification", "material", "technique", "object-name", "role"
	Names       Names    `json:"names"`
	Broader     string   `json:"broader,omitempty"`
	Note        Text     `json:"note,omitempty"`
	ExternalIDs []string `json:"external_ids,omitempty"` // Getty AAT, Wikidata URIs
	Meta
}

// Concept schemes.
const (
	SchemeClassification = "classification"
	SchemeMaterial       = "material"
	SchemeTechnique      = "technique"
)

// RecordKind returns KindInstitution.
func (r *Institution) RecordKind() Kind { return KindInstitution }

// RecordKind returns KindAgent.
func (r *Agent) RecordKind() Kind { return KindAgent }

// RecordKind returns KindPlace.
func (r *Place) RecordKind() Kind { return KindPlace }

// RecordKind returns KindPeriod.
func (r *Period) RecordKind() Kind { return KindPeriod }

// RecordKind returns KindConcept.
func (r *Concept) RecordKind() Kind { return KindConcept }

// RecordID returns the id.
func (r *Institution) RecordID() string { return r.ID }

// RecordID returns the id.
func (r *Agent) RecordID() string { return r.ID }

// RecordID returns the id.
func (r *Place) RecordID() string { return r.ID }

// RecordID returns the id.
func (r *Period) RecordID() string { return r.ID }

// RecordID returns the id.
func (r *Concept) RecordID() string { return r.ID }

// SetRecordID sets the id.
func (r *Institution) SetRecordID(id string) { r.ID = id }

// SetRecordID sets the id.
func (r *Agent) SetRecordID(id string) { r.ID = id }

// SetRecordID sets the id.
func (r *Place) SetRecordID(id string) { r.ID = id }

// SetRecordID sets the id.
func (r *Period) SetRecordID(id string) { r.ID = id }

// SetRecordID sets the id.
func (r *Concept) SetRecordID(id string) { r.ID = id }

// Normalize tidies the record.
func (r *Institution) Normalize() {
	r.Names = r.Names.normalize()
	r.Homepage = strings.TrimSpace(r.Homepage)
}

// Normalize tidies the record.
func (r *Agent) Normalize() {
	r.Names = r.Names.normalize()
	r.Biography = r.Biography.normalize()
	if r.Type == "" {
		r.Type = "person"
	}
	r.ExternalIDs = normIDs(r.ExternalIDs)
}

// Normalize tidies the record.
func (r *Place) Normalize() {
	r.Names = r.Names.normalize()
	r.ExternalIDs = normIDs(r.ExternalIDs)
}

// Normalize tidies the record.
func (r *Period) Normalize() {
	r.Names = r.Names.normalize()
	r.ExternalIDs = normIDs(r.ExternalIDs)
}

// Normalize tidies the record.
func (r *Concept) Normalize() {
	r.Names = r.Names.normalize()
	r.Note = r.Note.normalize()
	r.Scheme = strings.TrimSpace(r.Scheme)
	r.ExternalIDs = normIDs(r.ExternalIDs)
}

func checkID(v *Validator, id string) {
	if id != "" && !IsValidID(id) {
		v.Addf("id", "%q is not a valid id (lower-case letters, digits, '-', '_', '.'; at most 64)", id)
	}
}

// Validate checks the institution.
func (r *Institution) Validate() error {
	var v Validator
	if r.ID == "" {
		v.Add("id", "is required: a short slug such as palace-museum")
	}
	checkID(&v, r.ID)
	r.Names.validate(&v)
	return v.Err("institution")
}

// Validate checks the agent.
func (r *Agent) Validate() error {
	var v Validator
	checkID(&v, r.ID)
	r.Names.validate(&v)
	if r.Type != "person" && r.Type != "group" {
		v.Addf("agent_type", "%q is not one of person, group", r.Type)
	}
	if r.Born != nil && r.Died != nil && *r.Born > *r.Died {
		v.Addf("born", "born %d is after died %d", *r.Born, *r.Died)
	}
	r.Biography.validate(&v, "biography")
	return v.Err("agent")
}

// Validate checks the place.
func (r *Place) Validate() error {
	var v Validator
	checkID(&v, r.ID)
	r.Names.validate(&v)
	if r.Parent != "" && (!IsValidID(r.Parent) || r.Parent == r.ID) {
		v.Addf("parent", "%q is not a valid parent id", r.Parent)
	}
	if r.Latitude != nil && (*r.Latitude < -90 || *r.Latitude > 90) {
		v.Add("latitude", "must be between -90 and 90")
	}
	if r.Longitude != nil && (*r.Longitude < -180 || *r.Longitude > 180) {
		v.Add("longitude", "must be between -180 and 180")
	}
	return v.Err("place")
}

// Validate checks the period.
func (r *Period) Validate() error {
	var v Validator
	checkID(&v, r.ID)
	r.Names.validate(&v)
	if r.Parent != "" && (!IsValidID(r.Parent) || r.Parent == r.ID) {
		v.Addf("parent", "%q is not a valid parent id", r.Parent)
	}
	if r.Start == 0 || r.End == 0 || r.Start < MinYear || r.End > MaxYear {
		v.Add("start", "start and end must be years (negative = BCE, no year 0)")
	} else if r.Start > r.End {
		v.Addf("start", "start %d is after end %d", r.Start, r.End)
	}
	return v.Err("period")
}

// Validate checks the concept.
func (r *Concept) Validate() error {
	var v Validator
	checkID(&v, r.ID)
	r.Names.validate(&v)
	if r.Scheme == "" {
		v.Add("scheme", "is required (classification, material, technique, …)")
	} else if !IsValidID(r.Scheme) {
		v.Addf("scheme", "%q is not a valid scheme name", r.Scheme)
	}
	if r.Broader != "" && (!IsValidID(r.Broader) || r.Broader == r.ID) {
		v.Addf("broader", "%q is not a valid concept id", r.Broader)
	}
	r.Note.validate(&v, "note")
	return v.Err("concept")
}

// AuthorityFilter selects authority records of one kind.
type AuthorityFilter struct {
	Name   string // a name contains this (case-insensitive)
	Parent string // places, periods: children of this id; concepts: narrower than it
	Scheme string // concepts only
	Cursor string
	Limit  int
}

// AuthorityService lists authority records and institutions.
type AuthorityService interface {
	FindInstitutions(ctx context.Context) ([]*Institution, error)
	// FindAuthorities returns one page of records of kind (agent, place,
	// period or concept) and the cursor of the next page.
	FindAuthorities(ctx context.Context, kind Kind, f AuthorityFilter) ([]Record, string, error)
}

// NewRecord returns an empty record of kind, or nil for an unknown kind.
func NewRecord(kind Kind) Record {
	switch kind {
	case KindInstitution:
		return &Institution{}
	case KindObject:
		return &Object{}
	case KindAgent:
		return &Agent{}
	case KindPlace:
		return &Place{}
	case KindPeriod:
		return &Period{}
	case KindConcept:
		return &Concept{}
	case KindImage:
		return &Image{}
	}
	return nil
}

// RecordNames returns every name of r, for lookup by name: titles of
// objects, names of authorities.
func RecordNames(r Record) []string {
	var out []string
	for _, n := range AuthorityNames(r) {
		out = append(out, n.Value)
	}
	if o, ok := r.(*Object); ok {
		for _, t := range o.Titles {
			out = append(out, t.Value)
		}
	}
	return out
}

// AuthorityNames returns the names of an authority record or an
// institution; nil for other records.
func AuthorityNames(r Record) Names {
	switch r := r.(type) {
	case *Institution:
		return r.Names
	case *Agent:
		return r.Names
	case *Place:
		return r.Names
	case *Period:
		return r.Names
	case *Concept:
		return r.Names
	}
	return nil
}

// Normalized returns ns tidied as Normalize would.
func (ns Names) Normalized() Names { return ns.normalize() }
