package exchange_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"wenyuan"
	"wenyuan/exchange"
	"wenyuan/lido"
	"wenyuan/linkedart"
	"wenyuan/sample"
	"wenyuan/sqlite"
)

const base = "https://wenyuan.example.org"

// publicObjects returns the sample's public objects of the three Chinese
// partners (the ones with authorities of every kind).
func publicObjects(t *testing.T, db *sqlite.DB) []*wenyuan.Object {
	t.Helper()
	var out []*wenyuan.Object
	for _, inst := range []string{"palace-museum", "university", "mural-academy"} {
		objs, _, err := db.FindObjects(context.Background(), wenyuan.ObjectFilter{Institution: inst, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range objs {
			if o.Visibility == wenyuan.VisibilityPublic {
				out = append(out, o)
			}
		}
	}
	if len(out) < 30 {
		t.Fatalf("the sample has %d public partner objects", len(out))
	}
	return out
}

func namesIn(db *sqlite.DB) func(wenyuan.Kind, string) wenyuan.Names {
	return func(kind wenyuan.Kind, id string) wenyuan.Names {
		rec, err := db.FindRecord(context.Background(), kind, id)
		if err != nil {
			return nil
		}
		return wenyuan.AuthorityNames(rec)
	}
}

// TestStandardRoundTrip: the sample's public objects written as LIDO and
// as Linked Art and imported back change nothing — every mapped field
// comes back as it was, authority links included — and the same files
// restore objects that were changed since.
func TestStandardRoundTrip(t *testing.T) {
	ctx := wenyuan.WithActor(context.Background(), "test")
	db := MustOpenDB(t)
	if err := sample.Load(ctx, db, func(string) {}); err != nil {
		t.Fatal(err)
	}
	objs := publicObjects(t, db)
	var lidoFile, laFile bytes.Buffer
	if err := lido.MarshalDocument(&lidoFile, objs, lido.Context{Base: base, Names: namesIn(db)}); err != nil {
		t.Fatal(err)
	}
	lac := &linkedart.Context{Base: base, Names: namesIn(db)}
	for _, o := range objs {
		b, err := json.Marshal(lac.Object(o))
		if err != nil {
			t.Fatal(err)
		}
		laFile.Write(append(b, '\n'))
	}
	for _, tt := range []struct {
		format string
		file   []byte
	}{{"lido", lidoFile.Bytes()}, {"linked-art", laFile.Bytes()}} {
		t.Run(tt.format, func(t *testing.T) {
			res, err := exchange.ImportStandard(ctx, db, bytes.NewReader(tt.file), exchange.StandardOptions{Format: tt.format, Base: base})
			if err != nil {
				t.Fatalf("import: %v (rejects %v)", err, res.Rejects)
			}
			if res.Unchanged != len(objs) || res.Created+res.Updated != 0 {
				t.Errorf("importing its own %s export: %d unchanged, %d created, %d updated of %d; some field does not round-trip", tt.format, res.Unchanged, res.Created, res.Updated, len(objs))
			}
			t.Logf("%s: %d records, %d unchanged", tt.format, res.Rows, res.Unchanged)
			for _, n := range res.Notes {
				t.Errorf("record %d: %s: %s", n.Record, n.Element, n.Reason)
			}
			// Change an object; the file brings it back.
			o := *objs[0]
			o.Titles = wenyuan.Text{{Lang: "en", Value: "changed"}}
			o.Version = 0
			if err := db.UpdateRecord(ctx, &o); err != nil {
				t.Fatal(err)
			}
			res, err = exchange.ImportStandard(ctx, db, bytes.NewReader(tt.file), exchange.StandardOptions{Format: tt.format, Base: base})
			if err != nil || res.Updated != 1 {
				t.Fatalf("re-import after a change: %v, %d updated", err, res.Updated)
			}
			rec, _ := db.FindRecord(ctx, wenyuan.KindObject, o.ID)
			if got := rec.(*wenyuan.Object).Titles; len(got) != len(objs[0].Titles) || got[0] != objs[0].Titles[0] {
				t.Errorf("the import restored titles %v, want %v", got, objs[0].Titles)
			}
		})
	}
}

// TestStandardBadInput: a file with one bad record imports nothing and
// names the record and element; malformed files are refused whole.
func TestStandardBadInput(t *testing.T) {
	ctx := wenyuan.WithActor(context.Background(), "test")
	db := MustOpenDB(t)
	if err := sample.Load(ctx, db, func(string) {}); err != nil {
		t.Fatal(err)
	}
	objs := publicObjects(t, db)[:3]
	var good bytes.Buffer
	if err := lido.MarshalDocument(&good, objs, lido.Context{Base: base, Names: namesIn(db)}); err != nil {
		t.Fatal(err)
	}
	// Record 2 loses its accession number.
	bad := strings.Replace(good.String(), ">"+objs[1].AccessionNumber+"<", "><", 1)
	other := db
	before, _ := other.LastRev(ctx)
	res, err := exchange.ImportStandard(ctx, db, strings.NewReader(bad), exchange.StandardOptions{Format: "lido", Base: base, Institution: "palace-museum"})
	if !errors.Is(err, exchange.ErrRejected) || len(res.Rejects) != 1 || res.Rejects[0].Row != 2 || !strings.Contains(res.Rejects[0].Reason+res.Rejects[0].Field, "workID") && !strings.Contains(strings.ToLower(res.Rejects[0].Reason), "accession") {
		t.Errorf("a LIDO file with a record without accession number: %v, rejects %+v", err, res.Rejects)
	}
	if after, _ := other.LastRev(ctx); after != before {
		t.Errorf("a refused file wrote to the store")
	}
	for _, tt := range []struct {
		name, format, file, want string
	}{
		{"not XML", "lido", "<lido:lidoWrap xmlns:lido=\"http://www.lido-schema.org\"><lido:lido>", "lido"},
		{"wrong root", "lido", "<OAI-PMH/>", "root element"},
		{"not JSON", "linked-art", `{"type": "HumanMadeObject",`, "document 1"},
		{"no accession", "linked-art", `{"@context": "https://linked.art/ns/v1/linked-art.json", "id": "x", "type": "HumanMadeObject", "_label": "x", "identified_by": [{"type": "Name", "content": "瓶"}]}`, ""},
		{"unknown format", "marc", "x", "format"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := exchange.ImportStandard(ctx, db, strings.NewReader(tt.file), exchange.StandardOptions{Format: tt.format, Institution: "palace-museum"})
			if err == nil {
				t.Fatalf("import of %s succeeded", tt.name)
			}
			msg := err.Error()
			for _, r := range res.Rejects {
				msg += " | " + r.String()
			}
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error %q lacks %q", msg, tt.want)
			}
			if wenyuan.ErrorCode(err) == wenyuan.EINTERNAL && !errors.Is(err, exchange.ErrRejected) {
				t.Errorf("error %v is internal", err)
			}
		})
	}
	if after, _ := other.LastRev(ctx); after != before {
		t.Errorf("refused files wrote to the store")
	}
}

