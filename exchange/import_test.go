package exchange_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"wenyuan"
	"wenyuan/exchange"
	"wenyuan/sample"
	"wenyuan/sqlite"
)

func MustOpenDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(filepath.Join(tb.TempDir(), "wenyuan.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func addInstitution(tb testing.TB, db *sqlite.DB, id string) {
	tb.Helper()
	if err := db.CreateRecord(context.Background(), &wenyuan.Institution{ID: id, Names: wenyuan.Names{{Lang: "en", Value: id}}}); err != nil {
		tb.Fatal(err)
	}
}

func mapping(tb testing.TB, yaml string) *exchange.Mapping {
	tb.Helper()
	m, err := exchange.ParseMapping([]byte(yaml))
	if err != nil {
		tb.Fatalf("ParseMapping: %v", err)
	}
	return m
}

const simpleMapping = `
format: csv
fields:
  - {from: acc, to: accession_number}
  - {from: title, to: titles, lang: zh-Hans}
  - {from: material, to: materials, lookup: create, lang: zh-Hans, split: "、"}
  - {from: date, to: date, parse: date}
  - {from: vis, to: visibility, values: {公开: public, 内部: internal}, strict: true}
`

func count(tb testing.TB, db *sqlite.DB) (objects, concepts int) {
	tb.Helper()
	objs, _, err := db.FindObjects(context.Background(), wenyuan.ObjectFilter{Limit: 1000})
	if err != nil {
		tb.Fatal(err)
	}
	cs, _, err := db.FindAuthorities(context.Background(), wenyuan.KindConcept, wenyuan.AuthorityFilter{Limit: 1000})
	if err != nil {
		tb.Fatal(err)
	}
	return len(objs), len(cs)
}

func TestImportCSV(t *testing.T) {
	db := MustOpenDB(t)
	addInstitution(t, db, "u")
	in := "\ufeffacc,title,material,date,vis\n" +
		"A1,青花缠枝莲纹碗,瓷,明宣德,公开\n" +
		"A2,白玉童子,玉、金,清乾隆,内部\n" +
		"A3,\"碑拓, 整纸\",纸、墨,唐贞观六年,公开\n"
	res, err := exchange.Import(context.Background(), db, strings.NewReader(in), exchange.Options{Institution: "u", Mapping: mapping(t, simpleMapping)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 3 || !res.Committed {
		t.Fatalf("result %+v, want 3 created", res)
	}
	o, err := db.FindObjectByAccession(context.Background(), "u", "A2")
	if err != nil {
		t.Fatal(err)
	}
	if o.Titles.In("zh-Hans") != "白玉童子" || len(o.Materials) != 2 || o.Visibility != wenyuan.VisibilityInternal {
		t.Errorf("A2 = %+v", o)
	}
	if o.Date == nil || o.Date.Earliest == nil || *o.Date.Earliest != 1736 || *o.Date.Latest != 1795 || o.Date.Periods[0] != "qing-qianlong" {
		t.Errorf("A2 date = %+v, want 1736–1795 qing-qianlong", o.Date)
	}
	// The same file again changes nothing.
	res, err = exchange.Import(context.Background(), db, strings.NewReader(in), exchange.Options{Institution: "u", Mapping: mapping(t, simpleMapping)})
	if err != nil || res.Unchanged != 3 || res.Created+res.Updated != 0 {
		t.Fatalf("re-import = %+v, %v; want 3 unchanged", res, err)
	}
	if vs, _ := db.FindVersions(context.Background(), wenyuan.KindObject, o.ID); len(vs) != 1 {
		t.Errorf("versions after re-import = %d, want 1", len(vs))
	}
	// A changed row updates in place, keeping the id.
	res, err = exchange.Import(context.Background(), db, strings.NewReader(strings.Replace(in, "白玉童子", "白玉持莲童子", 1)), exchange.Options{Institution: "u", Mapping: mapping(t, simpleMapping)})
	if err != nil || res.Updated != 1 || res.Unchanged != 2 {
		t.Fatalf("changed import = %+v, %v", res, err)
	}
	o2, _ := db.FindObjectByAccession(context.Background(), "u", "A2")
	if o2.ID != o.ID || o2.Version != 2 {
		t.Errorf("after update id %s version %d, want %s 2", o2.ID, o2.Version, o.ID)
	}
}

func TestImportGB18030(t *testing.T) {
	db := MustOpenDB(t)
	addInstitution(t, db, "u")
	utf := "acc,title,material,date,vis\nB1,粉彩花鸟纹瓶,瓷,清雍正,公开\nB2,𠀀字碑,石,北魏,公开\n"
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(utf))
	if err != nil {
		t.Fatal(err)
	}
	// Read as UTF-8, the GB18030 bytes are refused with a hint, naming the row and column.
	res, err := exchange.Import(context.Background(), db, bytes.NewReader(gb), exchange.Options{Institution: "u", Mapping: mapping(t, simpleMapping)})
	if !errors.Is(err, exchange.ErrRejected) || len(res.Rejects) == 0 || res.Rejects[0].Row != 2 || res.Rejects[0].Field != "title" || !strings.Contains(res.Rejects[0].Reason, "gb18030") {
		t.Fatalf("GB18030 read as UTF-8: %v %+v", err, res.Rejects)
	}
	res, err = exchange.Import(context.Background(), db, bytes.NewReader(gb), exchange.Options{Institution: "u", Encoding: "gb18030", Mapping: mapping(t, simpleMapping)})
	if err != nil || res.Created != 2 {
		t.Fatalf("GB18030 import = %+v, %v", res, err)
	}
	o, _ := db.FindObjectByAccession(context.Background(), "u", "B2")
	if o == nil || o.Titles.In("zh-Hans") != "𠀀字碑" {
		t.Errorf("B2 title = %v, want 𠀀字碑 (a character outside the BMP, which GBK lacks)", o)
	}
}

// TestImportBadInput feeds the inputs registrars really produce. Each must
// fail with a message naming the row and field, and write nothing at all.
func TestImportBadInput(t *testing.T) {
	const hdr = "acc,title,material,date,vis\n"
	tests := []struct {
		name        string
		input       string
		mapping     string
		institution string
		wantErr     string // in the error
		wantRow     int    // of the first reject, 0 if the file fails as a whole
		wantField   string
	}{
		{"ragged row", hdr + "A1,碗,瓷,明,公开\nA2,瓶,瓷\n", simpleMapping, "u", "rejected", 3, ""},
		{"bad quoting", hdr + "A1,碗,瓷,明,公开\nA2,\"瓶\"x,瓷,明,公开\n", simpleMapping, "u", "rejected", 3, ""},
		{"unclosed quote", hdr + "A1,碗,瓷,明,公开\nA2,\"瓶,瓷,明,公开\n", simpleMapping, "u", "rejected", 3, ""},
		{"invalid UTF-8", hdr + "A1,碗,瓷,明,公开\nA2,\xff\xfe,瓷,明,公开\n", simpleMapping, "u", "rejected", 3, "title"},
		{"10 MB field", hdr + "A1,碗,瓷,明,公开\nA2," + strings.Repeat("长", 3_500_000) + ",瓷,明,公开\n", simpleMapping, "u", "rejected", 3, "title"},
		{"duplicate accession", hdr + "A1,碗,瓷,明,公开\nA2,瓶,瓷,明,公开\nA1,盘,瓷,明,公开\n", simpleMapping, "u", "rejected", 4, "accession_number"},
		{"missing accession", hdr + "A1,碗,瓷,明,公开\n,瓶,瓷,明,公开\n", simpleMapping, "u", "rejected", 3, "accession_number"},
		{"value not allowed", hdr + "A1,碗,瓷,明,公开\nA2,瓶,瓷,明,秘密\n", simpleMapping, "u", "rejected", 3, "vis"},
		{"unknown mapping target", hdr + "A1,碗,瓷,明,公开\n", "format: csv\nfields:\n  - {from: acc, to: accession_number}\n  - {from: title, to: colour}\n", "u", "colour", 0, ""},
		{"unknown mapping key", hdr + "A1,碗,瓷,明,公开\n", "format: csv\nfields:\n  - {from: acc, to: accession_number, langauge: en}\n", "u", "langauge", 0, ""},
		{"unknown source column", hdr + "A1,碗,瓷,明,公开\n", "format: csv\nfields:\n  - {from: acc, to: accession_number}\n  - {from: 名称, to: titles, lang: zh-Hans}\n", "u", "名称", 0, ""},
		{"missing institution", hdr + "A1,碗,瓷,明,公开\n", simpleMapping, "nosuch", "no institution", 0, ""},
		{"empty file", "", simpleMapping, "u", "empty", 0, ""},
		{"header only", hdr, simpleMapping, "u", "no rows", 0, ""},
		{"bad year", hdr + "A1,碗,瓷,明,公开\n", "format: csv\nfields:\n  - {from: acc, to: accession_number}\n  - {from: title, to: titles, lang: en}\n  - {from: date, to: date.earliest}\n", "u", "rejected", 2, "date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := MustOpenDB(t)
			addInstitution(t, db, "u")
			m, err := exchange.ParseMapping([]byte(tt.mapping))
			var res *exchange.Result
			if err == nil {
				rejects := filepath.Join(t.TempDir(), "rejects.csv")
				res, err = exchange.Import(context.Background(), db, strings.NewReader(tt.input), exchange.Options{Institution: tt.institution, Mapping: m, RejectsPath: rejects})
				if tt.wantRow > 0 {
					f, ferr := os.Open(rejects)
					if ferr != nil {
						t.Fatalf("rejects file: %v", ferr)
					}
					cr := csv.NewReader(f)
					cr.FieldsPerRecord = -1
					recs, _ := cr.ReadAll()
					f.Close()
					if len(recs) < 2 || recs[0][0] != "row" || recs[1][0] != strconv.Itoa(tt.wantRow) {
						t.Errorf("rejects file = %q", recs)
					}
				}
			}
			if err == nil {
				t.Fatal("import succeeded, want an error")
			}
			msg := err.Error()
			if res != nil {
				for _, r := range res.Rejects {
					msg += "\n" + r.String()
				}
			}
			if !strings.Contains(msg, tt.wantErr) {
				t.Errorf("error %q, want it to mention %q", msg, tt.wantErr)
			}
			if tt.wantRow > 0 {
				if res == nil || len(res.Rejects) == 0 {
					t.Fatalf("no rejects, want row %d", tt.wantRow)
				}
				r := res.Rejects[0]
				if r.Row != tt.wantRow || (tt.wantField != "" && r.Field != tt.wantField) {
					t.Errorf("first reject = %s, want row %d field %q", r, tt.wantRow, tt.wantField)
				}
				if res.Committed {
					t.Error("result says committed")
				}
			}
			if objs, concepts := count(t, db); objs != 0 || concepts != 0 {
				t.Errorf("after a failed import: %d objects, %d concepts; want nothing written", objs, concepts)
			}
		})
	}
}

func TestImportPartial(t *testing.T) {
	db := MustOpenDB(t)
	addInstitution(t, db, "u")
	in := "acc,title,material,date,vis\nA1,碗,瓷,明,公开\nA2,瓶,瓷,明,秘密\nA3,盘,瓷,清,公开\n"
	rejects := filepath.Join(t.TempDir(), "r.csv")
	res, err := exchange.Import(context.Background(), db, strings.NewReader(in), exchange.Options{Institution: "u", Mapping: mapping(t, simpleMapping), Partial: true, RejectsPath: rejects})
	if err != nil || res.Created != 2 || len(res.Rejects) != 1 || !res.Committed {
		t.Fatalf("partial import = %+v, %v", res, err)
	}
	b, _ := os.ReadFile(rejects)
	if !strings.Contains(string(b), "3,vis,") || !strings.Contains(string(b), "A2,瓶") {
		t.Errorf("rejects file:\n%s", b)
	}
	if n, _ := count(t, db); n != 2 {
		t.Errorf("objects = %d, want 2", n)
	}
}

// cancelAfter cancels a context once n bytes have been read, as Ctrl-C in
// the middle of an import does.
type cancelAfter struct {
	r      io.Reader
	n      int
	cancel func()
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	if c.n <= 0 {
		c.cancel()
	}
	if len(p) > 64 {
		p = p[:64]
	}
	n, err := c.r.Read(p)
	c.n -= n
	return n, err
}

func TestImportInterrupted(t *testing.T) {
	db := MustOpenDB(t)
	addInstitution(t, db, "u")
	var b strings.Builder
	b.WriteString("acc,title,material,date,vis\n")
	for i := range 3000 {
		b.WriteString("N" + strconv.Itoa(i+1) + ",碗,瓷,明,公开\n")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := exchange.Import(ctx, db, &cancelAfter{r: strings.NewReader(b.String()), n: 20000, cancel: cancel}, exchange.Options{Institution: "u", Mapping: mapping(t, simpleMapping)})
	if err == nil {
		t.Fatal("interrupted import succeeded")
	}
	if objs, concepts := count(t, db); objs != 0 || concepts != 0 {
		t.Errorf("after an interrupted import: %d objects, %d concepts; want none", objs, concepts)
	}
}

func loadSample(t *testing.T) *sqlite.DB {
	t.Helper()
	db := MustOpenDB(t)
	if err := sample.Load(context.Background(), db, func(string) {}); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestSample(t *testing.T) {
	db := loadSample(t)
	ctx := context.Background()
	objs, _, err := db.FindObjects(ctx, wenyuan.ObjectFilter{Institution: "walters", Limit: 1000})
	if err != nil || len(objs) != 626 {
		t.Fatalf("walters objects = %d, %v; want 626", len(objs), err)
	}
	// The Walters and the Chinese files share the bilingual classification.
	cer, _, _ := db.FindObjects(ctx, wenyuan.ObjectFilter{Classification: "cls-ceramics", Limit: 1000})
	insts := map[string]int{}
	for _, o := range cer {
		insts[o.Institution]++
	}
	if insts["walters"] != 298 || insts["palace-museum"] == 0 {
		t.Errorf("ceramics by institution = %v, want 298 Walters and some palace-museum", insts)
	}
	qianlong, _, _ := db.FindObjects(ctx, wenyuan.ObjectFilter{Period: "qing-qianlong", Limit: 1000})
	if len(qianlong) < 20 {
		t.Errorf("objects of the Qianlong reign = %d, want at least 20", len(qianlong))
	}
	cave, err := db.FindObjectByAccession(ctx, "mural-academy", "窟-257")
	if err != nil {
		t.Fatal(err)
	}
	site, _ := db.FindObjectByAccession(ctx, "mural-academy", "窟-000")
	if cave.PartOf != site.ID || cave.Type != wenyuan.ObjectSite {
		t.Errorf("cave 257 part_of %q type %q, want %q site", cave.PartOf, cave.Type, site.ID)
	}
	// Loading again changes nothing.
	if err := sample.Load(ctx, db, func(string) {}); err != nil {
		t.Fatal(err)
	}
	if vs, _ := db.FindVersions(ctx, wenyuan.KindObject, cave.ID); len(vs) != 1 {
		t.Errorf("versions after loading twice = %d, want 1", len(vs))
	}
}

// TestRoundTrip exports everything, imports the export into an empty store,
// exports again and expects the same bytes: in JSON Lines and in CSV.
func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := loadSample(t)
	// Records that strain a spreadsheet: separators and formulas in text,
	// roles for some makers only, years BCE.
	potter := &wenyuan.Agent{Names: wenyuan.Names{{Lang: "en", Value: "Potter | Wang"}}}
	if err := db.CreateRecord(ctx, potter); err != nil {
		t.Fatal(err)
	}
	early, late := -221, -207
	tricky := &wenyuan.Object{Institution: "university", AccessionNumber: "=HYPERLINK(\"x\")", Titles: wenyuan.Text{{Lang: "en", Value: "Cup | saucer \\ stand"}, {Lang: "en", Value: "+second title"}},
		Makers: []wenyuan.Maker{{Agent: potter.ID}, {Agent: potter.ID, Role: "potter", Qualifier: "workshop of"}},
		Date:   &wenyuan.Dating{Display: "-Qin-", Earliest: &early, Latest: &late}, Medium: "@clay"}
	if err := db.CreateRecord(ctx, tricky); err != nil {
		t.Fatal(err)
	}
	t.Run("jsonl", func(t *testing.T) {
		var first, second bytes.Buffer
		if err := exchange.ExportJSONL(ctx, db, &first); err != nil {
			t.Fatal(err)
		}
		db2 := MustOpenDB(t)
		res, err := exchange.Import(ctx, db2, bytes.NewReader(first.Bytes()), exchange.Options{})
		if err != nil {
			t.Fatalf("import export: %v (%v)", err, res.Rejects)
		}
		if err := exchange.ExportJSONL(ctx, db2, &second); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Errorf("JSON Lines export → import → export differs:\n%s", firstDiff(first.String(), second.String()))
		}
		if n := strings.Count(first.String(), "\n"); n < 700 {
			t.Errorf("export has %d lines", n)
		}
	})
	t.Run("csv", func(t *testing.T) {
		var first, second bytes.Buffer
		if err := exchange.ExportCSV(ctx, db, &first); err != nil {
			t.Fatal(err)
		}
		db2 := MustOpenDB(t)
		for _, inst := range sample.Institutions {
			i := *inst
			if err := db2.CreateRecord(ctx, &i); err != nil {
				t.Fatal(err)
			}
		}
		b, err := sample.FS.ReadFile("wenyuan-csv.mapping.yaml")
		if err != nil {
			t.Fatal(err)
		}
		res, err := exchange.Import(ctx, db2, bytes.NewReader(first.Bytes()), exchange.Options{Mapping: mapping(t, string(b))})
		if err != nil {
			t.Fatalf("import CSV export: %v (%v)", err, res.Rejects)
		}
		if err := exchange.ExportCSV(ctx, db2, &second); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Errorf("CSV export → import → export differs:\n%s", firstDiff(first.String(), second.String()))
		}
	})
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			j := 0
			for j < len(al[i]) && j < len(bl[i]) && al[i][j] == bl[i][j] {
				j++
			}
			k := max(0, j-40)
			return "line " + strconv.Itoa(i+1) + " at byte " + strconv.Itoa(j) + ":\n- " + al[i][k:min(len(al[i]), j+80)] + "\n+ " + bl[i][k:min(len(bl[i]), j+80)]
		}
	}
	return "lengths " + strconv.Itoa(len(al)) + " vs " + strconv.Itoa(len(bl))
}

