package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"wenyuan"
)

// BenchmarkListScope measures what permission filtering costs on lists:
// 100,000 objects of three institutions, 70 % public, 20 % consortium,
// 10 % internal; one page of 50, unfiltered and filtered by classification
// and years, read by an admin who sees everything (no scope), by a
// partner user and by the public. The goal is at most 10 % over the
// admin's time.
func BenchmarkListScope(b *testing.B) {
	db := openStore(b, filepath.Join(b.TempDir(), "wenyuan.db"))
	ctx := wenyuan.WithActor(context.Background(), "bench")
	for _, inst := range []string{"palace-museum", "university"} {
		if err := db.CreateRecord(ctx, &wenyuan.Institution{ID: inst, Names: wenyuan.Names{{Lang: "en", Value: inst}}}); err != nil {
			b.Fatal(err)
		}
	}
	insts := []string{"walters", "palace-museum", "university"}
	var concepts []string
	err := db.Batch(ctx, func(bt wenyuan.Batch) error {
		for i := range 20 {
			id, err := bt.ResolveName(wenyuan.KindConcept, "classification", "en", fmt.Sprintf("class %d", i), true)
			if err != nil {
				return err
			}
			concepts = append(concepts, id)
		}
		for i := range 100_000 {
			vis := wenyuan.VisibilityPublic
			switch {
			case i%10 == 9:
				vis = wenyuan.VisibilityInternal
			case i%10 >= 7:
				vis = wenyuan.VisibilityConsortium
			}
			e, l := 1000+i%900, 1000+i%900+50
			o := &wenyuan.Object{Institution: insts[i%3], AccessionNumber: fmt.Sprintf("B.%06d", i), Visibility: vis,
				Titles: wenyuan.Text{{Lang: "en", Value: fmt.Sprintf("object %d", i)}}, Classification: []string{concepts[i%20]},
				Date: &wenyuan.Dating{Earliest: &e, Latest: &l}}
			if _, err := bt.PutObject(o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	from, to := 1200, 1400
	filters := map[string]wenyuan.ObjectFilter{
		"first-page":      {Limit: 50},
		"class-and-years": {Limit: 50, Classification: concepts[3], From: &from, To: &to},
		"institution":     {Limit: 50, Institution: "university"},
	}
	partner := wenyuan.ReadScopeOf(&wenyuan.Principal{UserID: "u", Institution: "university"})
	public := wenyuan.ReadScopeOf(wenyuan.Anonymous)
	for _, name := range []string{"first-page", "class-and-years", "institution"} {
		for _, who := range []struct {
			name  string
			scope *wenyuan.ReadScope
		}{{"admin-all", nil}, {"partner", &partner}, {"public", &public}} {
			b.Run(name+"/"+who.name, func(b *testing.B) {
				f := filters[name]
				f.Scope = who.scope
				b.ReportAllocs()
				for b.Loop() {
					objs, _, err := db.FindObjects(ctx, f)
					if err != nil || len(objs) == 0 {
						b.Fatalf("FindObjects = %d, %v", len(objs), err)
					}
				}
			})
		}
	}
}