// TestStandardForeignByName: a partner's file names classifications,
// materials, techniques and periods by URIs of its own; the import finds
// them here by their names.
func TestStandardForeignByName(t *testing.T) {
	ctx := wenyuan.WithActor(context.Background(), "test")
	db := MustOpenDB(t)
	if err := sample.Load(ctx, db, func(string) {}); err != nil {
		t.Fatal(err)
	}
	objs := publicObjects(t, db)
	const other = "https://partner.example"
	var la, lx bytes.Buffer
	lac := &linkedart.Context{Base: other, Names: namesIn(db)}
	for _, o := range objs {
		b, _ := json.Marshal(lac.Object(o))
		la.Write(append(b, '\n'))
	}
	if err := lido.MarshalDocument(&lx, objs, lido.Context{Base: other, Names: namesIn(db)}); err != nil {
		t.Fatal(err)
	}
	sorted := func(ids []string) string {
		c := append([]string(nil), ids...)
		slices.Sort(c)
		return strings.Join(c, ",")
	}
	for _, tt := range []struct {
		format string
		file   []byte
	}{{"linked-art", la.Bytes()}, {"lido", lx.Bytes()}} {
		t.Run(tt.format, func(t *testing.T) {
			res, err := exchange.ImportStandard(ctx, db, bytes.NewReader(tt.file), exchange.StandardOptions{Format: tt.format, Institution: "palace-museum"})
			if err != nil {
				t.Fatalf("import: %v %v", err, res.Rejects)
			}
			for _, o := range objs {
				if o.Institution != "palace-museum" {
					continue
				}
				got, err := db.FindObjectByAccession(ctx, "palace-museum", o.AccessionNumber)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range []struct {
					name      string
					want, got []string
				}{{"classification", o.Classification, got.Classification}, {"materials", o.Materials, got.Materials}, {"techniques", o.Techniques, got.Techniques}} {
					if sorted(f.want) != sorted(f.got) {
						t.Errorf("%s %s: %s found by name as %v, want %v", tt.format, o.AccessionNumber, f.name, f.got, f.want)
					}
				}
				var wantP, gotP []string
				if o.Date != nil {
					wantP = o.Date.Periods
				}
				if got.Date != nil {
					gotP = got.Date.Periods
				}
				if sorted(wantP) != sorted(gotP) {
					t.Errorf("%s %s: periods found by name as %v, want %v", tt.format, o.AccessionNumber, gotP, wantP)
				}
			}
		})
	}
}
