package lido

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"wenyuan"
)

// Marshal writes o as one lido:lido element that declares its namespaces,
// without an XML declaration: the form that goes inside the metadata
// element of an OAI-PMH record. o should be valid (wenyuan.Object.Validate);
// it must have an id, an institution, an accession number and a title.
func Marshal(w io.Writer, o *wenyuan.Object, ctx Context) error {
	rec, err := ctx.record(o)
	if err != nil {
		return err
	}
	rec.attrs = append(rootAttrs(), rec.attrs...)
	return encode(w, rec, false)
}

// MarshalDocument writes a standalone LIDO document: the XML declaration
// and a lido:lidoWrap holding one lido:lido record per object, in order.
func MarshalDocument(w io.Writer, objs []*wenyuan.Object, ctx Context) error {
	if len(objs) == 0 {
		// lidoWrap holds one record at least.
		return wenyuan.Errorf(wenyuan.EINVALID, "lido: a document needs at least one object")
	}
	wrap := el("lidoWrap")
	wrap.attrs = rootAttrs()
	for _, o := range objs {
		rec, err := ctx.record(o)
		if err != nil {
			return err
		}
		wrap.add(rec)
	}
	return encode(w, wrap, true)
}

func rootAttrs() []xml.Attr {
	return []xml.Attr{
		{Name: xml.Name{Local: "xmlns:lido"}, Value: Namespace},
		{Name: xml.Name{Local: "xmlns:xsi"}, Value: "http://www.w3.org/2001/XMLSchema-instance"},
		{Name: xml.Name{Local: "xsi:schemaLocation"}, Value: Namespace + " " + SchemaLocation},
	}
}

