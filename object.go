package wenyuan

import (
	"context"
	"strconv"
	"strings"
	"unicode"
)

// Object is a heritage item: a tangible object, a site or a feature within a
// site (a cave, a mural in a cave: PartOf links them), or an intangible
// element (a craft, a performance). Links to authorities are by id.
type Object struct {
	ID              string        `json:"id"`
	Institution     string        `json:"institution"`
	AccessionNumber string        `json:"accession_number"`
	Type            string        `json:"object_type,omitempty"` // "tangible" (default), "site", "feature", "intangible"
	Titles          Text          `json:"titles"`
	Classification  []string      `json:"classification,omitempty"` // concept ids
	ObjectName      string        `json:"object_name,omitempty"`    // the museum's own object-type word: "cups", "hanging scroll"
	Makers          []Maker       `json:"makers,omitempty"`
	Date            *Dating       `json:"date,omitempty"`
	Places          []string      `json:"production_places,omitempty"` // place ids
	Materials       []string      `json:"materials,omitempty"`         // concept ids
	Medium          string        `json:"medium,omitempty"`            // materials and techniques as the museum writes them
	Techniques      []string      `json:"techniques,omitempty"`        // concept ids
	Dimensions      []Dimension   `json:"dimensions,omitempty"`
	Inscriptions    []Inscription `json:"inscriptions,omitempty"`
	Description     Text          `json:"description,omitempty"`
	Provenance      Text          `json:"provenance,omitempty"`
	CreditLine      string        `json:"credit_line,omitempty"`
	CurrentLocation string        `json:"current_location,omitempty"`
	PartOf          string        `json:"part_of,omitempty"` // object id
	Related         []Relation    `json:"related,omitempty"`
	Rights          string        `json:"rights,omitempty"`
	Visibility      Visibility    `json:"visibility"`
	Meta
}

// Object types.
const (
	ObjectTangible   = "tangible"
	ObjectSite       = "site"
	ObjectFeature    = "feature"
	ObjectIntangible = "intangible"
)

// Maker is an agent who made or had a part in making an object.
type Maker struct {
	Agent     string `json:"agent,omitempty"`     // agent id
	Name      string `json:"name,omitempty"`      // as written on the record when no agent is linked, or in addition
	Role      string `json:"role,omitempty"`      // "artist", "calligrapher", "potter", "copyist", "kiln"
	Qualifier string `json:"qualifier,omitempty"` // "attributed to", "workshop of", "follower of", "after"
}

// Dating is when an object was made: the text the museum wrote, the span of
// years it means (negative = BCE; earliest and latest inclusive) and the
// periods it names.
type Dating struct {
	Display  string   `json:"display,omitempty"`
	Earliest *int     `json:"earliest,omitempty"`
	Latest   *int     `json:"latest,omitempty"`
	Periods  []string `json:"periods,omitempty"` // period ids
}

// Dimension is one measurement: a type ("height", "width", "diameter",
// "length", "depth", "weight"), a number and a unit ("cm", "mm", "m", "kg",
// "g"), or just the display text as the museum wrote it.
type Dimension struct {
	Type    string   `json:"type,omitempty"`
	Value   *float64 `json:"value,omitempty"`
	Unit    string   `json:"unit,omitempty"`
	Display string   `json:"display,omitempty"`
}

// Inscription is writing on an object: an inscription, a seal, a colophon,
// a mark (a reign mark on porcelain), a signature.
type Inscription struct {
	Type        string `json:"type,omitempty"` // "inscription", "seal", "colophon", "mark", "signature"
	Text        string `json:"text"`
	Lang        string `json:"lang,omitempty"`
	Translation string `json:"translation,omitempty"`
	Position    string `json:"position,omitempty"`
	Author      string `json:"author,omitempty"` // agent id
}

// Relation links an object to another object.
type Relation struct {
	Object   string `json:"object"`
	Relation string `json:"relation,omitempty"` // "pair of", "related", "copy of"
}

// RecordKind returns KindObject.
func (o *Object) RecordKind() Kind { return KindObject }

// RecordID returns the object's id.
func (o *Object) RecordID() string { return o.ID }

