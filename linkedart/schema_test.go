package linkedart_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"wenyuan/linkedart"
)

// schemaURL is where the Linked Art 1.0 schemas say they live; the loader
// reads them from testdata/schema instead, so that nothing is fetched.
const schemaURL = "https://linked.art/api/1.0/schema/"

type schemaLoader struct{}

func (schemaLoader) Load(url string) (any, error) {
	name, ok := strings.CutPrefix(url, schemaURL)
	if !ok {
		return nil, fmt.Errorf("no local copy of %s", url)
	}
	if name == "linked-art.json" { // linked_art.json's $id
		name = "linked_art.json"
	}
	f, err := os.Open(filepath.Join("testdata", "schema", filepath.Base(name)))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return jsonschema.UnmarshalJSON(f)
}

// xsdDateTime is the xsd:dateTime profile of ISO 8601 that Linked Art's
// timespans use: unlike RFC 3339 (the JSON Schema date-time format) it has
// years before 1 CE, written -0205 for 206 BCE.
var xsdDateTime = regexp.MustCompile(`^-?([1-9][0-9]{4,}|[0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?(Z|[+-][01][0-9]:[0-5][0-9])?$`)

// compileSchemas compiles the Linked Art 1.0 schema of each document
// class, asserting formats (uri, and date-time as xsd:dateTime).
func compileSchemas(tb testing.TB) map[string]*jsonschema.Schema {
	tb.Helper()
	c := jsonschema.NewCompiler()
	c.UseLoader(schemaLoader{})
	c.AssertFormat()
	c.RegisterFormat(&jsonschema.Format{Name: "date-time", Validate: func(v any) error {
		if s, ok := v.(string); ok && !xsdDateTime.MatchString(s) {
			return fmt.Errorf("%q is not an xsd:dateTime", s)
		}
		return nil
	}})
	out := map[string]*jsonschema.Schema{}
	for class, file := range map[string]string{
		"HumanMadeObject": "object.json", "Person": "person.json", "Group": "group.json",
		"Place": "place.json", "Period": "event.json", "Type": "concept.json", "Material": "concept.json",
		"any": "linked-art.json",
	} {
		s, err := c.Compile(schemaURL + file)
		if err != nil {
			tb.Fatalf("compile %s: %v", file, err)
		}
		out[class] = s
	}
	return out
}

// contextTerms returns every term the Linked Art JSON-LD context defines.
func contextTerms(tb testing.TB) map[string]bool {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "context", "linked-art.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		tb.Fatal(err)
	}
	terms := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				terms[k] = true
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc.(map[string]any)["@context"])
	return terms
}

// undefinedTerms returns the property names and classes of a document that
// the context does not define, with their paths.
func undefinedTerms(v any, path string, terms map[string]bool) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			p := strings.TrimPrefix(path+"."+k, ".")
			if k != "@context" && !terms[k] {
				out = append(out, p)
			}
			if t, ok := x.(string); ok && k == "type" && !terms[t] {
				out = append(out, p+"="+t)
			}
			out = append(out, undefinedTerms(x, p, terms)...)
		}
	case []any:
		for i, x := range v {
			out = append(out, undefinedTerms(x, fmt.Sprintf("%s[%d]", path, i), terms)...)
		}
	}
	return out
}

func TestDocumentsValidate(t *testing.T) {
	schemas := compileSchemas(t)
	terms := contextTerms(t)
	c := testContext()
	tests := []struct {
		name string
		doc  *linkedart.Node
	}{
		{"object fully populated", c.Object(fullObject())},
		{"object minimal", c.Object(minimalObject())},
		{"person with courtesy and studio names", c.Agent(person())},
		{"group", c.Agent(group())},
		{"place with coordinates and parent", c.Place(place())},
		{"place of a local type", c.Place(kiln())},
		{"period with BCE start and parent", c.Period(period())},
		{"concept with AAT and Wikidata equivalents", c.Concept(concept())},
		{"classification concept", c.Concept(classification())},
		{"institution", c.Institution(institution())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.MarshalIndent(tt.doc, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			class := tt.doc.Type
			s, ok := schemas[class]
			if !ok {
				t.Fatalf("no schema for class %s", class)
			}
			if err := s.Validate(doc); err != nil {
				t.Errorf("%s does not validate against the Linked Art %s schema: %v\n%s", tt.name, class, err, b)
			}
			if err := schemas["any"].Validate(doc); err != nil {
				t.Errorf("%s does not validate against linked-art.json: %v", tt.name, err)
			}
			if bad := undefinedTerms(doc, "", terms); len(bad) > 0 {
				t.Errorf("%s uses terms the Linked Art context does not define: %v", tt.name, bad)
			}
			if ctx := doc.(map[string]any)["@context"]; ctx != linkedart.ContextURI {
				t.Errorf("@context = %v, want %s", ctx, linkedart.ContextURI)
			}
		})
	}
}

// TestSchemasReject checks that the compiled schemas do reject what Linked
// Art forbids, so that TestDocumentsValidate means something.
func TestSchemasReject(t *testing.T) {
	schemas := compileSchemas(t)
	tests := []struct{ name, doc string }{
		{"unknown property", `{"@context": "https://linked.art/ns/v1/linked-art.json", "id": "https://x.example/o/1", "type": "HumanMadeObject", "_label": "x", "colour": "red"}`},
		{"no _label", `{"@context": "https://linked.art/ns/v1/linked-art.json", "id": "https://x.example/o/1", "type": "HumanMadeObject"}`},
		{"relative id", `{"@context": "https://linked.art/ns/v1/linked-art.json", "id": "/o/1", "type": "HumanMadeObject", "_label": "x"}`},
		{"dimension without unit", `{"@context": "https://linked.art/ns/v1/linked-art.json", "id": "https://x.example/o/1", "type": "HumanMadeObject", "_label": "x", "dimension": [{"type": "Dimension", "value": 3}]}`},
		{"date not xsd:dateTime", `{"@context": "https://linked.art/ns/v1/linked-art.json", "id": "https://x.example/o/1", "type": "HumanMadeObject", "_label": "x", "produced_by": {"type": "Production", "timespan": {"type": "TimeSpan", "begin_of_the_begin": "206 BCE"}}}`},
		{"part_of an array", `{"@context": "https://linked.art/ns/v1/linked-art.json", "id": "https://x.example/o/1", "type": "HumanMadeObject", "_label": "x", "part_of": [{"id": "https://x.example/o/2", "type": "HumanMadeObject"}]}`},
		{"language with notation", `{"@context": "https://linked.art/ns/v1/linked-art.json", "id": "https://x.example/o/1", "type": "HumanMadeObject", "_label": "x", "identified_by": [{"type": "Name", "content": "x", "language": [{"id": "http://vocab.getty.edu/aat/300388113", "type": "Language", "notation": ["zh-Hans"]}]}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := jsonschema.UnmarshalJSON(strings.NewReader(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			if err := schemas["HumanMadeObject"].Validate(doc); err == nil {
				t.Errorf("object schema accepts %s", tt.doc)
			}
		})
	}
}
