package linkedart_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wenyuan"
	"wenyuan/linkedart"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// writeObject returns the JSON of the Linked Art document of o.
func writeObject(tb testing.TB, c *linkedart.Context, o *wenyuan.Object) []byte {
	tb.Helper()
	b, err := json.MarshalIndent(c.Object(o), "", "  ")
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestRoundTrip(t *testing.T) {
	c := testContext()
	tests := []struct {
		name string
		obj  *wenyuan.Object
	}{
		{"fully populated", fullObject()},
		{"minimal", minimalObject()},
		{"1 BCE to 1 CE", &wenyuan.Object{ID: "coin-1", Institution: "hebei-museum", AccessionNumber: "C-1",
			Titles: wenyuan.Text{{Lang: "en", Value: "Coin"}},
			Date:   &wenyuan.Dating{Earliest: ip(-1), Latest: ip(1)}}},
		{"display date only", &wenyuan.Object{ID: "jar-1", Institution: "hebei-museum", AccessionNumber: "J-1",
			Titles: wenyuan.Text{{Lang: "zh-Hant", Value: "罐"}},
			Date:   &wenyuan.Dating{Display: "新石器时代"}}},
		{"a site", &wenyuan.Object{ID: "mogao-17", Institution: "hebei-museum", AccessionNumber: "S-17", Type: wenyuan.ObjectSite,
			Titles: wenyuan.Text{{Lang: "zh-Hans", Value: "藏经洞"}, {Lang: "zh-Hans", Value: "第17窟"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.obj
			want.Normalize()
			b := writeObject(t, c, want)
			got, unmapped, err := c.ReadObject(b)
			if err != nil {
				t.Fatalf("ReadObject(Object(%s)) error: %v\n%s", want.ID, err, b)
			}
			got.Normalize()
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ReadObject(Object(%s)) mismatch (-want +got):\n%s", want.ID, diff)
			}
			if len(unmapped) > 0 {
				t.Errorf("ReadObject(Object(%s)) left unmapped %+v", want.ID, unmapped)
			}
		})
	}
}

// TestGolden keeps the document of the fully populated object in
// testdata/object.golden.json, so that a change of the mapping shows in
// review. Regenerate it with go test -update.
func TestGolden(t *testing.T) {
	got := writeObject(t, testContext(), fullObject())
	path := filepath.Join("testdata", "object.golden.json")
	if *update {
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)+"\n"); diff != "" {
		t.Errorf("Object(fullObject()) differs from %s (-want +got):\n%s", path, diff)
	}
}

func TestRecord(t *testing.T) {
	c := testContext()
	for _, r := range []wenyuan.Record{fullObject(), person(), group(), place(), period(), concept(), institution()} {
		n, err := c.Record(r)
		if err != nil || n == nil || n.ID != c.URI(r.RecordKind(), r.RecordID()) {
			t.Errorf("Record(%s %s) = %+v, %v", r.RecordKind(), r.RecordID(), n, err)
		}
	}
	for _, r := range []wenyuan.Record{&wenyuan.Image{ID: "img"}, nil} {
		if _, err := c.Record(r); wenyuan.ErrorCode(err) != wenyuan.EINVALID {
			t.Errorf("Record(%v) error = %v, want EINVALID", r, err)
		}
	}
}
