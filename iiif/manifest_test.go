package iiif

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"wenyuan"
)

// presentationSchema compiles the IIIF Presentation 3.0 JSON schema in
// testdata (web's tests compile the same file).
func presentationSchema(tb testing.TB) *jsonschema.Schema {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", "iiif-presentation-3.0.schema.json"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		tb.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("presentation-3.json", doc); err != nil {
		tb.Fatal(err)
	}
	s, err := c.Compile("presentation-3.json")
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func validate(t *testing.T, s *jsonschema.Schema, what string, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(doc); err != nil {
		t.Errorf("%s does not validate against the IIIF Presentation 3.0 schema: %v\n%s", what, err, b)
	}
}

func fp(f float64) *float64 { return &f }

func TestManifestValidates(t *testing.T) {
	schema := presentationSchema(t)
	inst := &wenyuan.Institution{ID: "palace-museum", Homepage: "https://www.dpm.org.cn/",
		Names: wenyuan.Names{{Lang: "zh-Hans", Value: "故宫博物院"}, {Lang: "en", Value: "The Palace Museum"}}}
	names := func(kind wenyuan.Kind, id string) wenyuan.Names {
		return map[string]wenyuan.Names{
			"zhang-zeduan": {{Lang: "zh-Hans", Value: "张择端"}, {Lang: "en", Value: "Zhang Zeduan"}},
			"song-north":   {{Lang: "zh-Hans", Value: "北宋"}, {Lang: "en", Value: "Northern Song"}},
			"silk":         {{Lang: "zh-Hans", Value: "绢"}, {Lang: "en", Value: "silk"}},
		}[id]
	}
	o := &wenyuan.Object{ID: "024xy9w6b0gs1w", Institution: "palace-museum", AccessionNumber: "故-画-0001",
		Titles:      wenyuan.Text{{Lang: "zh-Hans", Value: "清明上河图"}, {Lang: "zh-Hant", Value: "清明上河圖"}, {Lang: "en", Value: "Along the River During the Qingming Festival"}},
		Description: wenyuan.Text{{Lang: "zh-Hans", Value: "北宋风俗画。"}},
		ObjectName:  "手卷", Makers: []wenyuan.Maker{{Agent: "zhang-zeduan", Role: "artist"}, {Name: "佚名"}},
		Date:      &wenyuan.Dating{Display: "北宋", Periods: []string{"song-north"}},
		Materials: []string{"silk"}, Medium: "绢本设色",
		Dimensions:   []wenyuan.Dimension{{Type: "height", Value: fp(24.8), Unit: "cm"}, {Display: "纵24.8厘米"}},
		Inscriptions: []wenyuan.Inscription{{Type: "colophon", Text: "张著跋"}},
		Rights:       "https://creativecommons.org/licenses/by/4.0/", CreditLine: "故宫博物院藏"}
	imgs := []*wenyuan.Image{
		{ID: "scan-1", Width: 12000, Height: 480, Caption: wenyuan.Text{{Lang: "zh-Hans", Value: "卷首"}, {Lang: "en", Value: "opening"}}},
		{ID: "scan-2", Width: 300, Height: 200},
	}
	m := ManifestOf("https://wenyuan.example.org", o, inst, imgs, names)
	validate(t, schema, "the manifest", m)
	if got := m.Label["zh-Hans"]; len(got) != 1 || got[0] != "清明上河图" {
		t.Errorf("label zh-Hans = %q", got)
	}
	if len(m.Items) != 2 || m.Rights == "" || m.RequiredStatement == nil || len(m.Thumbnail) != 1 || m.Homepage[0].ID != "https://wenyuan.example.org/objects/024xy9w6b0gs1w" {
		t.Errorf("manifest = %+v", m)
	}
	c := m.Items[0].(Canvas)
	if c.Width != 12000 || c.Items[0].Items[0].Body.Service[0].ID != "https://wenyuan.example.org/iiif/3/scan-1" || c.Label["en"][0] != "opening" {
		t.Errorf("canvas 1 = %+v", c)
	}
	if th := c.Thumbnail[0]; th.Width != 400 || th.Height != 16 {
		t.Errorf("thumbnail of a 12000×480 image is %d×%d, want 400×16", th.Width, th.Height)
	}

	// A bare object: no description, makers, rights or institution record.
	bare := &wenyuan.Object{ID: "bare", Institution: "x", AccessionNumber: "1", Titles: wenyuan.Text{{Lang: "en", Value: "bowl"}}, Rights: "all rights reserved"}
	bm := ManifestOf("http://127.0.0.1:8080", bare, nil, imgs[1:], names)
	validate(t, schema, "a bare manifest", bm)
	if bm.Rights != "" {
		t.Errorf("rights %q: a statement that is not a licence URI must not be rights", bm.Rights)
	}

	col := CollectionOf("https://wenyuan.example.org", inst, []*wenyuan.Object{o, bare})
	validate(t, schema, "the collection", col)
	validate(t, schema, "an empty collection", CollectionOf("https://wenyuan.example.org", inst, nil))
}
