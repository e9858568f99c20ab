// Package linkedart writes Wenyuan records as Linked Art 1.0 JSON-LD
// (https://linked.art, a profile of CIDOC-CRM) and reads Linked Art objects
// back into wenyuan.Object.
//
// A Context holds the site's base URL and looks up the names of linked
// records. Its Object, Agent, Place, Period, Concept and Institution
// methods return a *Node that json.Marshal writes as a document with
// "@context": "https://linked.art/ns/v1/linked-art.json"; every document
// validates against the Linked Art 1.0 JSON schemas. ReadObject reads a
// HumanMadeObject, from this package or another Linked Art publisher.
//
// # URIs
//
// A record's URI is Base + "/objects/", "/agents/", "/places/",
// "/periods/", "/concepts/" or "/institutions/" + its id. Words of a record
// that have no AAT concept in the table of this package (a role such as
// 画家, a seal, a unit such as 尺) are written as local terms with the URI
// Base + "/terms/" + vocabulary + "/" + the escaped word and the word as
// _label, so that they read back exactly.
//
// # Languages
//
// A Name or statement in language tag T has a language reference to the
// AAT language of T's primary subtag (Chinese aat:300388113 for zh and the
// Chinese macrolanguage members, English aat:300388277, and the other
// languages of Linked Art's vocabulary page), or a local language term for
// a language without one. The reference's _label is T itself, so that
// zh-Hans, zh-Hant and zh-Latn-pinyin, all Chinese to the AAT, stay apart.
// (Linked Art's reference documentation gives "notation" for language tags,
// but the 1.0 schema does not allow it on a Language reference.) On
// reading, a _label or notation that is a BCP 47 tag of the referenced
// language is the tag; otherwise the AAT language's code ("en", "fr").
//
// # Objects
//
//	id                  id (Base/objects/id)
//	Titles              identified_by Name, in its language: the first of each
//	                    language Primary Name (aat:300404670), others Alternate
//	                    Name (aat:300264273)
//	AccessionNumber     identified_by Identifier, Accession Number
//	                    (aat:300312355), assigned_by the institution
//	Institution         current_owner Group (Base/institutions/id)
//	Type                classified_as local object-type term (tangible: none)
//	Classification      classified_as Type (Base/concepts/id), itself
//	                    classified_as Type of Work (aat:300435443)
//	ObjectName          classified_as local object-name term, Type of Work
//	Makers              produced_by.part: a Production per maker, carried_out_by
//	                    the Person or Group, classified_as its role (AAT for
//	                    artist, author, architect, printer, publisher), the
//	                    maker's Name as a Production Statement (aat:300435436);
//	                    a maker with a Qualifier is an AttributeAssignment of
//	                    the production (attributed_by), classified_as the AAT
//	                    attribution qualifier (attributed to aat:300404269,
//	                    workshop of aat:300404274, follower of aat:300404282,
//	                    after aat:300404286, …) or a local term, assigning that
//	                    part (assigned_property "part"), as Linked Art models
//	                    uncertain attribution
//	Date                produced_by.timespan: begin_of_the_begin and
//	                    end_of_the_end (BeginOfYear, EndOfYear), Display as its
//	                    Display Name (aat:300404669); Periods in
//	                    produced_by.during
//	Places              produced_by.took_place_at
//	Techniques          produced_by.technique
//	Materials           made_of Material (Base/concepts/id)
//	Medium              referred_to_by Materials Statement (aat:300435429)
//	Dimensions          dimension: value, unit (cm, mm, m, kg, g, in, ft in
//	                    the AAT), classified_as height, width, depth, diameter,
//	                    length, weight, thickness, Display as its Display Name;
//	                    one without value or unit is a Dimensions Statement
//	                    (aat:300435430)
//	Inscriptions        referred_to_by statement in its language, classified_as
//	                    Inscription Statement (aat:300435414, with Inscriptions
//	                    aat:300028702 for "inscription"), Signature Statement
//	                    (aat:300028705) or Markings Statement (aat:300435420,
//	                    with Marks aat:300028744 for "mark"); seal, colophon and
//	                    other types add a local term; Translation and Position
//	                    are statements about it (local note terms); Author is a
//	                    modified_by Modification (local term "inscribing")
//	                    carried_out_by the author, referring to the statement
//	Description         referred_to_by Description (aat:300435416, a Brief Text
//	                    aat:300418049), one per language
//	Provenance          referred_to_by Provenance Statement (aat:300435438)
//	CreditLine          referred_to_by Credit Line (aat:300435418) and
//	                    Acknowledgments (aat:300026687, the current Linked Art
//	                    term)
//	Rights              referred_to_by Rights Statement (aat:300435434)
//	CurrentLocation     current_location Place, the text as _label, with the URI
//	                    Base/institutions/id/locations/escaped-text
//	PartOf              part_of HumanMadeObject
//	Related             attributed_by AttributeAssignment assigning the object,
//	                    classified_as a local relation term
//	Visibility, Meta    not written: a document is published, or not
//
// # Authorities
//
// An Agent is a Person, Born and Died its born and died (Birth, Death with
// a timespan of the year), or a Group, formed_by and dissolved_by. A
// Place has its Type as classified_as (country, province, county, city in
// the AAT), its coordinates as defined_by "POINT(longitude latitude)" and
// its parent in part_of. A Period has its Start and End as timespan and
// its parent in during (the 1.0 schema allows part_of only to an Event or
// an Activity). A Concept is a Material (material scheme) or a Type, its
// scheme a local term (and Type of Work for classifications), Broader in
// broader, Note as Note statements (aat:300027200). ExternalIDs of agents,
// places and concepts (ULAN, TGN, Getty AAT, Wikidata) are equivalent
// references; those of periods are not written, because the 1.0 schema
// allows only Activities as a Period's equivalent. Names are Primary or
// Alternate Names as for titles, a name typed "preferred" Primary;
// courtesy (字), studio (号, also an AAT Pseudonym aat:300404657) and
// Wade-Giles names add a local name-type term. An Institution is a Group,
// its Homepage a web page (aat:300264578) it is the subject of.
//
// # Reading
//
// ReadObject is the inverse of Object: Object then ReadObject gives back
// every field above, except that makers with a qualifier come after those
// without one, and dimensions with a value before those only written out.
// It also reads makers carried_out_by the production itself, influenced_by
// (as "after"), the older Description term (aat:300411780) and statements
// classified as provenance (aat:300055863). Whatever it cannot keep is
// returned as Unmapped.
package linkedart
