package web

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wenyuan"
)

func TestFormJSON(t *testing.T) {
	for _, tt := range []struct {
		name string
		form url.Values
		want string
		errs []wenyuan.FieldError
		raw  map[string]string
	}{
		{"plain", url.Values{"accession_number": {" M-1 "}, "csrf_token": {"x"}}, `{"accession_number":"M-1"}`, nil, map[string]string{}},
		{"rows renumbered, empty dropped", url.Values{
			"titles[0].lang": {"zh-Hans"}, "titles[0].value": {""},
			"titles[3].lang": {"en"}, "titles[3].value": {"Vase"},
			"titles[7].lang": {"zh-Hans"}, "titles[7].value": {"瓶"},
		}, `{"titles":[{"lang":"en","value":"Vase"},{"lang":"zh-Hans","value":"瓶"}]}`, nil, map[string]string{}},
		{"nested and lists of ids", url.Values{
			"date.display": {"明永乐"}, "date.earliest": {"1403"}, "date.latest": {"-1"},
			"date.periods[0]": {""}, "date.periods[1]": {"ming"}, "materials[2]": {"qinghua"},
		}, `{"date":{"display":"明永乐","earliest":1403,"latest":-1,"periods":["ming"]},"materials":["qinghua"]}`, nil, map[string]string{}},
		{"numbers", url.Values{"dimensions[0].type": {"height"}, "dimensions[0].value": {"12.5"}, "dimensions[0].unit": {"cm"},
			"dimensions[1].type": {"width"}, "dimensions[1].value": {""}, "dimensions[1].unit": {"cm"}},
			`{"dimensions":[{"type":"height","unit":"cm","value":12.5}]}`, nil, map[string]string{}},
		{"not a number", url.Values{"date.earliest": {"c. 1400"}, "dimensions[4].value": {"tall"}},
			`{}`, []wenyuan.FieldError{{Field: "date.earliest", Message: `"c. 1400" is not a number`}, {Field: "dimensions[0].value", Message: `"tall" is not a number`}},
			map[string]string{"date.earliest": "c. 1400", "dimensions[0].value": "tall"}},
		{"not a field", url.Values{"x.y[z]": {"1"}}, `{}`, []wenyuan.FieldError{{Field: "x.y[z]", Message: "is not a field of this form"}}, map[string]string{}},
		{"a name where an index was", url.Values{"titles[0].value": {"a"}, "titles.value": {"b"}}, `{"titles":[{"value":"a"}]}`,
			[]wenyuan.FieldError{{Field: "titles.value", Message: "is not a field of this form"}}, map[string]string{}},
		{"a value where fields were", url.Values{"date.display": {"a"}, "date": {"b"}}, `{"date":"b"}`,
			[]wenyuan.FieldError{{Field: "date.display", Message: "is not a field of this form"}}, map[string]string{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tree, errs, raw := formJSON(tt.form, objectSpec)
			b, err := json.Marshal(tree)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("formJSON(%v) = %s, want %s", tt.form, b, tt.want)
			}
			sortErrs := cmp.Transformer("sort", func(in []wenyuan.FieldError) map[string]string {
				m := map[string]string{}
				for _, e := range in {
					m[e.Field] = e.Message
				}
				return m
			})
			if d := cmp.Diff(tt.errs, errs, sortErrs); d != "" {
				t.Errorf("errors (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.raw, raw); d != "" {
				t.Errorf("raw (-want +got):\n%s", d)
			}
		})
	}
}

// TestFormState: a record shown in a form has each field by path and its
// rows counted, and the form it makes comes back as the same record.
func TestFormState(t *testing.T) {
	y1, y2, h := 1403, 1424, 38.5
	o := &wenyuan.Object{Institution: "own", AccessionNumber: "M-1", Titles: wenyuan.Text{{Lang: "zh-Hans", Value: "梅瓶"}, {Lang: "en", Value: "Vase"}},
		Date: &wenyuan.Dating{Display: "明永乐", Earliest: &y1, Latest: &y2, Periods: []string{"yongle"}}, Materials: []string{"qinghua"},
		Dimensions: []wenyuan.Dimension{{Type: "height", Value: &h, Unit: "cm"}}, Visibility: wenyuan.VisibilityPublic, Type: wenyuan.ObjectTangible}
	st, err := newFormState(o, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{"titles[1].value": "Vase", "date.earliest": "1403", "date.periods[0]": "yongle", "dimensions[0].value": "38.5", "materials[0]": "qinghua"} {
		if got := st.V(path); got != want {
			t.Errorf("V(%q) = %q, want %q", path, got, want)
		}
	}
	if got := st.Rows("titles", 1); len(got) != 3 {
		t.Errorf("Rows(titles, 1) = %v, want 3 rows", got)
	}
	if got := st.Rows("inscriptions", 0); len(got) != 1 {
		t.Errorf("Rows(inscriptions, 0) = %v, want one empty row", got)
	}
	form := url.Values{}
	for k, v := range st.flat {
		form.Set(k, v)
	}
	tree, errs, _ := formJSON(form, objectSpec)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	b, _ := json.Marshal(tree)
	var back wenyuan.Object
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(o, &back); d != "" {
		t.Errorf("record → form → record (-want +got):\n%s", d)
	}
}

func FuzzFormJSON(f *testing.F) {
	f.Add("titles[0].value", "a", "date.earliest", "1")
	f.Add("x[9999].y[1]", "", "a.b.c", "z")
	f.Add("dimensions[0].value", "1e400", "titles[0]", "q")
	f.Add("dimensions[0].value", "NaN", "date.latest", "-Inf")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		tree, _, _ := formJSON(url.Values{k1: {v1}, k2: {v2}}, objectSpec)
		if _, err := json.Marshal(tree); err != nil {
			t.Fatalf("formJSON made a tree that is not JSON: %v", err)
		}
	})
}
