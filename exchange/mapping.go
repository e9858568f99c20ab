// Package exchange moves records in and out of Wenyuan: bulk import of a
// museum's CSV or JSON Lines export through a mapping file, and export of
// everything as JSON Lines or CSV.
package exchange

import (
	"bytes"
	"fmt"
	"os"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"wenyuan"
)

// Mapping says how a source file's fields become Wenyuan fields. It is
// read from YAML or JSON (see the README for a full example).
type Mapping struct {
	// Format is "csv" or "jsonl"; empty means guess from the file name.
	Format string `yaml:"format"`
	// Encoding is "utf-8" (default) or "gb18030" (also reads GBK/GB2312).
	Encoding string `yaml:"encoding"`
	// Delimiter is the CSV field separator; default ",".
	Delimiter string `yaml:"delimiter"`
	// Fields are applied in order to each row.
	Fields []Field `yaml:"fields"`
}

// Field maps one source field (or a constant) to one Wenyuan field.
type Field struct {
	// From is the source: a CSV column name, or for JSON Lines a path such
	// as "Title", "MuseumLocation.DisplayCurrentLocation" or
	// "Creators[].ConcatDisplayName" (every element of an array).
	From string `yaml:"from"`
	// Value is a constant used instead of From.
	Value string `yaml:"value"`
	// To is the Wenyuan field; see Targets.
	To string `yaml:"to"`
	// Split cuts the value into several at this delimiter.
	Split string `yaml:"split"`
	// Lang tags text fields (titles, description, …) and names of
	// authorities created by Lookup.
	Lang string `yaml:"lang"`
	// Parse "date" turns date text into display text, earliest and latest
	// years and periods; "periods" finds only the periods the text names;
	// "number" reads a number.
	Parse string `yaml:"parse"`
	// Lookup "create" finds an authority by name and creates it if missing;
	// "existing" finds it or rejects the row.
	Lookup string `yaml:"lookup"`
	// Values translates source values ("公开": "public"); a value not in the
	// table is kept as it is unless Strict is set.
	Values map[string]string `yaml:"values"`
	Strict bool              `yaml:"strict"`
	// Otherwise replaces a value that Values does not list.
	Otherwise string `yaml:"otherwise"`
	// Ignore lists source values to treat as empty ("n.d.", "Chinese").
	Ignore []string `yaml:"ignore"`
	// Type sets the type of inscriptions and dimensions made by this field;
	// Role sets the role of makers.
	Type string `yaml:"type"`
	Role string `yaml:"role"`
}

// Targets lists every Wenyuan field a mapping may write, with what it takes.
var Targets = map[string]string{
	"id":                "the record's id (keeps ids when re-importing an export)",
	"institution":       "institution id; default: --institution",
	"accession_number":  "required, unique per institution; rows upsert on it",
	"object_type":       "tangible, site, feature or intangible",
	"titles":            "text; lang",
	"classification":    "concept names (lookup) or ids",
	"object_name":       "text",
	"makers":            "agent names (lookup) or plain names; role",
	"makers.role":       "roles, paired in order with makers",
	"makers.qualifier":  "qualifiers (attributed to, …), paired in order with makers",
	"date":              "date text (parse: date)",
	"date.display":      "date text shown as written",
	"date.earliest":     "year (negative = BCE)",
	"date.latest":       "year (negative = BCE)",
	"date.periods":      "period names (lookup existing, or parse: periods) or ids",
	"production_places": "place names (lookup) or ids",
	"materials":         "concept names (lookup) or ids",
	"medium":            "text",
	"techniques":        "concept names (lookup) or ids",
	"dimensions":        "display text; type",
	"inscriptions":      "text; lang; type",
	"description":       "text; lang",
	"provenance":        "text; lang",
	"credit_line":       "text",
	"current_location":  "text",
	"part_of":           "accession number of the parent object in the same institution",
	"rights":            "text",
	"visibility":        "public, consortium or internal",
}

// ReadMapping reads a mapping file.
func ReadMapping(path string) (*Mapping, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read mapping: %w", err)
	}
	m, err := ParseMapping(b)
	if err != nil {
		return nil, fmt.Errorf("mapping %s: %w", path, err)
	}
	return m, nil
}

