package lido

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/htmlindex"

	"wenyuan"
)

// MaxSize is the largest record Unmarshal reads, in bytes: a LIDO record
// of one object is a few kilobytes, so anything near this is not one.
const MaxSize = 8 << 20

// Warning is a value of a record that Unmarshal could not keep in the
// object: a link to an authority that is not in Wenyuan, a year it could
// not read, a part of LIDO that Wenyuan has no field for.
type Warning struct {
	Element string // where it is, such as "lido:eventPlace/lido:place"
	Value   string // what is there: the identifier, name or text
	Reason  string
}

// String describes w for a person: where, what and why.
func (w Warning) String() string {
	if w.Value == "" {
		return w.Element + ": " + w.Reason
	}
	return fmt.Sprintf("%s: %q: %s", w.Element, w.Value, w.Reason)
}

// Unmarshal reads one LIDO record, a lido:lido element or a lido:lidoWrap
// holding one, into an object. base is the site's base URL: identifiers
// that are URLs under it become the ids of the linked records (see the
// package comment). The object is as the record has it and not yet
// normalized or validated; what it could not keep is in the warnings.
//
// Malformed XML, another root element and a record without an accession
// number or a title are EINVALID errors that name the element.
func Unmarshal(r io.Reader, base string) (*wenyuan.Object, []Warning, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read lido: %w", err)
	}
	if len(b) > MaxSize {
		return nil, nil, invalid("lido: the record is larger than %d bytes", MaxSize)
	}
	rec, err := decode(b)
	if err != nil {
		return nil, nil, err
	}
	rd := &reader{base: base}
	o, err := rd.object(rec)
	if err != nil {
		return nil, nil, err
	}
	return o, rd.warnings, nil
}

func invalid(format string, args ...any) error {
	return wenyuan.Errorf(wenyuan.EINVALID, format, args...)
}

// decode parses the root element of b into a record.
func decode(b []byte) (*xRecord, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.CharsetReader = charsetReader
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil, invalid("lido: no root element: want lido:lido or lido:lidoWrap")
		}
		if err != nil {
			return nil, invalid("lido: malformed XML: %v", err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if start.Name.Space != Namespace || (start.Name.Local != "lido" && start.Name.Local != "lidoWrap") {
			return nil, invalid("lido: root element is %s, want lido:lido or lido:lidoWrap in namespace %s", qname(start.Name), Namespace)
		}
		if start.Name.Local == "lido" {
			var rec xRecord
			if err := d.DecodeElement(&rec, &start); err != nil {
				return nil, invalid("lido: malformed XML in lido:lido: %v", err)
			}
			return &rec, nil
		}
		var wrap struct {
			Records []xRecord `xml:"lido"`
		}
		if err := d.DecodeElement(&wrap, &start); err != nil {
			return nil, invalid("lido: malformed XML in lido:lidoWrap: %v", err)
		}
		if len(wrap.Records) != 1 {
			return nil, invalid("lido:lidoWrap: holds %d lido:lido records, want one", len(wrap.Records))
		}
		return &wrap.Records[0], nil
	}
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return "<" + n.Local + ">"
	}
	return fmt.Sprintf("<%s> (namespace %q)", n.Local, n.Space)
}

// charsetReader reads records in the encodings Chinese systems still
// export, such as GB18030 and Big5, named in the XML declaration.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	e, err := htmlindex.Get(label)
	if err != nil {
		return nil, fmt.Errorf("unknown encoding %q", label)
	}
	return e.NewDecoder().Reader(in), nil
}

// The x types mirror the parts of LIDO that Unmarshal reads. Their tags
// name elements and attributes by local name alone, so records that
// leave attributes unqualified (type= for lido:type), as some LIDO 1.0
// exports do, still read.

type xText struct {
	Lang  *string `xml:"lang,attr"`
	Value string  `xml:",chardata"`
}

type xID struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

// xValue is an appellationValue or a term.
type xValue struct {
	Lang  *string `xml:"lang,attr"`
	Pref  string  `xml:"pref,attr"`
	Value string  `xml:",chardata"`
}

type xAppellation struct {
	Values []xValue `xml:"appellationValue"`
}

