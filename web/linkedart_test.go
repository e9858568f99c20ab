package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wenyuan"
	"wenyuan/linkedart"
)

// TestLinkedArtNegotiation: a record's page URL answers its Linked Art
// document to a client asking for JSON-LD (or ?format=linked-art), and
// the page to a browser; the document is the one the linkedart package
// builds (whose tests validate it against the Linked Art schemas); a
// record the client may not read is not found either way.
func TestLinkedArtNegotiation(t *testing.T) {
	p := newPortal(t)
	ctx := context.Background()
	names := func(kind wenyuan.Kind, id string) wenyuan.Names {
		rec, err := p.db.FindRecord(ctx, kind, id)
		if err != nil {
			return nil
		}
		return wenyuan.AuthorityNames(rec)
	}
	lac := &linkedart.Context{Base: p.srv.URL, Names: names, AgentType: func(id string) string {
		if rec, err := p.db.FindRecord(ctx, wenyuan.KindAgent, id); err == nil {
			return rec.(*wenyuan.Agent).Type
		}
		return ""
	}}
	first := func(plural string) string {
		var list struct{ Items []struct{ ID string } }
		do(t, p.srv, "GET", "/api/v1/"+plural+"?limit=1", nil).json(t, &list)
		return list.Items[0].ID
	}
	for _, tt := range []struct {
		kind       wenyuan.Kind
		path, typ  string
		accept     string
		wantLinked bool
	}{
		{wenyuan.KindObject, "/objects/" + p.object, "HumanMadeObject", "application/ld+json", true},
		{wenyuan.KindObject, "/objects/" + p.object, "HumanMadeObject", `application/ld+json;profile="https://linked.art/ns/v1/linked-art.json"`, true},
		{wenyuan.KindObject, "/objects/" + p.object + "?format=linked-art", "HumanMadeObject", "", true},
		{wenyuan.KindObject, "/objects/" + p.object, "", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false},
		{wenyuan.KindObject, "/objects/" + p.object, "", "text/html;q=0.5,application/ld+json;q=0.4", false},
		{wenyuan.KindAgent, "/agents/" + first("agents"), "Person", "application/ld+json", true},
		{wenyuan.KindPlace, "/places/" + first("places"), "Place", "application/ld+json", true},
		{wenyuan.KindPeriod, "/periods/ming", "Period", "application/ld+json", true},
		{wenyuan.KindConcept, "/concepts/cls-painting", "Type", "application/ld+json", true},
		{wenyuan.KindInstitution, "/institutions/palace-museum", "Group", "application/ld+json", true},
	} {
		t.Run(tt.path+" "+tt.accept, func(t *testing.T) {
			var hdr []string
			if tt.accept != "" {
				hdr = []string{"Accept", tt.accept}
			}
			r := do(t, p.srv, "GET", tt.path, nil, hdr...)
			mustStatus(t, "GET "+tt.path, r, 200)
			ct := r.header.Get("Content-Type")
			if !tt.wantLinked {
				if !strings.HasPrefix(ct, "text/html") {
					t.Errorf("Accept %q gets %s, want the page", tt.accept, ct)
				}
				return
			}
			if !strings.HasPrefix(ct, "application/ld+json") || !strings.Contains(r.header.Get("Vary"), "Accept") {
				t.Fatalf("Content-Type %q, Vary %q", ct, r.header.Get("Vary"))
			}
			var got map[string]any
			r.json(t, &got)
			id := strings.Split(strings.TrimPrefix(tt.path, "/"), "?")[0]
			if got["type"] != tt.typ || got["id"] != p.srv.URL+"/"+id || got["@context"] != linkedart.ContextURI {
				t.Errorf("document type %v id %v @context %v", got["type"], got["id"], got["@context"])
			}
			rec, err := p.db.FindRecord(ctx, tt.kind, id[strings.LastIndex(id, "/")+1:])
			if err != nil {
				t.Fatal(err)
			}
			doc, err := lac.Record(rec)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(doc)
			var want map[string]any
			json.Unmarshal(b, &want)
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("the served document differs from the record's Linked Art (-want +got):\n%s", d)
			}
		})
	}
	// Not readable, not found, as JSON-LD too.
	hdr := mustUser(t, p.db, "palace-museum", wenyuan.RoleCataloguer)
	r := do(t, p.srv, "POST", "/api/v1/objects", map[string]any{"institution": "palace-museum", "accession_number": "INT-1", "visibility": "internal",
		"titles": []map[string]string{{"lang": "en", "value": "internal"}}}, hdr...)
	var o wenyuan.Object
	r.json(t, &o)
	if r := do(t, p.srv, "GET", "/objects/"+o.ID, nil, "Accept", "application/ld+json"); r.status != 404 {
		t.Errorf("an internal object's Linked Art for the public = %d, want 404", r.status)
	}
	if r := do(t, p.srv, "GET", "/objects/"+o.ID, nil, append(hdr, "Accept", "application/ld+json")...); r.status != 200 {
		t.Errorf("an internal object's Linked Art for its cataloguer = %d, want 200", r.status)
	}
}