// TestImportPartialLeavesNothingOfRejectedRows: with --partial, a rejected
// row keeps none of its writes, not even an authority it created.
func TestImportPartialLeavesNothingOfRejectedRows(t *testing.T) {
	db := MustOpenDB(t)
	addInstitution(t, db, "u")
	m := mapping(t, `
format: csv
fields:
  - {from: inst, to: institution}
  - {from: acc, to: accession_number}
  - {from: title, to: titles, lang: en}
  - {from: maker, to: makers, lookup: create, lang: en}
`)
	in := "inst,acc,title,maker\nu,1,Cup,Alice\nnosuch,2,Bowl,Bob\nu,3,Dish,Carol\n"
	res, err := exchange.Import(context.Background(), db, strings.NewReader(in), exchange.Options{Mapping: m, Partial: true})
	if err != nil || res.Created != 2 || len(res.Rejects) != 1 || res.Rejects[0].Row != 3 {
		t.Fatalf("partial import = %+v, %v", res, err)
	}
	agents, _, _ := db.FindAuthorities(context.Background(), wenyuan.KindAgent, wenyuan.AuthorityFilter{})
	var names []string
	for _, a := range agents {
		names = append(names, a.(*wenyuan.Agent).Names.In("en"))
	}
	if strings.Join(names, ",") != "Alice,Carol" {
		t.Errorf("agents = %v, want Alice and Carol only", names)
	}
}