// xConcept is a conceptComplexType or, with Text, a
// conceptMixedComplexType.
type xConcept struct {
	Type  string   `xml:"type,attr"`
	Text  string   `xml:",chardata"`
	IDs   []xID    `xml:"conceptID"`
	Terms []xValue `xml:"term"`
}

type xPlace struct {
	IDs   []xID          `xml:"placeID"`
	Names []xAppellation `xml:"namePlaceSet"`
}

type xLegalBody struct {
	IDs   []xID          `xml:"legalBodyID"`
	Names []xAppellation `xml:"legalBodyName"`
}

type xNote struct {
	Type   string  `xml:"type,attr"`
	IDs    []xID   `xml:"descriptiveNoteID"`
	Values []xText `xml:"descriptiveNoteValue"`
}

type xRecord struct {
	RecIDs       []xID          `xml:"lidoRecID"`
	PublishedIDs []xID          `xml:"objectPublishedID"`
	Category     *xConcept      `xml:"category"`
	Descriptive  []xDescriptive `xml:"descriptiveMetadata"`
	Admin        []xAdmin       `xml:"administrativeMetadata"`
}

type xDescriptive struct {
	Lang            string              `xml:"lang,attr"`
	WorkTypes       []xConcept          `xml:"objectClassificationWrap>objectWorkTypeWrap>objectWorkType"`
	Classifications []xConcept          `xml:"objectClassificationWrap>classificationWrap>classification"`
	Titles          []xAppellation      `xml:"objectIdentificationWrap>titleWrap>titleSet"`
	Inscriptions    []xInscription      `xml:"objectIdentificationWrap>inscriptionsWrap>inscriptions"`
	Repositories    []xRepository       `xml:"objectIdentificationWrap>repositoryWrap>repositorySet"`
	Descriptions    []xNote             `xml:"objectIdentificationWrap>objectDescriptionWrap>objectDescriptionSet"`
	Measurements    []xMeasurements     `xml:"objectIdentificationWrap>objectMeasurementsWrap>objectMeasurementsSet"`
	MaterialsTech   []xMaterialsTechSet `xml:"objectIdentificationWrap>objectMaterialsTechWrap>objectMaterialsTechSet"`
	Events          []xEvent            `xml:"eventWrap>eventSet>event"`
	Related         []xRelatedWork      `xml:"objectRelationWrap>relatedWorksWrap>relatedWorkSet"`
}

type xInscription struct {
	Type           string  `xml:"type,attr"`
	Transcriptions []xText `xml:"inscriptionTranscription"`
	Descriptions   []xNote `xml:"inscriptionDescription"`
}

type xRepository struct {
	Name     xLegalBody `xml:"repositoryName"`
	WorkIDs  []xID      `xml:"workID"`
	Location *xPlace    `xml:"repositoryLocation"`
}

type xMeasurements struct {
	Display []xText            `xml:"displayObjectMeasurements"`
	Sets    []xMeasurementsSet `xml:"objectMeasurements>measurementsSet"`
}

type xMeasurementsSet struct {
	Types []xConcept `xml:"measurementType"`
	Units []xConcept `xml:"measurementUnit"`
	Value xText      `xml:"measurementValue"`
}

type xMaterialsTechSet struct {
	Display []xText    `xml:"displayMaterialsTech"`
	Terms   []xConcept `xml:"materialsTech>termMaterialsTech"`
}

type xEvent struct {
	Type          xConcept            `xml:"eventType"`
	Actors        []xEventActor       `xml:"eventActor"`
	Date          *xDateSet           `xml:"eventDate"`
	Periods       []xConcept          `xml:"periodName"`
	Places        []xPlaceSet         `xml:"eventPlace"`
	MaterialsTech []xMaterialsTechSet `xml:"eventMaterialsTech"`
	Descriptions  []xNote             `xml:"eventDescriptionSet"`
}

type xEventActor struct {
	Display    []xText        `xml:"displayActorInRole"`
	IDs        []xID          `xml:"actorInRole>actor>actorID"`
	Names      []xAppellation `xml:"actorInRole>actor>nameActorSet"`
	Roles      []xConcept     `xml:"actorInRole>roleActor"`
	Qualifiers []xConcept     `xml:"actorInRole>attributionQualifierActor"`
}

