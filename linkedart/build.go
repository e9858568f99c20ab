package linkedart

import (
	"wenyuan"
)

// typeRef returns a reference to a concept, of Linked Art class typ
// ("Type", "Material", "MeasurementUnit", "Language").
func typeRef(t term, typ string) *Node {
	return &Node{ID: t.ID, Type: typ, Label: t.Label}
}

// types returns references of class Type to each of ts.
func types(ts ...term) []*Node {
	out := make([]*Node, len(ts))
	for i, t := range ts {
		out[i] = typeRef(t, "Type")
	}
	return out
}

// language returns the Language reference of a BCP 47 tag: the AAT
// language of its primary subtag, or else a local term, labelled with the
// exact tag so that zh-Hans, zh-Hant and zh-Latn-pinyin stay apart.
func (c *Context) language(tag string) []*Node {
	if tag == "" {
		return nil
	}
	t, ok := aatLanguages[primarySubtag(tag)]
	if !ok {
		t = c.localTerm(vocabLanguage, tag)
	}
	return []*Node{{ID: t.ID, Type: "Language", Label: tag}}
}

// statement returns an embedded LinguisticObject with content in lang (""
// for none), classified as classes.
func (c *Context) statement(content, lang string, classes ...term) *Node {
	return &Node{Type: "LinguisticObject", ClassifiedAs: types(classes...), Content: content, Language: c.language(lang)}
}

// textStatements returns one statement per entry of t.
func (c *Context) textStatements(t wenyuan.Text, classes ...term) []*Node {
	var out []*Node
	for _, s := range t {
		if s.Value != "" {
			out = append(out, c.statement(s.Value, s.Lang, classes...))
		}
	}
	return out
}

// titles returns the Names of an object's titles: the first title of each
// language is its Primary Name, the others Alternate Names.
func (c *Context) titles(t wenyuan.Text) []*Node {
	var out []*Node
	seen := map[string]bool{}
	for _, s := range t {
		if s.Value == "" {
			continue
		}
		class := aatPrimaryName
		if seen[s.Lang] {
			class = aatAlternateName
		}
		seen[s.Lang] = true
		out = append(out, &Node{Type: "Name", ClassifiedAs: types(class), Content: s.Value, Language: c.language(s.Lang)})
	}
	return out
}

// names returns the Names of an authority. A name typed "preferred", or
// untyped and first in its language, is a Primary Name; the others are
// Alternate Names. Courtesy (字), studio (号, also an AAT Pseudonym) and
// Wade-Giles names, and any other type, add a local name-type term.
func (c *Context) names(ns wenyuan.Names) []*Node {
	var out []*Node
	seen := map[string]bool{}
	for _, n := range ns {
		if n.Value == "" {
			continue
		}
		var classes []term
		switch {
		case n.Type == "preferred" || n.Type == "" && !seen[n.Lang]:
			classes = append(classes, aatPrimaryName)
		default:
			classes = append(classes, aatAlternateName)
		}
		if n.Type == "studio" {
			classes = append(classes, aatPseudonym)
		}
		if n.Type != "" && n.Type != "preferred" && n.Type != "alternate" {
			classes = append(classes, c.localTerm(vocabNameType, n.Type))
		}
		seen[n.Lang] = true
		out = append(out, &Node{Type: "Name", ClassifiedAs: types(classes...), Content: n.Value, Language: c.language(n.Lang)})
	}
	return out
}

// yearSpan returns a TimeSpan from the start of earliest to the end of
// latest (either may be nil), named display; nil if all are empty.
func yearSpan(display string, earliest, latest *int) *Node {
	if display == "" && earliest == nil && latest == nil {
		return nil
	}
	ts := &Node{Type: "TimeSpan"}
	if display != "" {
		ts.Label = display
		ts.IdentifiedBy = []*Node{{Type: "Name", ClassifiedAs: types(aatDisplayName), Content: display}}
	}
	if earliest != nil {
		ts.BeginOfTheBegin = BeginOfYear(*earliest)
	}
	if latest != nil {
		ts.EndOfTheEnd = EndOfYear(*latest)
	}
	return ts
}

// equivalents returns references of class typ to external URIs.
func equivalents(uris []string, typ, label string) []*Node {
	var out []*Node
	for _, u := range uris {
		if u != "" {
			out = append(out, &Node{ID: u, Type: typ, Label: label})
		}
	}
	return out
}

// document returns the top node of a document: its context, URI, class
// and label.
func document(id, typ, label string) *Node {
	return &Node{Context: ContextURI, ID: id, Type: typ, Label: label}
}