// SetRecordID sets the object's id.
func (o *Object) SetRecordID(id string) { o.ID = id }

// Normalize trims text, drops empty entries and fills defaults.
func (o *Object) Normalize() {
	o.Institution = strings.TrimSpace(o.Institution)
	o.AccessionNumber = foldWidth(strings.TrimSpace(o.AccessionNumber))
	for _, p := range []*string{&o.ObjectName, &o.Medium, &o.CreditLine, &o.CurrentLocation, &o.Rights} {
		*p = normLine(*p)
	}
	for i := range o.Dimensions {
		o.Dimensions[i].Display = normLine(o.Dimensions[i].Display)
	}
	for i := range o.Inscriptions {
		o.Inscriptions[i].Text = normLine(o.Inscriptions[i].Text)
		o.Inscriptions[i].Translation = normLine(o.Inscriptions[i].Translation)
	}
	for i := range o.Makers {
		o.Makers[i].Name = normLine(o.Makers[i].Name)
	}
	o.Titles = o.Titles.normalize()
	o.Description = o.Description.normalize()
	o.Provenance = o.Provenance.normalize()
	if o.Visibility == "" {
		o.Visibility = VisibilityPublic
	}
	if o.Type == "" {
		o.Type = ObjectTangible
	}
	o.Classification = normIDs(o.Classification)
	o.Materials = normIDs(o.Materials)
	o.Techniques = normIDs(o.Techniques)
	o.Places = normIDs(o.Places)
	if o.Date != nil {
		o.Date.Display = strings.TrimSpace(o.Date.Display)
		o.Date.Periods = normIDs(o.Date.Periods)
		if o.Date.Display == "" && o.Date.Earliest == nil && o.Date.Latest == nil && len(o.Date.Periods) == 0 {
			o.Date = nil
		}
	}
}

// foldWidth writes full-width ASCII (Ａ１, as typed with a Chinese input
// method) as ordinary ASCII, so that "Ａ１" and "A1" are one accession number.
func foldWidth(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0xFF01 && r <= 0xFF5E || r == 0x3000 }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
}