type xDateSet struct {
	Display  []xText `xml:"displayDate"`
	Earliest *xText  `xml:"date>earliestDate"`
	Latest   *xText  `xml:"date>latestDate"`
}

type xPlaceSet struct {
	Display []xText `xml:"displayPlace"`
	Place   xPlace  `xml:"place"`
}

type xRelatedWork struct {
	Display      []xText   `xml:"displayRelatedWork"`
	ObjectIDs    []xID     `xml:"relatedWork>object>objectID"`
	WebResources []xText   `xml:"relatedWork>object>objectWebResource"`
	RelType      *xConcept `xml:"relatedWorkRelType"`
}

type xAdmin struct {
	Rights    []xRights    `xml:"rightsWorkWrap>rightsWorkSet"`
	Sources   []xLegalBody `xml:"recordWrap>recordSource"`
	InfoLinks []xText      `xml:"recordWrap>recordInfoSet>recordInfoLink"`
}

type xRights struct {
	Types       []xConcept `xml:"rightsType"`
	CreditLines []xText    `xml:"creditLine"`
}

// reader turns a decoded record into an object, collecting warnings.
type reader struct {
	base     string
	warnings []Warning
	// The multilingual values of every descriptiveMetadata.
	titles, description, provenance wenyuan.Text
	// repositoryName names the repository, for a warning if it is not a
	// Wenyuan institution.
	repositoryName string
}

func (rd *reader) warn(element, value, reason string) {
	rd.warnings = append(rd.warnings, Warning{Element: element, Value: strings.TrimSpace(value), Reason: reason})
}

// Element paths used in errors and warnings.
const (
	pathTitle  = "lido:objectIdentificationWrap/lido:titleWrap"
	pathWorkID = "lido:objectIdentificationWrap/lido:repositoryWrap/lido:repositorySet/lido:workID"
)

func (rd *reader) object(rec *xRecord) (*wenyuan.Object, error) {
	if len(rec.Descriptive) == 0 {
		return nil, invalid("lido:lido/lido:descriptiveMetadata: missing: a record needs a title and an accession number")
	}
	o := &wenyuan.Object{}
	// A record may repeat descriptiveMetadata once per language. The
	// first gives the structure (makers, dates, links); every one adds
	// its titles, descriptions and provenance.
	for i, dm := range rec.Descriptive {
		rd.texts(i, dm)
	}
	dm := rec.Descriptive[0]
	if len(rec.Descriptive) > 1 {
		rd.warn("lido:descriptiveMetadata", "", fmt.Sprintf("%d more descriptiveMetadata: only their titles, descriptions and provenance are read", len(rec.Descriptive)-1))
	}
	o.Titles = rd.titles
	if len(o.Titles) == 0 {
		return nil, invalid("%s: no title", pathTitle)
	}
	o.Description, o.Provenance = rd.description, rd.provenance

	for _, dm := range rec.Descriptive {
		if o.AccessionNumber == "" {
			rd.repository(o, dm)
		}
	}
	if o.AccessionNumber == "" {
		return nil, invalid("%s: no accession number", pathWorkID)
	}
	rd.identity(o, rec)
	rd.classification(o, dm)
	rd.inscriptions(o, dm)
	rd.measurements(o, dm)
	for _, ev := range dm.Events {
		switch {
		case isEvent(ev.Type, termProduction, "production") || isEvent(ev.Type, termCreation, "creation"):
			rd.production(o, ev, dm.Lang)
		case isEvent(ev.Type, termProvenance, "provenance"):
			// read by texts
		default:
			rd.warn("lido:eventWrap/lido:eventSet/lido:event", conceptName(ev.Type), "only Production and Provenance events are read")
		}
	}
	for _, set := range dm.MaterialsTech {
		rd.materialsTech(o, set, "lido:objectMaterialsTechWrap/lido:objectMaterialsTechSet")
	}
	rd.relations(o, dm)
	rd.rights(o, rec)
	return o, nil
}

