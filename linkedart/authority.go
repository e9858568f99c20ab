package linkedart

import (
	"fmt"
	"strconv"

	"wenyuan"
)

// Agent returns the Linked Art document of an agent: a Person, born and
// died in the years given, or a Group, formed and dissolved in them.
func (c *Context) Agent(a *wenyuan.Agent) *Node {
	typ := "Person"
	if a.Type == "group" {
		typ = "Group"
	}
	doc := document(c.URI(wenyuan.KindAgent, a.ID), typ, namesLabel(a.Names, a.ID))
	doc.IdentifiedBy = c.names(a.Names)
	doc.ReferredToBy = c.textStatements(a.Biography, aatBiography)
	doc.Equivalent = equivalents(a.ExternalIDs, typ, doc.Label)
	life := func(event string, year *int) *Node {
		if year == nil {
			return nil
		}
		return &Node{Type: event, Timespan: yearSpan(yearRange(*year, *year), year, year)}
	}
	if typ == "Person" {
		doc.Born, doc.Died = life("Birth", a.Born), life("Death", a.Died)
	} else {
		doc.FormedBy, doc.DissolvedBy = life("Formation", a.Born), life("Dissolution", a.Died)
	}
	return doc
}

// Place returns the Linked Art Place document of p: its coordinates as a
// WKT point in defined_by, its parent in part_of.
func (c *Context) Place(p *wenyuan.Place) *Node {
	doc := document(c.URI(wenyuan.KindPlace, p.ID), "Place", namesLabel(p.Names, p.ID))
	doc.IdentifiedBy = c.names(p.Names)
	if p.Type != "" {
		doc.ClassifiedAs = types(c.wordTerm(aatPlaceTypes, vocabPlaceType, p.Type))
	}
	if p.Latitude != nil && p.Longitude != nil {
		doc.DefinedBy = fmt.Sprintf("POINT(%s %s)", strconv.FormatFloat(*p.Longitude, 'f', -1, 64), strconv.FormatFloat(*p.Latitude, 'f', -1, 64))
	}
	if p.Parent != "" {
		doc.PartOf = []*Node{c.ref(wenyuan.KindPlace, p.Parent, "Place")}
	}
	doc.Equivalent = equivalents(p.ExternalIDs, "Place", doc.Label)
	return doc
}

// Period returns the Linked Art Period document of p: its years as a
// timespan and its parent period in during. The Linked Art 1.0 schema
// allows part_of only to an Event or Activity and equivalent only to
// Activities, so the parent is written with during (crm:P10 falls within)
// and external identifiers are left out.
func (c *Context) Period(p *wenyuan.Period) *Node {
	doc := document(c.URI(wenyuan.KindPeriod, p.ID), "Period", namesLabel(p.Names, p.ID))
	doc.IdentifiedBy = c.names(p.Names)
	if p.Type != "" {
		doc.ClassifiedAs = types(c.localTerm(vocabPeriodType, p.Type))
	}
	var start, end *int
	if p.Start != 0 {
		start = &p.Start
	}
	if p.End != 0 {
		end = &p.End
	}
	doc.Timespan = yearSpan(yearRange(p.Start, p.End), start, end)
	if p.Parent != "" {
		doc.During = []*Node{c.ref(wenyuan.KindPeriod, p.Parent, "Period")}
	}
	return doc
}

// yearRange writes a span of years for people: "206 BCE – 220 CE".
func yearRange(start, end int) string {
	year := func(y int) string {
		switch {
		case y < 0:
			return strconv.Itoa(-y) + " BCE"
		case y > 0 && start < 0:
			return strconv.Itoa(y) + " CE"
		}
		return strconv.Itoa(y)
	}
	switch {
	case start == 0 && end == 0:
		return ""
	case start == 0:
		return "– " + year(end)
	case end == 0:
		return year(start) + " –"
	case start == end:
		return year(start)
	}
	return year(start) + " – " + year(end)
}

// Concept returns the Linked Art document of a concept: a Material for the
// material scheme, otherwise a Type; classifications are also Types of Work
// (aat:300435443). ExternalIDs (Getty AAT, Wikidata) are its equivalents,
// Broader its broader concept, Note its Note statements.
func (c *Context) Concept(k *wenyuan.Concept) *Node {
	typ := conceptType(k.Scheme)
	doc := document(c.URI(wenyuan.KindConcept, k.ID), typ, namesLabel(k.Names, k.ID))
	doc.IdentifiedBy = c.names(k.Names)
	if k.Scheme != "" {
		doc.ClassifiedAs = types(c.localTerm(vocabScheme, k.Scheme))
	}
	if k.Scheme == wenyuan.SchemeClassification {
		doc.ClassifiedAs = append(doc.ClassifiedAs, types(aatTypeOfWork)...)
	}
	doc.ReferredToBy = c.textStatements(k.Note, aatNote)
	doc.Equivalent = equivalents(k.ExternalIDs, typ, doc.Label)
	if k.Broader != "" {
		doc.Broader = []*Node{c.ref(wenyuan.KindConcept, k.Broader, typ)}
	}
	return doc
}

func conceptType(scheme string) string {
	if scheme == wenyuan.SchemeMaterial {
		return "Material"
	}
	return "Type"
}

// Institution returns the Linked Art Group document of an institution,
// with its home page as a web page it is the subject of.
func (c *Context) Institution(in *wenyuan.Institution) *Node {
	doc := document(c.URI(wenyuan.KindInstitution, in.ID), "Group", namesLabel(in.Names, in.ID))
	doc.IdentifiedBy = c.names(in.Names)
	if in.Homepage != "" {
		doc.SubjectOf = []*Node{{Type: "LinguisticObject", Label: "Home page",
			DigitallyCarriedBy: []*Node{{Type: "DigitalObject", ClassifiedAs: types(aatWebPage),
				AccessPoint: []*Node{{ID: in.Homepage, Type: "DigitalObject"}}}}}}
	}
	return doc
}

// Record returns the Linked Art document of any record Wenyuan publishes
// this way: an object, an agent, a place, a period, a concept or an
// institution. Other kinds (images) are an EINVALID error.
func (c *Context) Record(r wenyuan.Record) (*Node, error) {
	if r == nil {
		return nil, wenyuan.Errorf(wenyuan.EINVALID, "no Linked Art document for a nil record")
	}
	switch r := r.(type) {
	case *wenyuan.Object:
		return c.Object(r), nil
	case *wenyuan.Agent:
		return c.Agent(r), nil
	case *wenyuan.Place:
		return c.Place(r), nil
	case *wenyuan.Period:
		return c.Period(r), nil
	case *wenyuan.Concept:
		return c.Concept(r), nil
	case *wenyuan.Institution:
		return c.Institution(r), nil
	}
	return nil, wenyuan.Errorf(wenyuan.EINVALID, "no Linked Art document for a record of kind %s", r.RecordKind())
}

func namesLabel(ns wenyuan.Names, id string) string {
	if s := firstName(ns); s != "" {
		return s
	}
	return id
}