func encode(w io.Writer, root *node, declaration bool) error {
	if declaration {
		if _, err := io.WriteString(w, xml.Header); err != nil {
			return fmt.Errorf("write lido: %w", err)
		}
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := root.write(enc); err != nil {
		return fmt.Errorf("write lido: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("write lido: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write lido: %w", err)
	}
	return nil
}

// node is an element of a record being written: a LIDO element, written
// with the lido: prefix, that has either text or child elements. A node
// with neither, and all nil children, is left out, so that optional
// wrappers vanish when they would be empty.
type node struct {
	name  string
	attrs []xml.Attr
	text  string
	keep  bool // written even when empty
	kids  []*node
}

func el(name string, kids ...*node) *node { return &node{name: name, kids: kids} }

func txt(name, text string) *node { return &node{name: name, text: text} }

func (n *node) add(kids ...*node) *node {
	n.kids = append(n.kids, kids...)
	return n
}

// attr sets an attribute unless value is empty; name includes the prefix
// ("lido:type", "xml:lang").
func (n *node) attr(name, value string) *node {
	if value != "" {
		n.attrs = append(n.attrs, xml.Attr{Name: xml.Name{Local: name}, Value: value})
	}
	return n
}

// keepEmpty marks n to be written even without text or children.
func (n *node) keepEmpty() *node {
	n.keep = true
	return n
}

func (n *node) empty() bool {
	if n == nil {
		return true
	}
	if n.text != "" || n.keep {
		return false
	}
	for _, k := range n.kids {
		if !k.empty() {
			return false
		}
	}
	return true
}

func (n *node) write(enc *xml.Encoder) error {
	if n.empty() {
		return nil
	}
	start := xml.StartElement{Name: xml.Name{Local: "lido:" + n.name}, Attr: n.attrs}
	if err := enc.EncodeToken(start); err != nil {
		return err
	}
	if n.text != "" {
		if err := enc.EncodeToken(xml.CharData(n.text)); err != nil {
			return err
		}
	}
	for _, k := range n.kids {
		if err := k.write(enc); err != nil {
			return err
		}
	}
	return enc.EncodeToken(start.End())
}

// record builds the lido:lido element of o.
func (c Context) record(o *wenyuan.Object) (*node, error) {
	switch {
	case o == nil:
		return nil, wenyuan.Errorf(wenyuan.EINVALID, "lido: no object")
	case strings.TrimRight(c.Base, "/") == "":
		return nil, wenyuan.Errorf(wenyuan.EINVALID, "lido: no base URL to link records by")
	case o.ID == "":
		return nil, wenyuan.Errorf(wenyuan.EINVALID, "lido: object %q has no id", o.AccessionNumber)
	case o.Institution == "":
		return nil, wenyuan.Errorf(wenyuan.EINVALID, "lido: object %s has no institution", o.ID)
	case o.AccessionNumber == "":
		return nil, wenyuan.Errorf(wenyuan.EINVALID, "lido: object %s has no accession number", o.ID)
	case o.Titles.Pick(wenyuan.LangHans) == nil: // Pick finds any title that is not blank
		return nil, wenyuan.Errorf(wenyuan.EINVALID, "lido: object %s has no title", o.ID)
	}
	recLang := lang(o.Titles[0].Lang)
	self := uri(c.Base, wenyuan.KindObject, o.ID)
	instName := c.names(wenyuan.KindInstitution, o.Institution).In(recLang)
	if instName == "" {
		instName = o.Institution
	}
	category := categoryOf(o.Type)

	return el("lido",
		txt("lidoRecID", o.ID).attr("lido:type", termLocalID).attr("lido:source", instName),
		txt("objectPublishedID", self).attr("lido:type", termURI),
		el("category", conceptID(category.uri), txt("term", category.label).attr("xml:lang", "en")),
		el("descriptiveMetadata",
			el("objectClassificationWrap",
				el("objectWorkTypeWrap", c.workTypes(o, category)...),
				el("classificationWrap", c.concepts("classification", o.Classification)...),
			),
			el("objectIdentificationWrap",
				el("titleWrap", el("titleSet", textValues("appellationValue", o.Titles, true)...)),
				el("inscriptionsWrap", c.inscriptions(o.Inscriptions)...),
				el("repositoryWrap", el("repositorySet",
					c.legalBody("repositoryName", o.Institution),
					txt("workID", o.AccessionNumber).attr("lido:type", termInventoryNumber),
					el("repositoryLocation", el("namePlaceSet", txt("appellationValue", o.CurrentLocation))),
				)),
				el("objectDescriptionWrap",
					el("objectDescriptionSet", textValues("descriptiveNoteValue", o.Description, false)...).attr("lido:type", "description"),
				),
				el("objectMeasurementsWrap", measurements(o.Dimensions)...),
			),
			el("eventWrap",
				el("eventSet", c.production(o)),
				el("eventSet", provenance(o.Provenance)),
			),
			el("objectRelationWrap", el("relatedWorksWrap", c.relations(o)...)),
		).attr("xml:lang", recLang),
		el("administrativeMetadata",
			el("rightsWorkWrap", el("rightsWorkSet", rights(o.Rights), txt("creditLine", o.CreditLine))),
			el("recordWrap",
				txt("recordID", o.ID).attr("lido:type", termLocalID).attr("lido:source", instName),
				el("recordType", conceptID(termItemRecord), txt("term", "Item-level record").attr("xml:lang", "en")),
				c.legalBody("recordSource", o.Institution),
				el("recordInfoSet", txt("recordInfoLink", self)),
			),
		).attr("xml:lang", recLang),
	), nil
}

// category is the class of thing a record describes.
type category struct{ uri, label string }

func categoryOf(objectType string) category {
	switch objectType {
	case wenyuan.ObjectSite:
		return category{crmSite, "Site"}
	case wenyuan.ObjectFeature:
		return category{crmFeature, "Human-Made Feature"}
	case wenyuan.ObjectIntangible:
		return category{crmConceptual, "Conceptual Object"}
	}
	return category{termHumanMadeObject, "Human-made object"}
}

func conceptID(u string) *node {
	if u == "" {
		return nil
	}
	return txt("conceptID", u).attr("lido:type", termURI)
}

// workTypes are the objectWorkType elements LIDO requires: the object name,
// or else the classification, or else the category as the most general
// type there is.
func (c Context) workTypes(o *wenyuan.Object, cat category) []*node {
	if o.ObjectName != "" {
		return []*node{el("objectWorkType", txt("term", o.ObjectName))}
	}
	if len(o.Classification) > 0 {
		return c.concepts("objectWorkType", o.Classification)
	}
	return []*node{el("objectWorkType", conceptID(cat.uri), txt("term", cat.label).attr("xml:lang", "en"))}
}

// concepts writes one element called name per concept id: its URL and its
// names as terms.
func (c Context) concepts(name string, ids []string) []*node {
	var out []*node
	for _, id := range ids {
		out = append(out, c.concept(name, wenyuan.KindConcept, id))
	}
	return out
}

// concept writes a conceptComplexType element for the authority of kind
// with id.
func (c Context) concept(name string, kind wenyuan.Kind, id string) *node {
	n := el(name, conceptID(uri(c.Base, kind, id)))
	return n.add(nameValues("term", c.names(kind, id))...)
}

// nameValues writes names as appellationValue or term elements, each with
// its language and lido:pref: preferred for the first of a language (or one
// typed preferred), alternate for the others.
func nameValues(name string, ns wenyuan.Names) []*node {
	var out []*node
	seen := map[string]bool{}
	for _, n := range ns {
		pref := termAlternate
		if n.Type == "preferred" || (n.Type == "" && !seen[n.Lang]) {
			pref = termPreferred
		}
		seen[n.Lang] = true
		out = append(out, txt(name, n.Value).attr("xml:lang", lang(n.Lang)).attr("lido:pref", pref))
	}
	return out
}

// plainNames writes names as text elements, which take no lido:pref.
func plainNames(name string, ns wenyuan.Names) []*node {
	var out []*node
	for _, n := range ns {
		out = append(out, txt(name, n.Value).attr("xml:lang", lang(n.Lang)))
	}
	return out
}

// textValues writes the entries of t as elements called name with their
// languages; withPref marks the first entry of each language preferred and
// the others alternate.
func textValues(name string, t wenyuan.Text, withPref bool) []*node {
	var out []*node
	seen := map[string]bool{}
	for _, s := range t {
		n := txt(name, s.Value).attr("xml:lang", lang(s.Lang))
		if withPref {
			if seen[s.Lang] {
				n.attr("lido:pref", termAlternate)
			} else {
				n.attr("lido:pref", termPreferred)
			}
			seen[s.Lang] = true
		}
		out = append(out, n)
	}
	return out
}

// legalBody writes a legalBodyRefComplexType element for the institution.
func (c Context) legalBody(name, institution string) *node {
	return el(name,
		txt("legalBodyID", uri(c.Base, wenyuan.KindInstitution, institution)).attr("lido:type", termURI),
		el("legalBodyName", nameValues("appellationValue", c.names(wenyuan.KindInstitution, institution))...),
	)
}

func (c Context) inscriptions(ins []wenyuan.Inscription) []*node {
	var out []*node
	for _, in := range ins {
		n := el("inscriptions").attr("lido:type", in.Type)
		if in.Text != "" || in.Lang != "" {
			n.add(txt("inscriptionTranscription", in.Text).attr("xml:lang", lang(in.Lang)).keepEmpty())
		}
		// Wenyuan does not know the language of a translation, which is
		// seldom the record's: "und" keeps it from inheriting that.
		n.add(
			el("inscriptionDescription", txt("descriptiveNoteValue", in.Translation).attr("xml:lang", "und")).attr("lido:type", "translation"),
			el("inscriptionDescription", txt("descriptiveNoteValue", in.Position)).attr("lido:type", "position"),
		)
		if in.Author != "" {
			n.add(el("inscriptionDescription",
				txt("descriptiveNoteID", uri(c.Base, wenyuan.KindAgent, in.Author)).attr("lido:type", termURI),
			).add(plainNames("descriptiveNoteValue", c.names(wenyuan.KindAgent, in.Author))...).attr("lido:type", "author"))
		}
		out = append(out, n.keepEmpty())
	}
	return out
}

func measurements(dims []wenyuan.Dimension) []*node {
	var out []*node
	for _, d := range dims {
		set := el("objectMeasurementsSet", txt("displayObjectMeasurements", d.Display))
		if d.Type != "" || d.Value != nil || d.Unit != "" {
			// measurementsSet needs a type, a unit and a value: empty ones
			// stand for what the dimension lacks.
			value := ""
			if d.Value != nil {
				value = strconv.FormatFloat(*d.Value, 'f', -1, 64)
			}
			set.add(el("objectMeasurements", el("measurementsSet",
				// Wenyuan's dimension types are English words.
				txt("measurementType", d.Type).attr("xml:lang", "en").keepEmpty(),
				txt("measurementUnit", d.Unit).keepEmpty(),
				txt("measurementValue", value).keepEmpty(),
			)))
		}
		out = append(out, set)
	}
	return out
}

// provenance writes the Provenance event: the history of the object's
// ownership as text, in each language. It is nil when there is none.
func provenance(t wenyuan.Text) *node {
	if len(t) == 0 {
		return nil
	}
	return el("event",
		eventType(termProvenance, "Provenance", "来源"),
		el("eventDescriptionSet", textValues("descriptiveNoteValue", t, false)...),
	)
}

func eventType(u, en, zh string) *node {
	return el("eventType", conceptID(u), txt("term", en).attr("xml:lang", "en"), txt("term", zh).attr("xml:lang", wenyuan.LangHans))
}

// production writes the Production event: makers, date, periods, places,
// materials and techniques. It is nil when the object has none of them.
func (c Context) production(o *wenyuan.Object) *node {
	ev := el("event")
	for _, m := range o.Makers {
		ev.add(c.maker(m))
	}
	if d := o.Date; d != nil {
		date := el("date")
		if d.Earliest != nil {
			date.add(txt("earliestDate", formatYear(*d.Earliest)))
		}
		if d.Latest != nil {
			date.add(txt("latestDate", formatYear(*d.Latest)))
		}
		ev.add(el("eventDate", txt("displayDate", d.Display), date))
		for _, p := range d.Periods {
			ev.add(c.concept("periodName", wenyuan.KindPeriod, p))
		}
	}
	for _, p := range o.Places {
		ev.add(el("eventPlace", el("place",
			txt("placeID", uri(c.Base, wenyuan.KindPlace, p)).attr("lido:type", termURI),
			el("namePlaceSet", nameValues("appellationValue", c.names(wenyuan.KindPlace, p))...),
		).keepEmpty()))
	}
	mt := el("materialsTech")
	for _, id := range o.Materials {
		mt.add(c.concept("termMaterialsTech", wenyuan.KindConcept, id).attr("lido:type", termMaterial))
	}
	for _, id := range o.Techniques {
		mt.add(c.concept("termMaterialsTech", wenyuan.KindConcept, id).attr("lido:type", termTechnique))
	}
	ev.add(el("eventMaterialsTech", txt("displayMaterialsTech", o.Medium), mt))
	if ev.empty() {
		return nil
	}
	// eventType comes first in an event; it alone would make an empty event
	// look full, so it joins last.
	ev.kids = append([]*node{eventType(termProduction, "Production", "制作")}, ev.kids...)
	return ev
}

// maker writes an eventActor. The actor is the linked agent, named by its
// authority, or else the name as written; the name as written is also the
// displayActorInRole.
func (c Context) maker(m wenyuan.Maker) *node {
	if m.Agent == "" && m.Name == "" {
		return nil
	}
	actor := el("actor")
	if m.Agent != "" {
		actor.add(txt("actorID", uri(c.Base, wenyuan.KindAgent, m.Agent)).attr("lido:type", termURI))
	}
	names := nameValues("appellationValue", c.names(wenyuan.KindAgent, m.Agent))
	if len(names) == 0 {
		fallback := m.Name
		if fallback == "" {
			fallback = m.Agent
		}
		names = []*node{txt("appellationValue", fallback)}
	}
	actor.add(el("nameActorSet", names...))
	inRole := el("actorInRole", actor)
	if m.Role != "" {
		inRole.add(el("roleActor", txt("term", m.Role)))
	}
	if m.Qualifier != "" {
		inRole.add(el("attributionQualifierActor", txt("term", m.Qualifier)))
	}
	return el("eventActor", txt("displayActorInRole", m.Name), inRole)
}

// relations writes PartOf and Related as relatedWorkSet elements.
func (c Context) relations(o *wenyuan.Object) []*node {
	var out []*node
	if o.PartOf != "" {
		out = append(out, c.relatedWork(o.PartOf, el("relatedWorkRelType", conceptID(crmPartOf), txt("term", "part of").attr("xml:lang", "en"))))
	}
	for _, r := range o.Related {
		var relType *node
		if r.Relation != "" {
			relType = el("relatedWorkRelType", txt("term", r.Relation))
		}
		out = append(out, c.relatedWork(r.Object, relType))
	}
	return out
}

func (c Context) relatedWork(id string, relType *node) *node {
	u := uri(c.Base, wenyuan.KindObject, id)
	var display []*node
	for _, n := range c.names(wenyuan.KindObject, id) {
		display = append(display, txt("displayRelatedWork", n.Value).attr("xml:lang", lang(n.Lang)))
	}
	return el("relatedWorkSet", display...).add(
		el("relatedWork", el("object",
			txt("objectWebResource", u),
			txt("objectID", u).attr("lido:type", termURI),
		)),
		relType,
	)
}

// rights writes the rights statement: a URL (a licence, a
// rightsstatements.org statement) as the conceptID, other text as a term.
func rights(s string) *node {
	if s == "" {
		return nil
	}
	if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		return el("rightsType", conceptID(s))
	}
	return el("rightsType", txt("term", s))
}