// ParseMapping parses a mapping in YAML or JSON and checks it.
func ParseMapping(b []byte) (*Mapping, error) {
	var m Mapping
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		return nil, wenyuan.Errorf(wenyuan.EINVALID, "%v", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	return &m, m.Validate()
}

// Validate checks the mapping before any row is read, naming the entry.
func (m *Mapping) Validate() error {
	var v wenyuan.Validator
	switch m.Format {
	case "", "csv", "jsonl":
	default:
		v.Addf("format", "%q is not csv or jsonl", m.Format)
	}
	switch strings.ToLower(m.Encoding) {
	case "", "utf-8", "utf8", "gb18030", "gbk", "gb2312":
	default:
		v.Addf("encoding", "%q is not utf-8 or gb18030", m.Encoding)
	}
	if len([]rune(m.Delimiter)) > 1 {
		v.Addf("delimiter", "%q is not one character", m.Delimiter)
	}
	if len(m.Fields) == 0 {
		v.Add("fields", "the mapping maps no fields")
	}
	hasAcc := false
	for i, f := range m.Fields {
		name := fmt.Sprintf("fields[%d]", i)
		if f.From != "" {
			name += " (from " + f.From + ")"
		}
		if _, ok := Targets[f.To]; !ok {
			v.Addf(name+".to", "%q is not a Wenyuan field; known: %s", f.To, targetList())
		}
		if f.From == "" && f.Value == "" {
			v.Add(name, "needs from (a source field) or value (a constant)")
		}
		if f.To == "accession_number" {
			hasAcc = true
		}
		if f.Lang != "" && !wenyuan.IsWellFormedLangTag(f.Lang) {
			v.Addf(name+".lang", "%q is not a well-formed language tag", f.Lang)
		}
		switch f.Parse {
		case "":
		case "date":
			if f.To != "date" && f.To != "date.display" {
				v.Addf(name+".parse", "parse: date goes with to: date")
			}
		case "periods":
			if f.To != "date.periods" {
				v.Addf(name+".parse", "parse: periods goes with to: date.periods")
			}
		case "number":
		default:
			v.Addf(name+".parse", "%q is not date, periods or number", f.Parse)
		}
		switch f.Lookup {
		case "", "create", "existing":
		default:
			v.Addf(name+".lookup", "%q is not create or existing", f.Lookup)
		}
		if f.Lookup != "" && lookupKind(f.To) == "" {
			v.Addf(name+".lookup", "%s does not point at an authority", f.To)
		}
		if f.Lookup == "create" && f.To == "date.periods" {
			v.Addf(name+".lookup", "periods are not created by import; use lookup: existing")
		}
	}
	if len(m.Fields) > 0 && !hasAcc {
		v.Add("fields", "no field maps to accession_number, which every object needs")
	}
	return v.Err("mapping")
}

func targetList() string {
	var ks []string
	for k := range Targets {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

// lookupKind returns the authority kind and scheme a target points at.
func lookupKind(to string) wenyuan.Kind {
	switch to {
	case "classification", "materials", "techniques":
		return wenyuan.KindConcept
	case "makers":
		return wenyuan.KindAgent
	case "production_places":
		return wenyuan.KindPlace
	case "date.periods":
		return wenyuan.KindPeriod
	}
	return ""
}

func schemeOf(to string) string {
	switch to {
	case "classification":
		return wenyuan.SchemeClassification
	case "materials":
		return wenyuan.SchemeMaterial
	case "techniques":
		return wenyuan.SchemeTechnique
	}
	return ""
}

// FormatOf guesses an input's format from its file name: "csv", "jsonl",
// or "" when the name does not say.
func FormatOf(name string) string {
	n := strings.ToLower(name)
	switch {
	case strings.HasSuffix(n, ".csv"), strings.HasSuffix(n, ".tsv"):
		return "csv"
	case strings.HasSuffix(n, ".jsonl"), strings.HasSuffix(n, ".ndjson"), strings.HasSuffix(n, ".json"):
		return "jsonl"
	}
	return ""
}
