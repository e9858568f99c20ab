package linkedart

import (
	"encoding/json"
	"strings"

	"wenyuan"
)

// ContextURI is the JSON-LD context of every Linked Art 1.0 document.
const ContextURI = "https://linked.art/ns/v1/linked-art.json"

// Context is what the writers and the reader need to know about the site
// whose records they map.
type Context struct {
	// Base is the site's base URL, such as "https://wenyuan.example.org",
	// without a trailing slash (one is ignored). A record's URI is Base +
	// "/objects/", "/agents/", "/places/", "/periods/", "/concepts/" or
	// "/institutions/" + its id.
	Base string
	// Names returns the names of a linked record, to label references to it
	// (_label); nil, or a nil result, labels the reference with its id.
	Names func(kind wenyuan.Kind, id string) wenyuan.Names
	// AgentType returns "person" or "group" for an agent id, so that a
	// reference to the agent has the type of its record; nil, or "", means
	// "person".
	AgentType func(id string) string
}

func (c *Context) base() string { return strings.TrimRight(c.Base, "/") }

// kindPaths are the path segments of the URIs of each kind of record.
var kindPaths = map[wenyuan.Kind]string{
	wenyuan.KindObject:      "/objects/",
	wenyuan.KindAgent:       "/agents/",
	wenyuan.KindPlace:       "/places/",
	wenyuan.KindPeriod:      "/periods/",
	wenyuan.KindConcept:     "/concepts/",
	wenyuan.KindInstitution: "/institutions/",
}

// URI returns the URI of the record of kind with id.
func (c *Context) URI(kind wenyuan.Kind, id string) string {
	return c.base() + kindPaths[kind] + id
}

// ParseURI returns the id of the record of kind that uri names, and whether
// uri is one: under Base, with a valid Wenyuan id.
func (c *Context) ParseURI(kind wenyuan.Kind, uri string) (string, bool) {
	p, ok := kindPaths[kind]
	if !ok {
		return "", false
	}
	id, ok := strings.CutPrefix(uri, c.base()+p)
	if !ok || !wenyuan.IsValidID(id) {
		return "", false
	}
	return id, true
}

// label returns the _label of the record of kind with id: its first name,
// or its id.
func (c *Context) label(kind wenyuan.Kind, id string) string {
	if c.Names != nil {
		if s := firstName(c.Names(kind, id)); s != "" {
			return s
		}
	}
	return id
}

func firstName(ns wenyuan.Names) string {
	for _, n := range ns {
		if n.Value != "" {
			return n.Value
		}
	}
	return ""
}

// agentType returns the Linked Art class of the agent with id.
func (c *Context) agentType(id string) string {
	if c.AgentType != nil && c.AgentType(id) == "group" {
		return "Group"
	}
	return "Person"
}

// ref returns a reference to the record of kind with id, of Linked Art
// class typ.
func (c *Context) ref(kind wenyuan.Kind, id, typ string) *Node {
	return &Node{ID: c.URI(kind, id), Type: typ, Label: c.label(kind, id)}
}

// Node is one Linked Art entity or structure: a whole document (with
// Context set), an embedded structure such as a Name or a TimeSpan, or a
// reference to another record. json.Marshal writes it with the property
// names of the Linked Art JSON-LD context; empty fields are left out.
type Node struct {
	Context string `json:"@context,omitempty"`
	ID      string `json:"id,omitempty"`
	Type    string `json:"type"`
	Label   string `json:"_label,omitempty"`
	Content string `json:"content,omitempty"`

	IdentifiedBy []*Node `json:"identified_by,omitempty"`
	ClassifiedAs []*Node `json:"classified_as,omitempty"`
	Language     []*Node `json:"language,omitempty"`
	ReferredToBy []*Node `json:"referred_to_by,omitempty"`
	Equivalent   []*Node `json:"equivalent,omitempty"`

	// A Dimension.
	Value *float64 `json:"value,omitempty"`
	Unit  *Node    `json:"unit,omitempty"`

	// A TimeSpan.
	BeginOfTheBegin string `json:"begin_of_the_begin,omitempty"`
	EndOfTheEnd     string `json:"end_of_the_end,omitempty"`

	// Activities, events and attribute assignments.
	Timespan         *Node   `json:"timespan,omitempty"`
	TookPlaceAt      []*Node `json:"took_place_at,omitempty"`
	During           []*Node `json:"during,omitempty"`
	CarriedOutBy     []*Node `json:"carried_out_by,omitempty"`
	Technique        []*Node `json:"technique,omitempty"`
	Part             []*Node `json:"part,omitempty"`
	AttributedBy     []*Node `json:"attributed_by,omitempty"`
	AssignedBy       []*Node `json:"assigned_by,omitempty"`
	Assigned         []*Node `json:"assigned,omitempty"`
	AssignedProperty string  `json:"assigned_property,omitempty"`

	// Objects.
	MadeOf          []*Node `json:"made_of,omitempty"`
	Dimension       []*Node `json:"dimension,omitempty"`
	CurrentOwner    []*Node `json:"current_owner,omitempty"`
	CurrentLocation *Node   `json:"current_location,omitempty"`
	ProducedBy      *Node   `json:"produced_by,omitempty"`
	ModifiedBy      []*Node `json:"modified_by,omitempty"`

	// People, groups, places and concepts.
	Born               *Node   `json:"born,omitempty"`
	Died               *Node   `json:"died,omitempty"`
	FormedBy           *Node   `json:"formed_by,omitempty"`
	DissolvedBy        *Node   `json:"dissolved_by,omitempty"`
	DefinedBy          string  `json:"defined_by,omitempty"`
	Broader            []*Node `json:"broader,omitempty"`
	SubjectOf          []*Node `json:"subject_of,omitempty"`
	DigitallyCarriedBy []*Node `json:"digitally_carried_by,omitempty"`
	AccessPoint        []*Node `json:"access_point,omitempty"`

	// PartOf is written as an array, or as a single object when the
	// schema wants one (an object's part_of): see MarshalJSON.
	PartOf    []*Node `json:"-"`
	partOfOne bool
}

// MarshalJSON writes n as Linked Art JSON. It differs from the default
// encoding only in part_of, which the Linked Art 1.0 schema makes an array
// on places but a single reference on objects.
func (n *Node) MarshalJSON() ([]byte, error) {
	type plain Node
	var partOf any
	switch {
	case len(n.PartOf) == 0:
	case n.partOfOne:
		partOf = n.PartOf[0]
	default:
		partOf = n.PartOf
	}
	return json.Marshal(struct {
		*plain
		PartOf any `json:"part_of,omitempty"`
	}{(*plain)(n), partOf})
}
