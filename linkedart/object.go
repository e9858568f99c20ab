package linkedart

import (
	"net/url"
	"strconv"

	"wenyuan"
)

// Object returns the Linked Art HumanMadeObject document of o. The package
// comment lists what each field becomes.
func (c *Context) Object(o *wenyuan.Object) *Node {
	doc := document(c.URI(wenyuan.KindObject, o.ID), "HumanMadeObject", objectLabel(o))
	doc.IdentifiedBy = c.titles(o.Titles)
	if o.AccessionNumber != "" {
		acc := &Node{Type: "Identifier", ClassifiedAs: types(aatAccessionNumber), Content: o.AccessionNumber}
		if o.Institution != "" {
			acc.AssignedBy = []*Node{{Type: "AttributeAssignment",
				CarriedOutBy: []*Node{c.ref(wenyuan.KindInstitution, o.Institution, "Group")}}}
		}
		doc.IdentifiedBy = append(doc.IdentifiedBy, acc)
	}

	for _, id := range o.Classification {
		t := c.ref(wenyuan.KindConcept, id, "Type")
		t.ClassifiedAs = types(aatTypeOfWork)
		doc.ClassifiedAs = append(doc.ClassifiedAs, t)
	}
	if o.ObjectName != "" {
		t := typeRef(c.localTerm(vocabObjectName, o.ObjectName), "Type")
		t.ClassifiedAs = types(aatTypeOfWork)
		doc.ClassifiedAs = append(doc.ClassifiedAs, t)
	}
	if o.Type != "" && o.Type != wenyuan.ObjectTangible {
		doc.ClassifiedAs = append(doc.ClassifiedAs, typeRef(c.localTerm(vocabObjectType, o.Type), "Type"))
	}

	for _, st := range c.textStatements(o.Description, aatDescription) {
		st.ClassifiedAs[0].ClassifiedAs = types(aatBriefText) // as Linked Art's examples do
		doc.ReferredToBy = append(doc.ReferredToBy, st)
	}
	doc.ReferredToBy = append(doc.ReferredToBy, c.textStatements(o.Provenance, aatProvenance)...)
	if o.Medium != "" {
		doc.ReferredToBy = append(doc.ReferredToBy, c.statement(o.Medium, "", aatMaterials))
	}
	for _, d := range o.Dimensions {
		if n := c.dimension(d); n.Type == "Dimension" {
			doc.Dimension = append(doc.Dimension, n)
		} else {
			doc.ReferredToBy = append(doc.ReferredToBy, n)
		}
	}
	for _, in := range o.Inscriptions {
		st := c.inscription(in)
		doc.ReferredToBy = append(doc.ReferredToBy, st)
		if in.Author != "" {
			doc.ModifiedBy = append(doc.ModifiedBy, &Node{Type: "Modification", Label: "Inscribing",
				ClassifiedAs: types(c.localTerm(vocabActivity, "inscribing")),
				CarriedOutBy: []*Node{c.ref(wenyuan.KindAgent, in.Author, c.agentType(in.Author))},
				ReferredToBy: []*Node{st}})
		}
	}
	if o.CreditLine != "" {
		doc.ReferredToBy = append(doc.ReferredToBy, c.statement(o.CreditLine, "", aatCreditLine, aatAcknowledgments))
	}
	if o.Rights != "" {
		doc.ReferredToBy = append(doc.ReferredToBy, c.statement(o.Rights, "", aatRights))
	}

	for _, id := range o.Materials {
		doc.MadeOf = append(doc.MadeOf, c.ref(wenyuan.KindConcept, id, "Material"))
	}
	if o.PartOf != "" {
		doc.PartOf, doc.partOfOne = []*Node{c.ref(wenyuan.KindObject, o.PartOf, "HumanMadeObject")}, true
	}
	if o.Institution != "" {
		doc.CurrentOwner = []*Node{c.ref(wenyuan.KindInstitution, o.Institution, "Group")}
	}
	if o.CurrentLocation != "" {
		doc.CurrentLocation = &Node{ID: c.locationURI(o.Institution, o.CurrentLocation), Type: "Place", Label: o.CurrentLocation}
	}
	doc.ProducedBy = c.production(o)
	for _, r := range o.Related {
		aa := &Node{Type: "AttributeAssignment", Label: "Related Object",
			Assigned: []*Node{c.ref(wenyuan.KindObject, r.Object, "HumanMadeObject")}}
		if r.Relation != "" {
			aa.Label = r.Relation
			aa.ClassifiedAs = types(c.localTerm(vocabRelation, r.Relation))
		}
		doc.AttributedBy = append(doc.AttributedBy, aa)
	}
	return doc
}

func objectLabel(o *wenyuan.Object) string {
	for _, t := range o.Titles {
		if t.Value != "" {
			return t.Value
		}
	}
	if o.AccessionNumber != "" {
		return o.AccessionNumber
	}
	return o.ID
}

// locationURI returns the URI of a current location, which Wenyuan keeps
// as text: a place of the institution named by that text.
func (c *Context) locationURI(institution, loc string) string {
	if institution == "" {
		return c.base() + "/locations/" + url.PathEscape(loc)
	}
	return c.URI(wenyuan.KindInstitution, institution) + "/locations/" + url.PathEscape(loc)
}

