package storetest

import (
	"context"
	"testing"
	"time"

	"wenyuan"
)

// harvestAll reads a whole harvest of f a page of limit at a time, and
// the changes to make after its first page.
func harvestAll(t *testing.T, s wenyuan.Store, f wenyuan.HarvestFilter, between func()) map[string]wenyuan.HarvestItem {
	t.Helper()
	got := map[string]wenyuan.HarvestItem{}
	var last int64
	for page := 0; ; page++ {
		items, next, err := s.Harvest(context.Background(), f)
		if err != nil {
			t.Fatalf("Harvest(%+v): %v", f, err)
		}
		if next == 0 {
			if len(items) != 0 {
				t.Fatalf("Harvest: the last page has %d items", len(items))
			}
			return got
		}
		if next <= f.After {
			t.Fatalf("Harvest: next %d after %d does not move on", next, f.After)
		}
		for _, it := range items {
			if it.Pos <= last {
				t.Errorf("Harvest: position %d after %d", it.Pos, last)
			}
			last = it.Pos
			if _, dup := got[it.ID]; dup {
				t.Errorf("Harvest gave %s twice", it.ID)
			}
			got[it.ID] = it
		}
		f.After = next
		if page == 0 && between != nil {
			between()
		}
	}
}

func testHarvest(t *testing.T, s wenyuan.Store) {
	ctx := ctxAs("tester")
	institution(t, s, "a")
	institution(t, s, "b")
	cls := &wenyuan.Concept{Scheme: "classification", Names: wenyuan.Names{{Lang: "en", Value: "Ceramics"}}}
	mustCreate(t, s, cls)
	mk := func(inst, acc string, vis wenyuan.Visibility, classes ...string) *wenyuan.Object {
		o := object(inst, acc, acc)
		o.Visibility, o.Classification = vis, classes
		mustCreate(t, s, o)
		return o
	}
	update := func(o *wenyuan.Object, change func(*wenyuan.Object)) {
		t.Helper()
		change(o)
		o.Version = 0
		if err := s.UpdateRecord(ctx, o); err != nil {
			t.Fatalf("UpdateRecord(%s): %v", o.AccessionNumber, err)
		}
	}
	pub, intern := wenyuan.VisibilityPublic, wenyuan.VisibilityInternal
	a1 := mk("a", "a1", pub)
	a2 := mk("a", "a2", intern)
	a3 := mk("a", "a3", wenyuan.VisibilityConsortium)
	update(a3, func(o *wenyuan.Object) { o.Visibility = pub })
	b1 := mk("b", "b1", pub, cls.ID)
	b2 := mk("b", "b2", pub, cls.ID)
	if err := s.DeleteRecord(ctx, wenyuan.KindObject, b2.ID); err != nil {
		t.Fatal(err)
	}
	b3 := mk("b", "b3", pub)
	update(b3, func(o *wenyuan.Object) { o.Visibility = intern })
	b4 := mk("b", "b4", intern)
	b5 := mk("b", "b5", pub)
	b6 := mk("b", "b6", pub)

	mark, err := s.MarkHarvest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.CountHarvest(ctx, wenyuan.HarvestFilter{Mark: mark})
	if err != nil || n != 7 {
		t.Errorf("CountHarvest(all) = %d, %v; want 7 (a1, a3, b1, the tombstones of b2 and b3, b5, b6)", n, err)
	}
	// While the harvest runs, one object is added, one changed, one
	// withdrawn and one made public: the harvest gives each object once,
	// as it was at the mark, but never again what was withdrawn.
	var added *wenyuan.Object
	got := harvestAll(t, s, wenyuan.HarvestFilter{Mark: mark, Limit: 2}, func() {
		added = mk("a", "new", pub)
		update(b5, func(o *wenyuan.Object) { o.Titles = wenyuan.Text{{Lang: "en", Value: "changed during the harvest"}} })
		update(b6, func(o *wenyuan.Object) { o.Visibility = intern })
		update(a2, func(o *wenyuan.Object) { o.Visibility = pub })
	})
	want := map[string]bool{a1.ID: false, a3.ID: false, b1.ID: false, b2.ID: true, b3.ID: true, b5.ID: false, b6.ID: true}
	for id, deleted := range want {
		it, ok := got[id]
		if !ok {
			t.Errorf("the harvest skipped %s", id)
			continue
		}
		if it.Deleted != deleted {
			t.Errorf("harvested %s with Deleted %v, want %v", id, it.Deleted, deleted)
		}
		if it.Object == nil || it.Object.ID != id {
			t.Errorf("harvested %s without its object", id)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("the harvest gave %s (%s), which it must not", id, got[id].Object.AccessionNumber)
		}
	}
	if it := got[b5.ID]; it.Object != nil && it.Object.Titles[0].Value != "b5" {
		t.Errorf("an object changed during the harvest is given as %q, want as it was at the mark", it.Object.Titles[0].Value)
	}
	if it := got[b2.ID]; len(it.Object.Classification) != 1 {
		t.Errorf("a tombstone keeps its last public content, for its sets: %+v", it.Object)
	}

	// A new harvest sees the changes.
	mark2, _ := s.MarkHarvest(ctx)
	got = harvestAll(t, s, wenyuan.HarvestFilter{Mark: mark2}, nil)
	if it, ok := got[added.ID]; !ok || it.Deleted {
		t.Errorf("the next harvest lacks the object added during the last one")
	}
	if it := got[b5.ID]; it.Object.Titles[0].Value != "changed during the harvest" {
		t.Errorf("the next harvest gives b5 as %q", it.Object.Titles[0].Value)
	}
	if it, ok := got[a2.ID]; !ok || it.Deleted {
		t.Errorf("the next harvest lacks a2, public now")
	}
	if _, ok := got[b4.ID]; ok {
		t.Errorf("a never-public object is harvested")
	}

	// Sets.
	got = harvestAll(t, s, wenyuan.HarvestFilter{Mark: mark2, Institution: "b"}, nil)
	if len(got) != 5 { // b1, b2, b3, b5, b6
		t.Errorf("set institution b has %d items, want 5", len(got))
	}
	got = harvestAll(t, s, wenyuan.HarvestFilter{Mark: mark2, Classification: cls.ID}, nil)
	if len(got) != 2 || !got[b2.ID].Deleted || got[b1.ID].Deleted {
		t.Errorf("set classification has %v, want b1 and the tombstone of b2", got)
	}
	// Datestamps.
	hourAgo, inAnHour := time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	if got := harvestAll(t, s, wenyuan.HarvestFilter{Mark: mark2, Until: &hourAgo}, nil); len(got) != 0 {
		t.Errorf("until an hour ago: %d items", len(got))
	}
	if got := harvestAll(t, s, wenyuan.HarvestFilter{Mark: mark2, From: &hourAgo, Until: &inAnHour}, nil); len(got) != 9 {
		t.Errorf("from an hour ago: %d items, want 9", len(got))
	}
	for _, it := range got {
		if it.Datestamp.Nanosecond() != 0 || it.Datestamp.Location() != time.UTC {
			t.Errorf("datestamp %v is not whole seconds UTC", it.Datestamp)
		}
	}
	early, err := s.EarliestDatestamp(ctx)
	if err != nil || early.After(time.Now()) || early.Before(hourAgo) {
		t.Errorf("EarliestDatestamp = %v, %v", early, err)
	}

	// One object, as it is now.
	for _, tt := range []struct {
		id      string
		code    string
		deleted bool
	}{{a1.ID, "", false}, {b2.ID, "", true}, {b6.ID, "", true}, {b4.ID, wenyuan.ENOTFOUND, false}, {"nosuch", wenyuan.ENOTFOUND, false}, {"../x", wenyuan.ENOTFOUND, false}} {
		it, err := s.HarvestObject(ctx, tt.id)
		if wenyuan.ErrorCode(err) != tt.code {
			t.Errorf("HarvestObject(%s) = %v, want code %q", tt.id, err, tt.code)
			continue
		}
		if err == nil && it.Deleted != tt.deleted {
			t.Errorf("HarvestObject(%s).Deleted = %v", tt.id, it.Deleted)
		}
	}
}

