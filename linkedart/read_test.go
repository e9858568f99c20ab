package linkedart_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wenyuan"
)

// minimalDoc is the smallest document ReadObject accepts, with %s for
// more properties.
const minimalDoc = `{"@context": "https://linked.art/ns/v1/linked-art.json", "type": "HumanMadeObject",
	"id": "https://wenyuan.example.org/objects/bowl-1", "_label": "碗",
	"identified_by": [{"type": "Name", "content": "碗"},
		{"type": "Identifier", "content": "A1", "classified_as": [{"id": "http://vocab.getty.edu/aat/300312355", "type": "Type"}]}]%s}`

func doc(more string) string { return strings.Replace(minimalDoc, "%s", more, 1) }

func TestReadObjectErrors(t *testing.T) {
	tests := []struct {
		name, in string
		path     string // "" for an error without a field
	}{
		{"not JSON", `{"type": "HumanMadeObject",`, ""},
		{"two documents", doc("") + " {}", ""},
		{"an array", `[]`, "(document)"},
		{"a person", `{"type": "Person", "identified_by": []}`, "type"},
		{"type not a string", `{"type": 22}`, "type"},
		{"identified_by not an array", `{"type": "HumanMadeObject", "identified_by": "碗"}`, "identified_by"},
		{"name content a number", `{"type": "HumanMadeObject", "identified_by": [{"type": "Name", "content": "碗"}, {"type": "Name", "content": "bowl"}, {"type": "Name", "content": 3}]}`, "identified_by[2].content"},
		{"name without content", `{"type": "HumanMadeObject", "identified_by": [{"type": "Name"}]}`, "identified_by[0].content"},
		{"identified_by item not an object", `{"type": "HumanMadeObject", "identified_by": ["碗"]}`, "identified_by[0]"},
		{"an appellation of no known type", `{"type": "HumanMadeObject", "identified_by": [{"type": "Title", "content": "碗"}]}`, "identified_by[0].type"},
		{"no accession number", `{"type": "HumanMadeObject", "identified_by": [{"type": "Name", "content": "碗"}]}`, "identified_by"},
		{"no name", `{"type": "HumanMadeObject", "identified_by": [{"type": "Identifier", "content": "A1", "classified_as": [{"id": "http://vocab.getty.edu/aat/300312355", "type": "Type"}]}]}`, "identified_by"},
		{"language not a list", `{"type": "HumanMadeObject", "identified_by": [{"type": "Name", "content": "碗", "language": "zh"}]}`, "identified_by[0].language"},
		{"classification id a number", doc(`, "classified_as": [{"id": 7, "type": "Type"}]`), "classified_as[0].id"},
		{"dimension value a string", doc(`, "dimension": [{"type": "Dimension", "value": "48", "unit": {"id": "http://vocab.getty.edu/aat/300379098", "type": "MeasurementUnit"}}]`), "dimension[0].value"},
		{"dimension without value", doc(`, "dimension": [{"type": "Dimension", "unit": {"id": "http://vocab.getty.edu/aat/300379098", "type": "MeasurementUnit"}}]`), "dimension[0].value"},
		{"dimension without unit", doc(`, "dimension": [{"type": "Dimension", "value": 48}]`), "dimension[0].unit"},
		{"dimension value too large", doc(`, "dimension": [{"type": "Dimension", "value": 1e999, "unit": {"id": "http://vocab.getty.edu/aat/300379098", "type": "MeasurementUnit"}}]`), "dimension[0].value"},
		{"statement without content", doc(`, "referred_to_by": [{"type": "LinguisticObject", "classified_as": [{"id": "http://vocab.getty.edu/aat/300435416", "type": "Type"}]}]`), "referred_to_by[0].content"},
		{"bad begin of the begin", doc(`, "produced_by": {"type": "Production", "timespan": {"type": "TimeSpan", "begin_of_the_begin": "206 BCE"}}`), "produced_by.timespan.begin_of_the_begin"},
		{"end of the end a number", doc(`, "produced_by": {"type": "Production", "timespan": {"type": "TimeSpan", "end_of_the_end": 1911}}`), "produced_by.timespan.end_of_the_end"},
		{"year out of range", doc(`, "produced_by": {"type": "Production", "timespan": {"type": "TimeSpan", "end_of_the_end": "9999-12-31T23:59:59Z"}}`), "produced_by.timespan"},
		{"maker id a number", doc(`, "produced_by": {"type": "Production", "part": [{"type": "Production", "carried_out_by": [{"id": 5, "type": "Person"}]}]}`), "produced_by.part[0].carried_out_by[0].id"},
		{"maker name statement empty", doc(`, "produced_by": {"type": "Production", "part": [{"type": "Production", "referred_to_by": [{"type": "LinguisticObject", "content": ""}]}]}`), "produced_by.part[0].referred_to_by[0].content"},
		{"assigned not objects", doc(`, "produced_by": {"type": "Production", "attributed_by": [{"type": "AttributeAssignment", "assigned": [1]}]}`), "produced_by.attributed_by[0].assigned[0]"},
		{"inscription translation a list", doc(`, "referred_to_by": [{"type": "LinguisticObject", "content": "长信", "classified_as": [{"id": "http://vocab.getty.edu/aat/300435414", "type": "Type"}], "referred_to_by": [{"type": "LinguisticObject", "content": ["x"]}]}]`), "referred_to_by[0].referred_to_by[0].content"},
	}
	c := testContext()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, _, err := c.ReadObject([]byte(tt.in))
			if err == nil {
				t.Fatalf("ReadObject(%s) = %+v, want an error", tt.in, o)
			}
			if code := wenyuan.ErrorCode(err); code != wenyuan.EINVALID {
				t.Errorf("ReadObject(%s) error code = %q, want %q (%v)", tt.in, code, wenyuan.EINVALID, err)
			}
			fields := wenyuan.ErrorFields(err)
			switch {
			case tt.path == "" && len(fields) != 0:
				t.Errorf("ReadObject(%s) error fields = %v, want none", tt.in, fields)
			case tt.path != "" && (len(fields) != 1 || fields[0].Field != tt.path):
				t.Errorf("ReadObject(%s) error = %v, want one at %s", tt.in, err, tt.path)
			case tt.path != "" && !strings.Contains(err.Error(), tt.path+": "):
				t.Errorf("ReadObject(%s) error %q does not name %s", tt.in, err, tt.path)
			}
		})
	}
}

