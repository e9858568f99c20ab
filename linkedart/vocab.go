package linkedart

import (
	"net/url"
	"strings"
)

// aat is the namespace of the Getty Art & Architecture Thesaurus, the
// vocabulary Linked Art classifies with.
const aat = "http://vocab.getty.edu/aat/"

// The AAT concepts this package writes and recognises, with a label for
// people reading the JSON (Linked Art's, where its vocabulary pages list
// the concept).
var (
	aatPrimaryName        = term{aat + "300404670", "Primary Name"}
	aatAlternateName      = term{aat + "300264273", "Alternate Name"}
	aatDisplayName        = term{aat + "300404669", "Display Name"}
	aatPseudonym          = term{aat + "300404657", "Pseudonym"}
	aatAccessionNumber    = term{aat + "300312355", "Accession Number"}
	aatTypeOfWork         = term{aat + "300435443", "Type of Work"}
	aatBriefText          = term{aat + "300418049", "Brief Text"}
	aatDescription        = term{aat + "300435416", "Description"}
	aatProvenance         = term{aat + "300435438", "Provenance Statement"}
	aatCreditLine         = term{aat + "300435418", "Credit Line"}
	aatAcknowledgments    = term{aat + "300026687", "Acknowledgments"}
	aatRights             = term{aat + "300435434", "Rights Statement"}
	aatMaterials          = term{aat + "300435429", "Materials Statement"}
	aatDimensions         = term{aat + "300435430", "Dimensions Statement"}
	aatProduction         = term{aat + "300435436", "Production Statement"}
	aatInscriptionStmt    = term{aat + "300435414", "Inscription Statement"}
	aatInscriptions       = term{aat + "300028702", "Inscriptions"}
	aatSignature          = term{aat + "300028705", "Signature Statement"}
	aatMarkingsStmt       = term{aat + "300435420", "Markings Statement"}
	aatMarks              = term{aat + "300028744", "Marks"}
	aatBiography          = term{aat + "300435422", "Biography Statement"}
	aatNote               = term{aat + "300027200", "Note"}
	aatWebPage            = term{aat + "300264578", "Web Page"}
	aatOldDescription     = aat + "300411780" // "descriptions (documents)", older Linked Art examples
	aatProvenanceActivity = aat + "300055863" // "provenance", used by some publishers for statements
)

// term is a reference to a concept: its URI and a label for people reading
// the JSON.
type term struct{ ID, Label string }

// These tables map the words Wenyuan records use for units, dimension
// types, roles, attribution qualifiers and place types to AAT concepts. A
// word missing from its table is written as a local term (termURI).
var (
	aatUnits = map[string]term{
		"cm": {aat + "300379098", "centimeters"},
		"mm": {aat + "300379097", "millimeters"},
		"m":  {aat + "300379099", "meters"},
		"kg": {aat + "300379226", "kilograms"},
		"g":  {aat + "300379225", "grams"},
		"in": {aat + "300379100", "inches"},
		"ft": {aat + "300379101", "feet"},
	}
	aatDimensionTypes = map[string]term{
		"height":    {aat + "300055644", "Height"},
		"width":     {aat + "300055647", "Width"},
		"depth":     {aat + "300072633", "Depth"},
		"diameter":  {aat + "300055624", "Diameter"},
		"length":    {aat + "300055645", "Length"},
		"weight":    {aat + "300056240", "Weight"},
		"thickness": {aat + "300055646", "Thickness"},
	}
	aatRoles = map[string]term{
		"artist":    {aat + "300025103", "Artist"},
		"author":    {aat + "300025492", "Author"},
		"architect": {aat + "300024987", "Architect"},
		"printer":   {aat + "300025732", "Printer"},
		"publisher": {aat + "300025574", "Publisher"},
	}
	aatQualifiers = map[string]term{
		"attributed to": {aat + "300404269", "attributed to"},
		"possibly by":   {aat + "300404272", "possibly by"},
		"workshop of":   {aat + "300404274", "workshop of"},
		"studio of":     {aat + "300404275", "studio of"},
		"atelier of":    {aat + "300404277", "atelier of"},
		"pupil of":      {aat + "300404279", "pupil of"},
		"follower of":   {aat + "300404282", "follower of"},
		"circle of":     {aat + "300404283", "circle of"},
		"school of":     {aat + "300404284", "school of"},
		"style of":      {aat + "300404285", "style of"},
		"after":         {aat + "300404286", "after"},
	}
	aatPlaceTypes = map[string]term{
		"continent": {aat + "300128176", "Continent"},
		"nation":    {aat + "300128207", "Country"},
		"state":     {aat + "300000776", "State"},
		"province":  {aat + "300000774", "Province"},
		"county":    {aat + "300000771", "County"},
		"city":      {aat + "300008389", "City"},
	}
)