// production returns the Production of o: one part per maker (a maker
// with a qualifier is an attribute assignment of such a part), when, where,
// during which periods and with which techniques; nil if o says nothing of
// its making.
func (c *Context) production(o *wenyuan.Object) *Node {
	p := &Node{Type: "Production"}
	for _, m := range o.Makers {
		part := c.makerPart(m)
		if m.Qualifier == "" {
			p.Part = append(p.Part, part)
			continue
		}
		q := c.wordTerm(aatQualifiers, vocabQualifier, m.Qualifier)
		p.AttributedBy = append(p.AttributedBy, &Node{Type: "AttributeAssignment", Label: m.Qualifier,
			ClassifiedAs: types(q), AssignedProperty: "part", Assigned: []*Node{part}})
	}
	if d := o.Date; d != nil {
		p.Timespan = yearSpan(d.Display, d.Earliest, d.Latest)
		for _, id := range d.Periods {
			p.During = append(p.During, c.ref(wenyuan.KindPeriod, id, "Period"))
		}
	}
	for _, id := range o.Places {
		p.TookPlaceAt = append(p.TookPlaceAt, c.ref(wenyuan.KindPlace, id, "Place"))
	}
	for _, id := range o.Techniques {
		p.Technique = append(p.Technique, c.ref(wenyuan.KindConcept, id, "Type"))
	}
	if p.Part == nil && p.AttributedBy == nil && p.Timespan == nil && p.During == nil && p.TookPlaceAt == nil && p.Technique == nil {
		return nil
	}
	return p
}

// makerPart returns the part of a production that one maker carried out:
// the agent, the role as its classification and the maker's name as the
// record writes it as a Production Statement.
func (c *Context) makerPart(m wenyuan.Maker) *Node {
	part := &Node{Type: "Production", Label: m.Name}
	if m.Agent != "" {
		part.CarriedOutBy = []*Node{c.ref(wenyuan.KindAgent, m.Agent, c.agentType(m.Agent))}
		if part.Label == "" {
			part.Label = part.CarriedOutBy[0].Label
		}
	}
	if m.Role != "" {
		part.ClassifiedAs = types(c.wordTerm(aatRoles, vocabRole, m.Role))
	}
	if m.Name != "" {
		part.ReferredToBy = []*Node{c.statement(m.Name, "", aatProduction)}
	}
	return part
}

// dimension returns a Dimension, or, for a measurement with no value or
// no unit, a Dimensions Statement of its text.
func (c *Context) dimension(d wenyuan.Dimension) *Node {
	if d.Value == nil || d.Unit == "" {
		text := d.Display
		if text == "" && d.Value != nil {
			text = strconv.FormatFloat(*d.Value, 'f', -1, 64)
		}
		return c.statement(text, "", aatDimensions)
	}
	v := *d.Value
	n := &Node{Type: "Dimension", Value: &v,
		Unit:  typeRef(c.wordTerm(aatUnits, vocabUnit, d.Unit), "MeasurementUnit"),
		Label: strconv.FormatFloat(v, 'f', -1, 64) + " " + d.Unit}
	if d.Type != "" {
		n.ClassifiedAs = types(c.wordTerm(aatDimensionTypes, vocabDimension, d.Type))
		n.Label = d.Type + " " + n.Label
	}
	if d.Display != "" {
		n.IdentifiedBy = []*Node{{Type: "Name", ClassifiedAs: types(aatDisplayName), Content: d.Display}}
	}
	return n
}

// inscriptionClasses are the classifications of each type of inscription:
// the Linked Art statement type, then the AAT or local term of the type.
func (c *Context) inscriptionClasses(typ string) []term {
	switch typ {
	case "":
		return []term{aatInscriptionStmt}
	case "inscription":
		return []term{aatInscriptionStmt, aatInscriptions}
	case "signature":
		return []term{aatSignature}
	case "mark":
		return []term{aatMarkingsStmt, aatMarks}
	case "seal":
		return []term{aatMarkingsStmt, c.localTerm(vocabInscription, typ)}
	}
	return []term{aatInscriptionStmt, c.localTerm(vocabInscription, typ)}
}

// inscription returns the statement of an inscription: its text in its
// language, with its translation and position as statements about it. An
// inscription known only by its translation is a statement of the
// translation, classified as one.
func (c *Context) inscription(in wenyuan.Inscription) *Node {
	translation := c.localTerm(vocabNote, "translation")
	var st *Node
	if in.Text == "" {
		st = c.statement(in.Translation, in.Lang, append(c.inscriptionClasses(in.Type), translation)...)
	} else {
		st = c.statement(in.Text, in.Lang, c.inscriptionClasses(in.Type)...)
		if in.Translation != "" {
			st.ReferredToBy = append(st.ReferredToBy, c.statement(in.Translation, "", translation))
		}
	}
	if in.Position != "" {
		st.ReferredToBy = append(st.ReferredToBy, c.statement(in.Position, "", c.localTerm(vocabNote, "position")))
	}
	return st
}