// texts reads the multilingual values of dm: titles, descriptions and
// provenance. The first descriptiveMetadata keeps every value in order;
// later ones add what the first lacks.
func (rd *reader) texts(i int, dm xDescriptive) {
	add := func(t *wenyuan.Text, l, v string) {
		v = strings.TrimSpace(v)
		if v == "" {
			return
		}
		if i == 0 {
			*t = append(*t, wenyuan.LangString{Lang: l, Value: v})
			return
		}
		*t = t.Add(l, v)
	}
	for _, set := range dm.Titles {
		for _, v := range set.Values {
			add(&rd.titles, langOf(v.Lang, dm.Lang), v.Value)
		}
	}
	for _, d := range dm.Descriptions {
		var t *wenyuan.Text
		switch kind := strings.ToLower(d.Type); {
		case kind == "" || strings.Contains(kind, "description"):
			t = &rd.description
		case strings.Contains(kind, "provenance") || d.Type == termProvenance:
			t = &rd.provenance
		default:
			rd.warn("lido:objectDescriptionWrap/lido:objectDescriptionSet", d.Type, "only descriptions and provenance are read")
			continue
		}
		for _, v := range d.Values {
			add(t, langOf(v.Lang, dm.Lang), v.Value)
		}
	}
	for _, ev := range dm.Events {
		if !isEvent(ev.Type, termProvenance, "provenance") {
			continue
		}
		for _, d := range ev.Descriptions {
			for _, v := range d.Values {
				add(&rd.provenance, langOf(v.Lang, dm.Lang), v.Value)
			}
		}
	}
}

// langOf returns the language of a value: its own xml:lang or, without
// one, that of its descriptiveMetadata.
func langOf(own *string, inherited string) string {
	if own != nil {
		return unlang(strings.TrimSpace(*own))
	}
	return unlang(strings.TrimSpace(inherited))
}

// repository reads the accession number, the institution and the current
// location from the first repositorySet with a workID, preferring a workID
// typed as the inventory number.
func (rd *reader) repository(o *wenyuan.Object, dm xDescriptive) {
	for _, rs := range dm.Repositories {
		if len(rs.WorkIDs) == 0 {
			continue
		}
		acc := ""
		for _, id := range rs.WorkIDs {
			if v := strings.TrimSpace(id.Value); v != "" && (acc == "" || id.Type == termInventoryNumber || strings.EqualFold(id.Type, "inventory number")) {
				acc = v
			}
		}
		if acc == "" {
			continue
		}
		o.AccessionNumber = acc
		o.Institution = rd.link(wenyuan.KindInstitution, rs.Name.IDs)
		rd.repositoryName = firstID(rs.Name.IDs, rs.Name.Names)
		if rs.Location != nil {
			o.CurrentLocation = firstValue(rs.Location.Names)
		}
		return
	}
}

// identity reads the object's id from its URL, the institution from the
// record source if the repository gave none, and the type from the
// category.
func (rd *reader) identity(o *wenyuan.Object, rec *xRecord) {
	urls := append([]xID{}, rec.PublishedIDs...)
	for _, am := range rec.Admin {
		for _, l := range am.InfoLinks {
			urls = append(urls, xID{Value: l.Value})
		}
	}
	for _, u := range urls {
		if id, ok := idOf(rd.base, wenyuan.KindObject, u.Value); ok {
			o.ID = id
			break
		}
	}
	if o.ID == "" {
		var ids []string
		for _, id := range rec.RecIDs {
			ids = append(ids, strings.TrimSpace(id.Value))
		}
		rd.warn("lido:objectPublishedID", strings.Join(ids, " "), "no Wenyuan object URL: the object gets a new id")
	}
	for _, am := range rec.Admin {
		for _, src := range am.Sources {
			if o.Institution != "" {
				break
			}
			o.Institution = rd.link(wenyuan.KindInstitution, src.IDs)
			if rd.repositoryName == "" {
				rd.repositoryName = firstID(src.IDs, src.Names)
			}
		}
	}
	if o.Institution == "" {
		rd.warn("lido:repositoryName, lido:recordSource", rd.repositoryName, "no Wenyuan institution URL: the importer must name the institution")
	}
	if rec.Category != nil {
		if t := objectType(*rec.Category); t != "" {
			o.Type = t
		} else {
			rd.warn("lido:category", conceptName(*rec.Category), "not a category Wenyuan knows")
		}
	}
}