// TestReadOtherPublisher reads an object in the patterns other Linked Art
// publishers use: references outside Base, AAT languages without a tag,
// makers on the production itself, an end of the end on New Year.
func TestReadOtherPublisher(t *testing.T) {
	in := `{
	  "@context": "https://linked.art/ns/v1/linked-art.json",
	  "id": "https://museum.example/object/779",
	  "type": "HumanMadeObject",
	  "_label": "Mona Lisa",
	  "classified_as": [{"id": "http://vocab.getty.edu/aat/300033618", "type": "Type", "_label": "Painting"}],
	  "identified_by": [
	    {"type": "Name", "content": "Mona Lisa", "language": [{"id": "http://vocab.getty.edu/aat/300388277", "type": "Language", "_label": "English"}],
	     "classified_as": [{"id": "http://vocab.getty.edu/aat/300404670", "type": "Type"}]},
	    {"type": "Name", "content": "La Joconde", "language": [{"id": "http://vocab.getty.edu/aat/300388306", "type": "Language"}]},
	    {"type": "Name", "content": "蒙娜丽莎", "language": [{"id": "http://vocab.getty.edu/aat/300388113", "type": "Language", "notation": ["zh-Hans"]}]},
	    {"type": "Identifier", "content": "INV. 779", "classified_as": [{"id": "http://vocab.getty.edu/aat/300312355", "type": "Type"}]},
	    {"type": "Identifier", "content": "42", "classified_as": [{"id": "http://vocab.getty.edu/aat/300404621", "type": "Type"}]}
	  ],
	  "referred_to_by": [
	    {"type": "LinguisticObject", "content": "A portrait.", "classified_as": [{"id": "http://vocab.getty.edu/aat/300411780", "type": "Type"}]},
	    {"type": "LinguisticObject", "content": "Gift of X", "classified_as": [{"id": "http://vocab.getty.edu/aat/300026687", "type": "Type"}]},
	    {"type": "LinguisticObject", "content": "Good", "classified_as": [{"id": "http://vocab.getty.edu/aat/300435425", "type": "Type"}]},
	    {"id": "https://museum.example/text/1", "type": "LinguisticObject", "_label": "Catalogue entry"}
	  ],
	  "dimension": [{"type": "Dimension", "value": 0.77, "unit": {"id": "http://vocab.getty.edu/aat/300379099", "type": "MeasurementUnit"},
	    "classified_as": [{"id": "http://vocab.getty.edu/aat/300055644", "type": "Type"}]}],
	  "made_of": [{"id": "http://vocab.getty.edu/aat/300012363", "type": "Material", "_label": "Poplar"},
	    {"id": "https://wenyuan.example.org/concepts/oil-paint", "type": "Material"}],
	  "current_owner": [{"id": "http://louvre.example/", "type": "Group", "_label": "The Louvre"}],
	  "current_location": {"id": "http://galleries.example/711", "type": "Place", "_label": "Room 711"},
	  "shows": [{"id": "http://museum.example/visual/1", "type": "VisualItem"}],
	  "produced_by": {
	    "type": "Production",
	    "carried_out_by": [{"id": "http://vocab.getty.edu/ulan/500010879", "type": "Person", "_label": "Leonardo da Vinci"}],
	    "influenced_by": [{"id": "https://wenyuan.example.org/agents/verrocchio", "type": "Person"}],
	    "took_place_at": [{"id": "http://vocab.getty.edu/tgn/7000457", "type": "Place", "_label": "Florence"}],
	    "timespan": {"type": "TimeSpan", "identified_by": [{"type": "Name", "content": "1503-1506"}],
	      "begin_of_the_begin": "1503-01-01T00:00:00Z", "end_of_the_end": "1507-01-01T00:00:00Z"},
	    "attributed_by": [{"type": "AttributeAssignment", "classified_as": [{"id": "http://vocab.getty.edu/aat/300404272", "type": "Type"}],
	      "assigned_property": "part", "assigned": {"type": "Production", "carried_out_by": [{"id": "https://museum.example/person/salai", "type": "Person", "_label": "Salaì"}]}}]
	  }
	}`
	o, unmapped, err := testContext().ReadObject([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := &wenyuan.Object{
		AccessionNumber: "INV. 779",
		Titles:          wenyuan.Text{{Lang: "en", Value: "Mona Lisa"}, {Lang: "fr", Value: "La Joconde"}, {Lang: "zh-Hans", Value: "蒙娜丽莎"}},
		Makers: []wenyuan.Maker{{Name: "Leonardo da Vinci"}, {Name: "Salaì", Qualifier: "possibly by"},
			{Agent: "verrocchio", Qualifier: "after"}},
		Date:        &wenyuan.Dating{Display: "1503-1506", Earliest: ip(1503), Latest: ip(1506)},
		Materials:   []string{"oil-paint"},
		Dimensions:  []wenyuan.Dimension{{Type: "height", Value: fp(0.77), Unit: "m"}},
		Description: wenyuan.Text{{Value: "A portrait."}},
		CreditLine:  "Gift of X", CurrentLocation: "Room 711",
	}
	if diff := cmp.Diff(want, o); diff != "" {
		t.Errorf("ReadObject(other publisher) mismatch (-want +got):\n%s", diff)
	}
	var paths []string
	for _, u := range unmapped {
		paths = append(paths, u.Path)
	}
	wantPaths := []string{"id", "shows", "identified_by[4]", "classified_as[0]", "referred_to_by[2]", "referred_to_by[3]",
		"made_of[0]", "current_owner[0]", "produced_by.took_place_at[0]"}
	if diff := cmp.Diff(wantPaths, paths); diff != "" {
		t.Errorf("ReadObject(other publisher) unmapped paths (-want +got):\n%s\n%+v", diff, unmapped)
	}
}

// FuzzReadObject feeds arbitrary bytes to ReadObject: it returns an
// object with what Wenyuan requires or an error, and never panics.
func FuzzReadObject(f *testing.F) {
	c := testContext()
	for _, o := range []*wenyuan.Object{fullObject(), minimalObject()} {
		f.Add(writeObject(f, c, o))
	}
	f.Add([]byte(doc("")))
	f.Add([]byte(doc(`, "produced_by": {"type": "Production", "timespan": {"type": "TimeSpan", "begin_of_the_begin": "-0205-01-01T00:00:00Z", "end_of_the_end": "0000-12-31T23:59:59Z"}}`)))
	f.Add([]byte(`{"type": "HumanMadeObject", "identified_by": [{"type": "Name", "content": 3}]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, in []byte) {
		o, _, err := c.ReadObject(in)
		if err != nil {
			if o != nil {
				t.Fatalf("ReadObject returned an object and the error %v", err)
			}
			if wenyuan.ErrorCode(err) != wenyuan.EINVALID {
				t.Fatalf("ReadObject error %v is not EINVALID", err)
			}
			return
		}
		if o == nil || o.AccessionNumber == "" || len(o.Titles) == 0 {
			t.Fatalf("ReadObject(%q) = %+v without error", in, o)
		}
	})
}