// TestImportLiteralIDsAndLookups mixes literal ids and looked-up names in
// one list; nothing a row says can be taken for the importer's own marks.
func TestImportLiteralIDsAndLookups(t *testing.T) {
	db := MustOpenDB(t)
	addInstitution(t, db, "u")
	if err := db.CreateRecord(context.Background(), &wenyuan.Concept{ID: "mat-silk", Scheme: "material", Names: wenyuan.Names{{Lang: "en", Value: "silk"}}}); err != nil {
		t.Fatal(err)
	}
	m := mapping(t, `
format: csv
fields:
  - {from: acc, to: accession_number}
  - {from: title, to: titles, lang: en}
  - {from: mat, to: materials}
  - {from: mat2, to: materials, lookup: create, lang: en}
`)
	for _, tt := range []struct {
		row    string
		reject bool
	}{
		{"1,x,mat-silk,clay", false},
		{"2,x,?1,clay", true},
		{"3,x,pending-1,clay", true},
	} {
		res, err := exchange.Import(context.Background(), db, strings.NewReader("acc,title,mat,mat2\n"+tt.row+"\n"), exchange.Options{Institution: "u", Mapping: m})
		if tt.reject != (err != nil) {
			t.Errorf("row %q: %v %+v", tt.row, err, res)
		}
	}
	o, err := db.FindObjectByAccession(context.Background(), "u", "1")
	if err != nil || len(o.Materials) != 2 || o.Materials[0] != "mat-silk" {
		t.Errorf("materials = %v, %v", o, err)
	}
}

