// Package lido writes a Wenyuan object as a LIDO 1.1 record and reads a
// LIDO record back into an object.
//
// LIDO (Lightweight Information Describing Objects) is the XML schema that
// museums use to hand their catalogue records to aggregators such as
// Europeana and national portals, usually by OAI-PMH. It is kept by the
// CIDOC LIDO Working Group. The specification of version 1.1 is
// http://lido-schema.org/schema/v1.1/lido-v1.1.html, its schema
// http://www.lido-schema.org/schema/v1.1/lido-v1.1.xsd, and the LIDO Primer,
// https://lido-schema.org/documents/primer/latest/lido-primer.html, explains
// its use. Type attributes use URIs of the LIDO Terminology
// (http://terminology.lido-schema.org/), as LIDO 1.1 recommends.
//
// # How an object maps
//
//	Wenyuan                    LIDO
//	ID                         lidoRecID and recordID (local identifiers);
//	                           objectPublishedID and recordInfoLink (its URL)
//	Institution                lidoRecID@source (its name); repositoryName and
//	                           recordSource (legalBodyID = its URL, legalBodyName)
//	Type                       category: LIDO "Human-made object", or CIDOC CRM
//	                           E27 Site, E25 Human-Made Feature, E28 Conceptual Object
//	ObjectName                 objectWorkType/term (LIDO requires an objectWorkType:
//	                           without a name the classification, or else the
//	                           category, stands there)
//	Classification             classificationWrap/classification (conceptID = URL,
//	                           terms = the concept's names)
//	Titles                     titleWrap/titleSet/appellationValue, one per title in
//	                           order, lido:pref preferred for the first of a language
//	Inscriptions               inscriptionsWrap/inscriptions@type with
//	                           inscriptionTranscription (Text, xml:lang = Lang) and
//	                           inscriptionDescription@type "translation" (xml:lang
//	                           "und": its language is not known), "position" and
//	                           "author" (descriptiveNoteID = the agent's URL)
//	AccessionNumber            repositorySet/workID (type: inventory number)
//	CurrentLocation            repositorySet/repositoryLocation/namePlaceSet
//	Description                objectDescriptionSet@type="description"
//	Dimensions                 objectMeasurementsSet: displayObjectMeasurements and
//	                           measurementsSet (measurementType in English,
//	                           measurementUnit, measurementValue)
//	Makers                     the Production event's eventActor: displayActorInRole
//	                           (Maker.Name), actor (actorID = the agent's URL,
//	                           nameActorSet), roleActor, attributionQualifierActor
//	Date                       the Production event's eventDate (displayDate,
//	                           earliestDate, latestDate) and periodName (conceptID =
//	                           the period's URL)
//	Places                     the Production event's eventPlace/place (placeID =
//	                           the place's URL, namePlaceSet)
//	Materials, Techniques,     the Production event's eventMaterialsTech:
//	Medium                     termMaterialsTech of type material or technique
//	                           (conceptID = URL); displayMaterialsTech
//	Provenance                 a Provenance event's eventDescriptionSet
//	PartOf, Related            relatedWorksWrap/relatedWorkSet: the object's URL as
//	                           objectID and objectWebResource; relatedWorkRelType
//	                           (CIDOC CRM P46i forms part of, or Relation as a term)
//	Rights, CreditLine         rightsWorkSet: rightsType (conceptID if a URL, else a
//	                           term) and creditLine
//
// Visibility and the store's Meta are not written: a record in LIDO is
// published, and the OAI-PMH header carries its datestamp.
//
// Links go by URL: a record's URL is Base+"/objects/"+id, an authority's
// Base+"/agents/", "/places/", "/periods/" or "/concepts/"+id and an
// institution's Base+"/institutions/"+id. Reading, a URL under Base becomes
// the id again; any other identifier cannot be a Wenyuan link, so a maker
// keeps its name and everything else is reported as a Warning. Unmarshal
// also reads what other systems write: values without xml:lang, one
// descriptiveMetadata per language, descriptions and provenance as
// objectDescriptionSet, materials in objectMaterialsTechWrap, Creation as
// well as Production events, and records in GB18030 or Big5.
//
// # Languages
//
// Every value of a multilingual field (titles, description, provenance, the
// names of authorities) carries its own xml:lang; a value without a language
// is written as "und" and read back without one. descriptiveMetadata and
// administrativeMetadata take the language of the first title, which is the
// language the plain strings of the record (object name, medium, credit
// line, dates as written) inherit. Reading, a value without xml:lang takes
// the language of its descriptiveMetadata.
//
// # Years
//
// earliestDate and latestDate are ISO 8601 years, as LIDO recommends. ISO
// 8601 counts years astronomically, with a year 0000 that is 1 BCE, while
// Wenyuan's years are historical (negative = BCE, no year 0). So 1 BCE is
// written "0000", 206 BCE "-0205" and 1644 "1644"; reading reverses this,
// and a date with a month or day ("-0205-03", "1644-04-25") gives its year.
package lido

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"wenyuan"
)

// Namespace is the XML namespace of LIDO's elements and attributes.
const Namespace = "http://www.lido-schema.org"

