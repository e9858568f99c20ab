package exchange

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestLookupFields(t *testing.T) {
	line := []byte(`{"Title": "Cup \"A\"", "N": -12.5, "B": true, "Z": null, "Obj": {"Deep": {"X": "x"}},
		"Creators": [{"Name": "Gao Qipei", "Role": "Artist"}, {"Name": "Chinese"}, {"Role": "Potter"}],
		"Tags": ["a", "b\u00e9", 3], "Empty": [], "Nested": [[1], {"Name": "n"}]}`)
	if !json.Valid(line) {
		t.Fatal("test line is not JSON")
	}
	top := members(line, nil)
	for _, tt := range []struct {
		path string
		want []string
	}{
		{"Title", []string{`Cup "A"`}},
		{"N", []string{"-12.5"}},
		{"B", []string{"true"}},
		{"Z", nil},
		{"Missing", nil},
		{"Obj.Deep.X", []string{"x"}},
		{"Creators[].Name", []string{"Gao Qipei", "Chinese"}},
		{"Creators[].Role", []string{"Artist", "Potter"}},
		{"Creators[1].Name", []string{"Chinese"}},
		{"Creators[9].Name", nil},
		{"Tags", []string{"a", "bé"}},
		{"Tags[]", []string{"a", "bé", "3"}},
		{"Empty[]", nil},
		{"Nested[].Name", []string{"n"}},
	} {
		if got := lookupFields(top, tt.path); !slices.Equal(got, tt.want) {
			t.Errorf("lookupFields(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func FuzzLookupFields(f *testing.F) {
	f.Add(`{"a": {"b": ["x", {"c": 1}]}, "d": "\u4e2d"}`, "a.b[].c")
	f.Add(`[1,2]`, "x")
	f.Fuzz(func(t *testing.T, line, path string) {
		if !json.Valid([]byte(line)) {
			return
		}
		lookupFields(members([]byte(line), nil), path)
	})
}
