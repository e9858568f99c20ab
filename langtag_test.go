package wenyuan_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"wenyuan"
)

var langTagCases = []struct {
	tag  string
	want bool
}{
	{"zh-Hans", true}, {"zh-Hant", true}, {"en", true}, {"zh-Latn-pinyin", true},
	{"zh-Latn-wadegile", true}, {"zh-Hant-TW", true}, {"en-GB", true}, {"es-419", true},
	{"x-private", true}, {"zh-x-museum", true}, {"de-CH-1901", true}, {"en-a-bbb-x-a-ccc", true},
	{"", false}, {"zh_CN", false}, {"zh-", false}, {"-zh", false}, {"z", false}, {"zh--Hans", false},
	{"chinese-simplified", false}, {"zh-Hans-", false}, {"en-a-xx-a-yy", false}, {"x", false}, {"中文", false},
}

func TestIsWellFormedLangTag(t *testing.T) {
	for _, tt := range langTagCases {
		if got := wenyuan.IsWellFormedLangTag(tt.tag); got != tt.want {
			t.Errorf("IsWellFormedLangTag(%q) = %v, want %v", tt.tag, got, tt.want)
		}
	}
}

func FuzzIsWellFormedLangTag(f *testing.F) {
	for _, tt := range langTagCases {
		f.Add(tt.tag)
	}
	f.Fuzz(func(t *testing.T, tag string) {
		if wenyuan.IsWellFormedLangTag(tag) {
			// A well-formed tag is ASCII letters, digits and hyphens only.
			for _, r := range tag {
				if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
					t.Fatalf("IsWellFormedLangTag(%q) = true with %q in it", tag, r)
				}
			}
		}
	})
}

func FuzzIsValidID(f *testing.F) {
	for _, s := range []string{"palace-museum", "qing-qianlong", "ab12cd34ef56", "../etc", "A", "", "a/b", "a b", "a%2F"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		// A valid id is safe as a path segment, a file name and a query value.
		if wenyuan.IsValidID(id) && (strings.ContainsAny(id, "/\\%?#&= \x00") || strings.HasPrefix(id, ".")) {
			t.Fatalf("IsValidID(%q) = true", id)
		}
	})
}

func TestNewID(t *testing.T) {
	seen := map[string]bool{}
	prev := ""
	for range 100000 {
		id := wenyuan.NewID()
		if !wenyuan.IsValidID(id) || len(id) != 14 || seen[id] || id <= prev {
			t.Fatalf("NewID() = %q after %q", id, prev)
		}
		seen[id] = true
		prev = id
	}
}

func TestTextIn(t *testing.T) {
	tx := wenyuan.Text{{Lang: "zh-Hant", Value: "清明上河圖"}, {Lang: "en", Value: "Along the River"}}
	for _, tt := range []struct{ lang, want string }{
		{"zh-Hans", "清明上河圖"}, {"en", "Along the River"}, {"fr", "Along the River"}, {"zh-Hant", "清明上河圖"},
	} {
		if got := tx.In(tt.lang); got != tt.want {
			t.Errorf("In(%q) = %q, want %q", tt.lang, got, tt.want)
		}
	}
}

func TestDiff(t *testing.T) {
	a := []byte(`{"titles":[{"lang":"en","value":"Bowl"}],"date":{"earliest":1400},"medium":"clay"}`)
	b := []byte(`{"titles":[{"lang":"en","value":"Bowl"},{"lang":"zh-Hans","value":"碗"}],"date":{"earliest":1403}}`)
	changes, err := wenyuan.Diff(a, b)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range changes {
		got = append(got, c.Field)
	}
	if strings.Join(got, ",") != "date.earliest,medium,titles[1]" {
		t.Errorf("Diff fields = %v", got)
	}
}

func TestRawRecordJSON(t *testing.T) {
	at := time.Date(2026, 11, 29, 8, 0, 0, 123, time.UTC)
	o := &wenyuan.Object{ID: "x1", Institution: "u", AccessionNumber: "1", Titles: wenyuan.Text{{Lang: "zh-Hans", Value: "碗 <&>"}}}
	doc, _ := json.Marshal(o)
	o.Meta = wenyuan.Meta{Version: 3, CreatedAt: at, UpdatedAt: at.Add(time.Hour)}
	want, _ := json.Marshal(o)
	raw := &wenyuan.RawRecord{Kind: wenyuan.KindObject, ID: "x1", Meta: o.Meta, Doc: doc}
	var a, b any
	json.Unmarshal(want, &a)
	if err := json.Unmarshal(raw.JSON(), &b); err != nil {
		t.Fatalf("RawRecord.JSON() = %s: %v", raw.JSON(), err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("RawRecord.JSON() = %s, want %s", raw.JSON(), want)
	}
	back, err := raw.Decode()
	if err != nil || back.RecordMeta().Version != 3 || back.(*wenyuan.Object).Titles.In("zh") != "碗 <&>" {
		t.Errorf("Decode() = %+v, %v", back, err)
	}
}

func TestRawRecordWriteJSON(t *testing.T) {
	at := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)
	for _, doc := range []string{`{"id":"x"}`, `{}`} {
		raw := &wenyuan.RawRecord{Meta: wenyuan.Meta{Version: 2, CreatedAt: at, UpdatedAt: at}, Doc: []byte(doc)}
		var b strings.Builder
		if err := raw.WriteJSON(&b); err != nil || b.String() != string(raw.JSON()) || !json.Valid([]byte(b.String())) {
			t.Errorf("WriteJSON(%s) = %s, JSON() = %s", doc, b.String(), raw.JSON())
		}
	}
}
