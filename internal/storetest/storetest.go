// Package storetest is the conformance suite every storage engine passes
// unchanged: run it with Run from the engine's own tests.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"wenyuan"
)

// Open returns a new, empty, migrated store; it registers its own cleanup.
type Open func(tb testing.TB) wenyuan.Store

// Run runs the whole contract against stores made by open.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s wenyuan.Store)
	}{
		{"CreateAndFind", testCreateAndFind},
		{"Validation", testValidation},
		{"AccessionUnique", testAccessionUnique},
		{"Links", testLinks},
		{"UpdateVersions", testUpdateVersions},
		{"DeleteAndRevert", testDeleteAndRevert},
		{"Diff", testDiff},
		{"FindObjectsFilters", testFindObjectsFilters},
		{"Pagination", testPagination},
		{"Authorities", testAuthorities},
		{"Audit", testAudit},
		{"BatchCommitAndRollback", testBatch},
		{"BatchIdempotent", testBatchIdempotent},
		{"SeededPeriods", testSeededPeriods},
		{"Snapshot", testSnapshot},
		{"ChangeFeed", testChangeFeed},
		{"Images", testImages},
		{"Harvest", testHarvest},
		{"HarvestEdges", testHarvestEdges},
		{"AccessionHistory", testAccessionHistory},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

func ctxAs(actor string) context.Context {
	return wenyuan.WithActor(context.Background(), actor)
}

func ip(i int) *int { return &i }

func mustCreate(t *testing.T, s wenyuan.Store, r wenyuan.Record) {
	t.Helper()
	if err := s.CreateRecord(ctxAs("tester"), r); err != nil {
		t.Fatalf("CreateRecord(%s %s): %v", r.RecordKind(), r.RecordID(), err)
	}
}

func institution(t *testing.T, s wenyuan.Store, id string) {
	t.Helper()
	mustCreate(t, s, &wenyuan.Institution{ID: id, Names: wenyuan.Names{{Lang: "en", Value: "Institution " + id}, {Lang: "zh-Hans", Value: "机构" + id}}})
}

func object(inst, acc, title string) *wenyuan.Object {
	return &wenyuan.Object{Institution: inst, AccessionNumber: acc, Titles: wenyuan.Text{{Lang: "en", Value: title}}}
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := wenyuan.ErrorCode(err); got != code {
		t.Fatalf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

func hasField(err error, field string) bool {
	for _, f := range wenyuan.ErrorFields(err) {
		if f.Field == field {
			return true
		}
	}
	return false
}

func testCreateAndFind(t *testing.T, s wenyuan.Store) {
	institution(t, s, "palace-museum")
	o := &wenyuan.Object{
		Institution: "palace-museum", AccessionNumber: "故00005108",
		Titles:       wenyuan.Text{{Lang: "zh-Hans", Value: "清明上河图"}, {Lang: "zh-Hant", Value: "清明上河圖"}, {Lang: "en", Value: "Along the River During the Qingming Festival"}, {Lang: "zh-Latn-pinyin", Value: "Qingming Shanghe Tu"}},
		Makers:       []wenyuan.Maker{{Name: "张择端", Role: "painter"}},
		Date:         &wenyuan.Dating{Display: "北宋", Earliest: ip(960), Latest: ip(1127), Periods: []string{"northern-song"}},
		Dimensions:   []wenyuan.Dimension{{Type: "height", Value: new(24.8), Unit: "cm"}},
		Inscriptions: []wenyuan.Inscription{{Type: "colophon", Text: "张著跋", Lang: "zh-Hant"}},
		Visibility:   wenyuan.VisibilityPublic,
	}
	mustCreate(t, s, o)
	if !wenyuan.IsValidID(o.ID) || o.Version != 1 || o.CreatedAt.IsZero() {
		t.Fatalf("created object has id %q version %d created %v", o.ID, o.Version, o.CreatedAt)
	}
	got, err := s.FindRecord(context.Background(), wenyuan.KindObject, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(o, got, cmpopts.EquateApproxTime(0)); diff != "" {
		t.Errorf("FindRecord mismatch (-created +found):\n%s", diff)
	}
	byAcc, err := s.FindObjectByAccession(context.Background(), "palace-museum", "故00005108")
	if err != nil || byAcc.ID != o.ID {
		t.Errorf("FindObjectByAccession = %v, %v; want %s", byAcc, err, o.ID)
	}
	_, err = s.FindRecord(context.Background(), wenyuan.KindObject, "nosuchid")
	wantCode(t, "FindRecord(missing)", err, wenyuan.ENOTFOUND)
	_, err = s.FindRecord(context.Background(), wenyuan.KindObject, "../../etc/passwd")
	wantCode(t, "FindRecord(bad id)", err, wenyuan.ENOTFOUND)
	// A record may be created with an id of its own choosing.
	o2 := object("palace-museum", "A2", "Given id")
	o2.ID = "given-id-1"
	mustCreate(t, s, o2)
	err = s.CreateRecord(ctxAs("t"), &wenyuan.Object{ID: "given-id-1", Institution: "palace-museum", AccessionNumber: "A3", Titles: wenyuan.Text{{Lang: "en", Value: "x"}}})
	wantCode(t, "CreateRecord(duplicate id)", err, wenyuan.ECONFLICT)
}

func testValidation(t *testing.T, s wenyuan.Store) {
	institution(t, s, "u")
	tests := []struct {
		name  string
		r     wenyuan.Record
		field string
	}{
		{"no accession", &wenyuan.Object{Institution: "u", Titles: wenyuan.Text{{Lang: "en", Value: "x"}}}, "accession_number"},
		{"no title", &wenyuan.Object{Institution: "u", AccessionNumber: "1"}, "titles"},
		{"bad lang", &wenyuan.Object{Institution: "u", AccessionNumber: "1", Titles: wenyuan.Text{{Lang: "zh_CN", Value: "x"}}}, "titles[0].lang"},
		{"earliest after latest", &wenyuan.Object{Institution: "u", AccessionNumber: "1", Titles: wenyuan.Text{{Lang: "en", Value: "x"}}, Date: &wenyuan.Dating{Earliest: ip(1800), Latest: ip(1700)}}, "date.earliest"},
		{"year zero", &wenyuan.Object{Institution: "u", AccessionNumber: "1", Titles: wenyuan.Text{{Lang: "en", Value: "x"}}, Date: &wenyuan.Dating{Earliest: ip(0)}}, "date.earliest"},
		{"bad visibility", &wenyuan.Object{Institution: "u", AccessionNumber: "1", Titles: wenyuan.Text{{Lang: "en", Value: "x"}}, Visibility: "secret"}, "visibility"},
		{"no institution", &wenyuan.Object{AccessionNumber: "1", Titles: wenyuan.Text{{Lang: "en", Value: "x"}}}, "institution"},
		{"unknown institution", &wenyuan.Object{Institution: "nope", AccessionNumber: "1", Titles: wenyuan.Text{{Lang: "en", Value: "x"}}}, "institution"},
		{"bad id", &wenyuan.Object{ID: "Bad/Id", Institution: "u", AccessionNumber: "1", Titles: wenyuan.Text{{Lang: "en", Value: "x"}}}, "id"},
		{"agent without name", &wenyuan.Agent{}, "names"},
		{"period start after end", &wenyuan.Period{Names: wenyuan.Names{{Lang: "en", Value: "p"}}, Start: 1900, End: 1800}, "start"},
		{"concept without scheme", &wenyuan.Concept{Names: wenyuan.Names{{Lang: "en", Value: "c"}}}, "scheme"},
		{"institution without id", &wenyuan.Institution{Names: wenyuan.Names{{Lang: "en", Value: "c"}}}, "id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.CreateRecord(ctxAs("t"), tt.r)
			wantCode(t, "CreateRecord", err, wenyuan.EINVALID)
			if !hasField(err, tt.field) {
				t.Errorf("CreateRecord error fields = %v, want one for %q", wenyuan.ErrorFields(err), tt.field)
			}
		})
	}
	objs, _, err := s.FindObjects(context.Background(), wenyuan.ObjectFilter{})
	if err != nil || len(objs) != 0 {
		t.Errorf("after refused creates FindObjects = %d objects, %v; want none", len(objs), err)
	}
}

func testAccessionUnique(t *testing.T, s wenyuan.Store) {
	institution(t, s, "a")
	institution(t, s, "b")
	mustCreate(t, s, object("a", "1931.1", "First"))
	err := s.CreateRecord(ctxAs("t"), object("a", "1931.1", "Second"))
	wantCode(t, "CreateRecord(same accession)", err, wenyuan.ECONFLICT)
	if !hasField(err, "accession_number") {
		t.Errorf("conflict names fields %v, want accession_number", wenyuan.ErrorFields(err))
	}
	mustCreate(t, s, object("b", "1931.1", "Other institution"))
	// Full-width characters typed with a Chinese input method are the same
	// accession number.
	err = s.CreateRecord(ctxAs("t"), object("a", "１９３１．１", "Full width"))
	wantCode(t, "CreateRecord(full-width accession)", err, wenyuan.ECONFLICT)
	err = s.CreateRecord(ctxAs("t"), object("a", "1931.1\n", "Trailing newline"))
	wantCode(t, "CreateRecord(accession with a trailing newline)", err, wenyuan.ECONFLICT)
	err = s.CreateRecord(ctxAs("t"), object("a", "1931\x001", "NUL"))
	wantCode(t, "CreateRecord(accession with NUL)", err, wenyuan.EINVALID)
	o := object("a", "1931.2", "Third")
	mustCreate(t, s, o)
	o.AccessionNumber = "1931.1"
	wantCode(t, "UpdateRecord(to taken accession)", s.UpdateRecord(ctxAs("t"), o), wenyuan.ECONFLICT)
}

func testLinks(t *testing.T, s wenyuan.Store) {
	institution(t, s, "a")
	c := &wenyuan.Concept{Scheme: "classification", Names: wenyuan.Names{{Lang: "en", Value: "Ceramics"}, {Lang: "zh-Hans", Value: "陶瓷"}}}
	mustCreate(t, s, c)
	o := object("a", "1", "Bowl")
	o.Classification = []string{"nosuch"}
	err := s.CreateRecord(ctxAs("t"), o)
	wantCode(t, "CreateRecord(link to missing concept)", err, wenyuan.EINVALID)
	if !hasField(err, "classification") {
		t.Errorf("fields %v, want classification", wenyuan.ErrorFields(err))
	}
	o.Classification = []string{c.ID}
	mustCreate(t, s, o)
	wantCode(t, "DeleteRecord(concept in use)", s.DeleteRecord(ctxAs("t"), wenyuan.KindConcept, c.ID), wenyuan.ECONFLICT)
	wantCode(t, "DeleteRecord(institution with objects)", s.DeleteRecord(ctxAs("t"), wenyuan.KindInstitution, "a"), wenyuan.ECONFLICT)
	// Changing a link moves it: the old concept is free, the new one taken.
	c2 := &wenyuan.Concept{Scheme: "classification", Names: wenyuan.Names{{Lang: "en", Value: "Bowls"}}}
	mustCreate(t, s, c2)
	o.Classification = []string{c2.ID}
	if err := s.UpdateRecord(ctxAs("t"), o); err != nil {
		t.Fatal(err)
	}
	objs, _, _ := s.FindObjects(context.Background(), wenyuan.ObjectFilter{Classification: c.ID})
	if len(objs) != 0 {
		t.Errorf("FindObjects(old classification) = %d, want 0", len(objs))
	}
	wantCode(t, "DeleteRecord(new concept in use)", s.DeleteRecord(ctxAs("t"), wenyuan.KindConcept, c2.ID), wenyuan.ECONFLICT)
	o.Classification = []string{c.ID}
	if err := s.UpdateRecord(ctxAs("t"), o); err != nil {
		t.Fatal(err)
	}
	part := object("a", "1.1", "Lid")
	part.PartOf = o.ID
	mustCreate(t, s, part)
	wantCode(t, "DeleteRecord(object with parts)", s.DeleteRecord(ctxAs("t"), wenyuan.KindObject, o.ID), wenyuan.ECONFLICT)
	if err := s.DeleteRecord(ctxAs("t"), wenyuan.KindObject, part.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRecord(ctxAs("t"), wenyuan.KindObject, o.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRecord(ctxAs("t"), wenyuan.KindConcept, c.ID); err != nil {
		t.Fatalf("DeleteRecord(concept no longer used): %v", err)
	}
}

func testUpdateVersions(t *testing.T, s wenyuan.Store) {
	ctx := ctxAs("editor")
	institution(t, s, "a")
	o := object("a", "1", "Bowl")
	mustCreate(t, s, o)
	stale := *o
	o.Titles = o.Titles.Add("zh-Hans", "碗")
	if err := s.UpdateRecord(ctx, o); err != nil {
		t.Fatal(err)
	}
	if o.Version != 2 {
		t.Fatalf("after update version = %d, want 2", o.Version)
	}
	stale.Titles = wenyuan.Text{{Lang: "en", Value: "Dish"}}
	wantCode(t, "UpdateRecord(stale version)", s.UpdateRecord(ctx, &stale), wenyuan.ECONFLICT)
	// An update that changes nothing makes no version.
	same := *o
	same.Version = 0
	if err := s.UpdateRecord(ctx, &same); err != nil {
		t.Fatal(err)
	}
	vs, err := s.FindVersions(context.Background(), wenyuan.KindObject, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0].Action != wenyuan.ActionCreate || vs[1].Action != wenyuan.ActionUpdate || vs[1].Actor != "editor" {
		t.Fatalf("FindVersions = %+v, want create then update by editor", vs)
	}
	wantCode(t, "UpdateRecord(missing)", s.UpdateRecord(ctx, object("a", "9", "x")), wenyuan.ENOTFOUND)
}

func testDeleteAndRevert(t *testing.T, s wenyuan.Store) {
	ctx := ctxAs("registrar")
	institution(t, s, "a")
	o := object("a", "1", "Bowl")
	mustCreate(t, s, o)
	o.Titles = wenyuan.Text{{Lang: "en", Value: "Large bowl"}}
	if err := s.UpdateRecord(ctx, o); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRecord(ctx, wenyuan.KindObject, o.ID); err != nil {
		t.Fatal(err)
	}
	_, err := s.FindRecord(ctx, wenyuan.KindObject, o.ID)
	wantCode(t, "FindRecord(deleted)", err, wenyuan.ENOTFOUND)
	wantCode(t, "DeleteRecord(again)", s.DeleteRecord(ctx, wenyuan.KindObject, o.ID), wenyuan.ENOTFOUND)
	vs, err := s.FindVersions(ctx, wenyuan.KindObject, o.ID)
	if err != nil || len(vs) != 3 || vs[2].Action != wenyuan.ActionDelete {
		t.Fatalf("FindVersions(deleted) = %d versions, %v; want 3 ending in delete", len(vs), err)
	}
	v1, err := s.FindVersion(ctx, wenyuan.KindObject, o.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	var first wenyuan.Object
	if err := json.Unmarshal(v1.Record, &first); err != nil || first.Titles.In("en") != "Bowl" {
		t.Fatalf("version 1 title = %q, %v; want Bowl", first.Titles.In("en"), err)
	}
	_, err = s.FindVersion(ctx, wenyuan.KindObject, o.ID, 9)
	wantCode(t, "FindVersion(9)", err, wenyuan.ENOTFOUND)
	_, err = s.RevertRecord(ctx, wenyuan.KindObject, o.ID, 3)
	wantCode(t, "RevertRecord(to deletion)", err, wenyuan.EINVALID)
	r, err := s.RevertRecord(ctx, wenyuan.KindObject, o.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.(*wenyuan.Object); got.Version != 4 || got.Titles.In("en") != "Bowl" {
		t.Fatalf("RevertRecord = version %d title %q, want 4 Bowl", got.Version, got.Titles.In("en"))
	}
	got, err := s.FindRecord(ctx, wenyuan.KindObject, o.ID)
	if err != nil {
		t.Fatalf("FindRecord(after revert): %v", err)
	}
	if got.RecordMeta().Version != 4 {
		t.Errorf("version after revert = %d, want 4", got.RecordMeta().Version)
	}
	vs, _ = s.FindVersions(ctx, wenyuan.KindObject, o.ID)
	if vs[len(vs)-1].Action != wenyuan.ActionRevert {
		t.Errorf("last action = %q, want revert", vs[len(vs)-1].Action)
	}
	// A deleted object's accession number may be used again by a new record.
	if err := s.DeleteRecord(ctx, wenyuan.KindObject, o.ID); err != nil {
		t.Fatal(err)
	}
	n := object("a", "1", "New bowl")
	mustCreate(t, s, n)
	if n.ID == o.ID {
		t.Fatal("new record took the deleted record's id")
	}
	_, err = s.RevertRecord(ctx, wenyuan.KindObject, o.ID, 1)
	wantCode(t, "RevertRecord(accession now taken)", err, wenyuan.ECONFLICT)

	// Created and deleted without a change in between, then restored.
	d := object("a", "2", "Dish")
	if err := s.CreateRecord(ctxAs("maker"), d); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRecord(ctxAs("remover"), wenyuan.KindObject, d.ID); err != nil {
		t.Fatal(err)
	}
	vs, err = s.FindVersions(ctx, wenyuan.KindObject, d.ID)
	if err != nil || len(vs) != 2 || vs[0].Version != 1 || vs[0].Actor != "maker" || vs[0].Action != "create" || vs[1].Actor != "remover" || !strings.Contains(string(vs[0].Record), "Dish") {
		t.Fatalf("versions of a created-then-deleted record = %+v, %v", vs, err)
	}
	if _, err := s.RevertRecord(ctx, wenyuan.KindObject, d.ID, 1); err != nil {
		t.Fatal(err)
	}
	d.Titles = wenyuan.Text{{Lang: "en", Value: "Large dish"}}
	d.Version = 0
	if err := s.UpdateRecord(ctx, d); err != nil {
		t.Fatal(err)
	}
	vs, _ = s.FindVersions(ctx, wenyuan.KindObject, d.ID)
	var titles []string
	for _, v := range vs {
		var got wenyuan.Object
		json.Unmarshal(v.Record, &got)
		titles = append(titles, v.Action+":"+got.Titles.In("en"))
	}
	if strings.Join(titles, ",") != "create:Dish,delete:Dish,revert:Dish,update:Large dish" {
		t.Errorf("history = %v", titles)
	}
}

func testDiff(t *testing.T, s wenyuan.Store) {
	ctx := ctxAs("t")
	institution(t, s, "a")
	o := object("a", "1", "Bowl")
	o.Date = &wenyuan.Dating{Display: "Ming", Earliest: ip(1368), Latest: ip(1644)}
	mustCreate(t, s, o)
	o.Titles = append(o.Titles, wenyuan.LangString{Lang: "zh-Hans", Value: "碗"})
	o.Date.Earliest = ip(1403)
	o.Medium = "porcelain"
	if err := s.UpdateRecord(ctx, o); err != nil {
		t.Fatal(err)
	}
	a, _ := s.FindVersion(ctx, wenyuan.KindObject, o.ID, 1)
	b, _ := s.FindVersion(ctx, wenyuan.KindObject, o.ID, 2)
	changes, err := wenyuan.Diff(a.Record, b.Record)
	if err != nil {
		t.Fatal(err)
	}
	var fields []string
	for _, c := range changes {
		fields = append(fields, c.Field)
	}
	want := []string{"date.earliest", "medium", "titles[1]"}
	if diff := cmp.Diff(want, fields); diff != "" {
		t.Errorf("Diff fields (-want +got):\n%s", diff)
	}
}

func testFindObjectsFilters(t *testing.T, s wenyuan.Store) {
	ctx := context.Background()
	institution(t, s, "a")
	institution(t, s, "b")
	cer := &wenyuan.Concept{Scheme: "classification", Names: wenyuan.Names{{Lang: "en", Value: "Ceramics"}}}
	mustCreate(t, s, cer)
	mk := func(inst, acc string, e, l int, periods []string, cls []string, vis wenyuan.Visibility) *wenyuan.Object {
		o := object(inst, acc, acc)
		o.Date = &wenyuan.Dating{Earliest: ip(e), Latest: ip(l), Periods: periods}
		o.Classification = cls
		o.Visibility = vis
		mustCreate(t, s, o)
		return o
	}
	tang := mk("a", "tang", 618, 907, []string{"tang"}, nil, "")
	qian := mk("a", "qianlong", 1736, 1795, []string{"qing-qianlong", "qing"}, []string{cer.ID}, "")
	kx := mk("b", "kangxi", 1662, 1722, []string{"qing-kangxi"}, []string{cer.ID}, wenyuan.VisibilityInternal)
	bce := mk("b", "warring", -475, -221, nil, nil, wenyuan.VisibilityConsortium)
	tests := []struct {
		name string
		f    wenyuan.ObjectFilter
		want []string
	}{
		{"all", wenyuan.ObjectFilter{}, []string{tang.ID, qian.ID, kx.ID, bce.ID}},
		{"institution", wenyuan.ObjectFilter{Institution: "b"}, []string{kx.ID, bce.ID}},
		{"classification", wenyuan.ObjectFilter{Classification: cer.ID}, []string{qian.ID, kx.ID}},
		{"period with reigns", wenyuan.ObjectFilter{Period: "qing"}, []string{qian.ID, kx.ID}},
		{"reign", wenyuan.ObjectFilter{Period: "qing-kangxi"}, []string{kx.ID}},
		{"from", wenyuan.ObjectFilter{From: ip(1700)}, []string{qian.ID, kx.ID}},
		{"to", wenyuan.ObjectFilter{To: ip(700)}, []string{tang.ID, bce.ID}},
		{"overlap", wenyuan.ObjectFilter{From: ip(1720), To: ip(1740)}, []string{qian.ID, kx.ID}},
		{"bce", wenyuan.ObjectFilter{From: ip(-300), To: ip(-250)}, []string{bce.ID}},
		{"public only", wenyuan.ObjectFilter{Scope: &wenyuan.ReadScope{}}, []string{tang.ID, qian.ID}},
		{"a partner of a", wenyuan.ObjectFilter{Scope: &wenyuan.ReadScope{Consortium: true, Institution: "a"}}, []string{tang.ID, qian.ID, bce.ID}},
		{"a partner of b", wenyuan.ObjectFilter{Scope: &wenyuan.ReadScope{Consortium: true, Institution: "b"}}, []string{tang.ID, qian.ID, kx.ID, bce.ID}},
		{"scope and filter", wenyuan.ObjectFilter{Scope: &wenyuan.ReadScope{}, Institution: "b"}, nil},
		{"combined", wenyuan.ObjectFilter{Institution: "a", Classification: cer.ID, From: ip(1700)}, []string{qian.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objs, next, err := s.FindObjects(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range objs {
				got = append(got, o.ID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" || next != "" {
				t.Errorf("FindObjects(%+v) (-want +got):\n%s next=%q", tt.f, diff, next)
			}
		})
	}
	_, _, err := s.FindObjects(ctx, wenyuan.ObjectFilter{Cursor: "not a cursor!"})
	wantCode(t, "FindObjects(bad cursor)", err, wenyuan.EINVALID)
}

func testPagination(t *testing.T, s wenyuan.Store) {
	ctx := context.Background()
	institution(t, s, "a")
	var want []string
	err := s.Batch(ctxAs("t"), func(b wenyuan.Batch) error {
		for i := range 25 {
			o := object("a", "acc-"+string(rune('a'+i)), "x")
			if _, err := b.PutObject(o); err != nil {
				return err
			}
			want = append(want, o.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	cursor := ""
	pages := 0
	for {
		objs, next, err := s.FindObjects(ctx, wenyuan.ObjectFilter{Limit: 10, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, o := range objs {
			got = append(got, o.ID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if diff := cmp.Diff(want, got); diff != "" || pages != 3 {
		t.Errorf("paged FindObjects in %d pages (-want +got):\n%s", pages, diff)
	}
}

func testAuthorities(t *testing.T, s wenyuan.Store) {
	ctx := context.Background()
	china := &wenyuan.Place{Names: wenyuan.Names{{Lang: "en", Value: "China"}, {Lang: "zh-Hans", Value: "中国"}}, Type: "nation"}
	mustCreate(t, s, china)
	jdz := &wenyuan.Place{Names: wenyuan.Names{{Lang: "en", Value: "Jingdezhen"}, {Lang: "zh-Hans", Value: "景德镇"}}, Parent: china.ID}
	mustCreate(t, s, jdz)
	wang := &wenyuan.Agent{Names: wenyuan.Names{{Lang: "zh-Hans", Value: "王羲之"}, {Lang: "zh-Hans", Value: "逸少", Type: "courtesy"}, {Lang: "en", Value: "Wang Xizhi"}}, Born: ip(303), Died: ip(361)}
	mustCreate(t, s, wang)
	recs, _, err := s.FindAuthorities(ctx, wenyuan.KindPlace, wenyuan.AuthorityFilter{Parent: china.ID})
	if err != nil || len(recs) != 1 || recs[0].RecordID() != jdz.ID {
		t.Errorf("FindAuthorities(place, parent) = %v, %v; want Jingdezhen", recs, err)
	}
	recs, _, err = s.FindAuthorities(ctx, wenyuan.KindAgent, wenyuan.AuthorityFilter{Name: "逸少"})
	if err != nil || len(recs) != 1 || recs[0].RecordID() != wang.ID {
		t.Errorf("FindAuthorities(agent, courtesy name) = %v, %v; want Wang Xizhi", recs, err)
	}
	recs, _, err = s.FindAuthorities(ctx, wenyuan.KindAgent, wenyuan.AuthorityFilter{Name: "WANG"})
	if err != nil || len(recs) != 1 {
		t.Errorf("FindAuthorities(agent, case-folded) = %d, %v; want 1", len(recs), err)
	}
	_, _, err = s.FindAuthorities(ctx, wenyuan.KindObject, wenyuan.AuthorityFilter{})
	wantCode(t, "FindAuthorities(object)", err, wenyuan.EINVALID)
	insts, err := s.FindInstitutions(ctx)
	if err != nil || len(insts) != 0 {
		t.Errorf("FindInstitutions = %d, %v; want 0", len(insts), err)
	}
	wantCode(t, "DeleteRecord(place with children)", s.DeleteRecord(ctx, wenyuan.KindPlace, china.ID), wenyuan.ECONFLICT)
	china.Parent = jdz.ID
	err = s.UpdateRecord(ctxAs("t"), china)
	wantCode(t, "UpdateRecord(parent cycle)", err, wenyuan.EINVALID)
	if !hasField(err, "parent") {
		t.Errorf("cycle error fields %v, want parent", wenyuan.ErrorFields(err))
	}
}

func testAudit(t *testing.T, s wenyuan.Store) {
	institution(t, s, "a")
	o := object("a", "1", "Bowl")
	if err := s.CreateRecord(ctxAs("alice"), o); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRecord(ctxAs("bob"), wenyuan.KindObject, o.ID); err != nil {
		t.Fatal(err)
	}
	es, _, err := s.FindAudit(context.Background(), wenyuan.AuditFilter{RecordID: o.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Actor != "bob" || es[0].Action != wenyuan.ActionDelete || es[1].Actor != "alice" || es[1].Action != wenyuan.ActionCreate || es[0].At.IsZero() {
		t.Fatalf("FindAudit = %+v %+v, want delete by bob then create by alice", es[0], es[1])
	}
	es, _, _ = s.FindAudit(context.Background(), wenyuan.AuditFilter{Actor: "alice"})
	if len(es) != 1 {
		t.Errorf("FindAudit(actor alice) = %d entries, want 1", len(es))
	}
}

var errStop = errors.New("stop")

func testBatch(t *testing.T, s wenyuan.Store) {
	institution(t, s, "a")
	ctx := ctxAs("cli:import")
	err := s.Batch(ctx, func(b wenyuan.Batch) error {
		if _, err := b.PutObject(object("a", "1", "One")); err != nil {
			return err
		}
		if _, err := b.ResolveName(wenyuan.KindConcept, "material", "en", "Jade", true); err != nil {
			return err
		}
		return errStop
	})
	if !errors.Is(err, errStop) {
		t.Fatalf("Batch = %v, want errStop", err)
	}
	objs, _, _ := s.FindObjects(context.Background(), wenyuan.ObjectFilter{})
	cs, _, _ := s.FindAuthorities(context.Background(), wenyuan.KindConcept, wenyuan.AuthorityFilter{})
	if len(objs) != 0 || len(cs) != 0 {
		t.Fatalf("after rolled-back batch: %d objects, %d concepts; want none", len(objs), len(cs))
	}
	var jade, jade2, parent string
	err = s.Batch(ctx, func(b wenyuan.Batch) error {
		var err error
		if jade, err = b.ResolveName(wenyuan.KindConcept, "material", "en", "Jade", true); err != nil {
			return err
		}
		if jade2, err = b.ResolveName(wenyuan.KindConcept, "material", "en", " JADE ", false); err != nil {
			return err
		}
		p := object("a", "cave", "Cave")
		p.Materials = []string{jade}
		if _, err := b.PutObject(p); err != nil {
			return err
		}
		if parent, err = b.ObjectID("a", "cave"); err != nil {
			return err
		}
		c := object("a", "cave-mural", "Mural")
		c.PartOf = parent
		_, err = b.PutObject(c)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if jade == "" || jade != jade2 {
		t.Errorf("ResolveName = %q then %q, want the same id", jade, jade2)
	}
	got, err := s.FindObjectByAccession(context.Background(), "a", "cave-mural")
	if err != nil || got.PartOf != parent {
		t.Errorf("part_of = %v, %v; want %s", got, err, parent)
	}
	err = s.Batch(ctx, func(b wenyuan.Batch) error {
		_, err := b.ResolveName(wenyuan.KindConcept, "material", "en", "Gold", false)
		return err
	})
	wantCode(t, "ResolveName(missing, no create)", err, wenyuan.ENOTFOUND)
	ctxc, cancel := context.WithCancel(ctx)
	err = s.Batch(ctxc, func(b wenyuan.Batch) error {
		if _, err := b.PutObject(object("a", "late", "Late")); err != nil {
			return err
		}
		cancel()
		return nil
	})
	if err == nil {
		t.Fatal("Batch with cancelled context committed")
	}
	if _, err := s.FindObjectByAccession(context.Background(), "a", "late"); wenyuan.ErrorCode(err) != wenyuan.ENOTFOUND {
		t.Errorf("object from a cancelled batch: %v, want ENOTFOUND", err)
	}
}

func testBatchIdempotent(t *testing.T, s wenyuan.Store) {
	institution(t, s, "a")
	put := func(title string) []string {
		var actions []string
		err := s.Batch(ctxAs("t"), func(b wenyuan.Batch) error {
			for _, acc := range []string{"1", "2"} {
				a, err := b.PutObject(object("a", acc, title+acc))
				if err != nil {
					return err
				}
				actions = append(actions, a)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return actions
	}
	if got := put("x"); !cmp.Equal(got, []string{"create", "create"}) {
		t.Errorf("first put = %v", got)
	}
	if got := put("x"); !cmp.Equal(got, []string{"", ""}) {
		t.Errorf("same put again = %v, want no changes", got)
	}
	if got := put("y"); !cmp.Equal(got, []string{"update", "update"}) {
		t.Errorf("changed put = %v, want updates", got)
	}
	o, _ := s.FindObjectByAccession(context.Background(), "a", "1")
	if o.Version != 2 {
		t.Errorf("version after create, no-op, update = %d, want 2", o.Version)
	}
}

func testSeededPeriods(t *testing.T, s wenyuan.Store) {
	ctx := context.Background()
	for _, tt := range []struct {
		id, parent, zh string
		start, end     int
	}{
		{"qing", "", "清", 1644, 1911},
		{"qing-qianlong", "qing", "乾隆", 1736, 1795},
		{"ming-xuande", "ming", "宣德", 1426, 1435},
		{"tang", "", "唐", 618, 907},
	} {
		r, err := s.FindRecord(ctx, wenyuan.KindPeriod, tt.id)
		if err != nil {
			t.Errorf("FindRecord(period %s): %v", tt.id, err)
			continue
		}
		p := r.(*wenyuan.Period)
		if p.Parent != tt.parent || p.Start != tt.start || p.End != tt.end || p.Names.In("zh-Hans") != tt.zh {
			t.Errorf("period %s = parent %q %d–%d %q, want %q %d–%d %q", tt.id, p.Parent, p.Start, p.End, p.Names.In("zh-Hans"), tt.parent, tt.start, tt.end, tt.zh)
		}
		vs, err := s.FindVersions(ctx, wenyuan.KindPeriod, tt.id)
		if err != nil || len(vs) != 1 {
			t.Errorf("period %s has %d versions, %v; want 1", tt.id, len(vs), err)
		}
	}
	err := s.Batch(ctx, func(b wenyuan.Batch) error {
		id, err := b.ResolveName(wenyuan.KindPeriod, "", "", "Ch'ien-lung", false)
		if err == nil && id != "qing-qianlong" {
			t.Errorf("ResolveName(period Ch'ien-lung) = %q, want qing-qianlong", id)
		}
		return err
	})
	if err != nil {
		t.Errorf("ResolveName(period by Wade-Giles name): %v", err)
	}
}

func testSnapshot(t *testing.T, s wenyuan.Store) {
	ctx := context.Background()
	institution(t, s, "a")
	mustCreate(t, s, object("a", "1", "Before"))
	err := s.Snapshot(ctx, func(snap wenyuan.Store) error {
		mustCreate(t, s, object("a", "2", "During"))
		objs, _, err := snap.FindObjects(ctx, wenyuan.ObjectFilter{})
		if err != nil {
			return err
		}
		if len(objs) != 1 {
			t.Errorf("snapshot sees %d objects, want the 1 there when it began", len(objs))
		}
		wantCode(t, "write through a snapshot", snap.CreateRecord(ctx, object("a", "3", "x")), wenyuan.EINVALID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if objs, _, _ := s.FindObjects(ctx, wenyuan.ObjectFilter{}); len(objs) != 2 {
		t.Errorf("after the snapshot: %d objects, want 2", len(objs))
	}
}

// testChangeFeed: every write moves the record to the end of the feed,
// once, with its current content; deletions are in it; a batch that rolls
// back leaves nothing in it; the store has a stable id.
func testChangeFeed(t *testing.T, s wenyuan.Store) {
	ctx := ctxAs("tester")
	id1, err := s.StoreID(ctx)
	if err != nil || id1 == "" {
		t.Fatalf("StoreID() = %q, %v", id1, err)
	}
	if id2, _ := s.StoreID(ctx); id2 != id1 {
		t.Fatalf("StoreID() = %q then %q, want the same", id1, id2)
	}
	start := int64(0)
	if all, err := s.Changes(ctx, 0, 100000); err != nil {
		t.Fatal(err)
	} else if len(all) > 0 {
		start = all[len(all)-1].Rev // seeded periods
	}
	institution(t, s, "feed")
	a, b := object("feed", "A-1", "first"), object("feed", "A-2", "second")
	mustCreate(t, s, a)
	mustCreate(t, s, b)
	a.Titles[0].Value = "first, retitled"
	if err := s.UpdateRecord(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRecord(ctx, wenyuan.KindObject, b.ID); err != nil {
		t.Fatal(err)
	}
	_ = s.Batch(ctx, func(bt wenyuan.Batch) error { // rolled back
		if _, err := bt.PutObject(object("feed", "A-3", "never")); err != nil {
			return err
		}
		return errors.New("roll back")
	})
	got, err := s.Changes(ctx, start, 100)
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	last := start
	for _, c := range got {
		if c.Rev <= last {
			t.Errorf("Changes: rev %d after %d, want increasing", c.Rev, last)
		}
		last = c.Rev
		seen = append(seen, string(c.Record.Kind)+":"+c.Record.ID+":"+map[bool]string{true: "deleted", false: "live"}[c.Deleted])
		if c.Record.ID == a.ID && !strings.Contains(string(c.Record.Doc), "retitled") {
			t.Errorf("Changes: %s has doc %s, want the current version", a.ID, c.Record.Doc)
		}
	}
	want := []string{"institution:feed:live", "object:" + a.ID + ":live", "object:" + b.ID + ":deleted"}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("Changes(%d) (-want +got):\n%s", start, diff)
	}
	if head, err := s.LastRev(ctx); err != nil || head != last {
		t.Errorf("LastRev() = %d, %v; want %d", head, err, last)
	}
	if more, err := s.Changes(ctx, last, 100); err != nil || len(more) != 0 {
		t.Errorf("Changes(last) = %d changes, %v; want none", len(more), err)
	}
	if page, err := s.Changes(ctx, start, 1); err != nil || len(page) != 1 {
		t.Errorf("Changes(limit 1) = %d changes, %v; want 1", len(page), err)
	}
}

func testImages(t *testing.T, s wenyuan.Store) {
	ctx := ctxAs("tester")
	institution(t, s, "museum")
	institution(t, s, "academy")
	o := object("museum", "A1", "scroll")
	mustCreate(t, s, o)
	other := object("museum", "A2", "bowl")
	mustCreate(t, s, other)
	sum := strings.Repeat("ab", 32)
	img := func(id, obj, inst string) *wenyuan.Image {
		return &wenyuan.Image{ID: id, Object: obj, Institution: inst, SHA256: sum, Format: "jpeg", Width: 4000, Height: 3000, Bytes: 123456,
			Caption: wenyuan.Text{{Lang: "zh-Hans", Value: "卷首"}}}
	}
	first, second := img("", o.ID, "museum"), img("scan-2", o.ID, "museum")
	mustCreate(t, s, first)
	mustCreate(t, s, second)
	mustCreate(t, s, img("", other.ID, "museum"))
	if first.ID == "" || first.Visibility != wenyuan.VisibilityPublic {
		t.Fatalf("CreateRecord(image) = id %q visibility %q, want an id and public", first.ID, first.Visibility)
	}
	got, err := s.FindImages(context.Background(), o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != first.ID || got[1].ID != "scan-2" {
		t.Fatalf("FindImages(%s) = %v, want [%s scan-2]", o.ID, got, first.ID)
	}
	if diff := cmp.Diff(first, got[0]); diff != "" {
		t.Errorf("FindImages(%s)[0] differs (-created +found):\n%s", o.ID, diff)
	}

	// The rules: an image is of a live object of its own institution, and
	// what its file is never changes.
	wantCode(t, "CreateRecord(image of missing object)", s.CreateRecord(ctx, img("", "nosuchobject", "museum")), wenyuan.EINVALID)
	err = s.CreateRecord(ctx, img("", o.ID, "academy"))
	wantCode(t, "CreateRecord(image of another institution's object)", err, wenyuan.EINVALID)
	if !hasField(err, "institution") {
		t.Errorf("CreateRecord(image of another institution's object) = %v, want a problem with institution", err)
	}
	bad := img("", o.ID, "museum")
	bad.SHA256 = "xyz"
	wantCode(t, "CreateRecord(bad sha256)", s.CreateRecord(ctx, bad), wenyuan.EINVALID)

	edit := *got[1]
	edit.Photographer = "王五"
	edit.Visibility = wenyuan.VisibilityInternal
	if err := s.UpdateRecord(ctx, &edit); err != nil {
		t.Fatalf("UpdateRecord(image caption) = %v", err)
	}
	if edit.Version != 2 {
		t.Errorf("UpdateRecord(image) version = %d, want 2", edit.Version)
	}
	swap := edit
	swap.SHA256 = strings.Repeat("cd", 32)
	err = s.UpdateRecord(ctx, &swap)
	wantCode(t, "UpdateRecord(image with another file)", err, wenyuan.EINVALID)
	if !hasField(err, "sha256") {
		t.Errorf("UpdateRecord(image with another file) = %v, want a problem with sha256", err)
	}
	move := edit
	move.Object = other.ID
	wantCode(t, "UpdateRecord(image to another object)", s.UpdateRecord(ctx, &move), wenyuan.EINVALID)

	// In a bulk load an image comes after its object, so that its
	// institution is checked against the object's.
	later := object("museum", "A9", "later")
	later.ID = "later-object"
	err = s.Batch(ctx, func(b wenyuan.Batch) error {
		if _, err := b.PutRecord(img("", "later-object", "academy")); err != nil {
			return err
		}
		_, err := b.PutObject(later)
		return err
	})
	wantCode(t, "Batch(image before its object)", err, wenyuan.EINVALID)

	// An object with images is not deleted from under them.
	wantCode(t, "DeleteRecord(object with images)", s.DeleteRecord(ctx, wenyuan.KindObject, o.ID), wenyuan.ECONFLICT)
	if err := s.DeleteRecord(ctx, wenyuan.KindImage, first.ID); err != nil {
		t.Fatal(err)
	}
	got, err = s.FindImages(context.Background(), o.ID)
	if err != nil || len(got) != 1 || got[0].ID != "scan-2" || got[0].Visibility != wenyuan.VisibilityInternal {
		t.Fatalf("FindImages after delete = %v, %v; want [scan-2] (internal)", got, err)
	}
	// The collection of an institution: objects with an image the reader
	// may see, and only objects the reader may see.
	hidden := object("museum", "A3", "hidden bowl")
	hidden.Visibility = wenyuan.VisibilityInternal
	mustCreate(t, s, hidden)
	mustCreate(t, s, img("", hidden.ID, "museum"))
	for _, tt := range []struct {
		name  string
		scope wenyuan.ReadScope
		want  []string
	}{
		{"public", wenyuan.ReadScope{}, []string{other.ID}},
		{"partner", wenyuan.ReadScope{Consortium: true, Institution: "academy"}, []string{other.ID}},
		{"owner", wenyuan.ReadScope{Consortium: true, Institution: "museum"}, []string{o.ID, other.ID, hidden.ID}},
	} {
		objs, err := s.FindImagedObjects(context.Background(), "museum", tt.scope)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, o := range objs {
			ids = append(ids, o.ID)
		}
		if diff := cmp.Diff(tt.want, ids); diff != "" {
			t.Errorf("FindImagedObjects(museum, %s) differs (-want +got):\n%s", tt.name, diff)
		}
	}
	raw, err := s.FindRawRecord(context.Background(), wenyuan.KindImage, "scan-2")
	if err != nil || raw.Institution != "museum" || raw.Visibility != wenyuan.VisibilityInternal {
		t.Fatalf("FindRawRecord(image) = %+v, %v; want institution museum, internal", raw, err)
	}
}

func testAccessionHistory(t *testing.T, s wenyuan.Store) {
	ctx := ctxAs("tester")
	institution(t, s, "a")
	o := object("a", "A-1", "first")
	mustCreate(t, s, o)
	o.AccessionNumber, o.Version = "A-2", 0
	if err := s.UpdateRecord(ctx, o); err != nil {
		t.Fatal(err)
	}
	for _, acc := range []string{"A-1", "A-2"} {
		if id, err := s.FindObjectIDByAccession(ctx, "a", acc); err != nil || id != o.ID {
			t.Errorf("FindObjectIDByAccession(a, %s) = %q, %v; want %s (its number now or before)", acc, id, err, o.ID)
		}
	}
	_, err := s.FindObjectIDByAccession(ctx, "a", "A-3")
	wantCode(t, "an accession number nobody had", err, wenyuan.ENOTFOUND)
	_, err = s.FindObjectIDByAccession(ctx, "b", "A-1")
	wantCode(t, "another institution's", err, wenyuan.ENOTFOUND)
	// A number given to another object since: the one that has it now.
	o2 := object("a", "A-1", "second")
	mustCreate(t, s, o2)
	if id, err := s.FindObjectIDByAccession(ctx, "a", "A-1"); err != nil || id != o2.ID {
		t.Errorf("FindObjectIDByAccession(a, A-1) = %q, %v; want %s, which has it now", id, err, o2.ID)
	}
}