// normLine trims s and writes its line breaks as "\n".
func normLine(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

func normIDs(ids []string) []string {
	if len(ids) == 0 {
		return nil
	}
	out := ids[:0]
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// MaxYear and MinYear bound the years a date may name.
const (
	MinYear = -100000
	MaxYear = 2999
)

// Validate checks the object's own fields.
func (o *Object) Validate() error {
	var v Validator
	if o.ID != "" && !IsValidID(o.ID) {
		v.Addf("id", "%q is not a valid id (lower-case letters, digits, '-', '_', '.'; at most 64)", o.ID)
	}
	if o.Institution == "" {
		v.Add("institution", "is required")
	} else if !IsValidID(o.Institution) {
		v.Addf("institution", "%q is not a valid institution id", o.Institution)
	}
	if o.AccessionNumber == "" {
		v.Add("accession_number", "is required")
	} else if len(o.AccessionNumber) > 200 {
		v.Add("accession_number", "is longer than 200 characters")
	} else if strings.IndexFunc(o.AccessionNumber, unicode.IsControl) >= 0 {
		v.Add("accession_number", "contains a control character (a tab, a line break or an invisible code)")
	}
	if len(o.Titles) == 0 {
		v.Add("titles", "at least one title is required")
	}
	o.Titles.validate(&v, "titles")
	o.Description.validate(&v, "description")
	o.Provenance.validate(&v, "provenance")
	switch o.Type {
	case ObjectTangible, ObjectSite, ObjectFeature, ObjectIntangible:
	default:
		v.Addf("object_type", "%q is not one of tangible, site, feature, intangible", o.Type)
	}
	if !o.Visibility.IsValid() {
		v.Addf("visibility", "%q is not one of public, consortium, internal", o.Visibility)
	}
	validIDs(&v, "classification", o.Classification)
	validIDs(&v, "materials", o.Materials)
	validIDs(&v, "techniques", o.Techniques)
	validIDs(&v, "production_places", o.Places)
	for i, m := range o.Makers {
		f := "makers[" + strconv.Itoa(i) + "]"
		if m.Agent == "" && strings.TrimSpace(m.Name) == "" {
			v.Add(f, "needs an agent id or a name")
		}
		if m.Agent != "" && !IsValidID(m.Agent) {
			v.Addf(f+".agent", "%q is not a valid id", m.Agent)
		}
	}
	if d := o.Date; d != nil {
		if d.Earliest != nil && (*d.Earliest < MinYear || *d.Earliest > MaxYear || *d.Earliest == 0) {
			v.Addf("date.earliest", "%d is not a year between %d and %d (no year 0: 1 BCE is -1)", *d.Earliest, MinYear, MaxYear)
		}
		if d.Latest != nil && (*d.Latest < MinYear || *d.Latest > MaxYear || *d.Latest == 0) {
			v.Addf("date.latest", "%d is not a year between %d and %d (no year 0: 1 BCE is -1)", *d.Latest, MinYear, MaxYear)
		}
		if d.Earliest != nil && d.Latest != nil && *d.Earliest > *d.Latest {
			v.Addf("date.earliest", "earliest year %d is after latest year %d", *d.Earliest, *d.Latest)
		}
		validIDs(&v, "date.periods", d.Periods)
	}
	for i, d := range o.Dimensions {
		f := "dimensions[" + strconv.Itoa(i) + "]"
		if d.Value == nil && d.Display == "" {
			v.Add(f, "needs a value or a display text")
		}
		if d.Value != nil && *d.Value < 0 {
			v.Add(f+".value", "must not be negative")
		}
		if d.Value != nil && d.Unit == "" {
			v.Add(f+".unit", "is required with a value")
		}
	}
	for i, in := range o.Inscriptions {
		f := "inscriptions[" + strconv.Itoa(i) + "]"
		if strings.TrimSpace(in.Text) == "" && in.Translation == "" {
			v.Add(f+".text", "must not be empty")
		}
		if in.Lang != "" && !IsWellFormedLangTag(in.Lang) {
			v.Addf(f+".lang", "%q is not a well-formed BCP 47 language tag", in.Lang)
		}
		if in.Author != "" && !IsValidID(in.Author) {
			v.Addf(f+".author", "%q is not a valid id", in.Author)
		}
	}
	if o.PartOf != "" {
		if !IsValidID(o.PartOf) {
			v.Addf("part_of", "%q is not a valid id", o.PartOf)
		} else if o.PartOf == o.ID {
			v.Add("part_of", "an object cannot be part of itself")
		}
	}
	for i, r := range o.Related {
		if !IsValidID(r.Object) {
			v.Addf("related["+strconv.Itoa(i)+"].object", "%q is not a valid id", r.Object)
		}
	}
	return v.Err("object")
}

func validIDs(v *Validator, field string, ids []string) {
	for i, id := range ids {
		if !IsValidID(id) {
			v.Addf(field+"["+strconv.Itoa(i)+"]", "%q is not a valid id", id)
		}
	}
}

// ObjectFilter selects objects. Zero fields select everything.
type ObjectFilter struct {
	Institution    string
	Classification string // concept id
	Period         string // period id; its sub-periods match too
	From, To       *int   // the object's earliest..latest overlaps From..To
	// Scope, if set, keeps to what a principal may read (ReadScopeOf);
	// nil reads everything, for the system's own use.
	Scope  *ReadScope
	Cursor string // from the previous page
	Limit  int    // default 50, at most 1000
}

// ObjectService finds objects. Writes go through RecordService.
type ObjectService interface {
	FindObjectByAccession(ctx context.Context, institution, accession string) (*Object, error)
	// FindObjectIDByAccession returns the id of the object of institution
	// that has the accession number now, or else had it in an earlier
	// version (a corrected number still finds its object); ENOTFOUND if
	// none did.
	FindObjectIDByAccession(ctx context.Context, institution, accession string) (string, error)
	// FindObjects returns one page of objects in the order they were created
	// and the cursor of the next page ("" on the last page).
	FindObjects(ctx context.Context, f ObjectFilter) ([]*Object, string, error)
}