// objectType returns the Wenyuan object type of a category, or "".
func objectType(c xConcept) string {
	for _, id := range c.IDs {
		v := strings.TrimSpace(id.Value)
		if v == termHumanMadeObject {
			return wenyuan.ObjectTangible
		}
		if !strings.Contains(v, "cidoc-crm") {
			continue
		}
		class := v[strings.LastIndexAny(v, "/#")+1:]
		class, _, _ = strings.Cut(class, "_")
		switch class {
		case "E22":
			return wenyuan.ObjectTangible
		case "E27":
			return wenyuan.ObjectSite
		case "E25":
			return wenyuan.ObjectFeature
		case "E28":
			return wenyuan.ObjectIntangible
		}
	}
	return ""
}

// classification reads the classification concepts and the object name.
func (rd *reader) classification(o *wenyuan.Object, dm xDescriptive) {
	for _, c := range dm.Classifications {
		if id := rd.link(wenyuan.KindConcept, c.IDs); id != "" {
			o.Classification = appendNew(o.Classification, id)
		} else {
			rd.warn("lido:classificationWrap/lido:classification", conceptName(c), "no Wenyuan concept URL")
		}
	}
	for _, wt := range dm.WorkTypes {
		if objectType(wt) != "" {
			continue // the category, written when there is nothing more specific
		}
		if id := rd.link(wenyuan.KindConcept, wt.IDs); id != "" {
			o.Classification = appendNew(o.Classification, id)
			continue
		}
		name := firstTerm(wt)
		switch {
		case name == "":
		case o.ObjectName == "":
			o.ObjectName = name
		default:
			rd.warn("lido:objectWorkTypeWrap/lido:objectWorkType", name, "Wenyuan keeps one object name")
		}
	}
}

func appendNew(ids []string, id string) []string {
	for _, v := range ids {
		if v == id {
			return ids
		}
	}
	return append(ids, id)
}

func (rd *reader) inscriptions(o *wenyuan.Object, dm xDescriptive) {
	const path = "lido:inscriptionsWrap/lido:inscriptions"
	for _, x := range dm.Inscriptions {
		in := wenyuan.Inscription{Type: strings.TrimSpace(x.Type)}
		for i, t := range x.Transcriptions {
			if i == 0 {
				in.Text, in.Lang = strings.TrimSpace(t.Value), langOf(t.Lang, dm.Lang)
			} else {
				rd.warn(path+"/lido:inscriptionTranscription", t.Value, "Wenyuan keeps one transcription of an inscription")
			}
		}
		for _, d := range x.Descriptions {
			switch strings.ToLower(strings.TrimSpace(d.Type)) {
			case "translation":
				in.Translation = firstText(d.Values)
			case "position":
				in.Position = firstText(d.Values)
			case "author":
				if in.Author = rd.link(wenyuan.KindAgent, d.IDs); in.Author == "" {
					rd.warn(path+"/lido:inscriptionDescription", firstText(d.Values), "no Wenyuan agent URL for the author")
				}
			default:
				rd.warn(path+"/lido:inscriptionDescription", firstText(d.Values), "only its translation, position and author are read")
			}
		}
		if in.Text == "" && in.Translation == "" {
			continue
		}
		o.Inscriptions = append(o.Inscriptions, in)
	}
}

func (rd *reader) measurements(o *wenyuan.Object, dm xDescriptive) {
	for _, m := range dm.Measurements {
		display := firstText(m.Display)
		if len(m.Sets) == 0 {
			if display != "" {
				o.Dimensions = append(o.Dimensions, wenyuan.Dimension{Display: display})
			}
			continue
		}
		for i, s := range m.Sets {
			d := wenyuan.Dimension{Type: mixedText(s.Types), Unit: mixedText(s.Units)}
			if i == 0 {
				d.Display = display
			}
			if v := strings.TrimSpace(s.Value.Value); v != "" {
				// A decimal comma ("12,9") is not read: "1,191" could be
				// either number, and the display text stays.
				f, err := strconv.ParseFloat(v, 64)
				if err != nil {
					rd.warn("lido:measurementsSet/lido:measurementValue", v, "not a number")
				} else {
					d.Value = &f
				}
			}
			if d != (wenyuan.Dimension{}) {
				o.Dimensions = append(o.Dimensions, d)
			}
		}
	}
}