// TestImportNativeOrder loads an export whose records name parents made
// after them, and refuses one whose link never comes, naming its row.
func TestImportNativeOrder(t *testing.T) {
	lines := `{"kind":"place","record":{"id":"jdz","names":[{"lang":"en","value":"Jingdezhen"}],"parent":"jx"}}
{"kind":"place","record":{"id":"jx","names":[{"lang":"en","value":"Jiangxi"}]}}
`
	db := MustOpenDB(t)
	if _, err := exchange.Import(context.Background(), db, strings.NewReader(lines), exchange.Options{}); err != nil {
		t.Fatalf("child before parent: %v", err)
	}
	db2 := MustOpenDB(t)
	bad := lines + `{"kind":"place","record":{"id":"fl","names":[{"lang":"en","value":"Fuliang"}],"parent":"nowhere"}}
`
	res, err := exchange.Import(context.Background(), db2, strings.NewReader(bad), exchange.Options{})
	if !errors.Is(err, exchange.ErrRejected) || len(res.Rejects) != 1 || res.Rejects[0].Row != 3 || res.Rejects[0].Field != "parent" {
		t.Fatalf("dangling parent: %v %+v", err, res.Rejects)
	}
	if recs, _, _ := db2.FindAuthorities(context.Background(), wenyuan.KindPlace, wenyuan.AuthorityFilter{}); len(recs) != 0 {
		t.Errorf("%d places written by a refused import", len(recs))
	}
	// A cycle is refused however the lines are ordered.
	cyc := `{"kind":"place","record":{"id":"a","names":[{"lang":"en","value":"A"}],"parent":"b"}}
{"kind":"place","record":{"id":"b","names":[{"lang":"en","value":"B"}],"parent":"a"}}
`
	if _, err := exchange.Import(context.Background(), MustOpenDB(t), strings.NewReader(cyc), exchange.Options{}); err == nil {
		t.Error("a parent cycle was imported")
	}
}

func TestImportUTF8AsGB18030(t *testing.T) {
	db := MustOpenDB(t)
	addInstitution(t, db, "u")
	_, err := exchange.Import(context.Background(), db, strings.NewReader("acc,title,material,date,vis\nA1,青花碗,瓷,明,公开\n"), exchange.Options{Institution: "u", Encoding: "gb18030", Mapping: mapping(t, simpleMapping)})
	if err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Fatalf("UTF-8 read as GB18030: %v", err)
	}
}
