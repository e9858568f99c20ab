package oai

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"wenyuan"
	"wenyuan/sqlite"
)

func TestParseDate(t *testing.T) {
	for _, tt := range []struct {
		in, gran string
		end      bool
		want     string
		ok       bool
	}{
		{"2024-03-01", "day", false, "2024-03-01T00:00:00Z", true},
		{"2024-03-01", "day", true, "2024-03-01T23:59:59Z", true},
		{"2024-03-01T12:30:00Z", "second", false, "2024-03-01T12:30:00Z", true},
		{"2024-03-01T12:30:00", "", false, "", false},
		{"2024-3-1", "", false, "", false},
		{"yesterday", "", false, "", false},
	} {
		got, gran, err := parseDate("from", tt.in, tt.end)
		if (err == nil) != tt.ok {
			t.Errorf("parseDate(%q) error %v, want ok %v", tt.in, err, tt.ok)
			continue
		}
		if err == nil && (got.Format(granularity) != tt.want || gran != tt.gran) {
			t.Errorf("parseDate(%q, end %v) = %s %s, want %s %s", tt.in, tt.end, got.Format(granularity), gran, tt.want, tt.gran)
		}
	}
}

func TestTokenRoundTrip(t *testing.T) {
	p := &Provider{Now: func() time.Time { return time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC) }}
	in := token{Version: 1, Prefix: "oai_dc", Set: "institution:a", From: "2020-01-01", Seq: 42, Rev: 99, At: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC), After: 7, Cursor: 500, Size: 1234}
	out, err := p.decodeToken(encodeToken(in))
	if err != nil || out != in {
		t.Fatalf("decodeToken(encodeToken(%+v)) = %+v, %v", in, out, err)
	}
	// A day later the token has expired.
	p.Now = func() time.Time { return in.At.Add(25 * time.Hour) }
	if _, err := p.decodeToken(encodeToken(in)); err == nil {
		t.Errorf("an expired token was taken")
	}
	for _, bad := range []string{"", "!!", "e30", encodeToken(token{Version: 2, Prefix: "x"}), encodeToken(token{Version: 1})} {
		if _, err := p.decodeToken(bad); err == nil {
			t.Errorf("decodeToken(%q) took a bad token", bad)
		}
	}
}

// FuzzServe: whatever arguments a harvester sends, the provider answers a
// well-formed OAI-PMH document and never fails.
func FuzzServe(f *testing.F) {
	db, err := sqlite.Open(filepath.Join(f.TempDir(), "w.db"))
	if err != nil {
		f.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	db.CreateRecord(ctx, &wenyuan.Institution{ID: "a", Names: wenyuan.Names{{Lang: "en", Value: "A"}}})
	for i := 0; i < 5; i++ {
		db.CreateRecord(ctx, &wenyuan.Object{Institution: "a", AccessionNumber: string(rune('a' + i)), Titles: wenyuan.Text{{Lang: "zh-Hans", Value: "瓶 & <罐>"}}})
	}
	p := &Provider{Store: db, BaseURL: "http://x/oai", RepositoryName: "t", AdminEmail: "a@b.org", RepositoryID: "wenyuan.local",
		Institutions: db.FindInstitutions, Concepts: func(context.Context) ([]*wenyuan.Concept, error) { return nil, nil },
		Formats: []Format{DublinCore("http://x")}, PageSize: 2}
	for _, q := range []string{"verb=Identify", "verb=ListRecords&metadataPrefix=oai_dc", "verb=ListIdentifiers&metadataPrefix=oai_dc&set=institution:a&from=2001-01-01",
		"verb=GetRecord&identifier=oai:wenyuan.local:x&metadataPrefix=oai_dc", "verb=ListRecords&resumptionToken=eyJ2IjoxfQ", "verb=&verb=x", "verb=ListSets&resumptionToken="} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		args, err := url.ParseQuery(q)
		if err != nil {
			return
		}
		var b bytes.Buffer
		if err := p.Serve(ctx, args, &b); err != nil {
			t.Fatalf("Serve(%q): %v", q, err)
		}
		d := xml.NewDecoder(&b)
		for {
			if _, err := d.Token(); err != nil {
				if errors.Is(err, io.EOF) {
					return
				}
				t.Fatalf("Serve(%q) wrote malformed XML: %v\n%s", q, err, b.String())
			}
		}
	})
}