// production reads a Production event: makers, date, periods, places,
// materials and techniques.
func (rd *reader) production(o *wenyuan.Object, ev xEvent, dmLang string) {
	for _, a := range ev.Actors {
		m := wenyuan.Maker{
			Name:      firstText(a.Display),
			Agent:     rd.link(wenyuan.KindAgent, a.IDs),
			Role:      firstTermOf(a.Roles),
			Qualifier: mixedText(a.Qualifiers),
		}
		if m.Agent == "" && m.Name == "" {
			m.Name = preferredValue(a.Names, dmLang)
		}
		if m.Agent == "" && m.Name == "" {
			rd.warn("lido:eventActor", firstID(a.IDs, nil), "an actor with neither a Wenyuan agent URL nor a name")
			continue
		}
		o.Makers = append(o.Makers, m)
	}
	if ds := ev.Date; ds != nil {
		d := o.Date
		if d == nil {
			d = &wenyuan.Dating{}
		}
		if d.Display == "" {
			d.Display = firstText(ds.Display)
		}
		d.Earliest = rd.year(d.Earliest, ds.Earliest, "lido:eventDate/lido:date/lido:earliestDate")
		d.Latest = rd.year(d.Latest, ds.Latest, "lido:eventDate/lido:date/lido:latestDate")
		o.Date = d
	}
	for _, p := range ev.Periods {
		id := rd.link(wenyuan.KindPeriod, p.IDs)
		if id == "" {
			rd.warn("lido:periodName", conceptName(p), "no Wenyuan period URL")
			continue
		}
		if o.Date == nil {
			o.Date = &wenyuan.Dating{}
		}
		o.Date.Periods = appendNew(o.Date.Periods, id)
	}
	if o.Date != nil && o.Date.Display == "" && o.Date.Earliest == nil && o.Date.Latest == nil && len(o.Date.Periods) == 0 {
		o.Date = nil
	}
	for _, p := range ev.Places {
		if id := rd.link(wenyuan.KindPlace, p.Place.IDs); id != "" {
			o.Places = appendNew(o.Places, id)
			continue
		}
		name := firstValue(p.Place.Names)
		if name == "" {
			name = firstText(p.Display)
		}
		rd.warn("lido:eventPlace/lido:place", firstID(p.Place.IDs, nil)+" "+name, "no Wenyuan place URL")
	}
	for _, set := range ev.MaterialsTech {
		rd.materialsTech(o, set, "lido:eventMaterialsTech")
	}
}

// year reads a year unless one was read before.
func (rd *reader) year(have *int, t *xText, path string) *int {
	if have != nil || t == nil || strings.TrimSpace(t.Value) == "" {
		return have
	}
	y, err := parseYear(t.Value)
	if err != nil {
		rd.warn(path, t.Value, err.Error())
		return nil
	}
	return &y
}

func (rd *reader) materialsTech(o *wenyuan.Object, set xMaterialsTechSet, path string) {
	if o.Medium == "" {
		o.Medium = firstText(set.Display)
	}
	for _, t := range set.Terms {
		id := rd.link(wenyuan.KindConcept, t.IDs)
		if id == "" {
			rd.warn(path+"/lido:materialsTech/lido:termMaterialsTech", conceptName(t), "no Wenyuan concept URL")
			continue
		}
		if typ := strings.ToLower(t.Type); t.Type == termTechnique || strings.Contains(typ, "techni") {
			o.Techniques = appendNew(o.Techniques, id)
		} else {
			o.Materials = appendNew(o.Materials, id)
		}
	}
}