// testHarvestEdges: an object internal at the mark and published during
// the harvest is not in it (not even as deleted); a withdrawn object's
// tombstone is in the sets of its last public content, not of what it
// became.
func testHarvestEdges(t *testing.T, s wenyuan.Store) {
	ctx := ctxAs("tester")
	institution(t, s, "a")
	c1 := &wenyuan.Concept{Scheme: "classification", Names: wenyuan.Names{{Lang: "en", Value: "c1"}}}
	c2 := &wenyuan.Concept{Scheme: "classification", Names: wenyuan.Names{{Lang: "en", Value: "c2"}}}
	mustCreate(t, s, c1)
	mustCreate(t, s, c2)
	first := object("a", "first", "first")
	mustCreate(t, s, first)
	hidden := object("a", "hidden", "hidden")
	hidden.Visibility = wenyuan.VisibilityInternal
	mustCreate(t, s, hidden)
	moved := object("a", "moved", "moved")
	moved.Classification = []string{c1.ID}
	mustCreate(t, s, moved)
	moved.Visibility, moved.Classification, moved.Version = wenyuan.VisibilityInternal, []string{c2.ID}, 0
	if err := s.UpdateRecord(ctx, moved); err != nil {
		t.Fatal(err)
	}
	mark, err := s.MarkHarvest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := harvestAll(t, s, wenyuan.HarvestFilter{Mark: mark, Limit: 1}, func() {
		hidden.Visibility, hidden.Version = wenyuan.VisibilityPublic, 0
		if err := s.UpdateRecord(ctx, hidden); err != nil {
			t.Fatal(err)
		}
	})
	if it, ok := got[hidden.ID]; ok {
		t.Errorf("an object internal at the mark is harvested (deleted %v)", it.Deleted)
	}
	got = harvestAll(t, s, wenyuan.HarvestFilter{Mark: mark, Classification: c1.ID}, nil)
	if it, ok := got[moved.ID]; !ok || !it.Deleted {
		t.Errorf("set c1 lacks the tombstone of the object withdrawn from it")
	}
	got = harvestAll(t, s, wenyuan.HarvestFilter{Mark: mark, Classification: c2.ID}, nil)
	if _, ok := got[moved.ID]; ok {
		t.Errorf("set c2 has the tombstone of an object never public in it")
	}
}