// SchemaLocation is where the LIDO 1.1 schema is published; records name it
// in xsi:schemaLocation.
const SchemaLocation = "http://www.lido-schema.org/schema/v1.1/lido-v1.1.xsd"

// Concepts of the LIDO Terminology used for type attributes and types.
const (
	termURI             = "http://terminology.lido-schema.org/lido00099" // identifier type: URI
	termLocalID         = "http://terminology.lido-schema.org/lido00100" // identifier type: local identifier
	termPreferred       = "http://terminology.lido-schema.org/lido00169" // pref: preferred
	termAlternate       = "http://terminology.lido-schema.org/lido00170" // pref: alternate
	termInventoryNumber = "http://terminology.lido-schema.org/lido00113" // workID type
	termMaterial        = "http://terminology.lido-schema.org/lido00132" // termMaterialsTech type
	termTechnique       = "http://terminology.lido-schema.org/lido00131" // termMaterialsTech type
	termProduction      = "http://terminology.lido-schema.org/lido00007" // event type
	termCreation        = "http://terminology.lido-schema.org/lido00012" // event type
	termProvenance      = "http://terminology.lido-schema.org/lido00227" // event type
	termItemRecord      = "http://terminology.lido-schema.org/lido00141" // record type: item-level record
	termHumanMadeObject = "http://terminology.lido-schema.org/lido00096" // category
)

// CIDOC CRM classes and properties for what the LIDO Terminology lacks.
const (
	crmSite       = "http://www.cidoc-crm.org/cidoc-crm/E27_Site"
	crmFeature    = "http://www.cidoc-crm.org/cidoc-crm/E25_Human-Made_Feature"
	crmConceptual = "http://www.cidoc-crm.org/cidoc-crm/E28_Conceptual_Object"
	crmPartOf     = "http://www.cidoc-crm.org/cidoc-crm/P46i_forms_part_of"
)

// Context is what a record needs besides the object itself.
type Context struct {
	// Base is the site's base URL, such as "https://wenyuan.example.org";
	// every link in a record is a URL under it.
	Base string
	// Names returns the names of the institution, authority or object of
	// kind with id, to label links; nil, or a nil result, writes the link
	// without names.
	Names func(kind wenyuan.Kind, id string) wenyuan.Names
}

func (c Context) names(kind wenyuan.Kind, id string) wenyuan.Names {
	if c.Names == nil || id == "" {
		return nil
	}
	return c.Names(kind, id)
}

// paths gives the folder of the site's URL for each kind of record.
var paths = map[wenyuan.Kind]string{
	wenyuan.KindObject:      "objects",
	wenyuan.KindAgent:       "agents",
	wenyuan.KindPlace:       "places",
	wenyuan.KindPeriod:      "periods",
	wenyuan.KindConcept:     "concepts",
	wenyuan.KindInstitution: "institutions",
}

// uri returns the URL of the record of kind with id under base.
func uri(base string, kind wenyuan.Kind, id string) string {
	return strings.TrimRight(base, "/") + "/" + paths[kind] + "/" + url.PathEscape(id)
}

// idOf returns the id of the record of kind that s is the URL of under
// base, and false if s is no such URL.
func idOf(base string, kind wenyuan.Kind, s string) (string, bool) {
	base = strings.TrimRight(base, "/")
	if base == "" {
		return "", false
	}
	rest, ok := strings.CutPrefix(strings.TrimSpace(s), base+"/"+paths[kind]+"/")
	if !ok {
		return "", false
	}
	id, err := url.PathUnescape(rest)
	if err != nil || !wenyuan.IsValidID(id) {
		return "", false
	}
	return id, true
}

// lang returns tag as xml:lang takes it: "und" (undetermined) for none.
func lang(tag string) string {
	if tag == "" {
		return "und"
	}
	return tag
}

// unlang reverses lang.
func unlang(tag string) string {
	if strings.EqualFold(tag, "und") {
		return ""
	}
	return tag
}

// formatYear writes a historical year (negative = BCE, no year 0) as an
// ISO 8601 year, in which 0000 is 1 BCE: at least four digits, a minus
// sign before the years before 1 BCE.
func formatYear(y int) string {
	a := y
	if y < 0 {
		a = y + 1
	}
	if a < 0 {
		return fmt.Sprintf("-%04d", -a)
	}
	return fmt.Sprintf("%04d", a)
}

// parseYear reads the year of an ISO 8601 date ("-0205", "1644",
// "1644-04-25", "+12000") as a historical year.
func parseYear(s string) (int, error) {
	s = strings.TrimSpace(s)
	sign, digits := 1, s
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		sign, digits = -1, rest
	} else if rest, ok := strings.CutPrefix(s, "+"); ok {
		digits = rest
	}
	n := 0
	for n < len(digits) && digits[n] >= '0' && digits[n] <= '9' {
		n++
	}
	rest := digits[n:]
	if n == 0 || n > 6 || (rest != "" && rest[0] != '-' && rest[0] != 'T') {
		return 0, fmt.Errorf("%q is not an ISO 8601 year such as 1644, 0000 (1 BCE) or -0205 (206 BCE)", s)
	}
	a, _ := strconv.Atoi(digits[:n]) // at most six digits: no overflow
	a *= sign
	if a <= 0 {
		return a - 1, nil
	}
	return a, nil
}