func (rd *reader) relations(o *wenyuan.Object, dm xDescriptive) {
	for _, rw := range dm.Related {
		var id string
		ids := append([]xID{}, rw.ObjectIDs...)
		for _, wr := range rw.WebResources {
			ids = append(ids, xID{Value: wr.Value})
		}
		for _, x := range ids {
			if v, ok := idOf(rd.base, wenyuan.KindObject, x.Value); ok {
				id = v
				break
			}
		}
		if id == "" {
			name := firstText(rw.Display)
			if name == "" {
				name = firstID(ids, nil)
			}
			rd.warn("lido:relatedWorksWrap/lido:relatedWorkSet", name, "no Wenyuan object URL")
			continue
		}
		rel := ""
		if rw.RelType != nil {
			for _, x := range rw.RelType.IDs {
				if strings.TrimSpace(x.Value) == crmPartOf && o.PartOf == "" {
					o.PartOf = id
					id = ""
					break
				}
			}
			rel = firstTerm(*rw.RelType)
		}
		if id != "" {
			o.Related = append(o.Related, wenyuan.Relation{Object: id, Relation: rel})
		}
	}
}

func (rd *reader) rights(o *wenyuan.Object, rec *xRecord) {
	for _, am := range rec.Admin {
		for _, rs := range am.Rights {
			for _, t := range rs.Types {
				if o.Rights == "" {
					o.Rights = firstID(t.IDs, nil)
				}
				if o.Rights == "" {
					o.Rights = firstTerm(t)
				}
			}
			if o.CreditLine == "" {
				o.CreditLine = firstText(rs.CreditLines)
			}
		}
	}
}

// link returns the id of the first identifier that is a Wenyuan URL of
// kind, or "".
func (rd *reader) link(kind wenyuan.Kind, ids []xID) string {
	for _, x := range ids {
		if id, ok := idOf(rd.base, kind, x.Value); ok {
			return id
		}
	}
	return ""
}

func isEvent(c xConcept, uri, word string) bool {
	for _, id := range c.IDs {
		if strings.TrimSpace(id.Value) == uri {
			return true
		}
	}
	for _, t := range c.Terms {
		if strings.EqualFold(strings.TrimSpace(t.Value), word) {
			return true
		}
	}
	return false
}

func firstText(ts []xText) string {
	for _, t := range ts {
		if v := strings.TrimSpace(t.Value); v != "" {
			return v
		}
	}
	return ""
}

func firstTerm(c xConcept) string {
	for _, t := range c.Terms {
		if v := strings.TrimSpace(t.Value); v != "" {
			return v
		}
	}
	return ""
}

func firstTermOf(cs []xConcept) string {
	for _, c := range cs {
		if v := firstTerm(c); v != "" {
			return v
		}
	}
	return ""
}

// mixedText reads conceptMixedComplexType elements: text, or else a term.
func mixedText(cs []xConcept) string {
	for _, c := range cs {
		if v := strings.TrimSpace(c.Text); v != "" {
			return v
		}
		if v := firstTerm(c); v != "" {
			return v
		}
	}
	return ""
}

// conceptName names a concept in a warning: its first term or identifier.
func conceptName(c xConcept) string {
	if v := firstTerm(c); v != "" {
		return v
	}
	if v := strings.TrimSpace(c.Text); v != "" {
		return v
	}
	return firstID(c.IDs, nil)
}

func firstValue(as []xAppellation) string {
	for _, a := range as {
		for _, v := range a.Values {
			if s := strings.TrimSpace(v.Value); s != "" {
				return s
			}
		}
	}
	return ""
}

// preferredValue returns the name an actor goes by: the preferred one in
// the record's language, else the first preferred, else the first.
func preferredValue(as []xAppellation, recLang string) string {
	var pref string
	for _, a := range as {
		for _, v := range a.Values {
			s := strings.TrimSpace(v.Value)
			if s == "" || (v.Pref != "" && v.Pref != termPreferred && !strings.EqualFold(v.Pref, "preferred")) {
				continue
			}
			if langOf(v.Lang, recLang) == unlang(recLang) {
				return s
			}
			if pref == "" {
				pref = s
			}
		}
	}
	if pref != "" {
		return pref
	}
	return firstValue(as)
}

// firstID returns the first identifier, or else the first name, for a
// warning.
func firstID(ids []xID, names []xAppellation) string {
	for _, x := range ids {
		if v := strings.TrimSpace(x.Value); v != "" {
			return v
		}
	}
	return firstValue(names)
}