// wordFor returns the word of table whose AAT URI is id.
func wordFor(table map[string]term, id string) (string, bool) {
	for w, t := range table {
		if t.ID == id {
			return w, true
		}
	}
	return "", false
}

// aatLanguages maps the primary subtag of a BCP 47 tag to the AAT language
// concept Linked Art uses for it (the list of the Linked Art vocabulary
// page). Every Chinese tag, "zh" or a Chinese macrolanguage member, maps
// to Chinese; the exact tag goes in the reference's _label.
var aatLanguages = map[string]term{
	"zh": {aat + "300388113", "Chinese"}, "lzh": {aat + "300388113", "Chinese"},
	"cmn": {aat + "300388113", "Chinese"}, "yue": {aat + "300388113", "Chinese"},
	"wuu": {aat + "300388113", "Chinese"}, "hak": {aat + "300388113", "Chinese"},
	"nan": {aat + "300388113", "Chinese"}, "gan": {aat + "300388113", "Chinese"},
	"hsn": {aat + "300388113", "Chinese"}, "och": {aat + "300388113", "Chinese"},
	"ltc": {aat + "300388113", "Chinese"},
	"en":  {aat + "300388277", "English"},
	"ar":  {aat + "300387843", "Arabic"}, "da": {aat + "300388204", "Danish"},
	"nl": {aat + "300388256", "Dutch"}, "fa": {aat + "300388296", "Farsi"},
	"fi": {aat + "300388299", "Finnish"}, "fr": {aat + "300388306", "French"},
	"de": {aat + "300388344", "German"}, "el": {aat + "300388361", "Greek"},
	"grc": {aat + "300387827", "Ancient Greek"}, "he": {aat + "300388401", "Hebrew"},
	"hi": {aat + "300388412", "Hindi"}, "is": {aat + "300388449", "Icelandic"},
	"ga": {aat + "300388467", "Irish"}, "it": {aat + "300388474", "Italian"},
	"ja": {aat + "300388486", "Japanese"}, "ko": {aat + "300388633", "Korean"},
	"la": {aat + "300388693", "Latin"}, "no": {aat + "300388992", "Norwegian"},
	"pl": {aat + "300389109", "Polish"}, "pt": {aat + "300389115", "Portuguese"},
	"ro": {aat + "300389157", "Romanian"}, "ru": {aat + "300389168", "Russian"},
	"es": {aat + "300389311", "Spanish"}, "sv": {aat + "300389336", "Swedish"},
	"ta": {aat + "300389365", "Tamil"}, "th": {aat + "300389405", "Thai"},
	"tr": {aat + "300389470", "Turkish"}, "ur": {aat + "300389502", "Urdu"},
	"cy": {aat + "300389555", "Welsh"},
}

// primarySubtag returns the language subtag of a BCP 47 tag, lower-cased.
func primarySubtag(tag string) string {
	p, _, _ := strings.Cut(tag, "-")
	return strings.ToLower(p)
}

// The vocabularies of local terms: words of Wenyuan records that have no
// AAT concept, written as Base+"/terms/"+vocabulary+"/"+word.
const (
	vocabRole        = "role"
	vocabQualifier   = "qualifier"
	vocabInscription = "inscription-type"
	vocabNote        = "note" // "translation", "position" of an inscription
	vocabRelation    = "relation"
	vocabNameType    = "name-type"
	vocabObjectName  = "object-name"
	vocabObjectType  = "object-type"
	vocabPlaceType   = "place-type"
	vocabPeriodType  = "period-type"
	vocabScheme      = "scheme"
	vocabLanguage    = "language"
	vocabUnit        = "unit"
	vocabDimension   = "dimension-type"
	vocabActivity    = "activity" // "inscribing"
)

// termURI returns the URI of word in one of the local vocabularies.
func (c *Context) termURI(vocab, word string) string {
	return c.base() + "/terms/" + vocab + "/" + url.PathEscape(word)
}

// localTerm returns the reference of word in a local vocabulary.
func (c *Context) localTerm(vocab, word string) term {
	return term{c.termURI(vocab, word), word}
}

// termWord returns the word of a local-term URI of vocab.
func (c *Context) termWord(vocab, uri string) (string, bool) {
	rest, ok := strings.CutPrefix(uri, c.base()+"/terms/"+vocab+"/")
	if !ok {
		return "", false
	}
	w, err := url.PathUnescape(rest)
	if err != nil || w == "" {
		return "", false
	}
	return w, true
}

// wordTerm returns the AAT concept of word in table, or else its local term.
func (c *Context) wordTerm(table map[string]term, vocab, word string) term {
	if t, ok := table[word]; ok {
		return t
	}
	return c.localTerm(vocab, word)
}
